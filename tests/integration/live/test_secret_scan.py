"""Secret scan: every module, the inventory and every playbook, with -vvv, failures, --diff and ANSIBLE_LOG_PATH,
credentials as options, through module_defaults and the environment, through ansible-playbook and ansible-runner.

The seeded secrets (and the wrong ones the failing tasks use) must appear nowhere the collection controls: standard
output and error, the log file, ansible-runner's job events and stdout. What ansible-core and ansible-runner print
on their own (ANSIBLE_DISPLAY_ARGS_TO_STDOUT with literal secrets in a task, the ``env/`` files given to
ansible-runner) is documented in docs/docsite/rst/secrets.rst and left out of the scan.
"""

import glob
import os
import sys

import ansible_runner
import yaml

from ansible_cli import DEMO_INVENTORY, collections_path

WRONG = ["WRONG-CONSUMER-KEY-7f3a", "WRONG-APP-SECRET-9c1d", "WRONG-OAUTH2-SECRET-2b8e", "NEWLINE-SECRET-4d2c"]

PLAYBOOK = """
- hosts: localhost
  gather_facts: false
  vars_files:
    - secrets.yml
  module_defaults:
    group/smppops.ovh.all:
      endpoint: "{{ endpoint }}"
      application_key: "{{ application_key }}"
      application_secret: "{{ application_secret }}"
      consumer_key: "{{ consumer_key }}"
      api_retries: 0
  tasks:
    - smppops.ovh.smpp_info: {service_name: smpp-ab12345-1, report_api_calls: true}
    - smppops.ovh.smpp_acl: {service_name: smpp-ab12345-1, ips: [198.51.100.99]}
    - smppops.ovh.smpp_sender: {service_name: smpp-ab12345-1, senders: [{sender: SCANNED}]}
    - smppops.ovh.smpp_credit: {service_name: smpp-ab12345-1, automatic_recredit_threshold: 77}
    - smppops.ovh.smpp_credit: {service_name: smpp-ab12345-1, target: smpp-ab12345-2, credits: 1}
    - smppops.ovh.smpp_password: {service_name: smpp-ab12345-1, force: true}
    - name: Failures with credentials given as options
      smppops.ovh.smpp_info: {service_name: smpp-ab12345-1, consumer_key: "{{ wrong_consumer_key }}"}
      ignore_errors: true
    - smppops.ovh.smpp_acl: {service_name: smpp-ab12345-1, ips: [198.51.100.98], application_secret: "{{ wrong_secret }}"}
      ignore_errors: true
    - smppops.ovh.smpp_sender:
        service_name: smpp-ab12345-1
        senders: [{sender: OTHER}]
        consumer_key: "{{ newline_secret }}"
      ignore_errors: true
    - smppops.ovh.smpp_password: {service_name: smpp-ab12345-1, force: true, consumer_key: "{{ wrong_consumer_key }}"}
      ignore_errors: true
    - smppops.ovh.smpp_credit: {service_name: smpp-ab12345-1, target: smpp-ab12345-2, credits: 1, application_secret: "{{ wrong_secret }}"}
      ignore_errors: true
    - name: Credentials from the environment keyword
      smppops.ovh.smpp_info: {service_name: smpp-ab12345-1, consumer_key: null, application_secret: null}
      environment:
        OVH_CONSUMER_KEY: "{{ wrong_consumer_key }}"
        OVH_APPLICATION_SECRET: "{{ wrong_secret }}"
      ignore_errors: true
    - name: A refused change (allowed IP lock-out)
      smppops.ovh.smpp_acl: {service_name: smpp-ab12345-1, ips: [10.0.0.1], purge: true}
      ignore_errors: true

# OAuth2 in a play of its own: a null option does not remove a module_defaults value. (A loop over secrets is
# left out on purpose: ansible-core shows each loop item, see docs/docsite/rst/secrets.rst.)
- hosts: localhost
  gather_facts: false
  vars_files:
    - secrets.yml
  module_defaults:
    group/smppops.ovh.all:
      endpoint: "{{ endpoint }}"
      client_id: demo-oauth2-client
      api_retries: 0
  tasks:
    - smppops.ovh.smpp_info: {service_name: smpp-ab12345-1, client_secret: "{{ oauth2_secret }}"}
    - smppops.ovh.smpp_acl: {service_name: smpp-ab12345-1, ips: [198.51.100.97], client_secret: "{{ oauth2_secret }}"}
    - smppops.ovh.smpp_info: {service_name: smpp-ab12345-1, client_secret: "{{ wrong_oauth2_secret }}"}
      ignore_errors: true
"""


def _seed_secrets():
    with open(os.path.join(os.path.dirname(__file__), "..", "..", "emulator", "seed.yml"), encoding="utf-8") as handle:
        seed = yaml.safe_load(handle)
    found = [item["application_secret"] for item in seed["applications"]]
    found += [item["consumer_key"] for item in seed["consumer_keys"]]
    found += [item["client_secret"] for item in seed.get("oauth2_clients", [])]
    return found + WRONG


