#!/usr/bin/env python
"""The README's demo: against the OVH API emulator, bootstrap every SMPP account, audit them, then check
from the SMPP client hosts (tests/demo/clients) that they can bind to the emulator's SMPP gateway.

Credentials reach the collection the way an AWX credential would pass them: as OVH_* environment
variables of the ansible-playbook process. The inventory (tests/demo/inventory) uses the
smpp_accounts inventory plugin, with the desired state in its group_vars and host_vars.
"""

import os
import subprocess
import sys

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from emulator_process import ROOT, EmulatorProcess  # noqa: E402  pylint: disable=wrong-import-position

INVENTORY = os.path.join(ROOT, "tests", "demo", "inventory")
CLIENTS = os.path.join(ROOT, "tests", "demo", "clients")
REPORT_DIR = os.path.join(ROOT, "tests", "output", "demo")


def main():
    collections_path = os.path.abspath(os.path.join(ROOT, "..", "..", ".."))
    with EmulatorProcess() as emulator:
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_path, ANSIBLE_NOCOLOR="1",
                   ANSIBLE_STDOUT_CALLBACK="default", SMPP_GATEWAY_CA=emulator.ca_path, **emulator.environment())
        print("OVH API emulator at %s (seed: tests/emulator/seed.yml)" % emulator.root_url, flush=True)
        steps = [
            ("Bootstrap: every SMPP account to the desired state of tests/demo/inventory", ["smppops.ovh.bootstrap"]),
            ("Bootstrap again: nothing left to change (changed=0)", ["smppops.ovh.bootstrap"]),
            ("Audit: read-only comparison with the desired state", ["smppops.ovh.audit", "-e", "audit_report_dir=%s" % REPORT_DIR]),
        ]
        for title, args in steps:
            if args[0] == "smppops.ovh.audit":
                print("\n=== Meanwhile, someone removes 198.51.100.21 from smpp-ab12345-2 by hand ===", flush=True)
                requests.patch(emulator.root_url + "/_emulator/accounts/smpp-ab12345-2", json={"allowed_ips": ["198.51.100.20"]},
                               timeout=10).raise_for_status()
            print("\n=== %s ===" % title, flush=True)
            status = subprocess.call(["ansible-playbook", "-i", INVENTORY] + args + sys.argv[1:], env=env, cwd=ROOT)
            if status:
                return status
        with open(os.path.join(REPORT_DIR, "audit.md"), encoding="utf-8") as handle:
            print("\n=== %s ===\n%s" % (os.path.join(REPORT_DIR, "audit.md"), handle.read()), flush=True)
        print("\n=== Verify: which SMPP client host (tests/demo/clients) can bind to which account ===", flush=True)
        return subprocess.call(["ansible-playbook", "-i", CLIENTS, "smppops.ovh.verify"] + sys.argv[1:], env=env, cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main())
