"""The action base (plugins/plugin_utils/_action.py) driven as ansible-playbook drives it: task args, check mode,
environment, against an in-process emulator. The live suite runs whole playbooks; these pin the entry point."""

import json
from types import SimpleNamespace

import pytest
from ansible.parsing.dataloader import DataLoader
from ansible.playbook.play_context import PlayContext
from ansible.playbook.task import Task
from ansible.template import Templar

from ansible_collections.smppops.ovh.plugins.action.smpp_account_state import ActionModule as AccountStateAction
from ansible_collections.smppops.ovh.plugins.action.smpp_acl import ActionModule as AclAction
from ansible_collections.smppops.ovh.plugins.action.smpp_info import ActionModule as InfoAction
from ansible_collections.smppops.ovh.plugins.module_utils import _smpp_account_state
from builtin_subclasses import Text, exact_types
from emulator_clients import APPLICATION_KEY, APPLICATION_SECRET, CONSUMER_KEY
from tests.emulator import EmulatorServer

ACCOUNT = "smpp-ab12345-1"
CREDENTIALS = {"application_key": APPLICATION_KEY, "application_secret": APPLICATION_SECRET,
               "consumer_key": CONSUMER_KEY}
ENVIRONMENT = {"OVH_APPLICATION_KEY": APPLICATION_KEY, "OVH_APPLICATION_SECRET": APPLICATION_SECRET,
               "OVH_CONSUMER_KEY": CONSUMER_KEY}


@pytest.fixture(scope="module")
def emulator():
    with EmulatorServer() as server:
        yield server


@pytest.fixture(autouse=True)
def no_controller_credentials(monkeypatch, tmp_path):
    # Only what a test gives reaches the action: no OVH_* of the machine, no ovh.conf.
    for name in list(ENVIRONMENT) + ["OVH_ENDPOINT", "OVH_CLIENT_ID", "OVH_CLIENT_SECRET"]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))


def run_action(action_class, args, check_mode=False, diff=False, environment=None, role=None):
    task = Task()
    task._role = SimpleNamespace(get_name=lambda: role) if role else None  # pylint: disable=protected-access
    task.args = dict(args)
    task.check_mode = check_mode
    task.diff = diff
    task.environment = [environment] if environment else []
    loader = DataLoader()
    # No connection is used (the logic runs in the controller); ActionBase only looks at its shell.
    connection = SimpleNamespace(_shell=SimpleNamespace(tmpdir="/nonexistent", env_prefix=lambda **env: ""))
    action = action_class(task, connection, PlayContext(), loader, Templar(loader=loader), None)
    return action.run(task_vars={})


def test_reads_an_account_with_options(emulator):
    result = run_action(InfoAction, dict(CREDENTIALS, endpoint=emulator.base_url, service_name=ACCOUNT))
    assert not result.get("failed"), result.get("msg")
    assert result["changed"] is False and [item["service_name"] for item in result["smpp_accounts"]] == [ACCOUNT]


