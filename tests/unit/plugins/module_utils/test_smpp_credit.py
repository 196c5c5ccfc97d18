"""smpp_credit resource logic: amounts, reserve, validation before writes, exactly-once transfers, re-credit."""

import pytest
import requests

from ansible_collections.smppops.ovh.plugins.module_utils import _smpp_credit
from ansible_collections.smppops.ovh.plugins.module_utils._task import run_task

from ovh_fakes import FakeOvhClient, FakeResponse

SRC, DST = "smpp-1", "smpp-2"
XFER = "/sms/%s/transferCredits" % SRC
BASE = {"service_name": SRC, "target": None, "credits": None, "target_min_credits": None, "source_reserve": 0,
        "automatic_recredit_amount": None, "automatic_recredit_threshold": None, "api_retries": 3, "report_api_calls": True}


def account(name, credits, amount=None, threshold=0):
    return FakeResponse(200, {"name": name, "smpp": True, "creditsLeft": credits, "automaticRecreditAmount": amount,
                              "creditThresholdForAutomaticRecredit": threshold})


def run(src_reads, dst_reads=(), post=None, check_mode=False, **params):
    script = {("GET", "/sms"): [FakeResponse(200, [SRC, DST])],
              ("GET", "/sms/" + SRC): list(src_reads),
              ("GET", "/sms/" + DST): list(dst_reads) or [account(DST, 0)],
              ("POST", XFER): [post or FakeResponse(200, None)],
              ("PUT", "/sms/" + SRC): [FakeResponse(200, None)]}
    client = FakeOvhClient(script)
    warnings = []
    failed, result = run_task(_smpp_credit, dict(BASE, **params), check_mode=check_mode, diff_mode=True,
                              warn=warnings.append, client_factory=lambda p: client)
    writes = [(r["method"], r["data"]) for r in client.requests if r["method"] != "GET"]
    return failed, result, writes, warnings


def test_top_up_moves_exactly_the_shortfall():
    failed, result, writes, unused = run([account(SRC, 1000), account(SRC, 700)], [account(DST, 200), account(DST, 500)],
                                         target=DST, target_min_credits=500)
    assert not failed and result["changed"]
    assert writes == [("POST", {"credits": 300.0, "smsAccountTarget": DST})]
    assert result["transferred"] == 300 and result["transfer_outcome"] == "applied"
    assert (result["credits_left"], result["target_credits_left"]) == (700, 500)
    assert result["diff"]["before"]["target_credits_left"] == 200 and result["diff"]["after"]["target_credits_left"] == 500


def test_top_up_when_target_has_enough_does_nothing():
    failed, result, writes, unused = run([account(SRC, 1000)], [account(DST, 800)], target=DST, target_min_credits=500)
    assert not failed and not result["changed"] and writes == []
    assert result["transfer_outcome"] is None


def test_reserve_is_never_crossed():
    failed, result, writes, unused = run([account(SRC, 300)], [account(DST, 0)], target=DST, credits=250, source_reserve=100)
    assert failed and writes == []
    assert "300" in result["msg"] and "source_reserve=100" in result["msg"] and "nothing was transferred" in result["msg"]


@pytest.mark.parametrize("params,needle", [
    ({"target": DST, "credits": -5}, "credits=-5"),
    ({"target": DST, "credits": 0}, "credits=0"),
    ({"target": SRC, "credits": 5}, "is the source account itself"),
    ({"target": "sms-zz9-1", "credits": 5}, "not an SMS account of this OVH customer"),
    ({"target": DST, "credits": 5000}, "below source_reserve=0"),
    ({"automatic_recredit_threshold": -1}, "automatic_recredit_threshold=-1"),
])
def test_bad_input_writes_nothing(params, needle):
    failed, result, writes, unused = run([account(SRC, 100)], **params)
    assert failed and needle in result["msg"] and writes == []


def test_check_mode_predicts():
    failed, result, writes, unused = run([account(SRC, 1000)], [account(DST, 100)], check_mode=True, target=DST, credits=50,
                                         automatic_recredit_amount=500)
    assert not failed and result["changed"] and writes == []
    assert result["transferred"] == 50 and result["credits_left"] == 950 and result["target_credits_left"] == 150
    assert result["automatic_recredit_amount"] == 500


def test_dropped_after_commit_is_applied_once():
    failed, result, writes, warnings = run([account(SRC, 1000), account(SRC, 900)], [account(DST, 0), account(DST, 100)],
                                           post=requests.exceptions.ConnectionError("dropped"), target=DST, credits=100)
    assert not failed and result["transfer_outcome"] == "applied" and result["transferred"] == 100
    assert len([w for w in writes if w[0] == "POST"]) == 1
    assert len(warnings) == 1


def test_dropped_before_commit_is_not_applied_and_fails():
    failed, result, writes, unused = run([account(SRC, 1000), account(SRC, 1000)], [account(DST, 0), account(DST, 0)],
                                         post=requests.exceptions.ReadTimeout("slow"), target=DST, credits=100)
    assert failed and result["transfer_outcome"] == "not_applied" and result["transferred"] == 0
    assert "safe to run again" in result["msg"]
    assert len([w for w in writes if w[0] == "POST"]) == 1


def test_undecidable_outcome_is_unknown():
    failed, result, writes, unused = run([account(SRC, 1000), account(SRC, 950)], [account(DST, 0), account(DST, 0)],
                                         post=FakeResponse(503, {"message": "x"}), target=DST, credits=100)
    assert failed and result["transfer_outcome"] == "unknown"
    assert "950" in result["msg"] and len([w for w in writes if w[0] == "POST"]) == 1


def test_clear_refusal_is_not_applied_without_rereading():
    failed, result, writes, unused = run([account(SRC, 1000)], [account(DST, 0)],
                                         post=FakeResponse(400, {"class": "Client::BadRequest", "message": "no"}), target=DST, credits=10)
    assert failed and result["transfer_outcome"] == "not_applied" and len(writes) == 1


def test_recredit_partial_put_and_idempotence():
    failed, result, writes, unused = run([account(SRC, 10, amount=None, threshold=100)], automatic_recredit_amount=1000,
                                         automatic_recredit_threshold=100)
    assert not failed and writes == [("PUT", {"automaticRecreditAmount": 1000})]
    failed, result, writes, unused = run([account(SRC, 10, amount=1000, threshold=100)], automatic_recredit_amount=1000,
                                         automatic_recredit_threshold=100)
    assert not failed and not result["changed"] and writes == []
    failed, result, writes, unused = run([account(SRC, 10, amount=1000, threshold=100)], automatic_recredit_amount=0)
    assert writes == [("PUT", {"automaticRecreditAmount": None})] and result["automatic_recredit_amount"] is None
