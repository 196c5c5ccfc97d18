"""smpp_credit moves credits at most once per intent, in doubt and in parallel, against a live emulator process.

The oracle is the emulator: the balances it holds and the transfer POSTs in its request log.
"""

import contextlib
import json
import subprocess
import time

import pytest

from ansible_collections.smppops.ovh.plugins.module_utils import _account_lease, _smpp_credit
from ansible_cli import tool
from concurrency import ROUNDS, in_threads as _in_threads
from ansible_collections.smppops.ovh.plugins.module_utils._task import run_task

SOURCE, STAGING, NEW = "smpp-ab12345-1", "smpp-ab12345-2", "smpp-ab12345-3"
TRANSFER_PATH = "/1.0/sms/%s/transferCredits" % SOURCE


def transfer(emulator, **options):
    params = dict(emulator.credentials(), client_id=None, client_secret=None, api_timeout=5.0, api_retries=2,
                  report_api_calls=False, service_name=SOURCE, target=STAGING, credits=None, target_min_credits=None,
                  source_reserve=0, transfer_key=None, forget_unknown_transfer=False, settle_timeout=10, lock_timeout=120,
                  automatic_recredit_amount=None, automatic_recredit_threshold=None)
    params.update(options)
    warnings = []
    failed, result = run_task(_smpp_credit, params, warn=warnings.append)
    result["warnings"] = warnings
    return failed, result


def balances(control):
    return {name: control.account(name)["credits_left"] for name in (SOURCE, STAGING, NEW)}


def transfer_posts(control):
    return [r for r in control.log() if r["method"] == "POST" and r["path"].endswith("/transferCredits")]


# In doubt ----------------------------------------------------------------------------------------------
def test_a_transfer_slower_than_api_timeout_is_settled_as_applied_once(emulator, control):
    control.fault(method="POST", path=TRANSFER_PATH, kind="latency", seconds=2.5, times=1)
    failed, result = transfer(emulator, credits=100, api_timeout=1.0, settle_timeout=8)
    assert not failed, result["msg"]
    assert result["transfer_outcome"] == "applied" and result["transferred"] == 100
    for unused_run in range(2):
        failed, again = transfer(emulator, credits=100, api_timeout=1.0)
        assert not failed and not again["changed"] and again["transferred"] == 0
    assert balances(control)[STAGING] == 300 and len(transfer_posts(control)) == 1


def test_a_transfer_still_in_flight_after_settling_is_unknown_and_never_doubled(emulator, control):
    control.fault(method="POST", path=TRANSFER_PATH, kind="latency", seconds=8, times=1)
    failed, result = transfer(emulator, credits=100, api_timeout=1.0, settle_timeout=1)
    assert failed and result["transfer_outcome"] == "unknown" and "safe to run again" not in result["msg"]
    # Running again as the message allows, while the request is still in flight: nothing is sent.
    failed, again = transfer(emulator, credits=100, api_timeout=1.0)
    assert failed and again["transfer_outcome"] == "unknown" and len(transfer_posts(control)) == 1
    _wait_for(lambda: balances(control)[STAGING] == 300)
    failed, settled = transfer(emulator, credits=100)
    assert not failed and settled["transferred"] == 0
    assert any("it was applied" in warning for warning in settled["warnings"])
    assert balances(control) == {SOURCE: 1400, STAGING: 300, NEW: 0} and len(transfer_posts(control)) == 1


def test_a_top_up_still_in_flight_is_not_topped_up_again(emulator, control):
    control.fault(method="POST", path=TRANSFER_PATH, kind="latency", seconds=8, times=1)
    failed, result = transfer(emulator, target_min_credits=500, api_timeout=1.0, settle_timeout=1)
    assert failed and result["transfer_outcome"] == "unknown"
    failed, again = transfer(emulator, target_min_credits=500)
    assert failed and again["transfer_outcome"] == "unknown"
    _wait_for(lambda: balances(control)[STAGING] == 500)
    failed, settled = transfer(emulator, target_min_credits=500)
    assert not failed and not settled["changed"]
    assert balances(control)[STAGING] == 500 and len(transfer_posts(control)) == 1


def test_an_unreadable_success_answer_is_not_not_applied(emulator, control):
    control.fault(method="POST", path=TRANSFER_PATH, kind="garbage_after_commit", times=1)
    failed, result = transfer(emulator, credits=100)
    assert not failed and result["transfer_outcome"] == "applied"
    failed, again = transfer(emulator, credits=100)
    assert not again["changed"] and len(transfer_posts(control)) == 1 and balances(control)[STAGING] == 300


def test_a_refused_transfer_is_not_applied_and_safe_to_run_again(emulator, control):
    control.fault(method="POST", path=TRANSFER_PATH, kind="status", status=400, times=1)
    failed, result = transfer(emulator, credits=100)
    assert failed and result["transfer_outcome"] == "not_applied" and "safe to run again" in result["msg"]
    assert result["changed"] is False
    failed, again = transfer(emulator, credits=100)
    assert not failed and again["transferred"] == 100 and balances(control)[STAGING] == 300


