"""The API client's safety rules against a live emulator process: retries, and no repeated POST."""

import pytest

from ansible_collections.smppops.ovh.plugins.module_utils._api import OvhApi
from ansible_collections.smppops.ovh.plugins.module_utils._connect import build_client
from ansible_collections.smppops.ovh.plugins.module_utils._errors import OvhApiError

SOURCE, TARGET = "smpp-ab12345-1", "smpp-ab12345-2"


def make_api(emulator, retries=4):
    params = dict(emulator.credentials(), client_id=None, client_secret=None, api_timeout=5.0)
    warnings = []
    return OvhApi(build_client(params), retries=retries, warn=warnings.append), warnings


def test_get_with_429_and_retry_after_is_retried_and_succeeds(emulator, control):
    control.fault(method="GET", path="/1.0/sms", kind="status", status=429, retry_after=1, times=1)
    api, warnings = make_api(emulator)
    assert SOURCE in api.get("/sms")
    assert [call["status"] for call in api.calls] == [429, 200]
    assert len(warnings) == 1 and "429" in warnings[0]
    assert [r["status"] for r in control.log() if r["path"] == "/1.0/sms"] == [429, 200]


@pytest.mark.parametrize("kind,applied", [("drop_after_commit", True), ("drop_before_commit", False)])
def test_post_with_ambiguous_failure_is_not_repeated(emulator, control, kind, applied):
    before = (control.account(SOURCE)["credits_left"], control.account(TARGET)["credits_left"])
    control.fault(method="POST", path="/1.0/sms/%s/transferCredits" % SOURCE, kind=kind, times=1)
    api, warnings = make_api(emulator)
    with pytest.raises(OvhApiError) as caught:
        api.post("/sms/%s/transferCredits" % SOURCE, {"credits": 10, "smsAccountTarget": TARGET})
    assert caught.value.outcome_unknown and caught.value.http_status is None
    assert warnings == []
    posts = [r for r in control.log() if r["method"] == "POST"]
    assert len(posts) == 1, "the transfer POST was sent exactly once"
    after = (control.account(SOURCE)["credits_left"], control.account(TARGET)["credits_left"])
    moved = 10 if applied else 0
    assert after == (before[0] - moved, before[1] + moved)


def test_post_answered_503_is_not_repeated(emulator, control):
    control.fault(method="POST", path="/1.0/sms/%s/transferCredits" % SOURCE, kind="status", status=503, times=3)
    api, unused_warnings = make_api(emulator)
    with pytest.raises(OvhApiError) as caught:
        api.post("/sms/%s/transferCredits" % SOURCE, {"credits": 1, "smsAccountTarget": TARGET})
    assert caught.value.http_status == 503 and caught.value.outcome_unknown
    assert len([r for r in control.log() if r["method"] == "POST"]) == 1
