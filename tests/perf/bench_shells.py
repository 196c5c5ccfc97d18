#!/usr/bin/env python
"""Benchmark: the same smpp_info task run N times through the action plugin and as a module.

Both runs read the same account from a live emulator process; the report gives ratios measured in
this one run (CPU seconds of ansible-playbook and its children, wall time, API calls per task), not
absolute times, because these machines are shared and noisy.

Usage: python tests/perf/bench_shells.py [N]   (inside the nox ``perf`` session or any venv with
ansible-core, python-ovh and the test requirements; run from the collection root of a tree under
``ansible_collections/smppops/ovh``).
"""

import os
import resource
import subprocess
import sys
import tempfile
import time

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "tools"))
from emulator_process import EmulatorProcess  # noqa: E402  pylint: disable=wrong-import-position

# A plain module file that runs the collection's module shell, so Ansible executes it the module
# way (AnsiballZ payload, one Python process per task) instead of through the action plugin.
MODULE_SHIM = """#!/usr/bin/python
from ansible_collections.smppops.ovh.plugins.module_utils import _smpp_info as logic
from ansible_collections.smppops.ovh.plugins.module_utils._module import run_module

if __name__ == '__main__':
    run_module(logic)
"""

PLAY = """- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
{tasks}"""

TASK = """    - name: read {index}
      {module}:
        service_name: smpp-ab12345-1
"""


def run_playbook(directory, module, count, env):
    playbook = os.path.join(directory, "%s.yml" % module.replace(".", "_"))
    with open(playbook, "w", encoding="utf-8") as handle:
        handle.write(PLAY.format(tasks="".join(TASK.format(index=i, module=module) for i in range(count))))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    subprocess.run(["ansible-playbook", "-i", "localhost,", playbook], env=env, cwd=directory, check=True,
                   stdout=subprocess.DEVNULL)
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def api_calls(emulator):
    log = requests.get(emulator.root_url + "/_emulator/log", timeout=10).json()["requests"]
    requests.delete(emulator.root_url + "/_emulator/log", timeout=10)
    return len(log)


def main(count):
    collections_path = os.path.abspath(os.path.join(ROOT, "..", "..", ".."))
    with EmulatorProcess() as emulator, tempfile.TemporaryDirectory() as directory:
        os.makedirs(os.path.join(directory, "library"))
        with open(os.path.join(directory, "library", "smpp_info_module.py"), "w", encoding="utf-8") as handle:
            handle.write(MODULE_SHIM)
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_path, ANSIBLE_LIBRARY=os.path.join(directory, "library"),
                   ANSIBLE_PYTHON_INTERPRETER=sys.executable, **emulator.environment())
        api_calls(emulator)
        results = {}
        for label, module in (("action plugin", "smppops.ovh.smpp_info"), ("module", "smpp_info_module")):
            cpu, wall = run_playbook(directory, module, count, env)
            results[label] = (cpu, wall, api_calls(emulator) / float(count))
    action, module = results["action plugin"], results["module"]
    print("%d smpp_info tasks per run" % count)
    for label, (cpu, wall, calls) in results.items():
        print("  %-13s cpu %6.2f s  wall %6.2f s  api calls/task %.1f" % (label, cpu, wall, calls))
    print("ratio module/action: cpu %.1fx, wall %.1fx" % (module[0] / action[0], module[1] / action[1]))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40)
