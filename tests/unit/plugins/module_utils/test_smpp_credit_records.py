"""smpp_credit: the transfer's record around the request, what is said when the record cannot be kept true, and the
second client that reads the source under its hold."""

from ansible_collections.smppops.ovh.plugins.module_utils import _smpp_credit
from ansible_collections.smppops.ovh.plugins.module_utils._credit_intent import TAG_PREFIX, intent_key
from ansible_collections.smppops.ovh.plugins.module_utils._iam_tags import ACCESS_RULES
from ansible_collections.smppops.ovh.plugins.module_utils._task import run_task

from ovh_fakes import ClientOf, FakeResponse
# The same fake clock and lock directory as the module's main tests (autouse fixture).
from test_smpp_credit import BASE, DST, SRC, XFER, customer, fake_clock, on_read, posts, run  # noqa: F401  pylint: disable=unused-import

NOT_GRANTED = FakeResponse(403, {"errorCode": "NOT_GRANTED_CALL", "message": "not granted"})


def record_tag(**params):
    return TAG_PREFIX + intent_key(dict(BASE, target=DST, **params))


def refusing(client, refused):
    """Answer 403 to the requests ``refused(method, path, data)`` picks; the others reach the customer."""
    apply = client._apply
    client._apply = lambda method, path, data: NOT_GRANTED if refused(method, path, data) else apply(method, path, data)


def record_removal(method, path, unused_data):
    return method == "DELETE" and TAG_PREFIX in path


def not_removed(tag):
    return ("the transfer was not applied, but its pending record %s could not be removed (the IAM tag %s could not be "
            "removed: %s); the next run settles it from the balances or asks for forget_unknown_transfer=true"
            % (tag, tag, ACCESS_RULES))


def test_a_reserve_refused_under_the_hold_names_both_accounts_and_says_when_the_record_stays():
    client = customer(1000, 0)
    on_read(client, SRC, 2, lambda c: c.accounts[SRC].update(creditsLeft=800))
    refusing(client, record_removal)
    failed, result, warnings = run(client, target=DST, credits=500, source_reserve=400, api_retries=0)
    assert failed and posts(client) == [] and result["transfer_outcome"] == "not_applied"
    assert result["msg"] == ("transferring 500 credits from smpp-1 (800 left) to smpp-2 (0 left) would leave 300, "
                             "below source_reserve=400; nothing was transferred")
    tag = record_tag(credits=500)
    assert warnings == [not_removed(tag)]
    assert client.tags[SRC][tag].startswith("pending/")


def test_a_refused_transfer_says_when_its_record_stays():
    refused = FakeResponse(400, {"class": "Client::BadRequest", "message": "no"})
    client = customer(1000, 0, faults={("POST", XFER): [("before", refused)]})
    refusing(client, record_removal)
    failed, result, warnings = run(client, target=DST, credits=10, api_retries=0)
    assert failed and result["transfer_outcome"] == "not_applied" and len(posts(client)) == 1
    assert warnings == [not_removed(record_tag(credits=10))]


def test_a_record_never_written_is_removed_quietly_and_the_read_failure_is_reported():
    client = customer(1000, 0)
    on_read(client, SRC, 2, lambda c: FakeResponse(500, {"message": "down"}))
    refusing(client, lambda method, path, data: record_removal(method, path, data) or (
        method == "POST" and (data or {}).get("key", "").startswith(TAG_PREFIX)))
    failed, result, warnings = run(client, target=DST, credits=100, api_retries=0)
    assert failed and posts(client) == [] and warnings == []
    assert result["error"]["http_status"] == 500 and result["error"]["path"] == "/sms/" + SRC
    tag_requests = [r["method"] for r in client.requests if TAG_PREFIX in r["path"] + str(r["data"])]
    assert tag_requests == ["POST", "DELETE"], "the record is removed in case its write went through"


def test_an_applied_transfer_whose_record_cannot_be_updated_is_applied_and_says_so():
    client = customer(1000, 0)
    refusing(client, lambda method, path, data: method == "POST" and str((data or {}).get("value")).startswith("applied/"))
    failed, result, warnings = run(client, target=DST, credits=100, api_retries=0)
    assert not failed and result["transfer_outcome"] == "applied" and client.transfers == [
        {"credits": 100.0, "smsAccountTarget": DST}]
    tag = record_tag(credits=100)
    assert warnings == [
        "the transfer was applied, but its record %s could not be updated (the IAM tag %s could not be written: %s); "
        "the next run will find it pending and settle it from the balances" % (tag, tag, ACCESS_RULES)]
    assert client.tags[SRC][tag].startswith("pending/")


def test_an_earlier_transfer_found_landed_under_the_hold_is_reported_as_applied():
    client = customer(900, 100)
    tag = record_tag(credits=100)
    client.tags[SRC][tag] = "pending/2026-01-02T03:04:05Z/100/0"
    failed, result, warnings = run(client, target=DST, credits=100)
    assert not failed and posts(client) == []
    key = tag[len(TAG_PREFIX):]
    assert {name: value for name, value in result.items() if name not in ("api_calls", "diff")} == {
        "changed": False, "transferred": 0.0, "transfer_outcome": "applied", "credits_left": 900,
        "target_credits_left": 100, "automatic_recredit_amount": None, "automatic_recredit_threshold": 0,
        "msg": "the transfer %s was already applied" % key}
    assert client.tags[SRC][tag] == "applied/2026-01-02T03:04:05Z/100/0" and len(warnings) == 1


def test_the_source_is_read_under_its_hold_by_a_second_client_sharing_the_clock_delta():
    client = customer(1000, 0)
    client._time_delta = 42  # as python-ovh's client keeps it once measured
    made = []

    def factory(unused_params):
        made.append(client if not made else ClientOf(client))
        return made[-1]

    failed, result = run_task(_smpp_credit, dict(BASE, target=DST, credits=100), client_factory=factory)
    assert not failed and result["transfer_outcome"] == "applied"
    assert len(made) == 2 and made[1]._time_delta == 42, "no GET /auth/time of its own"
