"""smpp_sender resource logic: format validation, minimal writes, waitingValidation handled, purge."""

import pytest

from ansible_collections.smppops.ovh.plugins.module_utils import _inputs, _smpp_sender


from ansible_collections.smppops.ovh.plugins.module_utils import _smpp_sender
from ansible_collections.smppops.ovh.plugins.module_utils._api import OvhApi
from ansible_collections.smppops.ovh.plugins.module_utils._task import run_task

from ovh_fakes import FakeOvhClient, FakeResponse

NAME = "smpp-1"
BASE = "/sms/%s/senders" % NAME


def sender(name, status="enable", description="d"):
    return {"sender": name, "status": status, "description": description, "type": "alpha", "referer": "custom", "comment": None}


def current_script(items, after=None):
    script = {("GET", BASE): [FakeResponse(200, [i["sender"] for i in items])] + (
        [FakeResponse(200, [i["sender"] for i in after])] if after is not None else [])}
    script[("GET", "/sms/%s" % NAME)] = [FakeResponse(200, {"name": NAME, "smpp": True, "creditsLeft": 1})]
    for group in (items, after or []):
        if len(group) == 1:
            script.setdefault(("GET", "%s/%s" % (BASE, group[0]["sender"])), []).append(FakeResponse(200, group[0]))
        elif group:
            key = ("GET", "%s/%s" % (BASE, "%7C".join(sorted(i["sender"] for i in group))))
            script.setdefault(key, []).append(FakeResponse(200, [{"key": i["sender"], "value": i, "error": None} for i in group]))
    return script


def run(items, desired, after=None, check_mode=False, purge=False):
    script = current_script(items, after)
    for verb in ("POST", "PUT", "DELETE"):
        for path in [BASE] + ["%s/%s" % (BASE, s) for s in ("ACME", "OLD", "NEW", "WAIT", "+33612345678")]:
            script.setdefault((verb, path), [FakeResponse(200, None)])
    client = FakeOvhClient(script)
    senders = [dict({"description": None, "reason": None, "enabled": None, "state": "present"}, **item) for item in desired]
    warnings = []
    failed, result = run_task(_smpp_sender, {"service_name": NAME, "senders": senders, "purge": purge, "api_retries": 0,
                                             "report_api_calls": False},
                              check_mode=check_mode, diff_mode=True, warn=warnings.append, client_factory=lambda p: client)
    writes = [(r["method"], r["path"].rsplit("/", 1)[-1], r["data"]) for r in client.requests if r["method"] != "GET"]
    return failed, result, writes, warnings


def test_in_sync_writes_nothing():
    failed, result, writes, unused = run([sender("ACME")], [{"sender": "ACME", "description": "d", "enabled": True}])
    assert not failed and not result["changed"] and writes == []


def test_create_update_remove_in_one_task():
    items = [sender("ACME", description="old"), sender("OLD")]
    after = [sender("ACME", status="disable", description="new"), sender("NEW", status="waitingValidation", description="n")]
    failed, result, writes, unused = run(items, [
        {"sender": "ACME", "description": "new", "enabled": False},
        {"sender": "NEW", "description": "n", "reason": "brand"},
        {"sender": "OLD", "state": "absent"}], after=after)
    assert not failed and result["changed"]
    assert writes == [("POST", "senders", {"sender": "NEW", "description": "n", "reason": "brand"}),
                      ("PUT", "ACME", {"description": "new", "status": "disable"}),
                      ("DELETE", "OLD", None)]
    assert result["pending"] == ["NEW"]
    assert [s["sender"] for s in result["senders"]] == ["ACME", "NEW"]


def test_waiting_validation_is_not_an_error_and_not_touched():
    failed, result, writes, warnings = run([sender("WAIT", status="waitingValidation")], [{"sender": "WAIT", "enabled": True}])
    assert not failed and not result["changed"] and writes == [] and warnings == []
    assert result["pending"] == ["WAIT"]


