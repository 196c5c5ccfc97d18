"""smpp_credential_check: which required access rules a consumer key's rules do not cover."""

import pytest

from ansible_collections.smppops.ovh.plugins.module_utils import _smpp_credential_check as check
from ansible_collections.smppops.ovh.plugins.module_utils._task import run_task

from ovh_fakes import FakeOvhClient, FakeResponse

PARAMS = {"api_retries": 0, "report_api_calls": True, "endpoint": "ovh-eu", "fail_on_missing": True}
BOOTSTRAP = [{"method": "GET", "path": "/sms/*"}, {"method": "PUT", "path": "/sms/*/smpp/allowedIPs"},
             {"method": "POST", "path": "/v2/iam/resource/*"}]


@pytest.mark.parametrize("granted, required, covered", [
    ({"method": "GET", "path": "/*"}, {"method": "GET", "path": "/sms/*/senders"}, True),
    ({"method": "GET", "path": "/sms/*"}, {"method": "GET", "path": "/sms/*"}, True),
    ({"method": "GET", "path": "/sms/*"}, {"method": "GET", "path": "/sms"}, False),
    ({"method": "GET", "path": "/sms*"}, {"method": "GET", "path": "/sms"}, True),
    ({"method": "GET", "path": "/sms/*"}, {"method": "PUT", "path": "/sms/*"}, False),
    ({"method": "PUT", "path": "/sms/smpp-ab12345-1/*"}, {"method": "PUT", "path": "/sms/*/smpp/allowedIPs"}, False),
    ({"method": "POST", "path": "/sms/*/smpp/password"}, {"method": "POST", "path": "/sms/*/smpp/password"}, True),
    ({"method": "POST", "path": "/sms/*/smpp/password"}, {"method": "POST", "path": "/sms/*/smpp/passwordX"}, False),
    ({"method": "GET", "path": "/sms.+"}, {"method": "GET", "path": "/smsXX"}, False),
])
def test_covers(granted, required, covered):
    assert check.covers(granted, required) is covered


def test_missing_rules_are_deduplicated_in_order():
    granted = [{"method": "GET", "path": "/sms/*"}]
    assert check.missing_rules(granted, BOOTSTRAP + BOOTSTRAP) == BOOTSTRAP[1:]


def _run(rules, state="validated", **params):
    client = FakeOvhClient({("GET", "/auth/currentCredential"): [FakeResponse(200, {
        "credentialId": 1, "applicationId": 2, "status": state, "rules": rules, "allowedIPs": None,
        "expiration": None, "creation": "2026-01-01T00:00:00Z", "lastUse": None, "ovhSupport": False})]})
    return run_task(check, dict(PARAMS, required_rules=BOOTSTRAP, **params), client_factory=lambda p: client)


def test_a_key_with_every_rule_passes_and_changes_nothing():
    failed, result = _run([{"method": method, "path": "/*"} for method in ("GET", "POST", "PUT", "DELETE")])
    assert not failed and result["changed"] is False
    assert result["checked"] is True and result["missing_rules"] == []
    assert result["credential"]["status"] == "validated"


def test_missing_rules_fail_before_anything_else_and_name_the_rules():
    failed, result = _run([{"method": "GET", "path": "/sms/*"}])
    assert failed and result["changed"] is False
    assert result["missing_rules"] == BOOTSTRAP[1:]
    assert "PUT /sms/*/smpp/allowedIPs, POST /v2/iam/resource/*" in result["msg"]
    assert "smppops.ovh.consumer_key" in result["msg"]


def test_report_only():
    failed, result = _run([{"method": "GET", "path": "/sms/*"}], fail_on_missing=False)
    assert not failed and len(result["missing_rules"]) == 2


def test_a_key_not_validated_fails():
    failed, result = _run([{"method": method, "path": "/*"} for method in ("GET", "POST", "PUT")] +
                          [{"method": "DELETE", "path": "/*"}], state="pendingValidation")
    assert failed and "pendingValidation" in result["msg"]


def test_oauth2_is_not_checked_and_says_so():
    warnings = []
    failed, result = run_task(check, dict(PARAMS, required_rules=BOOTSTRAP, client_id="id", client_secret="s"),
                              client_factory=lambda p: FakeOvhClient({}), warn=warnings.append)
    assert not failed and result["checked"] is False
    assert warnings and "IAM policies" in warnings[0]
