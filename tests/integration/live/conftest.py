"""Fixtures for tests that drive a live emulator *process* over HTTP, like the real API."""

import pytest
import requests

from emulator_process import EmulatorProcess


@pytest.fixture(scope="session")
def emulator():
    with EmulatorProcess() as process:
        yield process


@pytest.fixture()
def control(emulator):
    """The emulator's control API, reset to the seed for each test."""
    class Control:
        def __init__(self, root):
            self.root = root + "/_emulator"

        def call(self, method, path, **kwargs):
            answer = requests.request(method, self.root + path, timeout=10, **kwargs)
            answer.raise_for_status()
            return answer.json() if answer.content else None

        def fault(self, **rule):
            return self.call("POST", "/faults", json=rule)

        def log(self):
            return self.call("GET", "/log")["requests"]

        def account(self, name):
            return self.call("GET", "/accounts/%s" % name)

    ctl = Control(emulator.root_url)
    ctl.call("POST", "/reset")
    ctl.call("DELETE", "/faults")
    ctl.call("DELETE", "/log")
    return ctl


@pytest.fixture()
def quick_lease(monkeypatch):
    """The emulator answers in milliseconds: a shorter write bound and settle keep 20 rounds quick (same protocol)."""
    from ansible_collections.smppops.ovh.plugins.module_utils import _account_lease
    monkeypatch.setattr(_account_lease, "WRITE_BOUND", 0.3)
    monkeypatch.setattr(_account_lease, "SETTLE", 0.45)
    monkeypatch.setattr(_account_lease, "POLL", 0.3)


@pytest.fixture()
def cli(emulator, control, tmp_path):
    """ansible-playbook / ansible-inventory in a scratch directory, emulator reset to the seed."""
    from ansible_cli import AnsibleCli
    return AnsibleCli(emulator, tmp_path)
