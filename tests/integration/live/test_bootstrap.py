"""The bootstrap playbook and the smpp_account role, end to end through ansible-playbook."""

import os

import yaml

from ansible_cli import DEMO_INVENTORY, copy_demo_inventory, recap, writes

ACCOUNTS = ("smpp-ab12345-1", "smpp-ab12345-2", "smpp-ab12345-3")


def test_bootstrap_converges_then_a_rerun_changes_and_writes_nothing(cli, control):
    first = cli.playbook("-i", DEMO_INVENTORY, "smppops.ovh.bootstrap")
    assert first.returncode == 0, first.output[-4000:]
    assert all(recap(first.output)[name]["changed"] > 0 for name in ACCOUNTS)
    assert writes(control.log()), "the first run writes"
    # One host-task per account: the playbook imports the role's converge entry point, which has no argument
    # spec, so ansible-core adds no validation task (smpp_account_state makes the same checks itself).
    assert "Validating arguments against arg spec" not in first.output, first.output[-3000:]
    converge_play = first.output.split("PLAY [Bring the SMPP accounts to their desired state]", 1)[1]
    assert converge_play.split("PLAY RECAP", 1)[0].count("TASK [") == 2, "the account's task and the summary"

    staging, production, new = (control.account(name) for name in ("smpp-ab12345-2", "smpp-ab12345-1", "smpp-ab12345-3"))
    assert sorted(staging["allowed_ips"]) == ["198.51.100.20", "198.51.100.21"]
    assert staging["credits_left"] == 500 and new["credits_left"] == 100
    assert production["credits_left"] == 1500 - 400, "exactly the two shortfalls left production"
    assert new["allowed_ips"] == ["192.0.2.30"] and "NEWGW" in [item["sender"] for item in new["senders"]]

    control.call("DELETE", "/log")
    second = cli.playbook("-i", DEMO_INVENTORY, "smppops.ovh.bootstrap")
    assert second.returncode == 0, second.output[-4000:]
    assert all(recap(second.output)[name]["changed"] == 0 for name in ACCOUNTS), second.output[-3000:]
    summary = second.output.split("Summary of the SMPP accounts", 1)[1].split("PLAY RECAP", 1)[0]
    assert all('"%s": {' % name in summary for name in ACCOUNTS), "one summary of every account of the play"
    assert writes(control.log()) == [], "a run with nothing to change writes nothing"


def test_bootstrap_with_the_free_strategy_as_default(cli, control):
    """A controller configured with strategy free: the selection stays linear, the accounts run free."""
    answer = cli.playbook("-i", DEMO_INVENTORY, "smppops.ovh.bootstrap", env={"ANSIBLE_STRATEGY": "free"})
    assert answer.returncode == 0, answer.output[-4000:]
    assert all(recap(answer.output)[name]["changed"] > 0 for name in ACCOUNTS), answer.output[-3000:]
    assert control.account("smpp-ab12345-2")["credits_left"] == 500
    # Under free, run_once is ignored: only the batch's first host prints the summary (the accounts finished by then).
    assert answer.output.count('"msg": {') == 1, answer.output[-3000:]


def test_check_mode_predicts_without_writing(cli, control):
    answer = cli.playbook("-i", DEMO_INVENTORY, "smppops.ovh.bootstrap", "--check", "--diff")
    assert answer.returncode == 0, answer.output[-4000:]
    # The role is one task per account: it predicts every area of the account at once.
    assert all(recap(answer.output)[name]["changed"] == 1 for name in ACCOUNTS), answer.output[-3000:]
    assert "198.51.100.21" in answer.output, "the diff shows the address to add"
    assert writes(control.log()) == []


def test_service_names_without_an_inventory(cli, control):
    answer = cli.playbook("-i", "localhost,", "smppops.ovh.bootstrap", "-e", "smpp_service_names=smpp-ab12345-2",
                          "-e", '{"smpp_account_allowed_ips": ["198.51.100.20", "198.51.100.30"]}')
    assert answer.returncode == 0, answer.output[-4000:]
    assert sorted(control.account("smpp-ab12345-2")["allowed_ips"]) == ["198.51.100.20", "198.51.100.30"]
    assert control.account("smpp-ab12345-1")["allowed_ips"] == ["203.0.113.10", "203.0.113.11", "2001:db8::10"]