def test_a_failed_read_after_a_successful_transfer_still_reports_applied(emulator, control):
    control.fault(method="GET", path="/1.0/sms/%s" % STAGING, kind="status", status=500, times=10, skip=2)
    failed, result = transfer(emulator, credits=100, api_retries=1)
    assert not failed and result["transfer_outcome"] == "applied" and result["transferred"] == 100
    assert balances(control)[STAGING] == 300


def test_records_and_leases_need_their_rights_before_anything_moves(emulator, control):
    failed, result = transfer(emulator, credits=100, consumer_key="demo-consumer-key-no-iam")
    assert failed and "/v2/iam/resource/*" in result["msg"] and transfer_posts(control) == []


def _wait_for(condition, seconds=15):
    deadline = time.time() + seconds
    while not condition():
        assert time.time() < deadline, "the emulator did not apply the request in time"
        time.sleep(0.2)


# In parallel -------------------------------------------------------------------------------------------
@pytest.fixture(params=["one-controller", "two-controllers"])
def controllers(request, monkeypatch):
    """Two controllers share no lock file: only the lease recorded on the accounts keeps them apart."""
    if request.param == "two-controllers":
        monkeypatch.setattr(_account_lease, "account_lock", lambda *args, **kwargs: contextlib.nullcontext())
    return request.param


def test_concurrent_top_ups_of_one_target_move_the_shortfall_once(emulator, control, controllers, quick_lease):
    for unused_round in range(ROUNDS):
        control.call("POST", "/reset")
        _in_threads([lambda: transfer(emulator, target_min_credits=500)] * 2)
        assert balances(control) == {SOURCE: 1200, STAGING: 500, NEW: 0}


def test_concurrent_top_ups_from_one_source_never_cross_its_reserve(emulator, control, controllers, quick_lease):
    for unused_round in range(ROUNDS):
        control.call("POST", "/reset")
        results = _in_threads([
            lambda: transfer(emulator, target=STAGING, target_min_credits=800, source_reserve=500),
            lambda: transfer(emulator, target=NEW, target_min_credits=600, source_reserve=500)])
        now = balances(control)
        # Either transfer alone keeps the source above its reserve (1500 - 600); both would not (300).
        assert now[SOURCE] == 900 and sum(now.values()) == 1700
        assert [failed for failed, unused in results].count(True) == 1
        assert (now[STAGING], now[NEW]) in ((800, 0), (200, 600))


PLAY = """
- hosts: %(hosts)s
  gather_facts: false
  tasks:
    - smppops.ovh.smpp_credit:
        service_name: %(source)s
        target: "{{ target | default(inventory_hostname) }}"
        target_min_credits: "{{ min_credits }}"
        source_reserve: 500
      ignore_errors: true
"""


def _playbook(cli, tmp_path, hosts, extra):
    path = tmp_path / ("play-%s.yml" % hosts)
    path.write_text(PLAY % {"hosts": hosts, "source": SOURCE})
    inventory = tmp_path / "hosts.ini"
    inventory.write_text("[gateways]\n%s min_credits=800 ansible_connection=local\n%s min_credits=600 ansible_connection=local\n"
                         "[controller]\nlocalhost ansible_connection=local\n" % (STAGING, NEW))
    command = ["-i", str(inventory), str(path), "--forks", "5", "-e", json.dumps(extra)]
    return [tool("ansible-playbook")] + command


def test_two_playbooks_at_once_never_double_a_top_up_or_cross_the_reserve(emulator, control, cli, tmp_path):
    for unused_round in range(ROUNDS):
        control.call("POST", "/reset")
        processes = [subprocess.Popen(_playbook(cli, tmp_path, "localhost", {"target": STAGING, "min_credits": 500}),
                                      cwd=cli.workdir, env=cli.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
                     for unused in range(2)]
        for process in processes:
            process.communicate(timeout=300)
        assert balances(control) == {SOURCE: 1200, STAGING: 500, NEW: 0}
        assert len(transfer_posts(control)) == 1


def test_hosts_of_one_play_fed_by_one_source_never_cross_its_reserve(emulator, control, cli, tmp_path):
    for unused_round in range(ROUNDS):
        control.call("POST", "/reset")
        answer = subprocess.run(_playbook(cli, tmp_path, "gateways", {}), cwd=cli.workdir, env=cli.env,
                                capture_output=True, text=True, timeout=300, check=False)
        now = balances(control)
        assert now[SOURCE] == 900, answer.stdout
        assert (now[STAGING], now[NEW]) in ((800, 0), (200, 600)), answer.stdout
        assert len(transfer_posts(control)) == 1
