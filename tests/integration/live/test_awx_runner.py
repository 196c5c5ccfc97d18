"""AWX behaviour through ansible-runner, the engine AWX runs its jobs with.

An AWX inventory update runs ``ansible-inventory --list --export`` on the inventory source with the
credential's injectors as environment variables, and imports the JSON. A job then runs with a
private data directory holding that inventory as a script, the credential as ``env/envvars``, the
extra variables as ``env/extravars``, the Limit, and a pseudo-terminal no one types into. Job
slicing gives each slice every n-th host of the same inventory. All of it is reproduced here
against the emulator, and the artifacts AWX keeps are searched for secrets.
"""

import json
import os
import sys

import ansible_runner
import yaml

from ansible_cli import collections_path, copy_demo_inventory, writes
from awx_credential import render_injectors

ACCOUNTS = ["smpp-ab12345-1", "smpp-ab12345-2", "smpp-ab12345-3"]
AWX_INVENTORY_ENV = {"ANSIBLE_INVENTORY_EXPORT": "True", "ANSIBLE_INVENTORY_UNPARSED_FAILED": "True"}
# ansible-runner's pexpect would wait this long for a prompt nobody answers; a job must end well before.
JOB_TIMEOUT = 120


def _controller_env():
    return {"ANSIBLE_COLLECTIONS_PATH": collections_path(), "ANSIBLE_NOCOLOR": "1",
            "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")}


def inventory_update(emulator, tmp_path):
    """The JSON an AWX inventory sync imports from the smpp_accounts source (raw, nothing unwrapped)."""
    source = os.path.join(copy_demo_inventory(tmp_path), "emulator.smpp_accounts.yml")
    out, err = ansible_runner.get_inventory(
        "list", [source], response_format="json", export=True, quiet=True,
        envvars=dict(render_injectors(emulator.credentials()), **_controller_env(), **AWX_INVENTORY_ENV),
        private_data_dir=str(tmp_path / "inventory-update"))
    assert isinstance(out, dict), (out, err)
    return out


def slice_of(inventory, number, count):
    """AWX job slicing: slice ``number`` (1-based) of ``count`` holds every count-th host, in name order."""
    hosts = sorted(inventory["_meta"]["hostvars"])[number - 1::count]
    sliced = {"_meta": {"hostvars": {name: inventory["_meta"]["hostvars"][name] for name in hosts}}}
    for group, body in inventory.items():
        if group != "_meta":
            sliced[group] = dict(body, hosts=[name for name in body.get("hosts", []) if name in hosts])
    return sliced


def awx_job(emulator, directory, inventory, playbook, extravars=None, limit=None, cmdline=None):
    """Run a job template the way AWX lays out its private data directory."""
    directory.mkdir(parents=True)
    (directory / "project").mkdir()
    (directory / "project" / "site.yml").write_text(
        "---\n- name: Job template playbook\n  ansible.builtin.import_playbook: %s\n" % playbook)
    (directory / "inventory").mkdir()
    script = directory / "inventory" / "hosts"
    # AWX hands the imported inventory to the job as a script printing its JSON.
    script.write_text("#!%s\nimport json\nprint(json.dumps(%r))\n" % (sys.executable, inventory))
    script.chmod(0o700)
    (directory / "env").mkdir()
    # The collection's credential type, as AWX injects it: the unused OAuth2 fields arrive empty.
    (directory / "env" / "envvars").write_text(yaml.safe_dump(dict(render_injectors(emulator.credentials()), **_controller_env())))
    (directory / "env" / "extravars").write_text(yaml.safe_dump(dict({"awx_job_id": 42}, **(extravars or {}))))
    return ansible_runner.run(private_data_dir=str(directory), playbook="site.yml", limit=limit, cmdline=cmdline,
                              quiet=True, timeout=JOB_TIMEOUT)


def artifacts_text(directory):
    """Every artifact of the job but ansible-runner's ``command`` file, its own copy of the environment it was
    given (AWX keeps the environment aside and redacts it); job events, stdout, stats and fact cache are all read."""
    text = []
    for root, unused_dirs, files in os.walk(directory / "artifacts"):
        for name in files:
            if name == "command":
                continue
            with open(os.path.join(root, name), encoding="utf-8", errors="replace") as handle:
                text.append(handle.read())
    return "".join(text)


def assert_no_secret(emulator, directory, job):
    stored = artifacts_text(directory) + job.stdout.read()
    assert "job_events" in " ".join(os.listdir(next((directory / "artifacts").iterdir())))
    credentials = emulator.credentials()
    for secret in (credentials["application_secret"], credentials["consumer_key"]):
        assert secret not in stored


def changed_hosts(job):
    return sorted(host for host, count in job.stats["changed"].items() if count)