def test_no_account_at_all_is_a_clear_error(cli, control):
    answer = cli.playbook("-i", "localhost,", "smppops.ovh.bootstrap")
    assert answer.returncode != 0
    assert "No SMPP account to work on" in answer.output
    assert control.log() == []


def _with_host_vars(tmp_path, host, changes):
    inventory = copy_demo_inventory(tmp_path)
    path = os.path.join(inventory, "host_vars", "%s.yml" % host)
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    data.update(changes)
    with open(path, "w", encoding="utf-8") as handle:
        yaml.safe_dump(data, handle)
    return inventory


def _fails_before_any_api_call(cli, control, inventory, expected):
    # The inventory itself reads the API; what matters is that no task of the role does.
    cli.inventory("-i", inventory, "--list")
    control.call("DELETE", "/log")
    answer = cli.playbook("-i", inventory, "smppops.ovh.bootstrap", "-e", "smpp_service_names=smpp-ab12345-2",
                          "-e", "@%s" % os.path.join(inventory, "host_vars", "smpp-ab12345-2.yml"),
                          env={"ANSIBLE_INVENTORY_ENABLED": "ansible.builtin.host_list"})
    assert answer.returncode != 0
    assert expected in answer.output, answer.output[-3000:]
    assert [item for item in control.log() if item["path"].startswith("/1.0/sms")] == []
    return answer


def test_bad_ip_is_refused_before_any_api_call(cli, control, tmp_path):
    inventory = _with_host_vars(tmp_path, "smpp-ab12345-2", {"smpp_account_allowed_ips": ["198.51.100.20", "198.51.100.0/24"]})
    _fails_before_any_api_call(cli, control, inventory, "smpp_account_allowed_ips: 198.51.100.0/24 is a network")


def test_negative_credit_is_refused_before_any_api_call(cli, control, tmp_path):
    inventory = _with_host_vars(tmp_path, "smpp-ab12345-2", {"smpp_account_min_credits": -50})
    _fails_before_any_api_call(cli, control, inventory, "smpp_account_min_credits=-50")


def test_wrong_type_is_refused_before_any_api_call(cli, control, tmp_path):
    inventory = _with_host_vars(tmp_path, "smpp-ab12345-2", {"smpp_account_allowed_ips_purge": "sometimes"})
    answer = _fails_before_any_api_call(cli, control, inventory, "smpp_account_allowed_ips_purge")
    assert "sometimes" in answer.output, answer.output[-3000:]


ROLE_PLAY = """
- hosts: smpp-ab12345-2
  gather_facts: false
  roles:
    - role: smppops.ovh.smpp_account
"""


def test_the_role_itself_checks_its_variables_against_its_argument_specs(cli, control, tmp_path):
    """What users call (the role's main entry point) keeps ansible-core's check against meta/argument_specs.yml."""
    inventory = _with_host_vars(tmp_path, "smpp-ab12345-2", {"smpp_account_allowed_ips_purge": "sometimes"})
    playbook = tmp_path / "role.yml"
    playbook.write_text(ROLE_PLAY, encoding="utf-8")
    host_vars = os.path.join(inventory, "host_vars", "smpp-ab12345-2.yml")
    without_inventory_plugin = {"ANSIBLE_INVENTORY_ENABLED": "ansible.builtin.host_list"}
    control.call("DELETE", "/log")
    answer = cli.playbook("-i", "smpp-ab12345-2,", "-e", "@" + host_vars, str(playbook), env=without_inventory_plugin)
    assert answer.returncode != 0
    assert "Validating arguments against arg spec" in answer.output, answer.output[-3000:]
    assert "smpp_account_allowed_ips_purge" in answer.output, answer.output[-3000:]
    assert control.log() == []

    with open(host_vars, encoding="utf-8") as handle:
        desired = yaml.safe_load(handle)
    desired["smpp_account_allowed_ips_purge"] = False
    with open(host_vars, "w", encoding="utf-8") as handle:
        yaml.safe_dump(desired, handle)
    answer = cli.playbook("-i", "smpp-ab12345-2,", "-e", "@" + host_vars, str(playbook), env=without_inventory_plugin)
    assert answer.returncode == 0, answer.output[-3000:]
    assert "Validating arguments against arg spec" in answer.output
    assert recap(answer.output)["smpp-ab12345-2"]["changed"] == 1, answer.output[-3000:]
