"""smpp_password resource logic: when to renew, status gates, no body, recording the renewal time."""

from datetime import datetime, timedelta, timezone

import pytest
import requests

from ansible_collections.smppops.ovh.plugins.module_utils import _smpp_password, _wait
from ansible_collections.smppops.ovh.plugins.module_utils._task import run_task

from ovh_fakes import FakeOvhClient, FakeResponse

NAME = "smpp-1"
URN = "urn:v1:eu:resource:sms:smpp-1"
TAG_PATH = "/v2/iam/resource/urn%3Av1%3Aeu%3Aresource%3Asms%3Asmpp-1/tag"
BASE = {"service_name": NAME, "max_age_days": None, "force": False, "wait_timeout": 30, "api_retries": 0,
        "report_api_calls": True}


@pytest.fixture(autouse=True)
def no_real_sleep(monkeypatch):
    clock = {"now": 0.0}
    monkeypatch.setattr(_wait.time, "sleep", lambda seconds: clock.update(now=clock["now"] + seconds))
    monkeypatch.setattr(_wait.time, "monotonic", lambda: clock["now"])


def stamp(days_ago):
    return (datetime.now(timezone.utc) - timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


def run(rotated_at=None, statuses=("SUCCESS",), smpp=True, check_mode=False, tag_answers=None, **params):
    tags = {"smppops-password-rotated-at": rotated_at} if rotated_at else {}
    script = {
        ("GET", "/sms/" + NAME): [FakeResponse(200, {"name": NAME, "smpp": smpp, "iam": {"urn": URN, "tags": tags}})],
        ("GET", "/sms/%s/smpp/settings" % NAME): [FakeResponse(200, {"status": s}) for s in statuses],
        ("POST", "/sms/%s/smpp/password" % NAME): [FakeResponse(200, None)],
        ("POST", TAG_PATH): tag_answers or [FakeResponse(200, None)],
        ("DELETE", TAG_PATH + "/smppops-password-rotated-at"): [FakeResponse(200, None)],
    }
    client = FakeOvhClient(script)
    warnings = []
    failed, result = run_task(_smpp_password, dict(BASE, **params), check_mode=check_mode, warn=warnings.append,
                              client_factory=lambda p: client)
    posts = [r for r in client.requests if r["method"] == "POST" and r["path"].endswith("/smpp/password")]
    return failed, result, posts, warnings, client


def test_renews_without_body_and_records_the_time():
    failed, result, posts, warnings, client = run()
    assert not failed and result["changed"] and result["rotated"]
    assert posts == [{"method": "POST", "path": "/sms/smpp-1/smpp/password", "data": None, "headers": {}}]
    tag = [r for r in client.requests if r["path"] == TAG_PATH][0]
    assert tag["data"]["key"] == "smppops-password-rotated-at"
    assert tag["data"]["value"] == result["rotated_at"]
    datetime.strptime(result["rotated_at"], "%Y-%m-%dT%H:%M:%SZ")
    assert result["rotation_recorded"] and warnings == []
    assert "e-mails the new password" in result["msg"]


def test_max_age_within_limit_does_nothing():
    failed, result, posts, unused_warnings, unused_client = run(rotated_at=stamp(5), max_age_days=30)
    assert not failed and not result["changed"] and posts == []
    assert [c["path"] for c in result["api_calls"]] == ["/sms/smpp-1"]


@pytest.mark.parametrize("rotated_at", [stamp(31), None, "last tuesday"])
def test_max_age_exceeded_or_unknown_renews(rotated_at):
    failed, result, posts, unused_warnings, unused_client = run(rotated_at=rotated_at, max_age_days=30)
    assert not failed and result["rotated"] and len(posts) == 1
    assert result["previous_rotated_at"] == rotated_at


def test_force_overrides_max_age():
    failed, result, posts, unused_warnings, unused_client = run(rotated_at=stamp(1), max_age_days=30, force=True)
    assert not failed and len(posts) == 1 and result["reason"] == "force=true"


def test_check_mode_predicts_without_post():
    failed, result, posts, unused_warnings, unused_client = run(check_mode=True)
    assert not failed and result["changed"] and result["rotated"] and posts == []
    assert result["rotated_at"] is None


def test_waits_for_success():
    failed, result, posts, unused_warnings, unused_client = run(statuses=("UPDATING_IP", "UPDATING_IP", "SUCCESS"))
    assert not failed and len(posts) == 1
    settings_reads = [c for c in result["api_calls"] if c["path"].endswith("/settings")]
    assert len(settings_reads) == 3


@pytest.mark.parametrize("status", ["ERROR", "DELETED", "UNKNOWN", "WAITING_IP"])
def test_broken_status_fails_without_post(status):
    failed, result, posts, unused_warnings, unused_client = run(statuses=(status,))
    assert failed and status in result["msg"] and posts == [] and result["changed"] is False


def test_wait_timeout_fails_without_post():
    failed, result, posts, unused_warnings, unused_client = run(statuses=("UPDATING_IP",), wait_timeout=10)
    assert failed and "UPDATING_IP" in result["msg"] and posts == []


def test_plain_sms_account_is_refused():
    failed, result, posts, unused_warnings, unused_client = run(smpp=False)
    assert failed and "SMPP" in result["msg"] and posts == []


def test_tag_refused_is_a_warning_not_a_failure():
    refused = FakeResponse(403, {"errorCode": "NOT_GRANTED_CALL", "message": "This call has not been granted"})
    failed, result, posts, warnings, unused_client = run(tag_answers=[refused])
    assert not failed and result["rotated"] and len(posts) == 1
    assert result["rotation_recorded"] is False
    assert len(warnings) == 1 and "POST /v2/iam/resource/*" in warnings[0]


def test_existing_tag_refused_is_deleted_then_added():
    conflict = FakeResponse(409, {"class": "Client::Conflict", "message": "tag exists"})
    failed, result, unused_posts, warnings, client = run(rotated_at=stamp(40), max_age_days=30,
                                                         tag_answers=[conflict, FakeResponse(200, None)])
    assert not failed and result["rotation_recorded"] and warnings == []
    assert [r["method"] for r in client.requests if "/v2/" in r["path"]] == ["POST", "DELETE", "POST"]


def test_ambiguous_renewal_is_not_repeated_and_says_so():
    script_failure = requests.exceptions.ConnectionError("dropped")
    tags = {}
    client = FakeOvhClient({
        ("GET", "/sms/" + NAME): [FakeResponse(200, {"name": NAME, "smpp": True, "iam": {"urn": URN, "tags": tags}})],
        ("GET", "/sms/%s/smpp/settings" % NAME): [FakeResponse(200, {"status": "SUCCESS"})],
        ("POST", "/sms/%s/smpp/password" % NAME): [script_failure],
    })
    failed, result = run_task(_smpp_password, dict(BASE, api_retries=4), client_factory=lambda p: client)
    assert failed and result["changed"] is True
    assert "NOT repeated" in result["msg"]
    assert len([r for r in client.requests if r["method"] == "POST"]) == 1


def test_negative_max_age_is_refused_before_any_call():
    failed, result, unused_posts, unused_warnings, client = run(max_age_days=-1)
    assert failed and "max_age_days=-1" in result["msg"] and client.requests == []
