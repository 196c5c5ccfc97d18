"""Many top-ups from one source, through ansible-playbook against a live emulator process.

The forks of one run hand the source's lease over to each other; two runs at once still keep apart.
The oracle is the emulator: balances, the transfer POSTs and the tag writes in its request log, and the
tags left on the accounts.
"""

import copy
import json
import os
import subprocess

import pytest
import yaml

from ansible_cli import ROOT, tool
from concurrency import ROUNDS

SOURCE = "smpp-ab12345-1"
RESERVE = 1000
MIN_CREDITS = 100
# Balances of the fed accounts: shortfalls of 100, 70, 40, 10 and 0, repeated; the source can give 500 above its
# reserve, less than the 660 they need together, so some top-ups must be refused for the reserve.
STARTS = [0, 30, 60, 90, 150] * 3
TARGETS = ["smpp-ab12345-%d" % (100 + index) for index in range(len(STARTS))]
# Twenty rounds of the concurrency tests on the newest ansible-core; these playbook rounds are slow: a tenth.
PLAYBOOK_ROUNDS = max(1, ROUNDS // 10)

PLAY = """
- hosts: fed
  gather_facts: false
  tasks:
    - smppops.ovh.smpp_credit:
        service_name: %s
        target: "{{ inventory_hostname }}"
        target_min_credits: %d
        source_reserve: %d
      ignore_errors: true
""" % (SOURCE, MIN_CREDITS, RESERVE)


@pytest.fixture()
def fleet(control):
    """The shipped seed plus the fed accounts; the shipped seed is put back afterwards."""
    with open(os.path.join(ROOT, "tests", "emulator", "seed.yml"), encoding="utf-8") as handle:
        shipped = yaml.safe_load(handle)
    seed = copy.deepcopy(shipped)
    template = [account for account in seed["accounts"] if account["service_name"] == "smpp-ab12345-2"][0]
    for name, credits in zip(TARGETS, STARTS):
        seed["accounts"].append(dict(copy.deepcopy(template), service_name=name, credits_left=credits, tags={}))
    control.call("POST", "/reset", json=seed)
    yield seed
    control.call("POST", "/reset", json=shipped)


def _command(tmp_path, forks):
    play, inventory = tmp_path / "top-up.yml", tmp_path / "fed.ini"
    play.write_text(PLAY)
    inventory.write_text("[fed]\n" + "".join("%s ansible_connection=local\n" % name for name in TARGETS))
    return [tool("ansible-playbook"), "-i", str(inventory), str(play), "--forks", str(forks)]


def _check_converged(control, runs_output):
    before = dict(zip(TARGETS, STARTS))
    now = {name: control.account(name)["credits_left"] for name in [SOURCE] + TARGETS}
    topped = [name for name in TARGETS if now[name] != before[name]]
    for name in topped:
        assert now[name] == MIN_CREDITS, "%s got more than its shortfall\n%s" % (name, runs_output)
    given = sum(MIN_CREDITS - before[name] for name in topped)
    assert now[SOURCE] == 1500 - given and now[SOURCE] >= RESERVE, runs_output
    # Every account short of credits was topped up unless the reserve did not allow its shortfall.
    for name in TARGETS:
        if name not in topped and before[name] < MIN_CREDITS:
            assert now[SOURCE] - (MIN_CREDITS - before[name]) < RESERVE, "%s was left short\n%s" % (name, runs_output)
    log = control.log()
    transfers = [r for r in log if r["method"] == "POST" and r["path"].endswith("/transferCredits") and r["status"] == 200]
    assert len(transfers) == len(topped), "one transfer per topped-up account, never two\n%s" % runs_output
    for name in [SOURCE] + TARGETS:
        left = {key: value for key, value in control.account(name)["tags"].items() if key.startswith("smppops-")
                and key != "smppops-password-rotated-at"}
        assert left == {}, "no record or lease left on %s" % name
    return log, transfers


def _source_lease_takes(log):
    return len([r for r in log if r["method"] == "DELETE" and r["path"].endswith("/tag/smppops-source-lease")])


def test_forks_of_one_run_hand_the_source_over_and_move_each_shortfall_once(control, cli, fleet, tmp_path):
    for unused_round in range(PLAYBOOK_ROUNDS):
        control.call("POST", "/reset")
        answer = subprocess.run(_command(tmp_path, forks=8), cwd=cli.workdir, env=cli.env, capture_output=True,
                                text=True, timeout=600, check=False)
        log, transfers = _check_converged(control, answer.stdout)
        assert "below source_reserve=%d" % RESERVE in answer.stdout, "the reserve refused the last shortfalls"
        # The forks queue for the source together: its lease is taken (and given back) fewer times than it is used.
        assert 1 <= _source_lease_takes(log) < len(transfers), answer.stdout


def test_two_runs_at_once_top_up_each_account_once_and_keep_the_reserve(control, cli, fleet, tmp_path):
    for unused_round in range(PLAYBOOK_ROUNDS):
        control.call("POST", "/reset")
        processes = [subprocess.Popen(_command(tmp_path, forks=6), cwd=cli.workdir, env=cli.env, stdout=subprocess.PIPE,
                                      stderr=subprocess.STDOUT, text=True) for unused in range(2)]
        outputs = [process.communicate(timeout=600)[0] for process in processes]
        _check_converged(control, json.dumps(outputs))
