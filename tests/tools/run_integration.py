#!/usr/bin/env python
"""Run ``ansible-test integration`` against a live emulator process.

Usage (from a collection tree made by collection_tree.py, inside a virtualenv with ansible-core,
python-ovh and the test requirements): ``python tests/tools/run_integration.py [ansible-test args]``.
The emulator's address and credentials reach the targets through
tests/integration/integration_config.yml, which ansible-test passes to every target as variables.
"""

import os
import subprocess
import sys

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from emulator_process import ROOT, EmulatorProcess  # noqa: E402  pylint: disable=wrong-import-position


def main():
    with EmulatorProcess() as emulator:
        config = {"ovh_%s" % key: value for key, value in emulator.credentials().items()}
        config["emulator_url"] = emulator.root_url
        # The CA that signed the emulator's SMPP gateway certificate, for smpp_bind_check's ca_path.
        config["emulator_smpp_ca_path"] = emulator.ca_path
        with open(os.path.join(ROOT, "tests", "integration", "integration_config.yml"), "w", encoding="utf-8") as handle:
            yaml.safe_dump(config, handle)
        command = ["ansible-test", "integration", "--color", "no"] + sys.argv[1:]
        print("emulator at %s; running: %s" % (emulator.root_url, " ".join(command)), flush=True)
        return subprocess.call(command, cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main())
