"""smpp_credit resource logic: amounts, reserve, validation before writes, at-most-once transfers, re-credit."""

import contextlib

import pytest
import requests

from ansible_collections.smppops.ovh.plugins.module_utils import _account_lease, _lock, _smpp_credit
from ansible_collections.smppops.ovh.plugins.module_utils._credit_intent import TAG_PREFIX
from ansible_collections.smppops.ovh.plugins.module_utils._task import run_task

from ovh_fakes import FakeClock, FakeResponse, FakeSmsCustomer, clients_of

SRC, DST = "smpp-1", "smpp-2"
XFER = "/sms/%s/transferCredits" % SRC
BASE = {"service_name": SRC, "target": None, "credits": None, "target_min_credits": None, "source_reserve": 0,
        "transfer_key": None, "forget_unknown_transfer": False, "settle_timeout": 10, "lock_timeout": 30,
        "automatic_recredit_amount": None, "automatic_recredit_threshold": None, "api_retries": 3,
        "report_api_calls": True, "api_timeout": 5}


@pytest.fixture(autouse=True)
def fake_clock(monkeypatch, tmp_path):
    clock = FakeClock()
    monkeypatch.setattr(_smpp_credit, "clock", clock)
    # Lock files (and the source lease they hand over) of this test only: its clock is not the real one.
    monkeypatch.setattr(_lock, "_lock_dir", lambda: str(tmp_path))
    return clock


def account(name, credits, amount=None, threshold=0):
    return FakeResponse(200, {"name": name, "smpp": True, "creditsLeft": credits, "automaticRecreditAmount": amount,
                              "creditThresholdForAutomaticRecredit": threshold})


def customer(src=1000, dst=0, faults=None, **src_fields):
    return FakeSmsCustomer({SRC: dict({"creditsLeft": src}, **src_fields), DST: {"creditsLeft": dst}}, faults)


def run(client, check_mode=False, **params):
    warnings = []
    failed, result = run_task(_smpp_credit, dict(BASE, **params), check_mode=check_mode, diff_mode=True,
                              warn=warnings.append, client_factory=clients_of(client))
    return failed, result, warnings


def posts(client):
    return [r for r in client.requests if r["method"] == "POST" and r["path"] == XFER]


def sms_writes(client):
    return [(r["method"], r["data"]) for r in client.requests if r["method"] != "GET" and not r["path"].startswith("/v2/")]


def test_top_up_moves_exactly_the_shortfall():
    client = customer(1000, 200)
    failed, result, unused = run(client, target=DST, target_min_credits=500)
    assert not failed and result["changed"]
    assert client.transfers == [{"credits": 300.0, "smsAccountTarget": DST}]
    assert result["transferred"] == 300 and result["transfer_outcome"] == "applied"
    assert (result["credits_left"], result["target_credits_left"]) == (700, 500)
    assert result["diff"]["before"]["target_credits_left"] == 200 and result["diff"]["after"]["target_credits_left"] == 500
    assert client.tags == {SRC: {}, DST: {}}, "a top-up leaves no record and no lease behind"


def test_top_up_when_target_has_enough_does_nothing():
    client = customer(1000, 800)
    failed, result, unused = run(client, target=DST, target_min_credits=500)
    assert not failed and not result["changed"] and sms_writes(client) == []
    assert result["transfer_outcome"] is None
    assert not [r for r in client.requests if r["path"].startswith("/v2/")], "no lease when nothing moves"


def test_reserve_is_never_crossed():
    client = customer(300, 0)
    failed, result, unused = run(client, target=DST, credits=250, source_reserve=100)
    assert failed and sms_writes(client) == [] and result["changed"] is False
    assert "300" in result["msg"] and "source_reserve=100" in result["msg"] and "nothing was transferred" in result["msg"]


def test_reserve_boundary_is_allowed():
    client = customer(350, 0)
    failed, result, unused = run(client, target=DST, credits=250, source_reserve=100)
    assert not failed and client.accounts[SRC]["creditsLeft"] == 100


def on_read(client, name, number, effect):
    """Run ``effect(client)`` on the ``number``-th read of account ``name``; a returned answer replaces the read."""
    original = client._apply
    reads = {"count": 0}

    def apply(method, path, data):
        if (method, path) == ("GET", "/sms/" + name):
            reads["count"] += 1
            if reads["count"] == number:
                answer = effect(client)
                if answer is not None:
                    return answer
        return original(method, path, data)

    client._apply = apply


