"""smpp_info resource logic against a scripted python-ovh client."""

import json

import pytest

from ansible_collections.smppops.ovh.plugins.module_utils import _smpp_info
from ansible_collections.smppops.ovh.plugins.module_utils._task import run_task

from ovh_fakes import FakeOvhClient, FakeResponse

PARAMS = {"service_name": None, "history": None, "api_retries": 0, "report_api_calls": True, "endpoint": "ovh-eu"}


def account(name, smpp=True, tags=None):
    return {"name": name, "smpp": smpp, "status": "enable", "channel": "transactional", "description": "d",
            "creditsLeft": 100.0, "automaticRecreditAmount": None, "creditThresholdForAutomaticRecredit": 0,
            "iam": {"urn": "urn:v1:eu:resource:sms:%s" % name, "tags": tags}}


SETTINGS = {"systemID": "k3y9", "status": "SUCCESS", "throughput": 20, "windowing": 10,
            "endpoints": [{"secured": "smpp.example.invalid:2776", "unsecured": "smpp.example.invalid:2775"}]}


def smpp_script(name, senders=(), ips=("2001:db8::10", "203.0.113.10", "198.51.100.7"), tags=None):
    base = "/sms/%s" % name
    script = {
        ("GET", base): [FakeResponse(200, account(name, tags=tags))],
        ("GET", base + "/smpp/settings"): [FakeResponse(200, SETTINGS)],
        ("GET", base + "/smpp/allowedIPs"): [FakeResponse(200, list(ips))],
        ("GET", base + "/senders"): [FakeResponse(200, [s["sender"] for s in senders])],
    }
    if len(senders) == 1:
        script[("GET", base + "/senders/" + senders[0]["sender"])] = [FakeResponse(200, senders[0])]
    elif senders:
        batch = "%7C".join(sorted(s["sender"] for s in senders))
        script[("GET", base + "/senders/" + batch)] = [FakeResponse(200, [
            {"key": s["sender"], "value": s, "error": None} for s in senders])]
    return script


def run_with_client(script, **params):
    client = FakeOvhClient(script)
    failed, result = run_task(_smpp_info, dict(PARAMS, **params), client_factory=lambda p: client)
    return failed, result, client


def run(script, **params):
    return run_with_client(script, **params)[:2]


def test_one_account_in_public_shape():
    senders = [{"sender": "ACME", "status": "enable", "type": "alpha", "description": "x"},
               {"sender": "BRAND", "status": "waitingValidation", "type": "alpha", "description": "y"}]
    script = smpp_script("smpp-1", senders, tags={"smppops-password-rotated-at": "2026-11-01T10:00:00Z"})
    failed, result, client = run_with_client(script, service_name="smpp-1")
    assert not failed and result["changed"] is False
    facts = result["smpp_accounts"][0]
    assert facts["system_id"] == "k3y9"
    assert facts["allowed_ips"] == ["198.51.100.7", "203.0.113.10", "2001:db8::10"]
    assert [s["sender"] for s in facts["senders"]] == ["ACME", "BRAND"]
    assert facts["password_rotated_at"] == "2026-11-01T10:00:00Z"
    assert facts["endpoints"] == [{"secured": "smpp.example.invalid:2776", "unsecured": "smpp.example.invalid:2775"}]
    # One batch read for the two senders: five reads in all, no writes.
    assert [c["method"] for c in result["api_calls"]] == ["GET"] * 5
    batch_headers = [r["headers"] for r in client.requests if r["path"].endswith("ACME%7CBRAND")]
    assert batch_headers == [{"X-Ovh-Batch": "|"}]
    assert not any(key[0].isupper() for key in facts), "no camelCase at the top of an account"
    assert json.dumps(result)


def test_system_id_falls_back_to_the_service_name():
    script = smpp_script("smpp-1")
    script[("GET", "/sms/smpp-1/smpp/settings")] = [FakeResponse(200, dict(SETTINGS, systemID=None))]
    unused_failed, result = run(script, service_name="smpp-1")
    assert result["smpp_accounts"][0]["system_id"] == "smpp-1"


def test_all_accounts_keeps_only_smpp_and_reads_each_account_once():
    script = {("GET", "/sms"): [FakeResponse(200, ["smpp-2", "sms-1", "smpp-1"])],
              ("GET", "/sms/sms-1"): [FakeResponse(200, account("sms-1", smpp=False))]}
    script.update(smpp_script("smpp-1"))
    script.update(smpp_script("smpp-2"))
    failed, result = run(script)
    assert not failed
    assert [a["service_name"] for a in result["smpp_accounts"]] == ["smpp-1", "smpp-2"]
    paths = [c["path"] for c in result["api_calls"]]
    assert paths.count("/sms/smpp-1") == 1
    assert "/sms/sms-1/smpp/settings" not in paths


def test_plain_sms_account_is_refused_by_name():
    failed, result = run({("GET", "/sms/sms-1"): [FakeResponse(200, account("sms-1", smpp=False))]}, service_name="sms-1")
    assert failed
    assert "sms-1" in result["msg"] and "SMPP" in result["msg"]


def test_unknown_account_fails_with_structured_error():
    failed, result = run({("GET", "/sms/nope"): [FakeResponse(
        404, {"class": "Client::NotFound", "message": "This service does not exist"}, {"X-Ovh-QueryID": "EU.q9"})]},
        service_name="nope")
    assert failed
    assert result["error"]["query_id"] == "EU.q9" and result["error"]["http_status"] == 404
    assert "EU.q9" in result["msg"]


def test_history_counts_and_limits_newest_first():
    script = smpp_script("smpp-1")
    base = "/sms/smpp-1/outgoing"
    script[("GET", base + "?creationDatetime.from=2026-01-01T00%3A00%3A00Z")] = [FakeResponse(200, [3, 1, 2])]
    for item in (3, 2):
        script[("GET", "%s/%d" % (base, item))] = [FakeResponse(200, {"id": item, "creationDatetime": "2026-02-0%dT00:00:00Z" % item,
                                                                      "receiver": "+33600000000", "sender": "ACME"})]
    failed, result = run(script, service_name="smpp-1",
                         history={"outgoing_since": "2026-01-01T00:00:00Z", "incoming_since": None, "limit": 2})
    assert not failed
    outgoing = result["smpp_accounts"][0]["history"]["outgoing"]
    assert outgoing["count"] == 3
    assert [item["id"] for item in outgoing["items"]] == [3, 2]
    assert "incoming" not in result["smpp_accounts"][0]["history"]


@pytest.mark.parametrize("history,needle", [
    ({"outgoing_since": "yesterday", "incoming_since": None, "limit": 5}, "history.outgoing_since=yesterday"),
    ({"outgoing_since": None, "incoming_since": None, "limit": -1}, "history.limit=-1"),
])
def test_bad_history_input_fails_before_any_call(history, needle):
    failed, result, client = run_with_client({}, service_name="smpp-1", history=history)
    assert failed and needle in result["msg"]
    assert client.requests == []
