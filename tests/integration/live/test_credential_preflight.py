"""-e smpp_check_credential=true: a key that lacks a rule stops the run before its first write."""

from ansible_cli import DEMO_INVENTORY, writes
from test_consumer_key import _request_key, _validate


def test_a_key_without_write_rules_stops_bootstrap_before_any_write(cli, control, emulator):
    key, answer = _request_key(cli, "-e", "consumer_key_modules=smpp_info,smpp_credential_check")
    _validate(emulator, answer.output)
    control.call("DELETE", "/log")
    run = cli.playbook("-i", DEMO_INVENTORY, "smppops.ovh.bootstrap", "-e", "smpp_check_credential=true",
                       env={"OVH_CONSUMER_KEY": key})
    assert run.returncode != 0
    output = " ".join(run.output.split())
    assert "lacks" in output and "PUT /sms/*/smpp/allowedIPs" in output and "POST /sms/*/transferCredits" in output
    assert writes(control.log()) == []


def test_the_same_key_passes_the_audit_check(cli, control, emulator):
    key, answer = _request_key(cli, "-e", "consumer_key_modules=smpp_info,smpp_credential_check,smpp_password")
    _validate(emulator, answer.output)
    run = cli.playbook("-i", DEMO_INVENTORY, "smppops.ovh.audit", "-e", "smpp_check_credential=true",
                       env={"OVH_CONSUMER_KEY": key})
    assert run.returncode == 0, run.output[-4000:]
    assert "lacks" not in run.output


def test_a_full_key_passes_and_bootstrap_runs(cli, control):
    run = cli.playbook("-i", DEMO_INVENTORY, "smppops.ovh.bootstrap", "-e", "smpp_check_credential=true")
    assert run.returncode == 0, run.output[-4000:]
    assert writes(control.log())