def test_reserve_is_checked_again_on_balances_read_under_the_hold():
    client = customer(1000, 0)
    # Another transfer takes 200 credits between this task's first read and its hold.
    on_read(client, SRC, 2, lambda c: c.accounts[SRC].update(creditsLeft=800))
    failed, result, unused = run(client, target=DST, credits=500, source_reserve=400)
    assert failed and posts(client) == [] and "below source_reserve=400" in result["msg"]


def test_shortfall_is_recomputed_under_the_hold():
    client = customer(1000, 200)
    on_read(client, DST, 2, lambda c: c.accounts[DST].update(creditsLeft=450))
    failed, result, unused = run(client, target=DST, target_min_credits=500)
    assert not failed and client.transfers == [{"credits": 50.0, "smsAccountTarget": DST}]


@pytest.mark.parametrize("params,needle", [
    ({"target": DST, "credits": -5}, "credits=-5"),
    ({"target": DST, "credits": 0}, "credits=0"),
    ({"target": SRC, "credits": 5}, "is the source account itself"),
    ({"target": "sms-zz9-1", "credits": 5}, "not an SMS account of this OVH customer"),
    ({"target": DST, "credits": 5000}, "below source_reserve=0"),
    ({"automatic_recredit_threshold": -1}, "automatic_recredit_threshold=-1"),
    ({"target": DST, "credits": 5, "source_reserve": float("nan")}, "source_reserve=nan must be a finite number"),
    ({"target": DST, "credits": float("inf")}, "credits=inf must be a finite number"),
    ({"target": DST, "target_min_credits": float("-inf")}, "target_min_credits=-inf must be a finite number"),
    ({"automatic_recredit_threshold": float("inf")}, "automatic_recredit_threshold=inf must be a finite number"),
    ({"target": DST, "credits": 5, "transfer_key": "has space"}, "transfer_key='has space'"),
    ({"target": DST, "credits": 5, "settle_timeout": -1}, "settle_timeout=-1"),
])
def test_bad_input_writes_nothing(params, needle):
    client = customer(100, 0)
    client.foreign = frozenset(["sms-zz9-1"])
    failed, result, unused = run(client, **params)
    assert failed and needle in result["msg"] and sms_writes(client) == []
    assert not [r for r in client.requests if r["method"] != "GET"]


def test_check_mode_predicts():
    client = customer(1000, 100)
    failed, result, unused = run(client, check_mode=True, target=DST, credits=50, automatic_recredit_amount=500)
    assert not failed and result["changed"] and [r for r in client.requests if r["method"] != "GET"] == []
    assert result["transferred"] == 50 and result["credits_left"] == 950 and result["target_credits_left"] == 150
    assert result["automatic_recredit_amount"] == 500


def test_one_off_transfer_happens_once_per_intent():
    client = customer(1000, 0)
    failed, result, unused = run(client, target=DST, credits=100)
    assert not failed and result["transfer_outcome"] == "applied" and len(client.transfers) == 1
    records = {key: value for key, value in client.tags[SRC].items() if key.startswith(TAG_PREFIX)}
    assert len(records) == 1 and list(records.values())[0].startswith("applied/")
    failed, again, unused = run(client, target=DST, credits=100)
    assert not failed and not again["changed"] and again["transferred"] == 0 and "already applied" in again["msg"]
    failed, check, unused = run(client, check_mode=True, target=DST, credits=100)
    assert not check["changed"]
    failed, other, unused = run(client, target=DST, credits=100, transfer_key="second-batch")
    assert not failed and other["changed"] and len(client.transfers) == 2
    assert client.tags[DST] == {}, "leases are released"


def test_record_that_cannot_be_written_means_no_transfer():
    refused = FakeResponse(403, {"errorCode": "NOT_GRANTED_CALL", "message": "not granted"})
    client = customer(1000, 0, faults={("POST", "/tag"): [("before", refused)]})
    failed, result, unused = run(client, target=DST, credits=100)
    assert failed and posts(client) == [] and "/v2/iam/resource/*" in result["msg"]


