#!/usr/bin/env python
"""Top-ups from one source: N accounts topped up from one pool by one ansible-playbook run (forks F).

The emulator is seeded with the pool and N accounts short of credits, with L seconds added to every
request; one play runs ``smppops.ovh.smpp_credit`` with ``target_min_credits`` on every account. It
prints the wall time, the requests per transfer by route, and how the transfers are spaced: the median
gap between two transfers from the pool against its floor, the three requests made while the pool is
held (3 × L). Run it from the collection root with the collection importable, e.g.::

    ANSIBLE_COLLECTIONS_PATH=/path/to/dir/holding/ansible_collections python tests/perf/bench_topups.py --accounts 100
"""

import argparse
import copy
import json
import os
import subprocess
import sys
import tempfile
import time

import requests
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "tools"))

from emulator_process import EmulatorProcess  # noqa: E402  pylint: disable=wrong-import-position

POOL = "smpp-ab12345-1"
PLAY = """
- hosts: fed
  gather_facts: false
  tasks:
    - smppops.ovh.smpp_credit:
        service_name: %s
        target: "{{ inventory_hostname }}"
        target_min_credits: 100
        source_reserve: 1000
""" % POOL


def seed(accounts, latency):
    with open(os.path.join(ROOT, "tests", "emulator", "seed.yml"), encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    template = [account for account in data["accounts"] if account["service_name"] == "smpp-ab12345-2"][0]
    names = ["smpp-tu%05d-1" % index for index in range(accounts)]
    data["accounts"] += [dict(copy.deepcopy(template), service_name=name, credits_left=40, tags={}) for name in names]
    data["accounts"][0]["credits_left"] = 1000 + 60 * accounts
    data["latency_seconds"] = latency
    return data, names


def route(path):
    if path.startswith("/v2/"):
        return "/v2/iam/resource/{urn}" + ("/tag" if path.endswith("/tag") else "/tag/{key}" if "/tag/" in path else "")
    return "/".join("{pool}" if part == POOL else "{target}" if part.startswith("smpp-tu") else part
                    for part in path.split("/"))


def measure(accounts, forks, latency):
    data, names = seed(accounts, latency)
    with EmulatorProcess() as emulator, tempfile.TemporaryDirectory() as work:
        control = emulator.root_url + "/_emulator"
        requests.post(control + "/reset", json=data, timeout=60).raise_for_status()
        requests.delete(control + "/log", timeout=10).raise_for_status()
        with open(os.path.join(work, "fed.ini"), "w", encoding="utf-8") as handle:
            handle.write("[fed]\n" + "".join("%s ansible_connection=local\n" % name for name in names))
        with open(os.path.join(work, "top-up.yml"), "w", encoding="utf-8") as handle:
            handle.write(PLAY)
        env = dict(os.environ, ANSIBLE_NOCOLOR="1", **{"OVH_" + key.upper(): str(value)
                                                       for key, value in emulator.credentials().items() if value is not None})
        started = time.time()
        run = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", "fed.ini",
                              "top-up.yml", "--forks", str(forks)], cwd=work, env=env, capture_output=True, text=True,
                             check=False)
        wall = time.time() - started
        log = requests.get(control + "/log", timeout=60).json()["requests"]
        short = [name for name in names if requests.get(control + "/accounts/" + name, timeout=10).json()["credits_left"] != 100]
    transfers = sorted(entry["time"] for entry in log if entry["path"].endswith("/transferCredits") and entry["status"] == 200)
    gaps = sorted(later - earlier for earlier, later in zip(transfers, transfers[1:]))
    routes = {}
    for entry in log:
        key = "%s %s" % (entry["method"], route(entry["path"]))
        routes[key] = routes.get(key, 0) + 1
    gap = gaps[len(gaps) // 2] if gaps else None
    return {"accounts": accounts, "forks": forks, "latency_s": latency, "playbook_rc": run.returncode,
            "wall_s": round(wall, 2), "transfers": len(transfers), "accounts_left_short": len(short),
            "transfers_span_s": round(transfers[-1] - transfers[0], 2) if transfers else None,
            "median_gap_between_transfers_s": round(gap, 3) if gap is not None else None,
            "median_gap_over_floor": round(gap / (3 * latency), 2) if gap is not None and latency else None,
            "requests_per_transfer": {key: round(count / max(1, len(transfers)), 2) for key, count in sorted(routes.items())}}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--accounts", type=int, default=100)
    parser.add_argument("--forks", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.1)
    options = parser.parse_args()
    print(json.dumps(measure(options.accounts, options.forks, options.latency), indent=1))


if __name__ == "__main__":
    main()
