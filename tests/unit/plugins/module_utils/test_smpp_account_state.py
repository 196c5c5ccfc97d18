"""smpp_account_state: the snapshot rule, each area's needs_change predicate, and the composition against the emulator."""

from datetime import timedelta

import pytest

from ansible_collections.smppops.ovh.plugins.module_utils import (
    _account_lease, _retry, _smpp_account_state, _smpp_acl, _smpp_credit, _smpp_info, _smpp_password, _smpp_sender)
from ansible_collections.smppops.ovh.plugins.module_utils._inputs import validate_arguments
from ansible_collections.smppops.ovh.plugins.module_utils._task import run_task
from emulator_clients import APPLICATION_KEY, APPLICATION_SECRET, CONSUMER_KEY
from tests.emulator import EmulatorServer

ACCOUNT = "smpp-ab12345-2"  # 200 credits, allowed IP 198.51.100.20, sender ACMETEST (enable)
SOURCE = "smpp-ab12345-1"  # 1500 credits
NEW_ACCOUNT = "smpp-ab12345-3"  # no allowed IP yet: status WAITING_IP
RECENT = "2026-11-01T00:00:00Z"


def stamp(delta=timedelta(0)):
    return (_smpp_account_state.now_utc() + delta).strftime(_smpp_account_state.READ_AT_FORMAT)


def observed(**changes):
    account = {"service_name": ACCOUNT, "read_at": stamp(), "status": "SUCCESS", "allowed_ips": ["198.51.100.20"],
               "senders": [{"sender": "ACMETEST", "description": "Tests", "status": "enable", "type": "alpha",
                            "referer": "custom", "comment": None}],
               "credits_left": 200.0, "automatic_recredit_amount": None, "automatic_recredit_threshold": 0,
               "password_rotated_at": _smpp_password.now_utc().strftime(_smpp_password.TIME_FORMAT)}
    account.update(changes)
    return account


# The predicates: pure, one per area, each in its own module ------------------------------------------------
def acl(ips, purge=False):
    return {"ips": ips, "purge": purge, "state": "present", "allow_empty": False, "allow_unreachable": False}


@pytest.mark.parametrize("params, expected", [
    (acl(["198.51.100.20"]), False),
    (acl(["198.51.100.20/32"]), False),
    (acl([]), False),
    (acl(["198.51.100.21"]), True),
    (acl(["198.51.100.21"], purge=True), True),
    (acl(["198.51.100.20"], purge=True), False),
])
def test_acl_needs_change(params, expected):
    assert _smpp_acl.needs_change(params, observed()) is expected


def senders(*items, purge=False):
    return {"purge": purge, "senders": [dict({"description": None, "reason": None, "enabled": None, "state": "present"},
                                             **item) for item in items]}


@pytest.mark.parametrize("params, expected", [
    (senders({"sender": "ACMETEST"}), False),
    (senders({"sender": "ACMETEST", "enabled": True, "description": "Tests"}), False),
    (senders({"sender": "ACMETEST", "enabled": False}), True),
    (senders({"sender": "ACMETEST", "description": "Other"}), True),
    (senders({"sender": "NEW"}), True),
    (senders({"sender": "NEW", "state": "absent"}), False),
    (senders(purge=True), True),
])
def test_sender_needs_change(params, expected):
    assert _smpp_sender.needs_change(params, observed()) is expected


@pytest.mark.parametrize("minimum, expected", [(100, False), (200, False), (200.5, True), (1000, True)])
def test_top_up_needed(minimum, expected):
    assert _smpp_credit.top_up_needed({"target_min_credits": minimum, "credits": None}, observed()) is expected


@pytest.mark.parametrize("amount, threshold, expected", [
    (None, 0, False), (0, None, False), (0, 0.0, False), (100, None, True), (None, 50, True), (0, 50, True)])
def test_recredit_needed(amount, threshold, expected):
    params = {"automatic_recredit_amount": amount, "automatic_recredit_threshold": threshold}
    assert _smpp_credit.recredit_needed(params, observed()) is expected