def test_dropped_after_commit_is_applied_once():
    client = customer(1000, 0, faults={("POST", XFER): [("after", requests.exceptions.ConnectionError("dropped"))]})
    failed, result, warnings = run(client, target=DST, credits=100)
    assert not failed and result["transfer_outcome"] == "applied" and result["transferred"] == 100
    assert len(posts(client)) == 1 and len(warnings) == 1
    assert client.accounts[DST]["creditsLeft"] == 100


@pytest.mark.parametrize("failure", [requests.exceptions.ReadTimeout("slow"), FakeResponse(503, {"message": "x"}),
                                     FakeResponse(200, text="<html>"), RuntimeError("unforeseen")])
def test_unsettled_ambiguity_is_unknown_and_blocks_the_next_run(failure, fake_clock):
    client = customer(1000, 0, faults={("POST", XFER): [("before", failure)]})
    failed, result, unused = run(client, target=DST, credits=100, settle_timeout=10)
    assert failed and result["transfer_outcome"] == "unknown" and result["transferred"] == 0
    assert "safe to run again" not in result["msg"] and "NOT sent again" in result["msg"]
    assert sum(fake_clock.sleeps) >= 10, "balances are polled for settle_timeout"
    failed, again, unused = run(client, target=DST, credits=100)
    assert failed and again["transfer_outcome"] == "unknown" and len(posts(client)) == 1
    assert "forget_unknown_transfer=true" in again["msg"]
    failed, forced, unused = run(client, target=DST, credits=100, forget_unknown_transfer=True)
    assert not failed and len(client.transfers) == 1


def test_a_late_transfer_is_seen_by_the_next_run():
    client = customer(1000, 0, faults={("POST", XFER): [("before", requests.exceptions.ReadTimeout("slow"))]})
    failed, result, unused = run(client, target=DST, credits=100, settle_timeout=2)
    assert failed and result["transfer_outcome"] == "unknown"
    # The request was still in flight: it lands after the task gave up.
    client.accounts[SRC]["creditsLeft"] -= 100
    client.accounts[DST]["creditsLeft"] += 100
    failed, again, warnings = run(client, target=DST, credits=100)
    assert not failed and again["transferred"] == 0 and len(posts(client)) == 1
    assert client.accounts[DST]["creditsLeft"] == 100


def test_a_late_top_up_is_not_topped_up_again():
    client = customer(1000, 0, faults={("POST", XFER): [("before", requests.exceptions.ReadTimeout("slow"))]})
    failed, result, unused = run(client, target=DST, target_min_credits=300, settle_timeout=2)
    assert failed and result["transfer_outcome"] == "unknown"
    failed, blocked, unused = run(client, target=DST, target_min_credits=300)
    assert failed and blocked["transfer_outcome"] == "unknown" and len(posts(client)) == 1
    client.accounts[SRC]["creditsLeft"] -= 300
    client.accounts[DST]["creditsLeft"] += 300
    failed, again, unused = run(client, target=DST, target_min_credits=300)
    assert not failed and not again["changed"] and len(posts(client)) == 1


def test_clear_refusal_is_not_applied_and_removes_its_record():
    refused = FakeResponse(400, {"class": "Client::BadRequest", "message": "no"})
    client = customer(1000, 0, faults={("POST", XFER): [("before", refused)]})
    failed, result, unused = run(client, target=DST, credits=10)
    assert failed and result["transfer_outcome"] == "not_applied" and "safe to run again" in result["msg"]
    assert len(posts(client)) == 1 and client.tags == {SRC: {}, DST: {}}
    failed, again, unused = run(client, target=DST, credits=10)
    assert not failed and len(client.transfers) == 1


def test_transfer_that_never_left_is_not_applied_and_unchanged():
    import urllib3
    refused = requests.exceptions.ConnectionError(urllib3.exceptions.MaxRetryError(
        None, XFER, urllib3.exceptions.NewConnectionError(None, "refused")))
    client = customer(1000, 0, faults={("POST", XFER): [("before", refused)]})
    failed, result, unused = run(client, target=DST, credits=10)
    assert failed and result["transfer_outcome"] == "not_applied" and result["changed"] is False


