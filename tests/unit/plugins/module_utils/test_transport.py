"""Transport rules against the emulator: no redirect followed, a deadline for the whole request, unsendable headers."""

import pytest
import requests

from ansible_collections.smppops.ovh.plugins.module_utils._api import OvhApi
from ansible_collections.smppops.ovh.plugins.module_utils._connect import build_client
from ansible_collections.smppops.ovh.plugins.module_utils._errors import OvhApiError
from ansible_collections.smppops.ovh.plugins.module_utils._transport import harden_session
from emulator_clients import APPLICATION_KEY, APPLICATION_SECRET, CONSUMER_KEY
from tests.emulator import EmulatorServer

ACCOUNT = "smpp-ab12345-1"


@pytest.fixture()
def emulator():
    with EmulatorServer(ip_update_seconds=0) as server:
        yield server


def make_api(server, timeout=5.0, consumer_key=CONSUMER_KEY):
    client = build_client({"endpoint": server.base_url, "application_key": APPLICATION_KEY,
                           "application_secret": APPLICATION_SECRET, "consumer_key": consumer_key,
                           "client_id": None, "client_secret": None, "api_timeout": timeout})
    return OvhApi(client, retries=0, sleep=lambda seconds: None)


def paths(server, method=None):
    """Paths of the API requests sent, without python-ovh's unsigned clock reads."""
    return [item["path"] for item in server.log
            if (method is None or item["method"] == method) and not item["path"].endswith("/auth/time")]


@pytest.mark.parametrize("method,route,body", [
    ("POST", "/sms/%s/transferCredits" % ACCOUNT, {"credits": 5, "smsAccountTarget": "smpp-ab12345-2"}),
    ("PUT", "/sms/%s/smpp/allowedIPs" % ACCOUNT, {"action": "add", "ips": ["198.51.100.7"]}),
    ("GET", "/sms/%s" % ACCOUNT, None),
])
def test_redirect_is_an_error_and_nothing_reaches_the_other_host(emulator, method, route, body):
    with EmulatorServer(host="127.0.0.2") as elsewhere:
        location = elsewhere.base_url + route
        emulator.state.faults.append({"kind": "redirect", "method": method, "path": "/1.0" + route, "times": 1,
                                      "status": 307, "location": location})
        api = make_api(emulator)
        with pytest.raises(OvhApiError) as caught:
            api.call(method, route, body)
        assert "307" in caught.value.msg and location in caught.value.msg
        assert "query ID" in caught.value.msg
        assert not caught.value.outcome_unknown  # a redirect applies nothing where it was sent
        assert list(elsewhere.log) == []
        assert paths(emulator, method) == ["/1.0" + route]  # sent once, never re-sent
    assert emulator.state.accounts[ACCOUNT]["credits_left"] == 1500


def test_a_trickling_answer_is_cut_at_the_deadline(emulator):
    emulator.state.faults.append({"kind": "trickle", "method": "GET", "path": "/1.0/sms/*", "times": 1,
                                  "seconds": 20, "interval": 0.1})
    api = make_api(emulator, timeout=1.0)
    with pytest.raises(OvhApiError) as caught:
        api.get("/sms/%s" % ACCOUNT)
    assert "api_timeout=1.0s" in caught.value.msg or "timed out" in caught.value.msg
    assert caught.value.outcome_unknown


def test_the_deadline_does_not_break_normal_or_repeated_requests(emulator):
    api = make_api(emulator, timeout=2.0)
    for unused in range(3):  # the pooled keep-alive connection is reused under a fresh watch each time
        assert api.get("/sms/%s" % ACCOUNT)["name"] == ACCOUNT


def test_a_line_break_in_a_credential_is_a_local_error_and_nothing_is_sent(emulator):
    api = make_api(emulator, consumer_key="secret-consumer\nX-Injected: 1")
    with pytest.raises(OvhApiError) as caught:
        api.get("/sms/%s" % ACCOUNT)
    assert not caught.value.outcome_unknown
    assert "nothing was sent" in caught.value.msg
    assert "secret-consumer" not in caught.value.msg
    assert paths(emulator) == []


def test_a_hardened_session_refuses_redirects_on_its_own(emulator):
    session = harden_session(requests.Session(), 5.0)
    emulator.state.faults.append({"kind": "redirect", "path": "/1.0/auth/time", "times": 1})
    with pytest.raises(ValueError) as caught:
        session.get(emulator.base_url + "/auth/time", allow_redirects=True)
    assert "redirects are never followed" in str(caught.value)


@pytest.mark.parametrize("fault_path", ["/auth/oauth2/token", "/1.0/sms/%s" % ACCOUNT])
def test_oauth2_token_and_api_requests_refuse_redirects_too(emulator, fault_path):
    client = build_client({"endpoint": emulator.base_url, "application_key": None, "application_secret": None,
                           "consumer_key": None, "client_id": "demo-oauth2-client",
                           "client_secret": "demo-oauth2-secret", "api_timeout": 5.0})
    api = OvhApi(client, retries=0, sleep=lambda seconds: None)
    emulator.state.faults.append({"kind": "redirect", "path": fault_path, "times": 1,
                                  "location": "https://elsewhere.example.invalid/steal"})
    with pytest.raises(OvhApiError) as caught:
        api.get("/sms/%s" % ACCOUNT)
    assert "redirects are never followed" in caught.value.msg
    assert "demo-oauth2-secret" not in caught.value.msg


def test_a_delete_whose_answer_was_lost_then_404_counts_as_done(emulator):
    emulator.state.faults.append({"kind": "drop_after_commit", "method": "DELETE",
                                  "path": "/1.0/sms/%s/senders/ACME" % ACCOUNT, "times": 1})
    client = build_client({"endpoint": emulator.base_url, "application_key": APPLICATION_KEY,
                           "application_secret": APPLICATION_SECRET, "consumer_key": CONSUMER_KEY,
                           "client_id": None, "client_secret": None, "api_timeout": 5.0})
    warnings = []
    api = OvhApi(client, retries=2, sleep=lambda seconds: None, warn=warnings.append)
    assert api.delete("/sms/%s/senders/ACME" % ACCOUNT) is None
    assert "ACME" not in emulator.state.accounts[ACCOUNT]["senders"]
    assert [call["status"] for call in api.calls] == [None, 404]
    assert "counted as deleted" in warnings[-1]


def test_a_delete_that_was_never_applied_still_fails_on_404(emulator):
    api = make_api(emulator)
    with pytest.raises(OvhApiError) as caught:
        api.delete("/sms/%s/senders/NOSUCH" % ACCOUNT)
    assert caught.value.http_status == 404
