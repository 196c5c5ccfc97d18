#!/usr/bin/env python
"""How long ``ansible-inventory --list`` takes to read N accounts at L seconds per request, by cap.

    python tests/perf/bench_inventory.py --accounts 100 --latency 0.1 --caps 1,10,20 \\
        [--baseline /path/holding/ansible_collections/of/an/older/tree]

Every run is a separate ``ansible-inventory`` process against one emulator process seeded with the
fleet benchmark's accounts (tests/perf/fleet_world.py). It prints a Markdown table: wall time, the
requests the emulator saw (per SMPP account and in all), the most it held at once, and the ratios to
the serial read (cap 1) and to the floor (requests x latency / cap). ``--baseline`` adds a run of another
tree of the collection (for example the commit before concurrent reads), with its own cap ignored.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

import requests
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tools"))

import fleet_world  # noqa: E402  pylint: disable=wrong-import-position
from emulator_process import EmulatorProcess  # noqa: E402  pylint: disable=wrong-import-position


def collections_path():
    parts = fleet_world.ROOT.split(os.sep)
    if parts[-3:-1] != ["ansible_collections", "smppops"]:
        raise SystemExit("run from a tree at .../ansible_collections/smppops/ovh")
    return os.sep.join(parts[:-3])


def most_in_flight(log):
    events = sorted([(item["time"], 1) for item in log] + [(item["done"], -1) for item in log])
    now = highest = 0
    for unused, step in events:
        now += step
        highest = max(highest, now)
    return highest


def run(emulator, workdir, tree, cap):
    requests.delete(emulator.root_url + "/_emulator/log", timeout=10).raise_for_status()
    config = os.path.join(workdir, "bench.smpp_accounts.yml")
    with open(config, "w", encoding="utf-8") as handle:
        handle.write("plugin: smppops.ovh.smpp_accounts\n")
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=tree, OVH_MAX_CONCURRENT_REQUESTS=str(cap),
               ANSIBLE_LOCAL_TEMP=workdir, **emulator.environment())
    env.pop("PYTHONPATH", None)
    started = time.monotonic()
    answer = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-inventory"), "-i", config,
                             "--list"], env=env, cwd=workdir, capture_output=True, text=True, check=False)
    wall = time.monotonic() - started
    if answer.returncode != 0:
        raise SystemExit(answer.stdout + answer.stderr)
    log = [item for item in requests.get(emulator.root_url + "/_emulator/log", timeout=10).json()["requests"]
           if item["path"].startswith("/1.0/sms")]
    return {"wall": wall, "requests": len(log), "in_flight": most_in_flight(log)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--accounts", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--caps", default="1,10,20")
    parser.add_argument("--baseline", help="ANSIBLE_COLLECTIONS_PATH of another tree of the collection")
    args = parser.parse_args()
    caps = [int(cap) for cap in args.caps.split(",")]
    rows = []
    with tempfile.TemporaryDirectory(prefix="smppops-bench-inventory-") as workdir:
        seed = os.path.join(workdir, "seed.yml")
        with open(seed, "w", encoding="utf-8") as handle:
            yaml.safe_dump(fleet_world.seed(args.accounts, args.latency, converge=False), handle)
        with EmulatorProcess(seed=seed) as emulator:
            if args.baseline:
                rows.append(("baseline tree", None, run(emulator, workdir, args.baseline, 1)))
            for cap in caps:
                rows.append(("this tree, cap %d" % cap, cap, run(emulator, workdir, collections_path(), cap)))
    serial = next((row[2]["wall"] for row in rows if row[1] == 1), None)
    print("N=%d accounts, L=%d ms per request\n" % (args.accounts, args.latency * 1000))
    print("| run | wall (s) | requests | per SMPP account | most in flight | / cap 1 | / floor |")
    print("|---|---|---|---|---|---|---|")
    for label, cap, found in rows:
        floor = found["requests"] * args.latency / (cap or 1)
        print("| %s | %.1f | %d | %.2f | %d | %s | %.1f |" % (
            label, found["wall"], found["requests"], (found["requests"] - 2) / args.accounts, found["in_flight"],
            "%.2f" % (found["wall"] / serial) if serial else "-", found["wall"] / floor))


if __name__ == "__main__":
    main()