def test_balances_unreadable_after_success_still_applied():
    client = customer(1000, 0)
    on_read(client, DST, 3, lambda c: FakeResponse(500, {"message": "down"}))
    failed, result, warnings = run(client, target=DST, credits=100, api_retries=0)
    assert not failed and result["transfer_outcome"] == "applied" and result["transferred"] == 100
    assert any("could not be read afterwards" in warning for warning in warnings)


@pytest.mark.parametrize("held", [(DST, "smppops-lease"), (SRC, "smppops-source-lease")], ids=["target", "source"])
def test_lease_of_another_run_is_waited_for(fake_clock, held):
    client = customer(1000, 0)
    client.tags[held[0]][held[1]] = "otherrun/%d" % (fake_clock.now + 20)
    failed, result, unused = run(client, target=DST, credits=10, lock_timeout=5)
    assert failed and "lock_timeout=5" in result["msg"] and posts(client) == []
    failed, result, unused = run(client, target=DST, credits=10, lock_timeout=60)
    assert not failed and len(client.transfers) == 1 and fake_clock.now > 1_800_000_020


@pytest.mark.parametrize("held", [(DST, "smppops-lease"), (SRC, "smppops-source-lease")], ids=["target", "source"])
def test_expired_lease_is_taken_over(fake_clock, held):
    client = customer(1000, 0)
    client.tags[held[0]][held[1]] = "crashed/%d" % (fake_clock.now - 1)
    failed, unused_result, unused = run(client, target=DST, credits=10, lock_timeout=5)
    assert not failed and len(client.transfers) == 1 and held[1] not in client.tags[held[0]]


def test_recredit_partial_put_and_idempotence():
    client = customer(10, 0, automaticRecreditAmount=None, creditThresholdForAutomaticRecredit=100)
    failed, result, unused = run(client, automatic_recredit_amount=1000, automatic_recredit_threshold=100)
    assert not failed and sms_writes(client) == [("PUT", {"automaticRecreditAmount": 1000})]
    client.requests = []
    failed, result, unused = run(client, automatic_recredit_amount=1000, automatic_recredit_threshold=100)
    assert not failed and not result["changed"] and sms_writes(client) == []
    failed, result, unused = run(client, automatic_recredit_amount=0)
    assert sms_writes(client) == [("PUT", {"automaticRecreditAmount": None})] and result["automatic_recredit_amount"] is None


# The source hold: short, handed over, never waiting ------------------------------------------------------
SOURCE_LEASE = "smppops-source-lease"


def watch_holds(monkeypatch, client, clock):
    """Record, per local lock taken, the requests made and the sleeps while it was held."""
    spans = []
    original = _account_lease.account_lock

    @contextlib.contextmanager
    def watched(kind, name, *args, **kwargs):
        with original(kind, name, *args, **kwargs) as handle:
            span = {"kind": kind, "name": name, "first": len(client.requests), "sleeps": len(clock.sleeps),
                    "target_lease_held": "smppops-lease" in client.tags[DST]}
            spans.append(span)
            yield handle
            span["requests"] = ["%s %s" % (r["method"], r["path"]) for r in client.requests[span["first"]:]]
            span["slept"] = clock.sleeps[span["sleeps"]:]

    monkeypatch.setattr(_account_lease, "account_lock", watched)
    return spans


def another_task_queued():
    """A task of this controller queued for the source: the lease is handed over to it, not given back."""
    queue = _lock.Queue("source", SRC)
    queue.join()
    return queue


def test_the_target_is_held_before_the_source_is_queued_for(monkeypatch, fake_clock):
    client = customer(1000, 0)
    spans = watch_holds(monkeypatch, client, fake_clock)
    failed, unused_result, unused = run(client, target=DST, target_min_credits=100)
    assert not failed
    assert [(span["kind"], span["name"]) for span in spans] == [("lease", DST), ("source", SRC)]
    assert spans[1]["target_lease_held"], "the target's lease, with its settle wait, is taken before the source"


