"""Hypothesis fuzzing of every module's arguments and of the role's variables, against the emulator.

Each generated task goes through what the action plugin runs (argument spec, then run_task) against a live
in-process emulator. Properties: never an exception out of the collection; no request at all for input the
shared rules refuse; every request path inside ``/sms/{the account}`` (or ``/sms`` itself, ``/auth/time``) or
the account's IAM resource.
"""

import math
import re
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.smppops.ovh.plugins.module_utils import (
    _inputs, _smpp_acl, _smpp_credit, _smpp_info, _smpp_password, _smpp_sender)
from ansible_collections.smppops.ovh.plugins.module_utils._errors import SmppOpsError
from ansible_collections.smppops.ovh.plugins.module_utils._options import argument_spec
from ansible_collections.smppops.ovh.plugins.plugin_utils._role_checks import input_errors
from ansible_collections.smppops.ovh.plugins.module_utils._task import run_task
from emulator_clients import APPLICATION_KEY, APPLICATION_SECRET, CONSUMER_KEY
from tests.emulator import EmulatorServer

EXAMPLES = 40  # per module: the whole file stays within a few seconds
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

ACCOUNTS = ["smpp-ab12345-1", "smpp-ab12345-2", "smpp-ab12345-3", "sms-ab12345-1"]
NASTY_NAMES = ["", ".", "..", "a/b", "a%2Fb", "/", "smpp-ab12345-1\n", "smpp-ab12345-1/../sms-ab12345-1",
               "smpp-ab12345-1?x=1", "smpp-ab12345-1#f", " smpp-ab12345-1", "smpp-ab12345-1 ", "\u00e9t\u00e9",
               "x" * 101, "-smpp", "%2e%2e"]
NASTY_NUMBERS = [float("inf"), float("-inf"), float("nan"), 1e400, -1e400, 10 ** 30, -(10 ** 30), "inf", "nan",
                 "1e400", "-1", "0x10", True]
IPS = ["203.0.113.10", "198.51.100.7", "2001:db8::5", "::ffff:203.0.113.10", "fe80::1%eth0", "10.0.0.1", "::1",
       "0.0.0.0", "203.0.113.0/24", "203.0.113.9/32", "host.example", "", "203.0.113.10\n", "1.2.3.4.5"]
SENDERS = ["ACME", "ACME\n", "NEWONE", "+33612345678", "12", "TOOLONGSENDERNAME", "A/B", "My Shop", " ", "\u00c9T\u00c9"]

# Real names and values half of the time, so that many examples reach the API and its writes.
names = st.one_of(st.sampled_from(ACCOUNTS), st.sampled_from(NASTY_NAMES + ACCOUNTS), st.text(max_size=12))
numbers = st.one_of(st.integers(0, 5000), st.sampled_from(NASTY_NUMBERS), st.floats(allow_nan=True, allow_infinity=True))
small_ints = st.one_of(st.integers(0, 3), st.sampled_from(NASTY_NUMBERS), st.integers())
ip_lists = st.lists(st.one_of(st.sampled_from(IPS[:4]), st.sampled_from(IPS), st.text(max_size=10)), max_size=12)
sender_items = st.lists(st.fixed_dictionaries(
    {"sender": st.one_of(st.sampled_from(SENDERS), st.text(max_size=13))},
    optional={"description": st.text(max_size=5), "enabled": st.booleans(),
              "state": st.sampled_from(["present", "absent"])}), max_size=4)

