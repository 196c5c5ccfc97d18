"""smpp_password: renewed only when asked, at most once per period, and every outcome reported exactly.

Time is fixed through the module's own hooks (``now_utc`` for the renewal record, ``time``/``clock`` for waits
and the lease), so ages, records, lease expiries and waited seconds are exact values.
"""

from datetime import datetime, timedelta, timezone

import pytest

from ansible_collections.smppops.ovh.plugins.module_utils import _smpp_password, _wait
from ansible_collections.smppops.ovh.plugins.module_utils._task import run_task

from ovh_fakes import FakeClock, FakeResponse
from test_smpp_password import BASE, NAME, RESOURCE, TAG, TAG_PATH, URN, TaggedAccountClient

NOW = datetime(2026, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
STAMP = "2026-03-01T12:00:00Z"  # NOW as the record holds it
SETTINGS = "/sms/%s/smpp/settings" % NAME
PASSWORD = "/sms/%s/smpp/password" % NAME
MAIL_NOTICE = "OVH e-mails the new password to the account's contact e-mail address; the API never returns it"
REFUSED = FakeResponse(400, {"class": "Client::BadRequest", "message": "not now"})
DENIED = FakeResponse(403, {"errorCode": "NOT_GRANTED_CALL", "message": "This call has not been granted"})
ACCESS_RULES = ("the credentials need the access rules GET, POST, PUT and DELETE /v2/iam/resource/* (OAuth2: actions "
                "account:apiovh:iam/resource/tag/add, /tag/remove and /edit, and sms:apiovh:iam/resource/tag/add and "
                "/remove)")


def ago(**delta):
    return (NOW - timedelta(**delta)).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture(autouse=True)
def fixed_time(monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr(_wait, "time", clock)
    monkeypatch.setattr(_smpp_password, "time", clock)
    monkeypatch.setattr(_smpp_password, "clock", clock)
    monkeypatch.setattr(_smpp_password, "now_utc", lambda: NOW)
    return clock


class RenewedElsewhere(TaggedAccountClient):
    """The record as another run leaves it: the v2 read number ``at`` (1-based) finds ``value`` recorded."""

    def __init__(self, script, tags, at, value):
        super().__init__(script, tags)
        self.reads, self.at, self.value = 0, at, value

    def raw_call(self, method, path, data=None, need_auth=True, headers=None):
        if (method, path) == ("GET", RESOURCE):
            self.reads += 1
            if self.reads == self.at:
                self.tags[TAG] = self.value
        return super().raw_call(method, path, data=data, need_auth=need_auth, headers=headers)


def task(account_tags=None, record_tags=None, statuses=("SUCCESS",), renewal=None, check_mode=False, smpp=True,
         urn=URN, tag_failures=None, make_client=None, **params):
    """Run one smpp_password task: ``account_tags`` as the 1.0 account shows them, ``record_tags`` as the v2 resource
    holds them (the same when not given). Returns ``(failed, result without api_calls, calls, warnings, client)``."""
    account_tags = dict(account_tags or {})
    record_tags = account_tags if record_tags is None else record_tags
    script = {
        ("GET", "/sms/" + NAME): [FakeResponse(200, {"name": NAME, "smpp": smpp, "iam": {"urn": urn, "tags": account_tags}
                                                     if urn else None})],
        ("GET", SETTINGS): [FakeResponse(200, {"status": status}) for status in statuses],
        ("POST", PASSWORD): [renewal or FakeResponse(200, None)],
    }
    client = make_client(script, record_tags) if make_client else TaggedAccountClient(script, record_tags, tag_failures)
    warnings = []
    failed, result = run_task(_smpp_password, dict(BASE, **params), check_mode=check_mode, warn=warnings.append,
                              client_factory=lambda unused: client)
    calls = [(call["method"], call["path"]) for call in result.pop("api_calls")]
    return failed, result, calls, warnings, client


def renewals(client):
    return [request for request in client.requests if request["path"] == PASSWORD]


def lease_values(client):
    return [request["data"]["value"] for request in client.requests
            if request["path"] == TAG_PATH and request["data"]["key"] == "smppops-lease"]


# --- when a renewal is due -------------------------------------------------------------------------------------

@pytest.mark.parametrize("previous,action,reason", [
    (ago(days=30), "leave", "the last renewal (2026-01-30T12:00:00Z) is 30.0 days old, within max_age_days=30"),
    (ago(days=30, seconds=1), "renew",
     "the last renewal (2026-01-30T11:59:59Z) is 30.0 days old, more than max_age_days=30"),
    (ago(days=1, hours=12), "leave", "the last renewal (2026-02-28T00:00:00Z) is 1.5 days old, within max_age_days=30"),
])
def test_a_renewal_is_due_only_once_older_than_max_age_days(previous, action, reason):
    assert _smpp_password._decide(dict(BASE, max_age_days=30), previous) == (action, reason)


def test_the_age_is_counted_in_days_of_86400_seconds():
    assert _smpp_password._age(ago(days=1, hours=12)) == 1.5
    assert _smpp_password._age(None) is None
    assert _smpp_password._age("last tuesday") is None


@pytest.mark.parametrize("previous,untracked,decision", [
    (None, "renew", ("renew", "no renewal is recorded and untracked=renew")),
    (None, "track", ("track", "no renewal is recorded; untracked=track starts counting from now without renewing")),
    (None, "skip", ("leave", "no renewal is recorded, so its age is unknown (untracked=skip)")),
    ("last tuesday", "renew", ("renew", "the recorded renewal time 'last tuesday' cannot be read and untracked=renew")),
    ("last tuesday", "skip",
     ("leave", "the recorded renewal time 'last tuesday' cannot be read, so its age is unknown (untracked=skip)")),
])
def test_an_unknown_age_says_whether_the_record_is_missing_or_unreadable(previous, untracked, decision):
    assert _smpp_password._decide(dict(BASE, max_age_days=30, untracked=untracked), previous) == decision


def test_a_password_within_its_period_is_left_with_one_read():
    failed, result, calls, warnings, client = task({TAG: ago(days=5)}, max_age_days=30)
    reason = "the last renewal (2026-02-24T12:00:00Z) is 5.0 days old, within max_age_days=30"
    assert (failed, warnings) == (False, [])
    assert result == {"changed": False, "rotated": False, "rotated_at": None, "previous_rotated_at": ago(days=5),
                      "rotation_recorded": False, "untracked": False, "reason": reason,
                      "msg": "The SMPP password of smpp-1 was not renewed: %s" % reason}
    assert calls == [("GET", "/sms/smpp-1")]


def test_an_unknown_age_is_left_alone_with_a_warning_saying_how_to_start():
    failed, result, calls, warnings, client = task(max_age_days=30)
    assert not failed and result["changed"] is False and result["untracked"] is True and renewals(client) == []
    assert warnings == ["no readable password renewal time is recorded on smpp-1, so max_age_days cannot tell its age "
                        "and the password was not renewed; set untracked=track to start counting from now, or "
                        "untracked=renew"]


def test_the_v2_record_decides_when_the_account_does_not_show_it_yet():
    # The 1.0 account lags behind the authoritative v2 resource: no tag there, an overdue renewal here.
    failed, result, calls, warnings, client = task({}, {TAG: ago(days=40)}, max_age_days=30)
    assert (failed, warnings) == (False, [])
    assert result["rotated"] is True and result["previous_rotated_at"] == ago(days=40) and result["untracked"] is False
    assert len(renewals(client)) == 1 and client.tags[TAG] == STAMP


def test_a_renewal_the_account_shows_as_old_is_not_repeated_when_the_v2_record_is_recent():
    failed, result, calls, warnings, client = task({TAG: ago(days=40)}, {TAG: ago(days=1)}, max_age_days=30)
    reason = "the last renewal (2026-02-28T12:00:00Z) is 1.0 days old, within max_age_days=30"
    assert (failed, warnings) == (False, [])
    assert result == {"changed": False, "rotated": False, "rotated_at": None, "previous_rotated_at": ago(days=1),
                      "rotation_recorded": False, "untracked": False, "reason": reason,
                      "msg": "The SMPP password of smpp-1 was not renewed: %s" % reason}
    assert calls == [("GET", "/sms/smpp-1"), ("GET", RESOURCE)]  # no lease, no write


def test_force_reads_the_v2_record_it_would_put_back():
    failed, result, calls, warnings, client = task({TAG: ago(days=1)}, {TAG: ago(days=2)}, force=True)
    assert not failed and result["previous_rotated_at"] == ago(days=2) and result["reason"] == "force=true"


# --- two runs at once renew once ----------------------------------------------------------------------------------

def test_a_run_that_renewed_meanwhile_is_reported_exactly():
    def another_run(script, tags):
        return RenewedElsewhere(script, tags, at=2, value=ago(hours=1))  # the read under the hold finds it

    failed, result, calls, warnings, client = task({TAG: ago(days=40)}, max_age_days=30, make_client=another_run)
    reason = "the last renewal (2026-03-01T11:00:00Z) is 0.0 days old, within max_age_days=30"
    assert (failed, warnings, renewals(client)) == (False, [], [])
    assert result == {"changed": False, "rotated": False, "rotated_at": None, "previous_rotated_at": ago(hours=1),
                      "rotation_recorded": False, "untracked": False, "reason": reason,
                      "msg": "The SMPP password of smpp-1 was not renewed: %s (another run renewed it meanwhile)" % reason}
    assert client.tags == {TAG: ago(hours=1)}


@pytest.mark.parametrize("extra,lease_seconds", [
    ({"api_timeout": 10}, 45 + 2 * 10 + 60),
    ({}, 45 + 2 * 30 + 60),  # python-ovh's own default timeout when the task gives none
])
def test_the_lease_lasts_the_wait_and_two_api_calls_and_a_minute(extra, lease_seconds, fixed_time):
    failed, result, calls, warnings, client = task({TAG: ago(days=40)}, max_age_days=30, wait_timeout=45, **extra)
    assert not failed and result["rotated"] is True
    values = lease_values(client)
    assert len(values) == 1 and values[0].split("/")[1] == "%d" % (1_800_000_000 + lease_seconds)
    assert "smppops-lease" not in client.tags  # given back


# --- status gates --------------------------------------------------------------------------------------------------

def test_a_settled_account_is_renewed_after_one_status_read():
    failed, result, calls, warnings, client = task(force=True)
    assert not failed and result["rotated"] is True
    assert calls == [("GET", "/sms/smpp-1"), ("GET", RESOURCE), ("GET", SETTINGS), ("POST", TAG_PATH), ("GET", RESOURCE),
                     ("POST", PASSWORD)]


def test_a_broken_status_is_refused_naming_the_account():
    failed, result, calls, warnings, client = task(statuses=("ERROR",), force=True)
    assert failed and renewals(client) == []
    assert result == {"changed": False, "status": "ERROR",
                      "msg": "the SMPP password of smpp-1 cannot be renewed in status ERROR: OVH reports an error on the "
                             "SMPP account; try again in a few moments"}


def test_a_plain_sms_account_is_refused_naming_it():
    failed, result, calls, warnings, client = task(smpp=False, force=True)
    assert failed and calls == [("GET", "/sms/smpp-1")]
    assert result == {"changed": False,
                      "msg": "service_name=smpp-1 is an SMS account without SMPP (its 'smpp' flag is false); SMPP "
                             "settings, allowed IPs and passwords exist only on SMPP accounts"}


def test_check_mode_predicts_the_renewal_exactly():
    failed, result, calls, warnings, client = task({TAG: ago(days=40)}, max_age_days=30, check_mode=True)
    reason = "the last renewal (2026-01-20T12:00:00Z) is 40.0 days old, more than max_age_days=30"
    assert not failed and [r for r in client.requests if r["method"] != "GET"] == []
    assert result == {"changed": True, "rotated": True, "rotated_at": None, "previous_rotated_at": ago(days=40),
                      "rotation_recorded": False, "untracked": False, "reason": reason,
                      "msg": "The SMPP password of smpp-1 would be renewed (%s); %s" % (reason, MAIL_NOTICE)}


def test_a_status_still_changing_at_wait_timeout_is_reported_with_it():
    failed, result, calls, warnings, client = task(statuses=("UPDATING_IP",), force=True, wait_timeout=10)
    assert failed and renewals(client) == []
    assert result == {"changed": False, "status": "UPDATING_IP",
                      "msg": "the SMPP password of smpp-1 was not renewed: status still UPDATING_IP after 10 s "
                             "(wait_timeout=10)"}


def test_a_status_that_settles_broken_is_refused():
    failed, result, calls, warnings, client = task(statuses=("UPDATING_IP", "DELETED"), force=True)
    assert failed and renewals(client) == []
    assert result == {"changed": False, "status": "DELETED",
                      "msg": "the SMPP password of smpp-1 cannot be renewed in status DELETED: the SMPP account is "
                             "deleted"}


def test_a_status_that_settles_on_anything_but_success_is_refused_with_the_time_waited(fixed_time):
    # A status OVH's schema does not list (a new one): the API renews in SUCCESS only.
    failed, result, calls, warnings, client = task(statuses=("UPDATING_IP",) * 3 + ("SUSPENDED",), force=True)
    assert failed and renewals(client) == []
    assert fixed_time.sleeps == [1.0, 2.0]
    assert result == {"changed": False, "status": "SUSPENDED",
                      "msg": "the SMPP password of smpp-1 was not renewed: OVH allows it in status SUCCESS only, the "
                             "status is SUSPENDED (after 3 s)"}


# --- what a renewal that fails leaves ----------------------------------------------------------------------------

def test_a_refused_forced_renewal_puts_the_previous_record_back():
    failed, result, calls, warnings, client = task({TAG: ago(days=1)}, force=True, renewal=REFUSED)
    assert failed and len(renewals(client)) == 1
    assert client.tags == {TAG: ago(days=1)}
    assert result == {
        "changed": False, "renewal_outcome": "not_renewed",
        "error": {"http_status": 400, "error_class": "Client::BadRequest", "message": "not now",
                  "query_id": "EU.ext-1.test.400", "method": "POST", "path": PASSWORD},
        "msg": "POST /sms/smpp-1/smpp/password failed: HTTP 400 Client::BadRequest: not now (OVH query ID "
               "EU.ext-1.test.400); the password was not renewed and the recorded renewal time is unchanged"}


def test_a_refused_renewal_whose_record_cannot_be_put_back_says_what_counts_now():
    failed, result, calls, warnings, client = task(renewal=REFUSED, tag_failures={"DELETE": [DENIED]})
    assert failed and len(renewals(client)) == 1 and client.tags == {TAG: STAMP}
    assert result == {
        "changed": True, "renewal_outcome": "not_renewed", "rotation_recorded": True, "rotated_at": STAMP,
        "error": {"http_status": 400, "error_class": "Client::BadRequest", "message": "not now",
                  "query_id": "EU.ext-1.test.400", "method": "POST", "path": PASSWORD},
        "msg": "POST /sms/smpp-1/smpp/password failed: HTTP 400 Client::BadRequest: not now (OVH query ID "
               "EU.ext-1.test.400); the password was not renewed, but the renewal time recorded beforehand "
               "(2026-03-01T12:00:00Z) could not be put back to none (the IAM tag smppops-password-rotated-at could "
               "not be removed: %s): scheduled runs will count from 2026-03-01T12:00:00Z, run with force=true to "
               "renew now" % ACCESS_RULES}


def test_a_renewal_whose_answer_is_lost_keeps_its_record_and_says_so():
    failed, result, calls, warnings, client = task(renewal=FakeResponse(500, {"message": "x"}))
    assert failed and len(renewals(client)) == 1 and client.tags == {TAG: STAMP}
    assert result == {
        "changed": True, "renewal_outcome": "unknown", "rotation_recorded": True, "rotated_at": STAMP,
        "error": {"http_status": 500, "error_class": None, "message": "x", "query_id": "EU.ext-1.test.500",
                  "method": "POST", "path": PASSWORD},
        "msg": "POST /sms/smpp-1/smpp/password failed: HTTP 500: x (OVH query ID EU.ext-1.test.500); the password MAY "
               "HAVE BEEN RENEWED and the request is NOT repeated: if OVH renewed it, the new password arrives by "
               "e-mail to the account's contact. The renewal time 2026-03-01T12:00:00Z stays recorded, so scheduled "
               "runs (max_age_days) will not renew it again; use force=true only after checking the mailbox"}
