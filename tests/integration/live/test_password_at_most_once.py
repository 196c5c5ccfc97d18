"""smpp_password renews at most once per period, whatever fails, against a live emulator process.

The oracle is the emulator itself: how many renewals it applied and which rotation tag the account
carries afterwards, read through its control API.
"""

import contextlib
import subprocess
from datetime import datetime, timedelta, timezone

import pytest

from ansible_cli import tool
from concurrency import ROUNDS, in_threads

from ansible_collections.smppops.ovh.plugins.module_utils import _smpp_password
from ansible_collections.smppops.ovh.plugins.module_utils._task import run_task

TRACKED, UNTRACKED = "smpp-ab12345-1", "smpp-ab12345-2"
TAG = "smppops-password-rotated-at"
SEEDED = "2026-10-01T08:00:00Z"
URN_PATH = "/v2/iam/resource/urn:v1:eu:resource:sms:%s"
RENEW = "/*/sms/%s/smpp/password"


def renew(emulator, name, endpoint=None, consumer_key=None, **options):
    params = dict(emulator.credentials(), client_id=None, client_secret=None, api_timeout=5.0, api_retries=1,
                  report_api_calls=True, service_name=name, max_age_days=None, force=False, untracked="skip",
                  wait_timeout=30, lock_timeout=60)
    if endpoint is not None:
        params["endpoint"] = endpoint
    if consumer_key is not None:
        params["consumer_key"] = consumer_key
    params.update(options)
    warnings = []
    failed, result = run_task(_smpp_password, params, warn=warnings.append)
    result["warnings"] = warnings
    return failed, result


def renewals(control, name):
    return control.account(name)["password_renewals"]


def tag(control, name):
    return control.account(name)["tags"].get(TAG)


