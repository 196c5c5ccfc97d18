"""smpp_password resource logic: when to renew, status gates, no body, recording the renewal time."""

from datetime import datetime, timedelta, timezone

import pytest
import requests

from ansible_collections.smppops.ovh.plugins.module_utils import _smpp_password, _wait
from ansible_collections.smppops.ovh.plugins.module_utils._task import run_task

from ovh_fakes import FakeClock, FakeOvhClient, FakeResponse

NAME = "smpp-1"
URN = "urn:v1:eu:resource:sms:smpp-1"
RESOURCE = "/v2/iam/resource/urn%3Av1%3Aeu%3Aresource%3Asms%3Asmpp-1"
TAG_PATH = RESOURCE + "/tag"
TAG = "smppops-password-rotated-at"
BASE = {"service_name": NAME, "max_age_days": None, "force": False, "wait_timeout": 30, "lock_timeout": 30, "api_retries": 0,
        "report_api_calls": True, "untracked": "skip"}


class TaggedAccountClient(FakeOvhClient):
    """Scripted SMS routes plus a stateful IAM resource whose tag POST refuses existing keys (409)."""

    def __init__(self, script, tags, tag_failures=None):
        super().__init__(script)
        self.tags = dict(tags)
        self.tag_failures = {key: list(value) for key, value in (tag_failures or {}).items()}

    def raw_call(self, method, path, data=None, need_auth=True, headers=None):
        if not path.startswith(RESOURCE):
            return super().raw_call(method, path, data=data, need_auth=need_auth, headers=headers)
        self.requests.append({"method": method, "path": path, "data": data, "headers": headers})
        failures = self.tag_failures.get(method)
        if failures:
            failure = failures.pop(0)
            if isinstance(failure, Exception):
                raise failure
            return failure
        if method == "GET":
            return FakeResponse(200, {"urn": URN, "tags": dict(self.tags, **{"ovh:product": "sms"})})
        if method == "POST":
            if data["key"] in self.tags:
                return FakeResponse(409, {"class": "Client::Conflict", "message": "tag exists"})
            self.tags[data["key"]] = data["value"]
        elif method == "PUT":
            self.tags = {key: value for key, value in data["tags"].items() if not key.startswith("ovh:")}
        elif method == "DELETE":
            self.tags.pop(path.rsplit("/", 1)[-1], None)
        return FakeResponse(200, None)


@pytest.fixture(autouse=True)
def no_real_sleep(monkeypatch):
    # Each module's own view of time (its ``time`` name or its ``clock``), not the process-wide time module.
    clock = FakeClock()
    monkeypatch.setattr(_wait, "time", clock)
    monkeypatch.setattr(_smpp_password, "time", clock)
    monkeypatch.setattr(_smpp_password, "clock", clock)


