"""Concurrent smpp_acl tasks against the emulator never leave the allowed-IP list empty."""

import threading

import pytest

from ansible_collections.smppops.ovh.plugins.module_utils import _smpp_acl
from ansible_collections.smppops.ovh.plugins.module_utils._task import run_task
from emulator_clients import APPLICATION_KEY, APPLICATION_SECRET, CONSUMER_KEY
from tests.emulator import EmulatorServer

ACCOUNT = "smpp-ab12345-1"
ROUNDS = 20
FIRST = ["203.0.113.%d" % i for i in range(1, 3)]
SECOND = ["198.51.100.%d" % i for i in range(1, 3)]


@pytest.fixture(scope="module")
def emulator():
    with EmulatorServer(ip_update_seconds=0) as server:
        yield server


def params(server, ips):
    return {"endpoint": server.base_url, "application_key": APPLICATION_KEY, "application_secret": APPLICATION_SECRET,
            "consumer_key": CONSUMER_KEY, "client_id": None, "client_secret": None, "api_timeout": 10.0,
            "api_retries": 0, "report_api_calls": False, "service_name": ACCOUNT, "ips": ips, "state": "absent",
            "purge": False, "allow_empty": False, "allow_unreachable": False, "wait": True, "wait_timeout": 30}


@pytest.mark.parametrize("round_number", range(ROUNDS))
def test_two_tasks_removing_disjoint_halves_leave_one_address_at_least(emulator, round_number):
    del round_number
    emulator.state.reset()
    emulator.state.config["ip_update_seconds"] = 0
    emulator.state.accounts[ACCOUNT]["allowed_ips"] = FIRST + SECOND
    # A slow PUT widens the window between a task's read and its write, as on a busy API.
    emulator.state.faults.append({"kind": "latency", "method": "PUT", "path": "/1.0/sms/*/smpp/allowedIPs",
                                  "seconds": 0.05, "times": 2})
    outcomes = []
    barrier = threading.Barrier(2)

    def task(ips):
        barrier.wait()
        outcomes.append(run_task(_smpp_acl, params(emulator, ips)))
    threads = [threading.Thread(target=task, args=(ips,)) for ips in (FIRST, SECOND)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    left = emulator.state.accounts[ACCOUNT]["allowed_ips"]
    assert left, outcomes
    failures = [result["msg"] for failed, result in outcomes if failed]
    assert len(failures) == 1 and "locks every SMPP client out" in failures[0]
    assert sorted(left) in (sorted(FIRST), sorted(SECOND))