MODULE_ARGS = {
    _smpp_info: st.fixed_dictionaries({}, optional={
        "service_name": names,
        "history": st.fixed_dictionaries({}, optional={"outgoing_since": st.sampled_from(["2026-11-01T00:00:00Z", "x", ""]),
                                                       "limit": small_ints})}),
    _smpp_acl: st.fixed_dictionaries({"service_name": names, "ips": ip_lists}, optional={
        "state": st.sampled_from(["present", "absent"]), "purge": st.booleans(), "allow_empty": st.booleans(),
        "allow_unreachable": st.booleans(), "wait_timeout": small_ints}),
    _smpp_sender: st.fixed_dictionaries({"service_name": names, "senders": sender_items},
                                        optional={"purge": st.booleans()}),
    _smpp_credit: st.fixed_dictionaries({"service_name": names}, optional={
        "target": names, "credits": numbers, "source_reserve": numbers,
        "automatic_recredit_threshold": numbers, "automatic_recredit_amount": st.sampled_from([0, 100, 300, float("inf")])}),
    _smpp_password: st.fixed_dictionaries({"service_name": names}, optional={
        "max_age_days": small_ints, "force": st.booleans(), "wait_timeout": small_ints}),
}
SMPP = st.sampled_from(ACCOUNTS[:3])
PUBLIC_IPS = ["203.0.113.10", "198.51.100.7", "2001:db8::5", "198.51.100.8"]
GOOD_SENDERS = st.lists(st.fixed_dictionaries(
    {"sender": st.sampled_from(["ACME", "NEWONE", "+33612345678", "My Shop"])},
    optional={"description": st.sampled_from(["", "d"]), "state": st.sampled_from(["present", "absent"])}),
    max_size=3, unique_by=lambda item: item["sender"])
# Arguments a user would write: they reach the API and its writes.
GOOD_ARGS = {
    _smpp_info: st.fixed_dictionaries({"service_name": SMPP}),
    _smpp_acl: st.fixed_dictionaries(
        {"service_name": SMPP, "ips": st.lists(st.sampled_from(PUBLIC_IPS), min_size=1, max_size=3, unique=True)},
        optional={"state": st.sampled_from(["present", "absent"]), "purge": st.booleans(), "allow_empty": st.booleans(),
                  "wait_timeout": st.integers(0, 3)}),
    _smpp_sender: st.fixed_dictionaries({"service_name": SMPP, "senders": GOOD_SENDERS}, optional={"purge": st.booleans()}),
    _smpp_credit: st.fixed_dictionaries({"service_name": st.just("smpp-ab12345-1")}, optional={
        "automatic_recredit_threshold": st.integers(0, 100), "automatic_recredit_amount": st.sampled_from([0, 100])}).map(
        lambda args: args if len(args) > 1 else dict(args, target="smpp-ab12345-2", credits=1.0)),
    _smpp_password: st.fixed_dictionaries({"service_name": SMPP},
                                          optional={"force": st.booleans(), "max_age_days": st.integers(0, 400)}),
}
NASTY = st.one_of(st.sampled_from(NASTY_NAMES + NASTY_NUMBERS), st.text(max_size=8), st.none(),
                  st.lists(st.sampled_from(IPS + SENDERS), max_size=3))


def _mutated(logic):
    """A good set of arguments with one option replaced by a nasty value."""
    return st.tuples(GOOD_ARGS[logic], st.sampled_from(sorted(logic.ARGUMENT_SPEC)), NASTY).map(
        lambda item: dict(item[0], **{item[1]: item[2]}))


def arguments(logic):
    return st.one_of(GOOD_ARGS[logic], GOOD_ARGS[logic], _mutated(logic), _mutated(logic), MODULE_ARGS[logic])


COMMON = st.fixed_dictionaries({}, optional={"api_timeout": st.sampled_from([5, 0, -1, float("inf"), float("nan"), "1e400"]),
                                             "api_retries": st.sampled_from([0, 1, -1, 10 ** 9, float("inf")])})


REACHED = {}  # examples per module that reached the API: the budget is not spent on local refusals only


@pytest.fixture(scope="module")
def emulator():
    with EmulatorServer(ip_update_seconds=0) as server:
        yield server


def _allowed_path(path, args):
    """Inside /sms/{a name the task was given}/..., /sms itself, the clock, or that account's IAM resource."""
    if path in ("/1.0/sms", "/1.0/auth/time"):
        return True
    given_names = [args.get(key) for key in ("service_name", "target") if isinstance(args.get(key), str)]
    if args.get("service_name") is None:
        given_names = ACCOUNTS  # smpp_info without service_name: the accounts GET /sms lists
    for name in given_names:
        prefix = "/1.0/sms/" + quote(name, safe="")
        if (path == prefix or path.startswith(prefix + "/")) and _inputs.SERVICE_NAME.fullmatch(name):
            return True
        if path.startswith("/v2/iam/resource/") and quote(name, safe="") in path:
            return True
    return False