@pytest.mark.parametrize("rotated, untracked, expected", [
    ("now", "skip", False),  # recorded and within the maximum age: nothing to check
    ("2000-01-01T00:00:00Z", "skip", True),  # due
    (None, "skip", True),  # unknown age: the authoritative record must be read
    ("garbage", "track", True),
])
def test_password_needs_change(rotated, untracked, expected):
    account = observed() if rotated == "now" else observed(password_rotated_at=rotated)
    params = {"max_age_days": 90, "untracked": untracked, "force": False}
    assert _smpp_password.needs_change(params, account) is expected


# The snapshot rule ---------------------------------------------------------------------------------------------
def snapshot_params(snapshot, max_age=300):
    return {"service_name": ACCOUNT, "observed": snapshot, "observed_max_age": max_age}


def test_a_fresh_snapshot_of_this_account_is_used():
    snapshot = observed()
    assert _smpp_account_state.usable_snapshot(snapshot_params(snapshot)) == (snapshot, None)
    # A little skew between clocks is not "from the future".
    assert _smpp_account_state.usable_snapshot(snapshot_params(observed(read_at=stamp(timedelta(seconds=3)))))[1] is None


def without(field):
    return {key: value for key, value in observed().items() if key != field}


# Built when the test runs (a snapshot dated at collection time would age while other tests run).
@pytest.mark.parametrize("snapshot, reason", [
    (lambda: None, "no snapshot given"),
    (lambda: observed(read_at=stamp(-timedelta(seconds=301))), "more than observed_max_age=300"),
    (lambda: observed(read_at=stamp(timedelta(seconds=30))), "in the future"),
    (lambda: observed(service_name="smpp-ab12345-1"), "the snapshot is of smpp-ab12345-1, not smpp-ab12345-2"),
    (lambda: without("senders"), "the snapshot has no senders"),
    (lambda: without("read_at"), "the snapshot has no read_at"),
    (lambda: without("password_rotated_at"), "the snapshot has no password_rotated_at"),
    (lambda: observed(read_at="2026-11-01 10:00"), "is not a UTC time"),
    (lambda: observed(senders="ACMETEST"), "not in the smpp_info shape"),
])
def test_a_snapshot_is_ignored(snapshot, reason):
    used, why = _smpp_account_state.usable_snapshot(snapshot_params(snapshot()))
    assert used is None and reason in why


# The composition, against the emulator ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def server():
    with EmulatorServer(ip_update_seconds=0) as emulator:
        yield emulator


@pytest.fixture()
def emulator(server, monkeypatch):
    monkeypatch.setattr(_retry.RetryPolicy, "delay", lambda self, attempt, retry_after=None: 0.0)
    monkeypatch.setattr(_account_lease, "SETTLE", 0.05)
    server.state.reset()
    server.state.config["ip_update_seconds"] = 0
    server.state.log.clear()
    return server


def task(emulator, check_mode=False, **args):
    args = dict({"service_name": ACCOUNT, "endpoint": emulator.base_url, "application_key": APPLICATION_KEY,
                 "application_secret": APPLICATION_SECRET, "consumer_key": CONSUMER_KEY, "api_retries": 0}, **args)
    errors, validation = validate_arguments(_smpp_account_state, args)
    assert errors == [], errors
    warnings = []
    failed, result = run_task(_smpp_account_state, validation.validated_parameters, check_mode=check_mode,
                              diff_mode=True, warn=warnings.append)
    return failed, result, warnings


def requests(emulator):
    return [(item["method"], item["path"]) for item in emulator.state.log if item["path"] != "/1.0/auth/time"]


def writes(emulator):
    return [item for item in requests(emulator) if item[0] != "GET"]


def account_now(emulator, name=ACCOUNT):
    """The account as smpp_info reads it now, without its read time (its requests are taken out of the log)."""
    args = {"service_name": name, "endpoint": emulator.base_url, "application_key": APPLICATION_KEY,
            "application_secret": APPLICATION_SECRET, "consumer_key": CONSUMER_KEY}
    failed, result = run_task(_smpp_info, validate_arguments(_smpp_info, args)[1].validated_parameters)
    assert not failed, result
    return {key: value for key, value in result["smpp_accounts"][0].items() if key != "read_at"}


