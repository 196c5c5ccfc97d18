"""The shared input rules: every locally decidable bad input fails before any request, naming option and value."""

import pytest

from ansible_collections.smppops.ovh.plugins.module_utils import (
    _inputs, _smpp_acl, _smpp_credit, _smpp_info, _smpp_password, _smpp_sender)
from ansible_collections.smppops.ovh.plugins.module_utils._options import argument_spec
from ansible_collections.smppops.ovh.plugins.plugin_utils._role_checks import input_errors
from ansible_collections.smppops.ovh.plugins.module_utils._task import run_task

COMMON = {"endpoint": "ovh-eu", "application_key": "ak", "application_secret": "as", "consumer_key": "ck",
          "client_id": None, "client_secret": None, "api_timeout": 30.0, "api_retries": 4, "report_api_calls": False}


def no_client(params):
    raise AssertionError("a request was about to be prepared for input that can be refused locally")


def params_for(logic, **given):
    merged = dict(COMMON)
    for name, rules in logic.ARGUMENT_SPEC.items():
        merged[name] = rules.get("default")
    merged.update(given)
    return merged


@pytest.mark.parametrize("logic,given,needle", [
    (_smpp_info, {"service_name": ""}, "service_name=''"),  # not "every account": that is service_name unset
    (_smpp_acl, {"service_name": "", "ips": []}, "service_name=''"),
    (_smpp_acl, {"service_name": ".", "ips": []}, "service_name=."),
    (_smpp_acl, {"service_name": "..", "ips": []}, "service_name=.."),
    (_smpp_acl, {"service_name": "a/b", "ips": []}, "service_name=a/b"),
    (_smpp_acl, {"service_name": "a%2Fb", "ips": []}, "service_name=a%2Fb"),
    (_smpp_acl, {"service_name": "/", "ips": []}, "service_name=/"),
    (_smpp_acl, {"service_name": "smpp-1\n", "ips": []}, "service_name='smpp-1\\n'"),
    (_smpp_acl, {"service_name": "smpp-1", "ips": ["fe80::1%eth0"]}, "scoped"),
    (_smpp_acl, {"service_name": "smpp-1", "ips": ["203.0.113.1"], "wait_timeout": 10 ** 9}, "wait_timeout=1000000000"),
    (_smpp_sender, {"service_name": "smpp-1", "senders": [{"sender": "ACME\n", "state": "present"}]}, "'ACME\\n'"),
    (_smpp_sender, {"service_name": "smpp-1", "senders": [{"sender": "ACME", "state": "absent", "enabled": True}]},
     "state=absent"),
    (_smpp_credit, {"service_name": "smpp-1", "target": "smpp-2", "credits": float("nan")}, "credits=nan"),
    (_smpp_credit, {"service_name": "smpp-1", "target": "smpp-2", "credits": 5, "source_reserve": float("nan")},
     "source_reserve=nan"),
    (_smpp_credit, {"service_name": "smpp-1", "automatic_recredit_threshold": float("inf")},
     "automatic_recredit_threshold=inf"),
    (_smpp_credit, {"service_name": "smpp-1", "target": "../x", "credits": 1}, "target=../x"),
    (_smpp_password, {"service_name": "smpp-1", "max_age_days": 10 ** 12}, "max_age_days=1000000000000"),
    (_smpp_info, {"service_name": "smpp-1", "history": {"outgoing_since": "x", "incoming_since": None, "limit": 5}},
     "history.outgoing_since=x"),
    (_smpp_info, {"service_name": "smpp-1", "history": {"outgoing_since": None, "incoming_since": None, "limit": 10 ** 6}},
     "history.limit=1000000"),
    (_smpp_info, {"service_name": "smpp-1", "endpoint": "http://[::1"}, "endpoint=http://[::1"),
    (_smpp_info, {"service_name": "smpp-1", "endpoint": "https://eu.api.ovh.com:99999/1.0"}, "not a valid URL"),
    (_smpp_info, {"service_name": "smpp-1", "api_timeout": float("inf")}, "api_timeout=inf"),
    (_smpp_info, {"service_name": "smpp-1", "api_retries": -1}, "api_retries=-1"),
    (_smpp_info, {"service_name": "smpp-1", "consumer_key": "ck\r\nX: 1"}, "consumer_key holds a line break"),
])
def test_bad_input_fails_before_any_request(logic, given, needle):
    failed, result = run_task(logic, params_for(logic, **given), client_factory=no_client)
    assert failed and needle in result["msg"], result
    assert result["changed"] is False
    assert "ck\r\n" not in result["msg"]


@pytest.mark.parametrize("value", ["smpp-ab12345-1", "sms-ab12345-1", "smpp-xx1-1", "a", "A.b_c-9"])
def test_real_service_names_pass(value):
    assert _inputs.service_name(value) == value


@pytest.mark.parametrize("value", ["ACME", "My Shop", "+33612345678", "36180", "A.B,C&D+E_"])
def test_real_senders_pass(value):
    assert _inputs.sender_name(value) == value


@pytest.mark.parametrize("args,needle", [
    ({"wait_timeout": float("inf")}, "wait_timeout=inf"),
    ({"wait_timeout": "-inf"}, "wait_timeout=-inf"),
    ({"wait_timeout": "1e400"}, "wait_timeout=1e400"),
    ({"wait_timeout": float("nan")}, "wait_timeout=nan"),
])
def test_non_finite_integers_are_named_before_ansible_core_converts_them(args, needle):
    problems = _inputs.non_finite_integers(argument_spec(_smpp_acl.ARGUMENT_SPEC), args)
    assert problems and needle in problems[0]


def test_the_role_check_uses_the_module_rules():
    """The drift the role check used to have: a sender to delete with enabled set passed it, then failed mid-run."""
    errors = input_errors({"service_name": "smpp-ab12345-1", "allowed_ips": ["203.0.113.1"],
                           "senders": [{"sender": "ACME", "state": "absent", "enabled": True}]})
    assert len(errors) == 1 and "smpp_account_senders" in errors[0] and "state=absent" in errors[0]
    errors = input_errors({"service_name": "a/b", "allowed_ips": ["fe80::1%eth0"]})
    assert errors and "smpp_account_service_name=a/b" in errors[0]
    errors = input_errors({"service_name": "smpp-ab12345-1", "automatic_recredit_threshold": float("inf")})
    assert errors == ["smpp_account_automatic_recredit_threshold=inf must be a finite number"]
    errors = input_errors({"service_name": "smpp-ab12345-1", "password_max_age_days": float("inf")})
    assert errors and "smpp_account_password_max_age_days=inf" in errors[0]
