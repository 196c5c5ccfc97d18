"""Both shells end to end: ansible-playbook -vvv (action plugin) and the bare module, secrets hidden."""

import json
import os
import subprocess
import sys

from ansible_cli import collections_path

# Secrets come from a vars file, as from a vault: Ansible may quote the playbook's own source in errors.
PLAYBOOK = """
- hosts: localhost
  gather_facts: false
  module_defaults:
    group/smppops.ovh.all:
      endpoint: "{{ endpoint }}"
      application_key: "{{ application_key }}"
      application_secret: "{{ application_secret }}"
      consumer_key: "{{ consumer_key }}"
  tasks:
    - smppops.ovh.smpp_info:
        service_name: smpp-ab12345-1
        report_api_calls: true
    - smppops.ovh.smpp_info:
        service_name: smpp-ab12345-1
        consumer_key: "{{ wrong_consumer_key }}"
      ignore_errors: true
    - smppops.ovh.smpp_info:
        service_name: smpp-ab12345-1
        application_secret: "{{ wrong_secret }}"
      ignore_errors: true
"""


def secrets(credentials):
    return [credentials["application_secret"], credentials["consumer_key"], "WRONG-CONSUMER-KEY-42", "WRONG-SECRET-42"]


def test_playbook_at_vvv_shows_no_secret(emulator, control, tmp_path):
    credentials = emulator.credentials()
    playbook = tmp_path / "play.yml"
    playbook.write_text(PLAYBOOK)
    secrets_file = tmp_path / "secrets.json"
    secrets_file.write_text(json.dumps(dict(credentials, wrong_consumer_key="WRONG-CONSUMER-KEY-42", wrong_secret="WRONG-SECRET-42")))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_path(), ANSIBLE_NOCOLOR="1", ANSIBLE_LOCALHOST_WARNING="0")
    run = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-vvv", "-i", "localhost,",
                          "-e", "@%s" % secrets_file, str(playbook)],
                         env=env, capture_output=True, text=True, timeout=300, check=False)
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-3000:]
    assert "ok=3" in output and "ignored=2" in output
    assert "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER" in output, "the invocation is shown, masked"
    assert "INVALID_SIGNATURE" in output and "NOT_CREDENTIAL" in output
    for secret in secrets(credentials):
        assert secret not in output


def test_module_shell_runs_the_same_logic_in_check_mode(emulator, control, tmp_path):
    credentials = emulator.credentials()
    args = tmp_path / "args.json"
    args.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": dict(
        credentials, service_name="smpp-ab12345-1", report_api_calls=True, _ansible_check_mode=True)}))
    module = os.path.join(collections_path(), "ansible_collections", "smppops", "ovh", "plugins", "modules", "smpp_info.py")
    env = dict(os.environ, PYTHONPATH=collections_path())
    run = subprocess.run([sys.executable, module, str(args)], env=env, capture_output=True, text=True, timeout=120, check=False)
    result = json.loads(run.stdout)
    assert run.returncode == 0, run.stdout + run.stderr
    assert result["changed"] is False
    assert result["smpp_accounts"][0]["service_name"] == "smpp-ab12345-1"
    assert len(result["api_calls"]) == 5
    assert not [r for r in control.log() if r["method"] != "GET"]
    for secret in secrets(credentials):
        assert secret not in run.stdout


def test_a_long_acl_update_shows_progress_at_normal_verbosity(cli, control, tmp_path):
    playbook = tmp_path / "acl.yml"
    playbook.write_text("---\n- hosts: localhost\n  gather_facts: false\n  tasks:\n"
                        "    - smppops.ovh.smpp_acl:\n        service_name: smpp-ab12345-2\n"
                        "        ips: [198.51.100.20, 198.51.100.21]\n")
    default = control.call("PUT", "/config", json={})["ip_update_seconds"]
    control.call("PUT", "/config", json={"ip_update_seconds": 8})
    try:
        answer = cli.playbook(playbook)
    finally:
        control.call("PUT", "/config", json={"ip_update_seconds": default})
    assert answer.returncode == 0, answer.output[-3000:]
    assert "smpp-ab12345-2: SMPP settings still UPDATING_IP after" in answer.output