def test_a_handed_over_source_lease_costs_no_request_and_no_wait(monkeypatch, fake_clock):
    client = customer(1000, 0)
    spans = watch_holds(monkeypatch, client, fake_clock)
    queue = another_task_queued()
    try:
        assert not run(client, target=DST, target_min_credits=100)[0]
        assert client.tags[SRC][SOURCE_LEASE], "with a task queued, the lease stays for it"
        assert not run(client, target=DST, target_min_credits=300)[0]
    finally:
        queue.close()
    second = spans[-1]
    assert second["kind"] == "source"
    # The balance and the record go out side by side, in either order; the transfer only after both.
    assert sorted(second["requests"][:2]) == [
        "GET /sms/%s" % SRC, "POST /v2/iam/resource/urn%%3Av1%%3Aeu%%3Aresource%%3Asms%%3A%s/tag" % SRC]
    assert second["requests"][2:] == ["POST " + XFER], "only the balance, the record and the transfer while the source is held"
    assert second["slept"] == []
    assert client.transfers == [{"credits": 100.0, "smsAccountTarget": DST}, {"credits": 200.0, "smsAccountTarget": DST}]
    assert not run(client, target=DST, target_min_credits=400)[0]
    assert client.tags == {SRC: {}, DST: {}}, "the last task queued gives the source lease back"


def test_a_handed_over_lease_that_runs_short_is_taken_again(monkeypatch, fake_clock):
    client = customer(1000, 0)
    queue = another_task_queued()
    try:
        assert not run(client, target=DST, target_min_credits=100)[0]
        first = client.tags[SRC][SOURCE_LEASE]
        fake_clock.now += _smpp_credit.SOURCE_LEASE_WINDOW + 1
        assert not run(client, target=DST, target_min_credits=200)[0]
        assert client.tags[SRC][SOURCE_LEASE] != first
        assert int(client.tags[SRC][SOURCE_LEASE].rsplit("/", 1)[1]) > fake_clock.now + 90
    finally:
        queue.close()


def test_a_lease_that_would_run_out_before_settling_means_no_transfer(fake_clock):
    client = customer(1000, 0)
    lease_seconds = 2 * BASE["api_timeout"] + BASE["settle_timeout"] + _smpp_credit.LEASE_MARGIN
    on_read(client, SRC, 2, lambda c: setattr(fake_clock, "now", fake_clock.now + lease_seconds - 10))
    failed, result, unused = run(client, target=DST, target_min_credits=100)
    assert failed and posts(client) == [] and result["transfer_outcome"] == "not_applied" and "runs out" in result["msg"]
    assert client.tags == {SRC: {}, DST: {}}


def test_an_ambiguous_transfer_is_settled_before_the_source_is_released(monkeypatch, fake_clock):
    client = customer(1000, 0, faults={("POST", XFER): [("after", requests.exceptions.ReadTimeout("slow"))]})
    spans = watch_holds(monkeypatch, client, fake_clock)
    failed, result, unused = run(client, target=DST, credits=100)
    assert not failed and result["transfer_outcome"] == "applied"
    source_hold = spans[-1]["requests"]
    assert source_hold.index("POST " + XFER) < len(source_hold) - 1
    assert "GET /sms/%s" % DST in source_hold[source_hold.index("POST " + XFER):], "settled from the balances while held"


@pytest.mark.parametrize("fault,transferred", [
    (("after", requests.exceptions.ReadTimeout("lost answer")), 1),
    (("before", requests.exceptions.ReadTimeout("lost request")), 0),
])
def test_a_record_whose_answer_is_lost_is_read_back_first(fault, transferred):
    client = customer(1000, 0)
    apply = client._apply

    def losing_the_record_answer(method, path, data):
        if method == "POST" and (data or {}).get("key", "").startswith(TAG_PREFIX) and not fault_spent:
            when, error = fault
            fault_spent.append(True)
            if when == "after":
                apply(method, path, data)
            raise error
        return apply(method, path, data)

    fault_spent = []
    client._apply = losing_the_record_answer
    failed, result, unused = run(client, target=DST, credits=100)
    assert failed is (transferred == 0) and len(posts(client)) == transferred
    tag_posts = [i for i, r in enumerate(client.requests) if r["method"] == "POST" and r["path"].endswith(SRC + "/tag")]
    assert client.requests[tag_posts[0] + 1]["method"] == "GET", "the record is read back before anything is sent"