def stamp(days_ago):
    return (datetime.now(timezone.utc) - timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


def run(rotated_at=None, statuses=("SUCCESS",), smpp=True, check_mode=False, tag_failures=None, renewal=None,
        other_tags=None, **params):
    tags = dict(other_tags or {}, **({TAG: rotated_at} if rotated_at else {}))
    script = {
        ("GET", "/sms/" + NAME): [FakeResponse(200, {"name": NAME, "smpp": smpp, "iam": {"urn": URN, "tags": tags}})],
        ("GET", "/sms/%s/smpp/settings" % NAME): [FakeResponse(200, {"status": s}) for s in statuses],
        ("POST", "/sms/%s/smpp/password" % NAME): [renewal or FakeResponse(200, None)],
    }
    client = TaggedAccountClient(script, tags, tag_failures)
    warnings = []
    failed, result = run_task(_smpp_password, dict(BASE, **params), check_mode=check_mode, warn=warnings.append,
                              client_factory=lambda p: client)
    posts = [r for r in client.requests if r["method"] == "POST" and r["path"].endswith("/smpp/password")]
    return failed, result, posts, warnings, client


def test_renews_without_body_and_records_the_time():
    failed, result, posts, warnings, client = run()
    assert not failed and result["changed"] and result["rotated"]
    assert posts == [{"method": "POST", "path": "/sms/smpp-1/smpp/password", "data": None, "headers": {}}]
    tag = [r for r in client.requests if r["path"] == TAG_PATH and r["method"] == "POST"][0]
    assert tag["data"]["key"] == "smppops-password-rotated-at"
    assert tag["data"]["value"] == result["rotated_at"]
    datetime.strptime(result["rotated_at"], "%Y-%m-%dT%H:%M:%SZ")
    assert result["rotation_recorded"] and warnings == []
    assert "e-mails the new password" in result["msg"]


def test_max_age_within_limit_does_nothing():
    failed, result, posts, unused_warnings, unused_client = run(rotated_at=stamp(5), max_age_days=30)
    assert not failed and not result["changed"] and posts == []


@pytest.mark.parametrize("rotated_at", [stamp(31), stamp(400)])
def test_max_age_exceeded_renews(rotated_at):
    failed, result, posts, unused_warnings, unused_client = run(rotated_at=rotated_at, max_age_days=30)
    assert not failed and result["rotated"] and len(posts) == 1
    assert result["previous_rotated_at"] == rotated_at


def test_force_overrides_max_age():
    failed, result, posts, unused_warnings, unused_client = run(rotated_at=stamp(1), max_age_days=30, force=True)
    assert not failed and len(posts) == 1 and result["reason"] == "force=true"


def test_check_mode_predicts_without_post():
    failed, result, posts, unused_warnings, unused_client = run(check_mode=True)
    assert not failed and result["changed"] and result["rotated"] and posts == []
    assert result["rotated_at"] is None


def test_waits_for_success():
    failed, result, posts, unused_warnings, unused_client = run(statuses=("UPDATING_IP", "UPDATING_IP", "SUCCESS"))
    assert not failed and len(posts) == 1
    settings_reads = [c for c in result["api_calls"] if c["path"].endswith("/settings")]
    assert len(settings_reads) == 3


@pytest.mark.parametrize("status", ["ERROR", "DELETED", "UNKNOWN", "WAITING_IP"])
def test_broken_status_fails_without_post(status):
    failed, result, posts, unused_warnings, unused_client = run(statuses=(status,))
    assert failed and status in result["msg"] and posts == [] and result["changed"] is False


def test_check_mode_waiting_for_the_first_allowed_ip_predicts_the_renewal():
    # The allowed IPs a run adds before this step are only predicted in check mode: the real run can renew.
    failed, result, posts, unused_warnings, unused_client = run(statuses=("WAITING_IP",), check_mode=True)
    assert not failed and result["changed"] is True and result["rotated"] is True and posts == []
    assert result["status"] == "WAITING_IP"
    assert "would be renewed once the allowed IPs are applied" in result["msg"]
    assert result["reason"].endswith("; possible once the allowed IPs are applied (status WAITING_IP now)")


@pytest.mark.parametrize("status", ["ERROR", "DELETED", "UNKNOWN"])
def test_check_mode_still_refuses_a_broken_status(status):
    failed, result, posts, unused_warnings, unused_client = run(statuses=(status,), check_mode=True)
    assert failed and status in result["msg"] and posts == [] and result["changed"] is False


def test_wait_timeout_fails_without_post():
    failed, result, posts, unused_warnings, unused_client = run(statuses=("UPDATING_IP",), wait_timeout=10)
    assert failed and "UPDATING_IP" in result["msg"] and posts == []


def test_plain_sms_account_is_refused():
    failed, result, posts, unused_warnings, unused_client = run(smpp=False)
    assert failed and "SMPP" in result["msg"] and posts == []


def test_record_refused_means_no_renewal_and_names_the_rights():
    refused = FakeResponse(403, {"errorCode": "NOT_GRANTED_CALL", "message": "This call has not been granted"})
    failed, result, posts, unused_warnings, client = run(tag_failures={"POST": [refused]})
    assert failed and posts == [] and result["changed"] is False
    assert "/v2/iam/resource/*" in result["msg"] and "not renewed" in result["msg"]
    assert client.tags == {}


def test_existing_tag_is_replaced_in_one_put_never_deleted():
    failed, result, unused_posts, warnings, client = run(rotated_at=stamp(40), max_age_days=30)
    assert not failed and result["rotation_recorded"] and warnings == []
    record_writes = [r["method"] for r in client.requests if r["method"] == "PUT"
                     or r["method"] in ("POST", "DELETE") and TAG in (r["path"] + str((r["data"] or {}).get("key")))]
    assert record_writes == ["POST", "PUT"]
    assert client.tags == {TAG: result["rotated_at"]}


def test_other_custom_tags_survive_the_overwrite():
    failed, result, unused_posts, unused_warnings, client = run(rotated_at=stamp(40), max_age_days=30,
                                                                other_tags={"team": "noc"})
    assert not failed
    put = [r for r in client.requests if r["method"] == "PUT"][0]
    sent = {key: value for key, value in put["data"]["tags"].items() if key != "smppops-lease"}
    assert sent == {"team": "noc", TAG: result["rotated_at"]}  # OVH's own ovh: tags are not sent
    assert client.tags == {"team": "noc", TAG: result["rotated_at"]}


def test_record_is_written_before_the_renewal_is_sent():
    failed, unused_result, unused_posts, unused_warnings, client = run(force=True)
    assert not failed
    order = [(r["method"], r["path"]) for r in client.requests if r["method"] != "GET"]
    assert order == [("POST", TAG_PATH), ("POST", "/sms/smpp-1/smpp/password")]


@pytest.mark.parametrize("failure", [requests.exceptions.ConnectionError("dropped"), FakeResponse(500, {"message": "x"}),
                                     FakeResponse(200, text="<html>")])
def test_ambiguous_renewal_is_not_repeated_and_keeps_its_record(failure):
    failed, result, posts, unused_warnings, client = run(rotated_at=stamp(40), max_age_days=30, renewal=failure)
    assert failed and result["changed"] is True and len(posts) == 1
    assert result["renewal_outcome"] == "unknown" and "MAY HAVE BEEN RENEWED" in result["msg"]
    assert client.tags[TAG] == result["rotated_at"]


def test_refused_renewal_restores_the_previous_record():
    previous = stamp(40)
    refused = FakeResponse(400, {"class": "Client::BadRequest", "message": "not now"})
    failed, result, posts, unused_warnings, client = run(rotated_at=previous, max_age_days=30, renewal=refused)
    assert failed and result["renewal_outcome"] == "not_renewed" and len(posts) == 1
    assert client.tags == {TAG: previous}


def test_refused_first_renewal_removes_its_record():
    refused = FakeResponse(400, {"class": "Client::BadRequest", "message": "not now"})
    failed, unused_result, unused_posts, unused_warnings, client = run(renewal=refused)
    assert failed and client.tags == {}


@pytest.mark.parametrize("untracked,changed,rotated", [("skip", False, False), ("track", True, False), ("renew", True, True)])
def test_unknown_age_follows_untracked(untracked, changed, rotated):
    failed, result, posts, warnings, client = run(max_age_days=30, untracked=untracked)
    assert not failed and result["changed"] is changed and result["rotated"] is rotated
    assert len(posts) == (1 if rotated else 0)
    assert result["untracked"] is True
    assert (TAG in client.tags) is changed
    assert bool(warnings) is (untracked == "skip")


def test_unreadable_record_is_unknown_age():
    failed, result, posts, unused_warnings, unused_client = run(rotated_at="last tuesday", max_age_days=30)
    assert not failed and not result["changed"] and posts == [] and result["untracked"]


def test_recent_record_on_the_account_needs_no_v2_read():
    failed, result, unused_posts, unused_warnings, unused_client = run(rotated_at=stamp(5), max_age_days=30)
    assert not failed and [c["path"] for c in result["api_calls"]] == ["/sms/smpp-1"]


def test_negative_max_age_is_refused_before_any_call():
    failed, result, unused_posts, unused_warnings, client = run(max_age_days=-1)
    assert failed and "max_age_days=-1" in result["msg"] and client.requests == []


def test_a_run_that_renewed_meanwhile_is_seen_under_the_hold():
    # Another run renews between this task's first read and its hold: the record read under the hold is recent.
    failed, result, posts, unused_warnings, client = run(rotated_at=stamp(40), max_age_days=30,
                                                         tag_failures=None, other_tags=None)
    assert not failed and len(posts) == 1
    recent = stamp(0)
    client2 = TaggedAccountClient({
        ("GET", "/sms/" + NAME): [FakeResponse(200, {"name": NAME, "smpp": True, "iam": {"urn": URN, "tags": {TAG: stamp(40)}}})],
        ("GET", "/sms/%s/smpp/settings" % NAME): [FakeResponse(200, {"status": "SUCCESS"})],
        ("POST", "/sms/%s/smpp/password" % NAME): [FakeResponse(200, None)],
    }, {TAG: stamp(40)})
    reads = {"count": 0}
    original = client2.raw_call

    def renewed_by_another_run(method, path, data=None, need_auth=True, headers=None):
        if method == "GET" and path == RESOURCE:
            reads["count"] += 1
            if reads["count"] == 2:
                client2.tags[TAG] = recent
        return original(method, path, data=data, need_auth=need_auth, headers=headers)

    client2.raw_call = renewed_by_another_run
    failed, result = run_task(_smpp_password, dict(BASE, max_age_days=30), client_factory=lambda p: client2)
    assert not failed and not result["changed"] and "another run" in result["msg"]
    assert not [r for r in client2.requests if r["path"].endswith("/smpp/password")]
    assert client2.tags == {TAG: recent}, "the lease is released"


# Pinned by mutation testing: check mode refuses what the real run would refuse, before predicting a renewal
# (WAITING_IP is not broken: check mode predicts the renewal once the allowed IPs are applied, tested above).
@pytest.mark.parametrize("status", ["DELETED", "ERROR", "UNKNOWN"])
def test_check_mode_refuses_a_broken_status_like_the_real_run(status):
    failed, result, posts, unused_warnings, unused_client = run(statuses=(status,), check_mode=True)
    assert failed and posts == [] and result["status"] == status
    assert "cannot be renewed in status %s" % status in result["msg"]
    assert "would be renewed" not in result["msg"]
