"""Which accounts a playbook works on: the inventory, smpp_service_names and --limit (AWX's Limit) together."""

import os

from ansible_cli import DEMO_INVENTORY, copy_demo_inventory, recap, writes

ACCOUNTS = ("smpp-ab12345-1", "smpp-ab12345-2", "smpp-ab12345-3")


def _snapshot(control, names):
    return {name: {key: value for key, value in control.account(name).items() if key in ("allowed_ips", "senders", "tags")}
            for name in names}


def _accounts_written(control):
    return {item["path"].split("/")[3] for item in writes(control.log()) if item["path"].startswith("/1.0/sms/")}


def test_limit_to_one_account_touches_only_that_account(cli, control):
    others = _snapshot(control, ACCOUNTS[1:])
    answer = cli.playbook("-i", DEMO_INVENTORY, "smppops.ovh.bootstrap", "--limit", "smpp-ab12345-1")
    assert answer.returncode == 0, answer.output[-4000:]
    assert set(recap(answer.output)) == {"smpp-ab12345-1"}
    assert recap(answer.output)["smpp-ab12345-1"]["changed"] > 0, "the limited account is converged"
    assert _accounts_written(control) == {"smpp-ab12345-1"}
    assert "203.0.113.12" in control.account("smpp-ab12345-1")["allowed_ips"]
    assert _snapshot(control, ACCOUNTS[1:]) == others


def test_limit_to_a_group_of_the_inventory(cli, control):
    untouched = _snapshot(control, ["smpp-ab12345-2"])
    answer = cli.playbook("-i", DEMO_INVENTORY, "smppops.ovh.bootstrap", "--limit", "channel_transactional")
    assert answer.returncode == 0, answer.output[-4000:]
    assert set(recap(answer.output)) == {"smpp-ab12345-1", "smpp-ab12345-3"}
    assert control.account("smpp-ab12345-3")["allowed_ips"] == ["192.0.2.30"]
    assert _snapshot(control, ["smpp-ab12345-2"]) == untouched


def test_limit_and_service_names_together(cli, control):
    answer = cli.playbook("-i", DEMO_INVENTORY, "smppops.ovh.bootstrap", "--check", "--limit", "smpp-ab12345-1:smpp-ab12345-2",
                          "-e", "smpp_service_names=smpp-ab12345-2,smpp-ab12345-3")
    assert answer.returncode == 0, answer.output[-4000:]
    assert recap(answer.output)["smpp-ab12345-2"]["changed"] > 0
    assert recap(answer.output)["smpp-ab12345-1"]["changed"] == 0, "named by the limit only"
    assert "smpp-ab12345-3" not in recap(answer.output), "named by smpp_service_names only"


def test_limit_that_matches_no_account_fails_with_a_message(cli, control, tmp_path):
    inventory = copy_demo_inventory(tmp_path)
    with open(os.path.join(inventory, "clients.yml"), "w", encoding="utf-8") as handle:
        # An SSH host nothing answers for: the selection tasks must never try to reach it.
        handle.write("smpp_clients:\n  hosts:\n    gateway-1:\n      ansible_host: 127.0.0.2\n      ansible_port: 9\n")
    answer = cli.playbook("-i", inventory, "smppops.ovh.bootstrap", "--limit", "smpp_clients")
    assert answer.returncode != 0, answer.output[-4000:]
    assert "The limit 'smpp_clients' matches none of the 3 SMPP accounts" in " ".join(answer.output.split())
    assert writes(control.log()) == []


def test_limit_that_matches_no_host_fails(cli, control):
    answer = cli.playbook("-i", DEMO_INVENTORY, "smppops.ovh.bootstrap", "--limit", "smpp-zz99999-1")
    assert answer.returncode != 0
    assert "no hosts to target" in answer.output
    assert writes(control.log()) == []


def test_rotate_password_of_the_limited_accounts(cli, control):
    answer = cli.playbook("-i", DEMO_INVENTORY, "smppops.ovh.rotate_password", "--limit", "smpp-ab12345-2", "-e", "confirm=yes")
    assert answer.returncode == 0, answer.output[-4000:]
    renewed = [item["path"] for item in control.log() if item["method"] == "POST" and item["path"].endswith("/smpp/password")]
    assert renewed == ["/1.0/sms/smpp-ab12345-2/smpp/password"]


def test_selection_never_connects_to_other_hosts_of_the_inventory(cli, control, tmp_path):
    inventory = copy_demo_inventory(tmp_path)
    with open(os.path.join(inventory, "clients.yml"), "w", encoding="utf-8") as handle:
        handle.write("smpp_clients:\n  hosts:\n    gateway-1:\n      ansible_host: 127.0.0.2\n      ansible_port: 9\n")
    answer = cli.playbook("-i", inventory, "smppops.ovh.bootstrap", "--check", "-e", "smpp_check_credential=true")
    assert answer.returncode == 0, answer.output[-4000:]
    assert "UNREACHABLE" not in answer.output
    assert "gateway-1" not in recap(answer.output) or recap(answer.output)["gateway-1"]["failed"] == 0