def days_ago(days):
    return (datetime.now(timezone.utc) - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize("suffix", ["/1.0", "/v1", "/v1/", "/", ""])
def test_every_endpoint_form_renews_once_and_records_it(emulator, control, suffix):
    endpoint = emulator.root_url + suffix
    failed, result = renew(emulator, TRACKED, endpoint=endpoint, max_age_days=30)
    assert not failed, result["msg"]
    assert result["rotated"] and result["rotation_recorded"]
    assert renewals(control, TRACKED) == 1 and tag(control, TRACKED) == result["rotated_at"]
    failed, again = renew(emulator, TRACKED, endpoint=endpoint, max_age_days=30)
    assert not failed and not again["changed"] and renewals(control, TRACKED) == 1
    assert not any(r["path"].startswith(("/v1/v2", "/1.0/v2")) for r in control.log())


def test_missing_tag_rights_mean_no_renewal(emulator, control):
    for unused_run in range(2):
        failed, result = renew(emulator, TRACKED, consumer_key="demo-consumer-key-no-iam", max_age_days=30)
        assert failed and "/v2/iam/resource/*" in result["msg"] and "not renewed" in result["msg"]
        assert result["changed"] is False
    assert renewals(control, TRACKED) == 0 and tag(control, TRACKED) == SEEDED
    assert not [r for r in control.log() if r["path"].endswith("/smpp/password")]


@pytest.mark.parametrize("faults", [
    [{"method": "POST", "kind": "status", "status": 500, "times": 1}],
    [{"method": "POST", "kind": "drop_before_commit", "times": 1}],
    [{"method": "PUT", "kind": "status", "status": 500, "times": 5}],
    [{"method": "PUT", "kind": "drop_before_commit", "times": 5}],
    # No PUT: removed and added again; the add fails, so the previous value is put back.
    [{"method": "PUT", "kind": "status", "status": 403, "times": 1},
     {"method": "POST", "kind": "status", "status": 500, "times": 1, "skip": 1}],
    [{"method": "PUT", "kind": "status", "status": 405, "times": 1},
     {"method": "POST", "kind": "status", "status": 403, "times": 1, "skip": 1}],
])
def test_a_refused_overwrite_never_loses_the_tag_and_never_renews(emulator, control, faults):
    for rule in faults:
        if rule["method"] == "POST":
            rule = dict(rule, body_contains=TAG)  # the record, not the lease written before it
        control.fault(path=(URN_PATH % TRACKED) + ("/tag" if rule["method"] == "POST" else ""), **rule)
    failed, result = renew(emulator, TRACKED, max_age_days=30)
    assert failed and "not renewed" in result["msg"]
    assert renewals(control, TRACKED) == 0
    assert tag(control, TRACKED) == SEEDED


@pytest.mark.parametrize("rule", [
    {"method": "PUT", "kind": "drop_after_commit", "times": 1},
    {"method": "PUT", "kind": "status", "status": 503, "times": 1},
])
def test_an_overwrite_whose_answer_is_lost_is_verified_then_renews_once(emulator, control, rule):
    control.fault(path=URN_PATH % TRACKED, **rule)
    failed, result = renew(emulator, TRACKED, max_age_days=30)
    assert not failed, result["msg"]
    assert renewals(control, TRACKED) == 1 and tag(control, TRACKED) == result["rotated_at"]


def test_without_put_the_record_is_removed_and_added_again_then_renews_once(emulator, control):
    control.fault(method="PUT", path=URN_PATH % TRACKED, kind="status", status=403, times=1)
    failed, result = renew(emulator, TRACKED, max_age_days=30)
    assert not failed, result["msg"]
    assert renewals(control, TRACKED) == 1 and tag(control, TRACKED) == result["rotated_at"]


def test_a_tag_that_cannot_be_put_back_is_said_and_nothing_renewed(emulator, control):
    control.fault(method="PUT", path=URN_PATH % TRACKED, kind="status", status=403, times=1)
    control.fault(method="POST", path=(URN_PATH % TRACKED) + "/tag", kind="status", status=500, times=2, skip=1,
                  body_contains=TAG)
    failed, result = renew(emulator, TRACKED, max_age_days=30)
    assert failed and "the tag is missing now" in result["msg"] and "not renewed" in result["msg"]
    assert renewals(control, TRACKED) == 0


@pytest.mark.parametrize("kind", ["drop_after_commit", "drop_before_commit"])
def test_a_renewal_whose_answer_is_lost_keeps_its_record(emulator, control, kind):
    control.fault(method="POST", path=RENEW % TRACKED, kind=kind, times=1)
    failed, result = renew(emulator, TRACKED, max_age_days=30)
    assert failed and result["changed"] is True
    assert result["renewal_outcome"] == "unknown" and "MAY HAVE BEEN RENEWED" in result["msg"]
    applied = renewals(control, TRACKED)
    assert applied == (1 if kind == "drop_after_commit" else 0)
    assert tag(control, TRACKED) == result["rotated_at"]
    for unused_run in range(3):
        failed, again = renew(emulator, TRACKED, max_age_days=30)
        assert not failed and not again["changed"]
    assert renewals(control, TRACKED) == applied
    assert len([r for r in control.log() if r["path"].endswith("/smpp/password")]) == 1


@pytest.mark.parametrize("name,previous", [(TRACKED, SEEDED), (UNTRACKED, None)])
def test_a_refused_renewal_puts_the_previous_record_back(emulator, control, name, previous):
    control.fault(method="POST", path=RENEW % name, kind="status", status=409, times=1)
    failed, result = renew(emulator, name, force=True)
    assert failed and result["renewal_outcome"] == "not_renewed" and result["changed"] is False
    assert renewals(control, name) == 0 and tag(control, name) == previous


def test_a_record_that_cannot_be_put_back_is_said(emulator, control):
    control.fault(method="POST", path=RENEW % TRACKED, kind="status", status=409, times=1)
    control.fault(method="PUT", path=URN_PATH % TRACKED, kind="status", status=403, times=1, skip=1)
    control.fault(method="DELETE", path=(URN_PATH % TRACKED) + "/tag/*", kind="status", status=403, times=1)
    failed, result = renew(emulator, TRACKED, force=True)
    assert failed and "could not be put back" in result["msg"] and "force=true" in result["msg"]
    assert renewals(control, TRACKED) == 0 and tag(control, TRACKED) == result["rotated_at"]


def test_unknown_age_is_not_due(emulator, control):
    failed, result = renew(emulator, UNTRACKED, max_age_days=30)
    assert not failed and not result["changed"] and result["untracked"]
    assert any(UNTRACKED in warning and "untracked=track" in warning for warning in result["warnings"])
    assert renewals(control, UNTRACKED) == 0 and tag(control, UNTRACKED) is None


def test_untracked_track_starts_counting_without_renewing(emulator, control):
    failed, result = renew(emulator, UNTRACKED, max_age_days=30, untracked="track")
    assert not failed and result["changed"] and not result["rotated"]
    assert renewals(control, UNTRACKED) == 0 and tag(control, UNTRACKED) == result["tracked_since"]
    failed, again = renew(emulator, UNTRACKED, max_age_days=30)
    assert not failed and not again["changed"] and not again["untracked"]


def test_untracked_renew_renews_once(emulator, control):
    failed, result = renew(emulator, UNTRACKED, max_age_days=30, untracked="renew")
    assert not failed and result["rotated"] and renewals(control, UNTRACKED) == 1
    failed, again = renew(emulator, UNTRACKED, max_age_days=30, untracked="renew")
    assert not again["changed"] and renewals(control, UNTRACKED) == 1


def test_the_v2_record_decides_when_the_account_does_not_show_it(emulator, control):
    control.call("PATCH", "/accounts/%s" % TRACKED, json={"tags": {TAG: days_ago(2)}})
    control.call("PUT", "/config", json={"v1_iam_tags": "hidden"})
    failed, result = renew(emulator, TRACKED, max_age_days=30)
    assert not failed and not result["changed"] and result["previous_rotated_at"] is not None
    assert renewals(control, TRACKED) == 0
    failed, result = renew(emulator, UNTRACKED, max_age_days=30, untracked="track")
    assert result["changed"]
    failed, result = renew(emulator, UNTRACKED, max_age_days=30)
    assert not result["changed"] and not result["untracked"]


def test_a_stale_account_view_cannot_cause_a_second_renewal(emulator, control):
    failed, first = renew(emulator, TRACKED, max_age_days=30)
    assert not failed and renewals(control, TRACKED) == 1
    # The 1.0 view lags behind: it still shows the old time, the v2 resource has the new one.
    control.call("PUT", "/config", json={"v1_iam_tags": "hidden"})
    failed, again = renew(emulator, TRACKED, max_age_days=30)
    assert not failed and not again["changed"] and renewals(control, TRACKED) == 1


def test_oauth2_on_the_v1_url_renews_and_records(emulator, control):
    failed, result = renew(emulator, TRACKED, endpoint=emulator.root_url + "/v1", application_key=None,
                           application_secret=None, consumer_key=None, client_id="demo-oauth2-client",
                           client_secret="demo-oauth2-secret", max_age_days=30)
    assert not failed, result["msg"]
    assert renewals(control, TRACKED) == 1 and tag(control, TRACKED) == result["rotated_at"]


@pytest.mark.parametrize("controllers", ["one-controller", "two-controllers"])
def test_two_scheduled_runs_at_once_renew_once(emulator, control, quick_lease, monkeypatch, controllers):
    if controllers == "two-controllers":
        from ansible_collections.smppops.ovh.plugins.module_utils import _account_lease
        monkeypatch.setattr(_account_lease, "account_lock", lambda *args, **kwargs: contextlib.nullcontext())
    for unused_round in range(ROUNDS):
        control.call("POST", "/reset")
        results = in_threads([lambda: renew(emulator, TRACKED, max_age_days=30)] * 2)
        assert renewals(control, TRACKED) == 1, [result["msg"] for unused, result in results]
        assert [failed for failed, unused in results] == [False, False]
        assert sorted(result["changed"] for unused, result in results) == [False, True]


ROTATE_PLAY = """
- hosts: localhost
  gather_facts: false
  tasks:
    - smppops.ovh.smpp_password:
        service_name: %s
        max_age_days: 30
"""


def test_two_scheduled_playbooks_at_once_renew_once(emulator, control, cli, tmp_path):
    playbook = tmp_path / "rotate.yml"
    playbook.write_text(ROTATE_PLAY % TRACKED)
    for unused_round in range(ROUNDS):
        control.call("POST", "/reset")
        processes = [subprocess.Popen([tool("ansible-playbook"), "-i", "localhost,", "-c", "local", str(playbook)],
                                      cwd=cli.workdir, env=cli.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
                     for unused in range(2)]
        outputs = [process.communicate(timeout=300)[0] for process in processes]
        assert [process.returncode for process in processes] == [0, 0], outputs
        assert renewals(control, TRACKED) == 1
