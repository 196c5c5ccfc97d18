"""consumer_key_request: one unsigned POST through the collection's client, the key only in a 0600 file."""

import os
import stat

import pytest

from ansible_collections.smppops.ovh.plugins.module_utils import _consumer_key_request
from ansible_collections.smppops.ovh.plugins.module_utils._connect import build_client
from ansible_collections.smppops.ovh.plugins.module_utils._task import run_task

from ovh_fakes import FakeOvhClient, FakeResponse

RULES = [{"method": "GET", "path": "/sms"}, {"method": "GET", "path": "/sms/*"}, {"method": "GET", "path": "/sms"}]
KEY = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
ANSWER = FakeResponse(200, {"consumerKey": KEY, "state": "pendingValidation",
                            "validationUrl": "https://eu.api.ovh.com/auth/?credentialToken=t0k"})


class UnsignedClient(FakeOvhClient):
    def raw_call(self, method, path, data=None, need_auth=True, headers=None):
        assert need_auth is False, "POST /auth/credential is never signed"
        return super().raw_call(method, path, data, need_auth, headers)


def run(tmp_path, check_mode=False, answer=ANSWER, **params):
    client = UnsignedClient({("POST", "/auth/credential"): [answer]})
    task = dict({"access_rules": RULES, "dest": str(tmp_path / "key.env"), "overwrite": False, "redirection": None,
                 "api_retries": 4, "report_api_calls": True, "endpoint": "ovh-eu", "application_key": "ak"}, **params)
    failed, result = run_task(_consumer_key_request, task, check_mode=check_mode, client_factory=lambda p: client)
    return failed, result, client


def test_the_key_goes_to_a_private_file_and_never_into_the_result(tmp_path):
    failed, result, client = run(tmp_path, redirection="https://example.org/done")
    assert not failed and result["changed"]
    assert client.requests == [{"method": "POST", "path": "/auth/credential", "headers": {},
                                "data": {"accessRules": RULES[:2], "redirection": "https://example.org/done"}}]
    path = tmp_path / "key.env"
    assert path.read_text() == "OVH_CONSUMER_KEY=%s\n" % KEY
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert KEY not in repr(result)
    assert result["validation_url"].endswith("credentialToken=t0k") and result["state"] == "pendingValidation"
    assert result["access_rules"] == RULES[:2]
    assert os.listdir(tmp_path) == ["key.env"], "no temporary file is left behind"


def test_check_mode_sends_nothing_and_writes_nothing(tmp_path):
    failed, result, client = run(tmp_path, check_mode=True)
    assert not failed and result["changed"] and result["validation_url"] is None
    assert client.requests == [] and os.listdir(tmp_path) == []


def test_an_existing_file_is_kept_unless_overwrite(tmp_path):
    (tmp_path / "key.env").write_text("OVH_CONSUMER_KEY=old\n")
    failed, result, client = run(tmp_path)
    assert failed and not result["changed"] and "overwrite=true" in result["msg"] and client.requests == []
    assert (tmp_path / "key.env").read_text() == "OVH_CONSUMER_KEY=old\n"
    failed, result, client = run(tmp_path, overwrite=True)
    assert not failed and (tmp_path / "key.env").read_text() == "OVH_CONSUMER_KEY=%s\n" % KEY


@pytest.mark.parametrize("dest, needle", [("missing/key.env", "does not exist"), (".", "is a directory")])
def test_a_destination_that_cannot_be_written_fails_before_the_request(tmp_path, dest, needle):
    failed, result, client = run(tmp_path, dest=str(tmp_path / dest))
    assert failed and needle in result["msg"] and client.requests == []


@pytest.mark.parametrize("rules, needle", [
    ([], "access_rules is empty"),
    ([{"method": "GET", "path": "sms/*"}], "path=sms/*"),
    ([{"method": "GET", "path": "/sms/*\n"}], "path="),
])
def test_bad_rules_fail_before_the_request(tmp_path, rules, needle):
    failed, result, client = run(tmp_path, access_rules=rules)
    assert failed and needle in result["msg"] and client.requests == []


def test_a_refusal_names_the_query_id_and_writes_nothing(tmp_path):
    refused = FakeResponse(403, {"errorCode": "INVALID_KEY", "message": "This application key is invalid"})
    failed, result, client = run(tmp_path, answer=refused)
    assert failed and not result["changed"]
    assert "INVALID_KEY" in result["msg"] and "EU.ext-1.test.403" in result["msg"]
    assert os.listdir(tmp_path) == []


def test_an_answer_without_a_key_writes_nothing_and_counts_as_a_change(tmp_path):
    failed, result, client = run(tmp_path, answer=FakeResponse(200, {"state": "pendingValidation"}))
    assert failed and result["changed"] and "without a consumer key" in result["msg"]
    assert os.listdir(tmp_path) == []


def test_a_lost_answer_is_not_repeated(tmp_path):
    import requests
    failed, result, client = run(tmp_path, answer=requests.exceptions.ReadTimeout("slow"))
    assert failed and result["changed"] and len(client.requests) == 1


def test_oauth2_credentials_are_refused(tmp_path):
    failed, result, client = run(tmp_path, application_key=None, client_id="cid", client_secret="cs")
    assert failed and "client_id" in result["msg"] and client.requests == []


@pytest.mark.parametrize("endpoint, needle", [
    ("http://api.example.org/1.0", "plain http://"),
])
def test_the_collection_endpoint_rules_apply(tmp_path, endpoint, needle):
    task = {"access_rules": RULES, "dest": str(tmp_path / "key.env"), "overwrite": False, "api_retries": 0,
            "api_timeout": 5.0, "endpoint": endpoint, "application_key": "ak"}
    failed, result = run_task(_consumer_key_request, task, client_factory=build_client)
    assert failed and needle in result["msg"] and os.listdir(tmp_path) == []


def test_only_the_application_key_is_needed(tmp_path, monkeypatch):
    for name in ("OVH_APPLICATION_SECRET", "OVH_CONSUMER_KEY", "OVH_CLIENT_ID", "OVH_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    built = {}

    def factory(params):
        built["client"] = build_client(params)
        return UnsignedClient({("POST", "/auth/credential"): [ANSWER]})
    task = {"access_rules": RULES, "dest": str(tmp_path / "key.env"), "overwrite": False, "api_retries": 0,
            "api_timeout": 5.0, "endpoint": "http://127.0.0.1:9/1.0", "application_key": "ak",
            "application_secret": None, "consumer_key": None}
    failed, result = run_task(_consumer_key_request, task, client_factory=factory)
    assert not failed, result
    assert built["client"]._consumer_key is None  # pylint: disable=protected-access