SECRETS = _seed_secrets()


def _hits(text):
    return [secret for secret in SECRETS if secret in text]


def _write_playbook(emulator, tmp_path):
    credentials = emulator.credentials()
    (tmp_path / "secrets.yml").write_text(yaml.safe_dump(dict(
        credentials, wrong_consumer_key=WRONG[0], wrong_secret=WRONG[1], wrong_oauth2_secret=WRONG[2],
        newline_secret="%s\nX-Injected: 1" % WRONG[3], oauth2_secret="demo-oauth2-secret")))
    (tmp_path / "scan.yml").write_text(PLAYBOOK)
    return tmp_path / "scan.yml"


def _scan_run(answer, log_path):
    text = answer.output + (open(log_path, encoding="utf-8").read() if os.path.exists(log_path) else "")
    return text, _hits(text)


def test_every_module_at_vvv_with_failures_and_diff_leaks_nothing(cli, emulator, tmp_path):
    playbook = _write_playbook(emulator, tmp_path)
    log_path = str(tmp_path / "ansible.log")
    # Only the endpoint in the environment: the credentials come from the vars file, options and the keyword.
    for name in ("OVH_APPLICATION_KEY", "OVH_APPLICATION_SECRET", "OVH_CONSUMER_KEY"):
        cli.env.pop(name, None)
    answer = cli.playbook(playbook, "-vvv", "--diff", env={"ANSIBLE_LOG_PATH": log_path})
    text, hits = _scan_run(answer, log_path)
    assert "ok=" in text and "failed=0" in text, text[-3000:]
    assert "ignored=" in text and "ignored=0" not in text, "the failing tasks ran"
    assert hits == []


def test_inventory_at_vvv_success_and_failure_leaks_nothing(cli, tmp_path):
    config = os.path.join(DEMO_INVENTORY, "emulator.smpp_accounts.yml")
    log_path = str(tmp_path / "inventory.log")
    good = cli.inventory("-i", config, "--list", "-vvv", env={"ANSIBLE_LOG_PATH": log_path})
    bad = cli.inventory("-i", config, "--list", "-vvv",
                        env={"ANSIBLE_LOG_PATH": log_path, "OVH_APPLICATION_SECRET": WRONG[1]})
    assert good.returncode == 0 and "smpp-ab12345-1" in good.stdout
    assert "INVALID_SIGNATURE" in bad.output or "Invalid signature" in bad.output
    text, hits = _scan_run(good, log_path)
    assert hits == [] and _hits(bad.output) == []


def test_every_playbook_at_vvv_leaks_nothing(cli, tmp_path):
    log_path = str(tmp_path / "playbooks.log")
    env = {"ANSIBLE_LOG_PATH": log_path}
    runs = [
        cli.playbook("-i", DEMO_INVENTORY, "smppops.ovh.bootstrap", "-vvv", "--diff", env=env),
        cli.playbook("-i", DEMO_INVENTORY, "smppops.ovh.audit", "-vvv", env=env),
        cli.playbook("-i", "localhost,", "smppops.ovh.rotate_password", "-vvv", "-e", "smpp_service_names=smpp-ab12345-1",
                     "-e", "confirm=yes", env=env),
        cli.playbook("-i", DEMO_INVENTORY, "smppops.ovh.bootstrap", "-vvv", env=dict(env, OVH_APPLICATION_SECRET=WRONG[1])),
        cli.playbook("-i", "localhost,", "smppops.ovh.consumer_key", "-vvv", "-e", "consumer_key_modules=smpp_info",
                     env=env),
    ]
    assert runs[0].returncode == 0, runs[0].output[-3000:]
    issued = open(os.path.join(cli.workdir, "ovh-consumer-key.env"), encoding="utf-8").read().split("=", 1)[-1].strip()
    assert issued and runs[4].returncode == 0, runs[4].output[-3000:]
    text = "".join(run.output for run in runs) + open(log_path, encoding="utf-8").read()
    assert _hits(text) == [] and issued not in text


def test_ansible_runner_job_events_and_stdout_leak_nothing(emulator, tmp_path):
    project = tmp_path / "job" / "project"
    project.mkdir(parents=True)
    _write_playbook(emulator, project)
    envvars = {"ANSIBLE_COLLECTIONS_PATH": collections_path(), "ANSIBLE_NOCOLOR": "1",
               "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""),
               "OVH_ENDPOINT": emulator.base_url}
    job = ansible_runner.run(private_data_dir=str(tmp_path / "job"), playbook="scan.yml", inventory="localhost,",
                             envvars=envvars, cmdline="-vvv --diff", quiet=True)
    assert job.rc == 0, job.stdout.read()[-3000:]
    stored = job.stdout.read()
    for path in glob.glob(str(tmp_path / "job" / "artifacts" / "**" / "*"), recursive=True):
        if os.path.isfile(path):
            stored += open(path, encoding="utf-8", errors="replace").read()
    assert "smpp-ab12345-1" in stored
    assert _hits(stored) == []
