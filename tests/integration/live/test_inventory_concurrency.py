"""ansible-inventory reads the accounts side by side, never more than max_concurrent_requests at once:
what the emulator process saw (its request log, with 100 ms added to every request) tells it."""

import json
import os
import sys

import pytest
import requests
import yaml

from ansible_cli import AnsibleCli
from emulator_process import EmulatorProcess

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "perf"))
import fleet_world  # noqa: E402  pylint: disable=wrong-import-position

ACCOUNTS = fleet_world.account_names(12)
CAP = 4


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    seed = tmp_path_factory.mktemp("fleet") / "seed.yml"
    seed.write_text(yaml.safe_dump(fleet_world.seed(len(ACCOUNTS), 0.1, converge=False)))
    with EmulatorProcess(seed=str(seed)) as process:
        yield process


def most_in_flight(log):
    """The highest number of requests the server held at once (arrival and answer times of each)."""
    events = sorted([(item["time"], 1) for item in log] + [(item["done"], -1) for item in log],
                    key=lambda event: (event[0], event[1]))
    now = highest = 0
    for unused, step in events:
        now += step
        highest = max(highest, now)
    return highest


def test_reads_overlap_and_never_exceed_the_cap(fleet, tmp_path):
    requests.delete(fleet.root_url + "/_emulator/log", timeout=10).raise_for_status()
    config = tmp_path / "fleet.smpp_accounts.yml"
    config.write_text("plugin: smppops.ovh.smpp_accounts\nmax_concurrent_requests: %d\n" % CAP)
    answer = AnsibleCli(fleet, tmp_path).inventory("-i", config, "--list")
    assert answer.returncode == 0, answer.output
    listed = json.loads(answer.stdout)
    assert listed["smpp_accounts"]["hosts"] == ACCOUNTS
    first = listed["_meta"]["hostvars"][ACCOUNTS[0]]
    assert first["smpp_observed"]["read_at"] == first["smpp_read_at"]

    log = [item for item in requests.get(fleet.root_url + "/_emulator/log", timeout=10).json()["requests"]
           if item["path"].startswith("/1.0/sms")]
    assert {item["method"] for item in log} == {"GET"}
    assert 2 <= most_in_flight(log) <= CAP, "reads overlap, within the cap"
    # As many requests as one account after another: the list, then per SMPP account its account, settings,
    # allowed IPs, sender list and one batch read of its 2 senders; the pool account (no SMPP) once.
    per_account = {name: [item for item in log if item["path"].split("/")[3:4] == [name]] for name in ACCOUNTS}
    assert {name: len(items) for name, items in per_account.items()} == {name: 5 for name in ACCOUNTS}
    assert len(log) == 1 + 5 * len(ACCOUNTS) + 1