def test_inventory_update_imports_plain_values(emulator, control, tmp_path):
    listed = inventory_update(emulator, tmp_path)
    assert sorted(listed["smpp_accounts"]["hosts"]) == ACCOUNTS
    staging = listed["_meta"]["hostvars"]["smpp-ab12345-2"]
    assert staging["smpp_system_id"] == "p8v1m4x0"
    assert staging["ansible_connection"] == "local"
    assert "__ansible_unsafe" not in json.dumps(listed)


def test_job_with_limit_touches_exactly_the_limited_account(emulator, control, tmp_path):
    inventory = inventory_update(emulator, tmp_path)
    control.call("DELETE", "/log")
    directory = tmp_path / "job"
    job = awx_job(emulator, directory, inventory, "smppops.ovh.bootstrap", limit="smpp-ab12345-1", cmdline="--diff")
    assert job.status == "successful" and job.rc == 0, job.stdout.read()[-4000:]
    assert changed_hosts(job) == ["smpp-ab12345-1"]
    assert not job.stats["failures"], job.stats
    assert {item["path"].split("/")[3] for item in writes(control.log())} == {"smpp-ab12345-1"}
    changed_events = [event for event in job.events
                      if event["event"] == "runner_on_ok" and event["event_data"]["res"].get("changed")]
    assert changed_events and all(event["event_data"]["host"] == "smpp-ab12345-1" for event in changed_events)
    assert any(event["event_data"]["res"].get("diff") for event in changed_events), "AWX shows the diffs"
    assert_no_secret(emulator, directory, job)


def test_job_with_a_limit_that_matches_no_account_fails(emulator, control, tmp_path):
    inventory = inventory_update(emulator, tmp_path)
    inventory["smpp_clients"] = {"hosts": ["gateway-1"]}
    inventory["_meta"]["hostvars"]["gateway-1"] = {"ansible_connection": "local"}
    control.call("DELETE", "/log")
    job = awx_job(emulator, tmp_path / "job", inventory, "smppops.ovh.bootstrap", limit="smpp_clients")
    assert job.status == "failed" and job.rc != 0
    assert "matches none of the 3 SMPP accounts" in " ".join(job.stdout.read().split())
    assert writes(control.log()) == []


def test_sliced_job_covers_every_account_once(emulator, control, tmp_path):
    inventory = inventory_update(emulator, tmp_path)
    seen = []
    for number in (1, 2):
        job = awx_job(emulator, tmp_path / ("slice-%d" % number), slice_of(inventory, number, 2), "smppops.ovh.bootstrap")
        assert job.status == "successful", job.stdout.read()[-4000:]
        seen.extend(changed_hosts(job))
    assert sorted(seen) == ACCOUNTS
    control.call("DELETE", "/log")
    again = awx_job(emulator, tmp_path / "again", inventory, "smppops.ovh.bootstrap")
    assert again.status == "successful" and changed_hosts(again) == []
    assert writes(control.log()) == []


def test_audit_findings_reach_the_job_artifacts(emulator, control, tmp_path):
    inventory = inventory_update(emulator, tmp_path)
    job = awx_job(emulator, tmp_path / "audit", inventory, "smppops.ovh.audit",
                  extravars={"audit_report_dir": str(tmp_path / "container-only")})
    assert job.status == "successful", job.stdout.read()[-4000:]
    stats = [event for event in job.events if event["event"] == "playbook_on_stats"]
    audit = stats[-1]["event_data"]["artifact_data"]["smppops_audit"]
    assert audit["totals"]["accounts"] == 3 and audit["totals"]["drift"] > 0
    assert {item["service_name"] for item in audit["findings"]} >= {"smpp-ab12345-2"}
    assert writes(control.log()) == []


def test_rotate_password_without_confirmation_stops_at_once(emulator, control, tmp_path):
    inventory = inventory_update(emulator, tmp_path)
    job = awx_job(emulator, tmp_path / "rotate", inventory, "smppops.ovh.rotate_password", limit="smpp-ab12345-2")
    assert job.status == "failed", job.status
    assert "confirm=yes" in job.stdout.read()
    assert writes(control.log()) == []


def test_rotate_password_confirmed_by_a_survey_answer(emulator, control, tmp_path):
    inventory = inventory_update(emulator, tmp_path)
    directory = tmp_path / "rotate"
    job = awx_job(emulator, directory, inventory, "smppops.ovh.rotate_password", limit="smpp-ab12345-2",
                  extravars={"confirm": "yes"})
    assert job.status == "successful", job.stdout.read()[-4000:]
    renewed = [item["path"] for item in control.log() if item["method"] == "POST" and item["path"].endswith("/smpp/password")]
    assert renewed == ["/1.0/sms/smpp-ab12345-2/smpp/password"]
    assert_no_secret(emulator, directory, job)


def test_consumer_key_playbook_refuses_to_run_as_a_job(emulator, control, tmp_path):
    job = awx_job(emulator, tmp_path / "consumer-key", {"_meta": {"hostvars": {}}}, "smppops.ovh.consumer_key")
    assert job.status == "failed"
    assert "from a workstation" in " ".join(job.stdout.read().split())
    assert control.log() == [], "no key was requested"
