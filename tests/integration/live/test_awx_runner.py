"""AWX behaviour through ansible-runner, the engine AWX runs its jobs with.

An AWX inventory update runs ``ansible-inventory --list`` on the inventory source through
ansible-runner; a job template then runs a project playbook with the credential injected as
environment variables. Both are reproduced here against the emulator.
"""

import glob
import json
import os
import sys

import ansible_runner

from ansible_cli import collections_path, copy_demo_inventory, writes


def _envvars(emulator):
    return dict(emulator.environment(), ANSIBLE_COLLECTIONS_PATH=collections_path(), ANSIBLE_NOCOLOR="1",
                PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))


def _unmarked(text):
    # ansible-core 2.19 marks untrusted strings in inventory output; AWX reads through the marker.
    return json.loads(text, object_hook=lambda item: item.get("__ansible_unsafe", item) if len(item) == 1 else item)


def test_inventory_source_update(emulator, control, tmp_path):
    inventory = copy_demo_inventory(tmp_path)
    out, err = ansible_runner.get_inventory(
        "list", [os.path.join(inventory, "emulator.smpp_accounts.yml")], response_format="json", quiet=True,
        envvars=_envvars(emulator), private_data_dir=str(tmp_path / "runner-inventory"))
    listed = _unmarked(json.dumps(out) if isinstance(out, dict) else out)
    assert sorted(listed["smpp_accounts"]["hosts"]) == ["smpp-ab12345-1", "smpp-ab12345-2", "smpp-ab12345-3"], err
    assert listed["_meta"]["hostvars"]["smpp-ab12345-2"]["smpp_system_id"] == "p8v1m4x0"


def test_job_template_runs_bootstrap_with_credential_from_the_environment(emulator, control, tmp_path):
    inventory = copy_demo_inventory(tmp_path)
    project = tmp_path / "job" / "project"
    project.mkdir(parents=True)
    (project / "site.yml").write_text("---\n- name: Bootstrap SMPP accounts\n  ansible.builtin.import_playbook: smppops.ovh.bootstrap\n")
    job = ansible_runner.run(private_data_dir=str(tmp_path / "job"), playbook="site.yml", inventory=inventory,
                             envvars=_envvars(emulator), quiet=True)
    assert job.status == "successful" and job.rc == 0, job.stdout.read()[-4000:]
    assert job.stats["changed"].get("smpp-ab12345-2", 0) > 0
    assert writes(control.log())

    # What AWX stores and shows: the job's events and stdout never hold a secret.
    credentials = emulator.credentials()
    stored = "".join(open(path, encoding="utf-8").read()
                     for path in glob.glob(str(tmp_path / "job" / "artifacts" / "*" / "job_events" / "*.json")))
    stored += job.stdout.read()
    assert stored
    for secret in (credentials["application_secret"], credentials["consumer_key"]):
        assert secret not in stored

    control.call("DELETE", "/log")
    again = ansible_runner.run(private_data_dir=str(tmp_path / "job"), playbook="site.yml", inventory=inventory,
                               envvars=_envvars(emulator), quiet=True)
    assert again.status == "successful"
    assert not any(again.stats["changed"].values()), again.stats
    assert writes(control.log()) == []