def test_purge_removes_unlisted():
    failed, result, writes, unused = run([sender("ACME"), sender("OLD")], [{"sender": "ACME"}], after=[sender("ACME")], purge=True)
    assert not failed and writes == [("DELETE", "OLD", None)] and result["removed"] == ["OLD"]


def test_check_mode_predicts():
    failed, result, writes, unused = run([sender("OLD")], [{"sender": "NEW"}], check_mode=True, purge=True)
    assert not failed and result["changed"] and writes == []
    assert result["senders"][0]["sender"] == "NEW" and result["senders"][0]["status"] == "waitingValidation"
    assert result["diff"]["before"]["senders"][0]["sender"] == "OLD"


@pytest.mark.parametrize("name", ["12345678901234567", "TOOLONGSENDER", "12", "", "AC/ME", "ACME!"])
def test_invalid_senders_fail_before_any_call(name):
    failed, result, writes, unused = run([], [{"sender": name}])
    assert failed and repr(name) in result["msg"] and writes == []


@pytest.mark.parametrize("name", ["ACME", "+33612345678", "My Shop", "A-1.B&C+D_E"])
def test_valid_sender_formats(name):
    assert _inputs.sender_name(name) == name


def test_duplicates_refused():
    failed, result, writes, unused = run([], [{"sender": "ACME"}, {"sender": "ACME"}])
    assert failed and "listed twice" in result["msg"] and writes == []


def test_a_failure_half_way_names_the_writes_that_were_sent_and_those_that_were_not():
    items = [sender("ACME", description="old"), sender("OLD")]
    script = current_script(items)
    script[("POST", BASE)] = [FakeResponse(200, None)]
    script[("PUT", BASE + "/ACME")] = [FakeResponse(400, {"class": "Client::BadRequest", "message": "bad description"})]
    client = FakeOvhClient(script)
    desired = [{"sender": "ACME", "description": "new", "reason": None, "enabled": None, "state": "present"},
               {"sender": "NEW", "description": "n", "reason": "brand", "enabled": None, "state": "present"},
               {"sender": "OLD", "description": None, "reason": None, "enabled": None, "state": "absent"}]
    failed, result = run_task(_smpp_sender, {"service_name": NAME, "senders": desired, "purge": False, "api_retries": 0,
                                             "report_api_calls": False}, client_factory=lambda p: client)
    assert failed and result["changed"] is True
    assert [r["method"] for r in client.requests if r["method"] != "GET"] == ["POST", "PUT"]
    assert result["created"] == ["NEW"] and result["updated"] == [] and result["removed"] == []
    assert "bad description" in result["msg"] and result["error"]["http_status"] == 400
    assert "done before the failure: created NEW" in result["msg"]
    assert "not sent: the removal of OLD" in result["msg"]


# Pinned by mutation testing: a refused sender is frozen, a sender whose batch read failed is not read.
def test_a_refused_sender_is_never_enabled_nor_disabled():
    refused = dict(sender("ACME", status="refused"), comment="brand not proven")
    for enabled in (True, False):
        failed, result, writes, warnings = run([refused], [{"sender": "ACME", "enabled": enabled}])
        assert not failed and not result["changed"] and writes == []
        assert warnings == ["senders: OVH refused ACME (brand not proven); its status cannot change"]


def test_an_error_inside_a_batch_read_skips_that_sender_only():
    from ansible_collections.smppops.ovh.plugins.module_utils import _account_reads

    script = {("GET", BASE): [FakeResponse(200, ["ACME", "GONE", "LEFT", "ZED"])],
              ("GET", BASE + "/ACME%7CGONE%7CLEFT%7CZED"): [FakeResponse(200, [
                  {"key": "ACME", "value": sender("ACME"), "error": None},
                  {"key": "GONE", "value": sender("GONE"), "error": "This sender does not exist"},
                  {"key": "LEFT", "value": None, "error": "This sender does not exist"},
                  {"key": "ZED", "value": sender("ZED"), "error": None}])]}
    api = OvhApi(FakeOvhClient(script), retries=0)
    assert [item["sender"] for item in _account_reads.get_senders(api, NAME)] == ["ACME", "ZED"]
