"""smpp_account_state and the smpp_account role on it, through ansible-playbook against the emulator process."""

import json
import os
from datetime import datetime, timedelta, timezone

from ansible_cli import DEMO_INVENTORY, recap, writes

ACCOUNT = "smpp-ab12345-2"
HOST_VARS = os.path.join(DEMO_INVENTORY, "host_vars", "%s.yml" % ACCOUNT)
GROUP_VARS = os.path.join(DEMO_INVENTORY, "group_vars", "smpp_accounts.yml")
# The account alone, named on the command line: no inventory plugin, so every request in the log is the role's.
ONE_ACCOUNT = ("-i", "localhost,", "-e", "smpp_service_names=%s" % ACCOUNT, "-e", "@%s" % GROUP_VARS, "-e", "@%s" % HOST_VARS)

SNAPSHOT_PLAY = """
- hosts: localhost
  gather_facts: false
  tasks:
    - smppops.ovh.smpp_info:
        service_name: %s
      register: info
    - ansible.builtin.copy:
        dest: "{{ playbook_dir }}/observed.json"
        mode: "0600"
        content: "{{ {'smpp_observed': info.smpp_accounts[0] | combine({'read_at': read_at})} | to_json }}"
""" % ACCOUNT


def _converged(cli, control):
    answer = cli.playbook("-i", DEMO_INVENTORY, "smppops.ovh.bootstrap")
    assert answer.returncode == 0, answer.output[-4000:]


def _snapshot(cli, age=0):
    path = os.path.join(cli.workdir, "snapshot.yml")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(SNAPSHOT_PLAY)
    # When it was read, as the inventory writes it (UTC, microseconds); an older one is made by dating it back.
    read_at = (datetime.now(timezone.utc) - timedelta(seconds=age)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    answer = cli.playbook(path, "-e", "read_at=%s" % read_at)
    assert answer.returncode == 0, answer.output[-4000:]
    return os.path.join(cli.workdir, "observed.json")


def test_nothing_to_change_with_a_fresh_snapshot_makes_no_request(cli, control):
    _converged(cli, control)
    observed = _snapshot(cli)
    control.call("DELETE", "/log")
    answer = cli.playbook(*ONE_ACCOUNT, "-e", "@%s" % observed, "smppops.ovh.bootstrap")
    assert answer.returncode == 0, answer.output[-4000:]
    assert recap(answer.output)[ACCOUNT]["changed"] == 0
    assert control.log() == [], "every area is decided from the snapshot"
    assert "198.51.100.21" in answer.output, "the summary comes from the snapshot"


def test_an_old_snapshot_is_read_afresh_and_nothing_is_written(cli, control):
    _converged(cli, control)
    observed = _snapshot(cli, age=3600)
    control.call("DELETE", "/log")
    answer = cli.playbook(*ONE_ACCOUNT, "-e", "@%s" % observed, "smppops.ovh.bootstrap")
    assert answer.returncode == 0, answer.output[-4000:]
    assert recap(answer.output)[ACCOUNT]["changed"] == 0
    log = control.log()
    assert log and writes(log) == []
    # One read of the account, its settings, allowed IPs and senders (list + one sender): no area re-reads it.
    assert sorted(item["path"] for item in log if item["path"] != "/1.0/auth/time") == sorted([
        "/1.0/sms/%s" % ACCOUNT, "/1.0/sms/%s/smpp/settings" % ACCOUNT, "/1.0/sms/%s/smpp/allowedIPs" % ACCOUNT,
        "/1.0/sms/%s/senders" % ACCOUNT, "/1.0/sms/%s/senders/ACMETEST" % ACCOUNT])


def test_a_snapshot_showing_drift_still_converges_from_fresh_reads(cli, control):
    observed = _snapshot(cli)  # the seed: one allowed IP missing, 200 credits, no re-credit
    control.call("DELETE", "/log")
    answer = cli.playbook(*ONE_ACCOUNT, "-e", "@%s" % observed, "smppops.ovh.bootstrap", "--diff")
    assert answer.returncode == 0, answer.output[-4000:]
    assert recap(answer.output)[ACCOUNT]["changed"] == 1
    account = control.account(ACCOUNT)
    assert sorted(account["allowed_ips"]) == ["198.51.100.20", "198.51.100.21"] and account["credits_left"] == 500
    assert account["automatic_recredit_amount"] == 500 and account["credit_threshold"] == 50
    assert '-    "credits_left": 200' in answer.output and '+    "credits_left": 500' in answer.output, answer.output[-3000:]
    # Each write was decided from its own fresh read, after the snapshot was taken.
    assert [item["method"] for item in writes(control.log()) if item["path"].endswith("/smpp/allowedIPs")] == ["PUT"]


def test_a_failing_area_stops_the_later_ones(cli, control):
    play = os.path.join(cli.workdir, "failing.yml")
    with open(play, "w", encoding="utf-8") as handle:
        handle.write("""
- hosts: localhost
  gather_facts: false
  tasks:
    - smppops.ovh.smpp_account_state:
        service_name: %s
        allowed_ips: {ips: [198.51.100.20, 198.51.100.22]}
        top_up: {source: smpp-ab12345-1, min_credits: 1000, source_reserve: 1000}
        automatic_recredit: {amount: 500}
      register: outcome
      ignore_errors: true
    - ansible.builtin.copy:
        dest: "{{ playbook_dir }}/outcome.json"
        mode: "0600"
        content: "{{ outcome | to_json }}"
""" % ACCOUNT)
    answer = cli.playbook(play)
    assert answer.returncode == 0, answer.output[-4000:]
    with open(os.path.join(cli.workdir, "outcome.json"), encoding="utf-8") as handle:
        outcome = json.load(handle)
    assert outcome["failed"] is True and outcome["changed"] is True and outcome["failed_area"] == "top_up"
    assert outcome["areas_run"] == ["allowed_ips", "top_up"] and "automatic_recredit" not in outcome
    assert "below source_reserve=1000" in outcome["msg"]
    account = control.account(ACCOUNT)
    assert "198.51.100.22" in account["allowed_ips"], "the area before the failure was applied"
    assert account["automatic_recredit_amount"] is None and account["credits_left"] == 200
    assert [item for item in writes(control.log()) if item["path"] == "/1.0/sms/%s" % ACCOUNT] == []
