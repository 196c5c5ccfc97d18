"""Answers of every shape, against the emulator: clean failures naming route and query ID; senders with and without batch reads."""

import pytest

from ansible_collections.smppops.ovh.plugins.module_utils import _smpp_acl, _smpp_credit, _smpp_info, _smpp_sender
from ansible_collections.smppops.ovh.plugins.module_utils._task import run_task
from emulator_clients import APPLICATION_KEY, APPLICATION_SECRET, CONSUMER_KEY
from tests.emulator import EmulatorServer

ACCOUNT = "smpp-ab12345-1"
PREFIX = "/1.0/sms/%s" % ACCOUNT


@pytest.fixture()
def emulator():
    with EmulatorServer(ip_update_seconds=0) as server:
        yield server


def run(server, logic, **params):
    merged = {"endpoint": server.base_url, "application_key": APPLICATION_KEY, "application_secret": APPLICATION_SECRET,
              "consumer_key": CONSUMER_KEY, "client_id": None, "client_secret": None, "api_timeout": 10.0,
              "api_retries": 0, "report_api_calls": False}
    for name, rules in logic.ARGUMENT_SPEC.items():
        merged.setdefault(name, rules.get("default"))
    merged.update(params)
    return run_task(logic, merged)


def answer_with(server, path, body, method="GET"):
    server.state.faults.append({"kind": "body", "method": method, "path": path, "body": body, "times": 1})


@pytest.mark.parametrize("path,body,needle", [
    (PREFIX, '["not", "an", "object"]', "the account should be an object, got a list"),
    (PREFIX, '{"name": "%s", "smpp": true, "creditsLeft": "lots"}' % ACCOUNT, "creditsLeft should be a number"),
    (PREFIX, '{"name": "%s", "smpp": "yes", "creditsLeft": 1}' % ACCOUNT, "smpp should be a boolean or null"),
    (PREFIX, '{"name": "%s", "smpp": true, "iam": {"tags": []}}' % ACCOUNT, "iam.tags should be an object"),
    (PREFIX + "/smpp/settings", "null", "the settings should be an object, got null"),
    (PREFIX + "/smpp/settings", '{"status": 3}', "settings.status should be a string"),
    (PREFIX + "/smpp/settings", '{"status": "SUCCESS", "endpoints": ["smpp:2775"]}', "endpoints[0] should be an object"),
    (PREFIX + "/smpp/allowedIPs", '{"ips": []}', "should be a list, got an object"),
    (PREFIX + "/smpp/allowedIPs", '[1, 2]', "the answer[0] should be a string"),
    (PREFIX + "/senders", '"ACME"', "should be a list, got a string"),
    (PREFIX + "/senders/ACME", '{"sender": 5}', "the sender.sender should be a string"),
])
def test_a_wrong_shape_is_a_clean_failure_naming_route_and_query_id(emulator, path, body, needle):
    emulator.state.accounts[ACCOUNT]["senders"] = {"ACME": emulator.state.accounts[ACCOUNT]["senders"]["ACME"]}
    answer_with(emulator, path, body)
    failed, result = run(emulator, _smpp_info, service_name=ACCOUNT)
    assert failed, result
    assert needle in result["msg"]
    route = path[len("/1.0"):]
    assert result["error"]["path"] == route and route in result["msg"]
    assert result["error"]["query_id"] and result["error"]["query_id"] in result["msg"]
    assert result["changed"] is False


@pytest.mark.parametrize("logic,params", [
    (_smpp_acl, {"ips": ["198.51.100.9"]}),
    (_smpp_sender, {"senders": [{"sender": "NEWONE", "state": "present"}]}),
    (_smpp_credit, {"target": "smpp-ab12345-2", "credits": 1}),
])
def test_writers_stop_before_writing_when_a_read_has_the_wrong_shape(emulator, logic, params):
    answer_with(emulator, PREFIX, '{"name": "%s", "smpp": true, "creditsLeft": "lots"}' % ACCOUNT)
    failed, result = run(emulator, logic, service_name=ACCOUNT, **params)
    assert failed and "creditsLeft" in result["msg"]
    assert [item for item in emulator.log if item["method"] != "GET"] == []


@pytest.mark.parametrize("path,body,needle", [
    (PREFIX + "/outgoing", '{"ids": [1]}', "should be a list, got an object"),
    (PREFIX + "/outgoing", '[1, "two"]', "the answer[1] should be a number"),
    (PREFIX + "/outgoing/*", '[]', "the answer should be an object, got a list"),
])
def test_history_answers_are_checked_too(emulator, path, body, needle):
    answer_with(emulator, path, body)
    history = {"outgoing_since": "2026-01-01T00:00:00Z", "incoming_since": None, "limit": 5}
    failed, result = run(emulator, _smpp_info, service_name=ACCOUNT, history=history)
    assert failed and needle in result["msg"] and result["error"]["query_id"] in result["msg"]


def test_a_non_json_answer_to_a_read_is_a_clean_failure(emulator):
    emulator.state.faults.append({"kind": "body", "method": "GET", "path": PREFIX + "/smpp/settings",
                                  "body": "<html>maintenance</html>", "content_type": "text/html", "times": 1})
    failed, result = run(emulator, _smpp_info, service_name=ACCOUNT)
    assert failed and "not JSON" in result["msg"] and "/smpp/settings" in result["msg"]


def senders(count):
    return [{"sender": "S%05dX" % index, "status": "enable"} for index in range(count)]


def test_without_batch_reads_each_sender_is_read_on_its_own(emulator):
    emulator.state.config["batch_reads"] = False
    emulator.state.accounts[ACCOUNT]["senders"] = {item["sender"]: dict(item, description="", type="alpha",
                                                                        referer="custom", comment=None)
                                                   for item in senders(5)}
    failed, result = run(emulator, _smpp_info, service_name=ACCOUNT)
    assert not failed, result.get("msg")
    assert [item["sender"] for item in result["smpp_accounts"][0]["senders"]] == [item["sender"] for item in senders(5)]
    single = [item for item in emulator.log if item["path"].startswith(PREFIX + "/senders/S")]
    assert len(single) == 1 + 5  # the refused batch, then one GET per sender


def test_thousands_of_senders_are_read_in_chunks_a_url_can_hold(emulator):
    emulator.state.accounts[ACCOUNT]["senders"] = {item["sender"]: dict(item, description="", type="alpha",
                                                                        referer="custom", comment=None)
                                                   for item in senders(6000)}
    failed, result = run(emulator, _smpp_info, service_name=ACCOUNT)
    assert not failed, result.get("msg")
    assert len(result["smpp_accounts"][0]["senders"]) == 6000
    batch = [item for item in emulator.log if item["path"].startswith(PREFIX + "/senders/")]
    assert len(batch) > 1 and max(len(item["path"]) for item in batch) < 4096


def test_an_error_on_a_long_batch_read_has_a_short_message(emulator):
    emulator.state.accounts[ACCOUNT]["senders"] = {item["sender"]: dict(item, description="", type="alpha",
                                                                        referer="custom", comment=None)
                                                   for item in senders(6000)}
    emulator.state.faults.append({"kind": "status", "status": 403, "method": "GET", "path": PREFIX + "/senders/*",
                                  "times": 1})
    failed, result = run(emulator, _smpp_info, service_name=ACCOUNT)
    assert failed and len(result["msg"]) <= 1000 and len(result["error"]["path"]) <= 200
    assert result["error"]["query_id"] in result["msg"]
