"""The smpp_account role's desired-state checks (made before any API call)."""

import pytest

from ansible_collections.smppops.ovh.plugins.plugin_utils import _role_checks

ACCOUNT = "smpp-ab12345-2"


def input_errors(desired):
    """The role always has a service name (the inventory host name by default)."""
    return _role_checks.input_errors(dict({"service_name": ACCOUNT}, **desired))


def test_an_empty_desired_state_is_valid():
    assert _role_checks.input_errors({}) == []


def test_a_full_valid_desired_state():
    assert input_errors({
        "service_name": "smpp-ab12345-2", "allowed_ips": ["198.51.100.20", "2001:db8::1/128"], "allowed_ips_purge": True,
        "senders": [{"sender": "ACME"}, {"sender": "+33600000000"}], "min_credits": 500, "credit_source": "smpp-ab12345-1",
        "credit_source_reserve": 0, "automatic_recredit_amount": 0, "automatic_recredit_threshold": 10,
        "password_max_age_days": 90}) == []


@pytest.mark.parametrize("desired, expected", [
    ({"allowed_ips": ["198.51.100.0/24"]}, "smpp_account_allowed_ips: 198.51.100.0/24 is a network"),
    ({"allowed_ips": ["gateway.example.com"]}, "smpp_account_allowed_ips: 'gateway.example.com' is not an IPv4 or IPv6"),
    ({"allowed_ips": ["198.51.100.1", "198.51.100.1/32"]}, "are the same address"),
    ({"allowed_ips": ["198.51.100.%d" % n for n in range(11)]}, "lists 11 addresses, more than OVH's limit of 10"),
    ({"allowed_ips": [], "allowed_ips_purge": True}, "would lock every SMPP client out"),
    ({"senders": [{"sender": "WAY-TOO-LONG-NAME"}]}, "smpp_account_senders: 'WAY-TOO-LONG-NAME' is not a valid sender"),
    ({"senders": [{"sender": "ACME"}, {"sender": "ACME"}]}, "smpp_account_senders: ACME is listed twice"),
    ({"min_credits": -50, "credit_source": "smpp-ab12345-1"}, "smpp_account_min_credits=-50 must be 0 or more"),
    ({"min_credits": 100}, "needs smpp_account_credit_source"),
    ({"service_name": "a", "credit_source": "a", "min_credits": 1}, "smpp_account_credit_source=a is the account itself"),
    ({"automatic_recredit_amount": 300}, "smpp_account_automatic_recredit_amount=300 is not one of 0, 100"),
    ({"automatic_recredit_threshold": -1}, "smpp_account_automatic_recredit_threshold=-1 must be 0 or more"),
    ({"password_max_age_days": -1}, "smpp_account_password_max_age_days=-1 must be 0 or more"),
])
def test_each_problem_names_the_variable_and_value(desired, expected):
    errors = input_errors(desired)
    assert len(errors) == 1 and expected in errors[0], errors


def test_empty_list_is_allowed_when_asked_or_without_purge():
    assert input_errors({"allowed_ips": [], "allowed_ips_purge": True, "allowed_ips_allow_empty": True}) == []
    assert input_errors({"allowed_ips": []}) == []


def test_every_area_reports_its_own_problem():
    errors = input_errors({"allowed_ips": ["nope"], "senders": [{"sender": "!"}], "min_credits": -1, "password_max_age_days": -2})
    assert len(errors) == 4


@pytest.mark.parametrize("message, expected", [
    ("allowed_ips.ips: 198.51.100.0/24 is a network", "smpp_account_allowed_ips: 198.51.100.0/24 is a network"),
    ("top_up.min_credits=-5 must be 0 or more", "smpp_account_min_credits=-5 must be 0 or more"),
    ("top_up.source=a is the account itself", "smpp_account_credit_source=a is the account itself"),
    ("senders.senders: ACME is listed twice", "smpp_account_senders: ACME is listed twice"),
    ("allowed_ips.purge=true; allowed_ips.allow_empty", "smpp_account_allowed_ips_purge=true; smpp_account_allowed_ips_allow_empty"),
    ("password.max_age_days=-1", "smpp_account_password_max_age_days=-1"),
    # Not an option path: left alone.
    ("the allowed_ips of smpp-1 are fine; top_up: nothing", "the allowed_ips of smpp-1 are fine; top_up: nothing"),
])
def test_module_messages_name_the_role_variables(message, expected):
    assert _role_checks.role_message(message) == expected


def test_every_role_variable_maps_to_an_option_of_the_module():
    from ansible_collections.smppops.ovh.plugins.module_utils import _smpp_account_state
    for path in _role_checks.ROLE_VARIABLES:
        if "." in path:
            area, option = path.split(".")
            assert option in _smpp_account_state.ARGUMENT_SPEC[area]["options"], path