def _locally_refusable(logic, args):
    """True when the shared rules refuse these arguments (an oracle independent of the emulator)."""
    from ansible_collections.smppops.ovh.plugins.module_utils._inputs import validate_arguments
    errors, validation = validate_arguments(logic, args)
    if errors:
        return True
    try:
        _inputs.check_options(argument_spec(logic.ARGUMENT_SPEC), validation.validated_parameters)
    except SmppOpsError:
        return True
    return False


def run_generated(emulator, logic, args):
    from ansible_collections.smppops.ovh.plugins.module_utils._inputs import validate_arguments
    emulator.state.reset()
    emulator.state.config["ip_update_seconds"] = 0
    emulator.state.log.clear()
    full = dict({"endpoint": emulator.base_url, "application_key": APPLICATION_KEY,
                 "application_secret": APPLICATION_SECRET, "consumer_key": CONSUMER_KEY}, **args)
    errors, validation = validate_arguments(logic, full)
    if errors:
        assert list(emulator.log) == []
        return
    failed, result = run_task(logic, validation.validated_parameters, check_mode=False)
    REACHED[logic.__name__] = REACHED.get(logic.__name__, 0) + (1 if len(emulator.log) > 1 else 0)
    assert isinstance(result.get("msg", ""), str) and ("msg" in result or not failed)
    paths = [item["path"] for item in emulator.log]
    # The names as the task received them (ansible-core turns True into "True"): requests stay under those.
    assert all(_allowed_path(path, validation.validated_parameters) for path in paths), (args, paths)
    if _locally_refusable(logic, full):
        assert failed and [path for path in paths if path != "/1.0/auth/time"] == [], (args, result, paths)


@pytest.mark.parametrize("logic", list(MODULE_ARGS), ids=lambda logic: logic.__name__.rsplit("._", 1)[-1])
def test_generated_arguments(emulator, logic):
    @FUZZ
    @given(args=arguments(logic), common=st.one_of(st.just({}), st.just({}), COMMON))
    def check(args, common):
        run_generated(emulator, logic, dict(common, **args))
    check()
    assert REACHED.get(logic.__name__, 0) >= EXAMPLES // 8, REACHED


ROLE_VARIABLES = st.fixed_dictionaries({"service_name": names}, optional={
    "allowed_ips": st.one_of(st.none(), ip_lists), "allowed_ips_purge": st.booleans(),
    "allowed_ips_allow_empty": st.booleans(), "allowed_ips_allow_unreachable": st.booleans(),
    "senders": st.one_of(st.none(), sender_items), "min_credits": numbers, "credit_source": names,
    "credit_source_reserve": numbers, "automatic_recredit_amount": st.sampled_from([None, 0, 100, 300]),
    "automatic_recredit_threshold": numbers, "password_max_age_days": small_ints})


@FUZZ
@given(desired=ROLE_VARIABLES)
def test_generated_role_variables_never_raise_and_agree_with_the_modules(desired):
    errors = input_errors(desired)
    assert all(isinstance(item, str) and item.startswith("smpp_account_") or "smpp_account_" in item for item in errors)
    bad_numbers = [value for key, value in desired.items()
                   if isinstance(value, float) and not math.isfinite(value)
                   and key in ("min_credits", "credit_source_reserve", "automatic_recredit_threshold")
                   and (key != "credit_source_reserve" or desired.get("min_credits") is not None)
                   and (key != "min_credits" or desired.get("credit_source"))]
    if bad_numbers or (desired.get("senders") and any(
            isinstance(item.get("sender"), str) and re.search(r"[\x00-\x1f]", item["sender"]) for item in desired["senders"])):
        assert errors, desired