# Pinned by mutation testing: each test fails on a small deliberate change of the safety rule it names.
def test_settle_with_balances_unreadable_throughout_is_unknown_and_says_so(fake_clock):
    client = customer(1000, 0, faults={("POST", XFER): [("before", requests.exceptions.ReadTimeout("slow"))]})
    down = FakeResponse(500, {"message": "down"})
    # Reads 1-3 decide and hold; from the 4th on, every balance read during the settle fails.
    for number in range(4, 40):
        on_read(client, SRC, number, lambda c: down)
    failed, result, unused = run(client, target=DST, credits=100, settle_timeout=6, api_retries=0)
    assert failed and result["transfer_outcome"] == "unknown" and result["transferred"] == 0
    assert "balances could not be read" in result["msg"]
    assert result["credits_left"] is None and result["target_credits_left"] is None
    assert fake_clock.sleeps[-3:] == [2.0, 2.0, 2.0], "polled every 2 s until settle_timeout, not beyond"
    assert client.tags[SRC][TAG_PREFIX + result["transfer_key"]].startswith("unknown/")
    assert len(posts(client)) == 1


def test_reserve_boundary_by_one_hundredth():
    client = customer(349.99, 0)
    failed, result, unused = run(client, target=DST, credits=250, source_reserve=100)
    assert failed and result["transfer_outcome"] == "not_applied" and sms_writes(client) == []
    assert result["msg"] == ("transferring 250 credits from smpp-1 (349.99 left) to smpp-2 (0 left) would leave 99.99, "
                             "below source_reserve=100; nothing was transferred")
    assert (result["transferred"], result["credits_left"], result["target_credits_left"]) == (0.0, 349.99, 0)
    client = customer(350.01, 0)
    failed, result, unused = run(client, target=DST, credits=250, source_reserve=100)
    assert not failed and client.accounts[SRC]["creditsLeft"] == pytest.approx(100.01)


def test_reserve_boundary_with_float_rounding_is_allowed():
    client = customer(0.3, 0)
    failed, result, unused = run(client, target=DST, credits=0.1, source_reserve=0.2)
    assert not failed and result["transferred"] == pytest.approx(0.1)


def test_settled_transfer_needs_the_source_to_have_moved_too(fake_clock):
    client = customer(1000, 0, faults={("POST", XFER): [("before", requests.exceptions.ReadTimeout("slow"))]})
    # The target shows the credits (another source topped it up), the source does not show them leaving.
    on_read(client, DST, 3, lambda c: c.accounts[DST].update(creditsLeft=100))
    failed, result, unused = run(client, target=DST, credits=100, settle_timeout=4)
    assert failed and result["transfer_outcome"] == "unknown"
    assert "smpp-1: 1000 -> 1000, smpp-2: 0 -> 100" in result["msg"]


def test_settled_transfer_needs_the_target_to_have_moved_too(fake_clock):
    client = customer(1000, 0, faults={("POST", XFER): [("before", requests.exceptions.ReadTimeout("slow"))]})
    on_read(client, SRC, 3, lambda c: c.accounts[SRC].update(creditsLeft=900))
    failed, result, unused = run(client, target=DST, credits=100, settle_timeout=4)
    assert failed and result["transfer_outcome"] == "unknown"
    assert "smpp-1: 1000 -> 900, smpp-2: 0 -> 0" in result["msg"]


def test_settled_transfer_with_both_balances_moved_is_applied(fake_clock):
    client = customer(1000, 0, faults={("POST", XFER): [("before", requests.exceptions.ReadTimeout("slow"))]})

    def land(c):
        c.accounts[SRC]["creditsLeft"] -= 100
        c.accounts[DST]["creditsLeft"] += 100
    on_read(client, SRC, 3, land)
    failed, result, warnings = run(client, target=DST, credits=100, settle_timeout=4)
    assert not failed and result["transfer_outcome"] == "applied" and result["transferred"] == 100
    assert any("both balances show it was applied once" in warning for warning in warnings)
    assert [value.split("/")[0] for key, value in client.tags[SRC].items() if key.startswith(TAG_PREFIX)] == ["applied"]


def test_the_target_is_checked_with_its_own_read_not_the_whole_list():
    client = customer(1000, 200)
    failed, unused_result, unused_warnings = run(client, target=DST, target_min_credits=500)
    assert not failed
    assert not [r for r in client.requests if (r["method"], r["path"]) == ("GET", "/sms")], "no read of every service"


