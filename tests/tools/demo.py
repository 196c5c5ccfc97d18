#!/usr/bin/env python
"""The README's demo: start the OVH API emulator, then run the demo playbook against it.

Credentials reach the collection the way an AWX credential would pass them: as OVH_* environment
variables of the ansible-playbook process.
"""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from emulator_process import ROOT, EmulatorProcess  # noqa: E402  pylint: disable=wrong-import-position


def main():
    collections_path = os.path.abspath(os.path.join(ROOT, "..", "..", ".."))
    with EmulatorProcess() as emulator:
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_path, ANSIBLE_NOCOLOR="1",
                   ANSIBLE_STDOUT_CALLBACK="default", **emulator.environment())
        print("OVH API emulator at %s (seed: tests/emulator/seed.yml)" % emulator.root_url, flush=True)
        playbook = os.path.join(ROOT, "tests", "demo", "smpp_info.yml")
        return subprocess.call(["ansible-playbook", "-i", "localhost,", playbook] + sys.argv[1:], env=env, cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main())