IN_SYNC = {"allowed_ips": {"ips": ["198.51.100.20"]}, "senders": {"senders": [{"sender": "ACMETEST", "enabled": True}]},
           "top_up": {"source": SOURCE, "min_credits": 100}, "automatic_recredit": {"amount": 0},
           "password": {"max_age_days": 90}}


def test_nothing_to_change_with_a_fresh_snapshot_sends_no_request(emulator):
    snapshot = observed()
    failed, result, unused = task(emulator, observed=snapshot, **IN_SYNC)
    assert not failed and not result["changed"], result
    assert requests(emulator) == []
    assert result["areas_run"] == [] and result["observed_used"] is True and result["observed_ignored"] is None
    assert result["smpp_account"] == snapshot
    assert all(result[area] == {"changed": False, "ran": False} for area in IN_SYNC)


def test_an_old_snapshot_is_read_afresh_and_only_read(emulator):
    emulator.state.accounts[ACCOUNT]["tags"]["smppops-password-rotated-at"] = observed()["password_rotated_at"]
    failed, result, unused = task(emulator, observed=observed(read_at=stamp(-timedelta(hours=1))), **IN_SYNC)
    assert not failed and not result["changed"], result
    assert writes(emulator) == [] and requests(emulator)
    assert "more than observed_max_age=300" in result["observed_ignored"]
    now = account_now(emulator)
    assert {key: value for key, value in result["smpp_account"].items() if key != "read_at"} == now
    assert result["areas_run"] == []


def test_every_area_converges_in_one_task(emulator):
    snapshot = dict(account_now(emulator), read_at=stamp())  # fresh, showing work: each area decides from its reads
    emulator.state.log.clear()
    failed, result, unused = task(
        emulator,
        observed=snapshot,
        allowed_ips={"ips": ["198.51.100.20", "198.51.100.21"]},
        senders={"senders": [{"sender": "ACMETEST", "enabled": False}]},
        top_up={"source": SOURCE, "min_credits": 500, "source_reserve": 100},
        automatic_recredit={"amount": 100, "threshold": 50},
        password={"max_age_days": 90, "untracked": "track"})
    assert not failed and result["changed"], result
    assert result["areas_run"] == ["allowed_ips", "senders", "top_up", "automatic_recredit", "password"]
    assert result["allowed_ips"]["added"] == ["198.51.100.21"]
    assert result["senders"]["updated"] == ["ACMETEST"]
    assert result["top_up"]["transferred"] == 300.0 and result["top_up"]["transfer_outcome"] == "applied"
    assert result["password"]["rotation_recorded"] is True and result["password"]["rotated"] is False
    now = account_now(emulator)
    assert now["allowed_ips"] == ["198.51.100.20", "198.51.100.21"] and now["credits_left"] == 500
    assert now["automatic_recredit_amount"] == 100 and now["automatic_recredit_threshold"] == 50
    assert now["senders"][0]["status"] == "disable"
    assert {key: value for key, value in result["smpp_account"].items() if key != "read_at"} == now
    assert result["diff"]["before"] == {key: value for key, value in snapshot.items() if key != "read_at"}
    assert result["diff"]["after"]["credits_left"] == 500
    assert emulator.state.accounts[SOURCE]["credits_left"] == 1200


ACCOUNT_PATH = "/1.0/sms/%s" % ACCOUNT


