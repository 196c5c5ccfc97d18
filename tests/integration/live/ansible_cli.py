"""Run the Ansible command-line tools against the live emulator, as a user or an AWX job would."""

import os
import re
import shutil
import subprocess
import sys

import ansible_collections

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
DEMO_INVENTORY = os.path.join(ROOT, "tests", "demo", "inventory")


def collections_path():
    """The directory holding ansible_collections/smppops/ovh (the tree under test)."""
    for entry in ansible_collections.__path__:
        if os.path.isdir(os.path.join(entry, "smppops", "ovh")):
            return os.path.dirname(entry)
    raise AssertionError("smppops.ovh is not importable")


def tool(name):
    return os.path.join(os.path.dirname(sys.executable), name)


def copy_demo_inventory(destination):
    """A private copy of the demo inventory, so a test can change the desired state."""
    target = os.path.join(str(destination), "inventory")
    shutil.copytree(DEMO_INVENTORY, target)
    return target


class AnsibleCli:
    """ansible-playbook / ansible-inventory with the emulator's credentials in OVH_* variables."""

    def __init__(self, emulator, workdir):
        self.workdir = str(workdir)
        self.env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_path(), ANSIBLE_NOCOLOR="1",
                        ANSIBLE_LOCALHOST_WARNING="0", ANSIBLE_FORCE_COLOR="0", PWD=self.workdir,
                        XDG_STATE_HOME=os.path.join(self.workdir, "state"),
                        **emulator.environment())
        self.env.pop("PYTHONPATH", None)

    def run(self, name, *args, env=None, stdin=None):
        command = [tool(name)] + [str(arg) for arg in args]
        answer = subprocess.run(command, cwd=self.workdir, env=dict(self.env, **(env or {})), input=stdin,
                                capture_output=True, text=True, timeout=600, check=False)
        answer.output = answer.stdout + answer.stderr
        return answer

    def playbook(self, *args, **kwargs):
        return self.run("ansible-playbook", *args, **kwargs)

    def inventory(self, *args, **kwargs):
        return self.run("ansible-inventory", *args, **kwargs)


def recap(output):
    """{host: {ok: n, changed: n, failed: n, ...}} from the PLAY RECAP of ansible-playbook."""
    hosts = {}
    in_recap = False
    for line in output.splitlines():
        if line.startswith("PLAY RECAP"):
            in_recap = True
            continue
        if in_recap and re.match(r"^\S+\s*: ok=", line):
            host, counters = line.split(":", 1)
            hosts[host.strip()] = {key: int(value) for key, value in (item.split("=") for item in counters.split())}
    return hosts


def writes(requests):
    return [item for item in requests if item["method"] != "GET"]
