"""The smpp_accounts inventory plugin against the live emulator."""

import json
import os

from ansible_cli import DEMO_INVENTORY

SEEDED_SMPP = ["smpp-ab12345-1", "smpp-ab12345-2", "smpp-ab12345-3"]


def listed(answer):
    """ansible-inventory --list output as written (plain values carry no unsafe marker on any ansible-core)."""
    assert answer.returncode == 0, answer.output
    return json.loads(answer.stdout)


def sms_reads(control):
    return [item for item in control.log() if item["path"].startswith("/1.0/sms")]


def test_lists_exactly_the_smpp_accounts_with_their_facts(cli, control):
    inventory = listed(cli.inventory("-i", DEMO_INVENTORY, "--list"))
    assert sorted(inventory["smpp_accounts"]["hosts"]) == SEEDED_SMPP
    assert "sms-ab12345-1" not in inventory["_meta"]["hostvars"], "a plain SMS account is not an SMPP host"
    first = inventory["_meta"]["hostvars"]["smpp-ab12345-1"]
    assert first["ansible_connection"] == "local"
    assert first["smpp_system_id"] == "k3y9q2w7"
    assert first["smpp_allowed_ips"] == ["203.0.113.10", "203.0.113.11", "2001:db8::10"]
    assert first["smpp_password_rotated_at"] == "2026-10-01T08:00:00Z"
    # keyed_groups from the demo inventory file
    assert sorted(inventory["channel_transactional"]["hosts"]) == ["smpp-ab12345-1", "smpp-ab12345-3"]
    assert not [item for item in control.log() if item["method"] != "GET"]


def test_compose_groups_and_strict(cli, control, tmp_path):
    config = tmp_path / "custom.smpp_accounts.yml"
    config.write_text(
        "plugin: smppops.ovh.smpp_accounts\n"
        "groups:\n  low_credits: smpp_credits_left < 100\n"
        "keyed_groups:\n  - key: smpp_status\n    prefix: status\n"
        "compose:\n  smpp_first_endpoint: smpp_endpoints[0].secured\n")
    inventory = listed(cli.inventory("-i", config, "--list"))
    assert inventory["low_credits"]["hosts"] == ["smpp-ab12345-3"]
    assert inventory["status_WAITING_IP"]["hosts"] == ["smpp-ab12345-3"]
    # The emulator process runs its SMPP gateway: each SMPP account's endpoints name its listeners.
    gateway = control.call("GET", "/smpp")["endpoints"]["smpp-ab12345-2"]["secured"]
    assert inventory["_meta"]["hostvars"]["smpp-ab12345-2"]["smpp_first_endpoint"] == gateway


def test_cache_answers_the_second_run_without_api_calls(cli, control, tmp_path):
    config = tmp_path / "cached.smpp_accounts.yml"
    config.write_text(
        "plugin: smppops.ovh.smpp_accounts\ncache: true\ncache_plugin: ansible.builtin.jsonfile\n"
        "cache_connection: %s\ncache_timeout: 600\n" % (tmp_path / "cache"))
    first = cli.inventory("-i", config, "--list")
    assert first.returncode == 0, first.output
    assert sms_reads(control), "the first run reads the API"
    control.call("DELETE", "/log")
    second = cli.inventory("-i", config, "--list")
    assert listed(second)["smpp_accounts"]["hosts"] == listed(first)["smpp_accounts"]["hosts"]
    assert sms_reads(control) == [], "the cached run makes no API call"


def test_bad_credentials_fail_with_the_query_id_and_no_secret(cli, emulator):
    config = os.path.join(DEMO_INVENTORY, "emulator.smpp_accounts.yml")
    answer = cli.inventory("-i", config, "--list", env={"OVH_APPLICATION_SECRET": "WRONG-SECRET-42"})
    assert "INVALID_SIGNATURE" in answer.output or "Invalid signature" in answer.output, answer.output
    assert "query ID" in " ".join(answer.output.split())
    assert "WRONG-SECRET-42" not in answer.output
    assert emulator.credentials()["consumer_key"] not in answer.output


def test_mixed_auth_modes_are_refused_before_any_call(cli, control):
    config = os.path.join(DEMO_INVENTORY, "emulator.smpp_accounts.yml")
    answer = cli.inventory("-i", config, "--list", env={"OVH_CLIENT_ID": "demo-oauth2-client", "OVH_CLIENT_SECRET": "x"})
    assert "mutually exclusive" in " ".join(answer.output.split())
    assert control.log() == []


def _settings_fail_on(control, name):
    control.fault(kind="status", status=500, method="GET", path="/1.0/sms/%s/smpp/settings" % name, times=100)


def test_one_unreadable_account_fails_the_source_naming_it(cli, control):
    _settings_fail_on(control, "smpp-ab12345-2")
    config = os.path.join(DEMO_INVENTORY, "emulator.smpp_accounts.yml")
    answer = cli.inventory("-i", config, "--list", env={"ANSIBLE_INVENTORY_UNPARSED_FAILED": "1", "OVH_API_RETRIES": "0"})
    text = " ".join(answer.output.split())
    assert answer.returncode != 0
    assert "smpp-ab12345-2" in text and "/smpp/settings" in text and "HTTP 500" in text and "query ID" in text


def test_skip_unreadable_keeps_the_others_with_a_warning(cli, control, tmp_path):
    _settings_fail_on(control, "smpp-ab12345-2")
    config = tmp_path / "partial.smpp_accounts.yml"
    config.write_text("plugin: smppops.ovh.smpp_accounts\nskip_unreadable: true\n")
    answer = cli.inventory("-i", config, "--list", env={"OVH_API_RETRIES": "0"})
    assert sorted(listed(answer)["smpp_accounts"]["hosts"]) == ["smpp-ab12345-1", "smpp-ab12345-3"]
    text = " ".join(answer.stderr.split())
    assert "skipped smpp-ab12345-2" in text and "HTTP 500" in text


def test_a_playbook_with_no_account_repeats_the_inventory_error(cli, control):
    _settings_fail_on(control, "smpp-ab12345-2")
    config = os.path.join(DEMO_INVENTORY, "emulator.smpp_accounts.yml")
    answer = cli.playbook("-i", config, "smppops.ovh.audit", env={"OVH_API_RETRIES": "0"})
    text = " ".join(answer.output.split())
    assert answer.returncode != 0
    assert "No SMPP account to work on" not in text
    assert "smpp-ab12345-2" in text and "HTTP 500" in text