def test_areas_with_work_read_only_what_they_decide_from(emulator):
    """The account's kind is not read again by each area, and the senders are not read again for the result."""
    snapshot = dict(account_now(emulator), read_at=stamp())
    emulator.state.log.clear()
    failed, result, unused = task(emulator, observed=snapshot, allowed_ips={"ips": ["198.51.100.20", "198.51.100.21"]},
                                  senders={"senders": [{"sender": "ACMETEST", "enabled": False}]})
    assert not failed and result["areas_run"] == ["allowed_ips", "senders"], result
    senders = ACCOUNT_PATH + "/senders"
    assert requests(emulator) == [
        ("GET", ACCOUNT_PATH + "/smpp/allowedIPs"), ("PUT", ACCOUNT_PATH + "/smpp/allowedIPs"),
        ("GET", ACCOUNT_PATH + "/smpp/settings"), ("GET", ACCOUNT_PATH + "/smpp/allowedIPs"),
        ("GET", senders), ("GET", senders + "/ACMETEST"), ("PUT", senders + "/ACMETEST"),
        ("GET", senders), ("GET", senders + "/ACMETEST")]
    now = account_now(emulator)
    assert now["senders"][0]["status"] == "disable"
    assert {key: value for key, value in result["smpp_account"].items() if key != "read_at"} == now


def test_without_a_snapshot_the_account_is_read_once(emulator):
    failed, result, unused = task(emulator, allowed_ips={"ips": ["198.51.100.20", "198.51.100.21"]},
                                  senders={"senders": [{"sender": "ACMETEST", "enabled": False}]})
    assert not failed and result["areas_run"] == ["allowed_ips", "senders"], result
    assert [path for method, path in requests(emulator) if path == ACCOUNT_PATH] == [ACCOUNT_PATH]


def test_a_plain_sms_account_is_refused_before_any_area_writes(emulator):
    emulator.state.accounts[ACCOUNT]["smpp"] = False
    failed, result, unused = task(emulator, allowed_ips={"ips": ["198.51.100.21"]})
    assert failed and "is an SMS account without SMPP" in result["msg"], result
    assert writes(emulator) == []


def test_check_mode_predicts_and_writes_nothing(emulator):
    failed, result, unused = task(
        emulator, check_mode=True,
        allowed_ips={"ips": ["198.51.100.21"], "purge": True},
        senders={"senders": [{"sender": "NEWONE"}]},
        top_up={"source": SOURCE, "min_credits": 250},
        automatic_recredit={"threshold": 75})
    assert not failed and result["changed"], result
    assert writes(emulator) == []
    after = result["diff"]["after"]
    assert after["allowed_ips"] == ["198.51.100.21"] and after["credits_left"] == 250
    assert after["automatic_recredit_threshold"] == 75
    assert [item["sender"] for item in after["senders"]] == ["ACMETEST", "NEWONE"]
    assert result["diff"]["before"]["allowed_ips"] == ["198.51.100.20"]
    assert account_now(emulator)["allowed_ips"] == ["198.51.100.20"]


def test_check_mode_password_after_the_first_allowed_ip(emulator):
    failed, result, unused = task(emulator, check_mode=True, service_name=NEW_ACCOUNT,
                                  allowed_ips={"ips": ["198.51.100.40"]},
                                  password={"max_age_days": 90, "untracked": "renew"})
    assert not failed, result
    assert result["password"]["changed"] is True and result["password"]["status"] == "WAITING_IP"
    assert "once the allowed IPs are applied" in result["password"]["msg"]
    assert writes(emulator) == []


@pytest.mark.parametrize("args, message", [
    ({"allowed_ips": {"ips": ["198.51.100.20", "198.51.100.0/24"]}}, "allowed_ips.ips: 198.51.100.0/24 is a network"),
    ({"senders": {"senders": [{"sender": "WAY-TOO-LONG-NAME"}]}}, "senders.senders: 'WAY-TOO-LONG-NAME' is not a valid"),
    ({"top_up": {"source": SOURCE, "min_credits": -5}}, "top_up.min_credits=-5 must be 0 or more"),
    ({"top_up": {"source": ACCOUNT, "min_credits": 5}}, "top_up.source=smpp-ab12345-2 is the account itself"),
    ({"top_up": {"min_credits": 5}}, "needs top_up.source"),
    ({"top_up": {"source": SOURCE}}, "top_up.min_credits is required"),
    ({"allowed_ips": {"ips": [], "purge": True}}, "would lock every SMPP client out"),
    ({"password": {"max_age_days": -1}}, "password.max_age_days=-1 must be 0 or more"),
    ({"observed_max_age": -1}, "observed_max_age=-1 must be 0 or more"),
])
def test_bad_input_sends_nothing_and_names_the_option(emulator, args, message):
    # A valid area first: it must not run either.
    failed, result, unused = task(emulator, automatic_recredit={"amount": 100}, **args)
    assert failed and message in result["msg"], result
    assert emulator.state.log == [] and result["changed"] is False