def test_secrets_are_masked_everywhere_in_the_result(emulator):
    result = run_action(InfoAction, dict(CREDENTIALS, endpoint=emulator.base_url, service_name=ACCOUNT))
    text = json.dumps(result)
    assert APPLICATION_SECRET not in text and CONSUMER_KEY not in text
    assert result["invocation"]["module_args"]["application_secret"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


def test_task_environment_supplies_credentials(emulator):
    result = run_action(InfoAction, {"endpoint": emulator.base_url, "service_name": ACCOUNT}, environment=ENVIRONMENT)
    assert not result.get("failed"), result.get("msg")
    assert APPLICATION_SECRET not in json.dumps(result)


def test_an_option_beats_the_task_environment(emulator):
    wrong = dict(ENVIRONMENT, OVH_APPLICATION_SECRET="not-the-secret")
    result = run_action(InfoAction, dict(CREDENTIALS, endpoint=emulator.base_url, service_name=ACCOUNT), environment=wrong)
    assert not result.get("failed"), result.get("msg")


def test_missing_credentials_fail_without_a_call(emulator):
    before = len(emulator.log)
    result = run_action(InfoAction, {"endpoint": emulator.base_url, "service_name": ACCOUNT})
    assert result["failed"] and result["changed"] is False
    assert "OVH_APPLICATION_KEY" in result["msg"]
    assert len(emulator.log) == before


def test_unknown_and_bad_options_are_refused_by_name(emulator):
    result = run_action(InfoAction, dict(CREDENTIALS, endpoint=emulator.base_url, service_name=ACCOUNT, colour="red"))
    assert result["failed"] and "colour" in result["msg"]
    result = run_action(InfoAction, dict(CREDENTIALS, endpoint=emulator.base_url, service_name=ACCOUNT, api_retries="many"))
    assert result["failed"] and "api_retries" in result["msg"]


def test_check_mode_predicts_and_writes_nothing(emulator):
    seen = len(emulator.log)
    result = run_action(AclAction, dict(CREDENTIALS, endpoint=emulator.base_url, service_name=ACCOUNT,
                                        ips=["203.0.113.77"]), check_mode=True, diff=True)
    assert not result.get("failed"), result.get("msg")
    assert result["changed"] is True and "203.0.113.77" in result["diff"]["after"]["allowed_ips"]
    methods = {entry["method"] for entry in emulator.log[seen:]}
    assert methods == {"GET"}, "check mode reads the account and writes nothing"


@pytest.mark.parametrize("area, values, option, variable, value", [
    ("allowed_ips", {"ips": ["198.51.100.20"], "purge": "sometimes"}, "allowed_ips.purge",
     "smpp_account_allowed_ips_purge", "sometimes"),
    ("allowed_ips", {"ips": {"gateway": "198.51.100.20"}}, "allowed_ips.ips", "smpp_account_allowed_ips", "'gateway'"),
    ("top_up", {"source": "smpp-ab12345-2", "min_credits": "lots"}, "top_up.min_credits",
     "smpp_account_min_credits", "lots"),
    ("senders", {"senders": [{"sender": "ACME"}], "purge": "maybe"}, "senders.purge", "smpp_account_senders_purge",
     "maybe"),
    ("password", {"max_age_days": "ninety"}, "password.max_age_days", "smpp_account_password_max_age_days", "ninety"),
    ("password", {"max_age_days": 90, "untracked": "later"}, "password.untracked", "smpp_account_password_untracked",
     "later"),
])
def test_a_wrong_type_in_an_area_names_the_option_or_the_role_variable(emulator, area, values, option, variable, value):
    """ansible-core names a bad sub-option by its bare name ("argument 'purge' ... found in 'allowed_ips'"); the
    collection's playbooks call the role without its argument-check task, so the module's message names it."""
    args = dict(CREDENTIALS, endpoint=emulator.base_url, service_name=ACCOUNT)
    args[area] = values
    before = len(emulator.log)
    as_module = run_action(AccountStateAction, args)
    assert as_module["failed"] and option in as_module["msg"] and value in as_module["msg"], as_module["msg"]
    from_role = run_action(AccountStateAction, args, role="smppops.ovh.smpp_account")
    assert from_role["failed"] and variable in from_role["msg"] and value in from_role["msg"], from_role["msg"]
    assert option not in from_role["msg"] and "found in" not in from_role["msg"], from_role["msg"]
    assert len(emulator.log) == before, "no request"


def _subclassed(value):
    """``value`` with every string as ansible-core's own str subclass would come."""
    if isinstance(value, dict):
        return {Text(key): _subclassed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_subclassed(item) for item in value]
    return Text(value) if isinstance(value, str) else value


def test_the_logic_gets_plain_values_and_the_snapshot_is_not_echoed(emulator, monkeypatch):
    """What ansible-core templates comes as its own subclasses; the logic gets Python's types (no tag to copy and carry
    into the result), and the inventory's snapshot, the bulk of the arguments, stays out of the invocation
    (ansible-core keeps every host's result until the task has run on all hosts)."""
    connection = dict(CREDENTIALS, endpoint=emulator.base_url)
    read = run_action(InfoAction, dict(connection, service_name=ACCOUNT))
    snapshot = _subclassed(read["smpp_accounts"][0])
    assert Text in exact_types(snapshot)
    given = []
    logic_run = _smpp_account_state.run
    monkeypatch.setattr(_smpp_account_state, "run", lambda params, ctx: given.append(params) or logic_run(params, ctx))
    before = len(emulator.log)
    result = run_action(AccountStateAction, dict(connection, service_name=ACCOUNT, observed=snapshot))
    assert not result.get("failed"), result.get("msg")
    assert result["observed_used"] is True and len(emulator.log) == before, "decided from the snapshot"
    assert Text not in exact_types(given[0]), exact_types(given[0])
    assert result["smpp_account"] == read["smpp_accounts"][0]
    shown = result["invocation"]["module_args"]
    assert "observed" not in shown and shown["service_name"] == ACCOUNT and shown["observed_max_age"] == 300