def test_a_target_of_another_customer_is_named_and_nothing_is_written():
    client = customer(1000, 200)
    client.foreign = frozenset(["sms-zz9-1"])
    failed, result, unused = run(client, target="sms-zz9-1", target_min_credits=500)
    assert failed and result["changed"] is False
    assert result["msg"].startswith("target=sms-zz9-1 is not an SMS account of this OVH customer")
    assert "404" in result["msg"]
    assert [r for r in client.requests if r["method"] != "GET"] == []


def is_record_write(method, data):
    return method == "POST" and (data or {}).get("key", "").startswith(TAG_PREFIX)


def meeting_of_the_source_read_and_the_record(client, source_read=2):
    """Make the source's read under the hold and the record's write wait for each other: only requests in flight at
    the same time meet (a wait for the other one while it has not been sent breaks the barrier)."""
    import threading
    barrier = threading.Barrier(2, timeout=5)
    apply = client._apply
    reads = {"count": 0}

    def meeting(method, path, data):
        if (method, path) == ("GET", "/sms/" + SRC):
            reads["count"] += 1
            if reads["count"] == source_read:
                barrier.wait()
        if is_record_write(method, data):
            barrier.wait()
        return apply(method, path, data)

    client._apply = meeting


def test_the_source_balance_and_the_record_are_in_flight_at_the_same_time():
    client = customer(1000, 200)
    meeting_of_the_source_read_and_the_record(client)
    failed, result, unused = run(client, target=DST, target_min_credits=500)
    assert not failed, result.get("msg")
    assert client.transfers == [{"credits": 300.0, "smsAccountTarget": DST}]
    requests_sent = [(r["method"], r["path"]) for r in client.requests]
    assert requests_sent.index(("POST", XFER)) > max(
        i for i, r in enumerate(client.requests) if is_record_write(r["method"], r["data"])), "the record before the transfer"


def test_a_reserve_refused_under_the_hold_removes_the_record_and_sends_nothing():
    client = customer(1000, 0)
    on_read(client, SRC, 2, lambda c: c.accounts[SRC].update(creditsLeft=800))
    failed, result, unused = run(client, target=DST, credits=500, source_reserve=400)
    assert failed and posts(client) == [] and "below source_reserve=400" in result["msg"]
    assert result["transfer_outcome"] == "not_applied" and result["changed"] is False
    assert client.tags == {SRC: {}, DST: {}}, "no record and no lease left behind"
    assert not run(client, target=DST, credits=300, source_reserve=400)[0], "nothing blocks the next run"


def test_a_source_unreadable_under_the_hold_removes_the_record_and_sends_nothing():
    client = customer(1000, 0)
    on_read(client, SRC, 2, lambda c: FakeResponse(500, {"message": "down"}))
    failed, result, unused = run(client, target=DST, credits=100, api_retries=0)
    assert failed and posts(client) == [] and result["changed"] is False
    assert client.tags == {SRC: {}, DST: {}}
    assert not run(client, target=DST, credits=100)[0] and len(client.transfers) == 1


def test_a_record_that_cannot_be_written_sends_nothing_even_with_the_balance_read():
    refused = FakeResponse(403, {"errorCode": "NOT_GRANTED_CALL", "message": "not granted"})
    client = customer(1000, 0)
    apply = client._apply
    client._apply = lambda method, path, data: refused if is_record_write(method, data) else apply(method, path, data)
    failed, result, unused = run(client, target=DST, target_min_credits=100)
    assert failed and posts(client) == [] and result["changed"] is False
    assert [r for r in client.requests if (r["method"], r["path"]) == ("GET", "/sms/" + SRC)][1:], "the balance was read"


def test_each_account_is_read_three_times_by_a_top_up():
    """Before any hold (is there anything to do; check mode, diff), under the hold (every guard decides from it),
    after the transfer (the report and the reserve overrun): no other read of either account."""
    client = customer(1000, 200)
    failed, unused_result, unused_warnings = run(client, target=DST, target_min_credits=500)
    assert not failed
    reads = [r["path"] for r in client.requests if r["method"] == "GET" and r["path"].startswith("/sms")]
    assert sorted(reads) == ["/sms/" + SRC] * 3 + ["/sms/" + DST] * 3