def test_a_failing_area_stops_the_later_ones(emulator):
    failed, result, unused = task(
        emulator,
        allowed_ips={"ips": ["198.51.100.20", "198.51.100.22"]},
        top_up={"source": SOURCE, "min_credits": 1000, "source_reserve": 1000},  # 800 would leave 700 < 1000
        automatic_recredit={"amount": 500})
    assert failed and result["changed"] is True, result
    assert result["failed_area"] == "top_up" and result["areas_run"] == ["allowed_ips", "top_up"]
    assert result["allowed_ips"]["changed"] is True and result["allowed_ips"]["added"] == ["198.51.100.22"]
    assert result["top_up"]["transfer_outcome"] == "not_applied" and "below source_reserve=1000" in result["msg"]
    assert result["msg"].startswith("top_up: ")
    assert "automatic_recredit" not in result
    assert emulator.state.accounts[ACCOUNT]["automatic_recredit_amount"] is None
    assert emulator.state.accounts[ACCOUNT]["credits_left"] == 200


def test_a_failing_first_area_is_unchanged(emulator):
    emulator.state.faults.append({"kind": "http", "status": 403, "method": "PUT",
                                  "path": "/1.0/sms/%s/smpp/allowedIPs" % ACCOUNT, "times": 1})
    failed, result, unused = task(emulator, allowed_ips={"ips": ["198.51.100.23"]}, automatic_recredit={"amount": 500})
    assert failed and result["changed"] is False and result["failed_area"] == "allowed_ips", result
    assert result["error"]["http_status"] == 403 and result["error"]["query_id"]
    assert [w for w in writes(emulator) if w[0] == "PUT" and w[1].endswith("/sms/%s" % ACCOUNT)] == []


@pytest.mark.parametrize("area, values, expected", [
    # A wrong type: named by its path and value (ansible-core names the bare option "found in" the area).
    ("top_up", {"source": SOURCE, "min_credits": "lots"}, "top_up.min_credits=lots is not a valid float"),
    # Anything else ansible-core refuses in an area keeps its words.
    ("senders", {"senders": [{"description": "no name"}]}, "missing required arguments: sender found in senders"),
])
def test_arguments_ansible_core_refuses_are_named_by_their_path(area, values, expected):
    args = {"service_name": ACCOUNT, "application_key": APPLICATION_KEY, "application_secret": APPLICATION_SECRET,
            "consumer_key": CONSUMER_KEY, area: values}
    errors, unused = validate_arguments(_smpp_account_state, args)
    assert errors == [expected]


def test_an_area_given_as_a_string_keeps_ansible_cores_words():
    """The k=v form ansible-core reads for a dict option: its own messages stand (these rules read dictionaries)."""
    args = {"service_name": ACCOUNT, "application_key": APPLICATION_KEY, "application_secret": APPLICATION_SECRET,
            "consumer_key": CONSUMER_KEY, "allowed_ips": "purge=sometimes"}
    errors, unused = validate_arguments(_smpp_account_state, args)
    assert "missing required arguments: ips found in allowed_ips" in errors
    # ansible-core's own words, which vary by version ("of type str" / "of type <class 'str'>").
    assert any(error.startswith("argument 'purge' is of type") and "found in 'allowed_ips'" in error
               for error in errors), errors


def test_a_wrong_type_of_a_secret_option_is_not_shown_with_its_value():
    # No area option is a secret today; one that becomes one must not have its value put in a message.
    spec = {"token": {"type": "int", "no_log": True}, "count": {"type": "int"}}
    assert _smpp_account_state._type_problem(spec, {"token": "s3cret"}, {}) is None  # pylint: disable=protected-access
    assert _smpp_account_state._type_problem(spec, {"count": "many"}, {}) == "count=many is not a valid int"  # pylint: disable=protected-access
