"""Settling a transfer whose outcome is not known: from both balances, never by sending it again.

Two places settle: the task whose transfer request failed ambiguously (``_settle``: it polls both balances for
``settle_timeout`` seconds), and a later run of the same intent that finds the record left behind
(``_settle_earlier``). Each test pins the figures a user or the next run relies on: the outcome, the record's
value, the balances reported, the waits, and the warnings.
"""

import pytest
import requests

from ansible_collections.smppops.ovh.plugins.module_utils._credit_intent import TAG_PREFIX, intent_key

from ovh_fakes import FakeResponse
# fake_clock: the neighbouring tests' autouse fixture (a fake clock and lock directory per test) applies here too.
from test_smpp_credit import BASE, DST, SRC, XFER, customer, fake_clock, on_read, posts, run  # noqa: F401  pylint: disable=unused-import

AT = "2026-11-29T21:00:00Z"
NOT_GRANTED = FakeResponse(403, {"errorCode": "NOT_GRANTED_CALL", "message": "not granted"})


def lost_answer(client):
    """The transfer request's answer is lost and the transfer did not happen (yet)."""
    client.faults[("POST", XFER)] = [("before", requests.exceptions.ReadTimeout("slow"))]
    return client


def land_on_read(client, number, amount, source_after=None):
    """The ambiguous transfer shows in both balances from the ``number``-th read of the source on."""
    def land(c):
        c.accounts[SRC]["creditsLeft"] -= amount
        c.accounts[DST]["creditsLeft"] += amount
        if source_after is not None:
            on_read(c, SRC, 1, lambda c2: c2.accounts[SRC].update(creditsLeft=source_after))
    on_read(client, SRC, number, land)


def record(client, key):
    """The record's value without its time: ``[state, amount, target balance before]``."""
    parts = client.tags[SRC][TAG_PREFIX + key].split("/")
    return [parts[0]] + parts[2:]


def refusing_record_updates(client):
    """The record can be opened (``pending``) but not updated: IAM refuses any later write of it."""
    apply = client._apply

    def refusing(method, path, data):
        value = (data or {}).get("value", "") if method == "POST" else ""
        if (data or {}).get("key", "").startswith(TAG_PREFIX) and not value.startswith("pending/"):
            return NOT_GRANTED
        return apply(method, path, data)

    client._apply = refusing
    return client


def test_unsettled_transfer_reports_the_figures_read_last_and_waits_exactly_settle_timeout(fake_clock):
    client = lost_answer(customer(1000, 50))
    # Each settle read of the source takes a quarter second: the last wait is what is left of settle_timeout.
    for number in range(3, 30):
        on_read(client, SRC, number, lambda c: setattr(fake_clock, "now", fake_clock.now + 0.25))
    failed, result, warnings = run(client, target=DST, credits=100, settle_timeout=5)
    key = "auto-0aac18cee10771ad"
    assert failed and warnings == [] and len(posts(client)) == 1
    assert fake_clock.sleeps[-3:] == [2.0, 2.0, 0.25], "polled every 2 s, the last wait ending at settle_timeout"
    assert {name: result[name] for name in ("changed", "transfer_outcome", "transferred", "transfer_key", "credits_left",
                                            "target_credits_left")} == {
        "changed": True, "transfer_outcome": "unknown", "transferred": 0.0, "transfer_key": key, "credits_left": 1000,
        "target_credits_left": 50}
    assert (result["error"]["method"], result["error"]["path"]) == ("POST", XFER)
    assert result["msg"].startswith("the transfer of 100 credits from smpp-1 to smpp-2 failed ambiguously (")
    assert (") and after 5s the balances do not show it (smpp-1: 1000 -> 1000, smpp-2: 50 -> 50); transfer_outcome is "
            "unknown and it was NOT sent again." in result["msg"])
    assert result["msg"].endswith("it finds the record %s%s and checks the balances first" % (TAG_PREFIX, key))
    assert record(client, key) == ["unknown", "100", "50"], "the target's balance before, for the next run's settle"


@pytest.mark.parametrize("target_before,amount", [(100, 100), (0, 1)])
def test_a_source_that_moved_alone_is_not_a_settled_transfer(target_before, amount):
    client = lost_answer(customer(1000, target_before))
    # Something else took the credits from the source; the target did not receive them.
    on_read(client, SRC, 3, lambda c: c.accounts[SRC].update(creditsLeft=1000 - amount))
    failed, result, unused = run(client, target=DST, credits=amount, settle_timeout=2)
    assert failed and result["transfer_outcome"] == "unknown"
    assert (result["credits_left"], result["target_credits_left"]) == (1000 - amount, target_before)


@pytest.mark.parametrize("target_before", [0, 50])
def test_a_transfer_settled_from_both_balances_is_applied_once(target_before):
    # The source gives everything it has: its balance after is 0.
    client = lost_answer(customer(100, target_before))
    land_on_read(client, 3, 100)
    failed, result, warnings = run(client, target=DST, credits=100, settle_timeout=4)
    assert not failed and len(posts(client)) == 1
    assert {name: result[name] for name in ("changed", "transfer_outcome", "transferred", "credits_left",
                                            "target_credits_left")} == {
        "changed": True, "transfer_outcome": "applied", "transferred": 100.0, "credits_left": 0,
        "target_credits_left": target_before + 100}
    assert len(warnings) == 1 and warnings[0].endswith("but both balances show it was applied once")
    assert record(client, "auto-0aac18cee10771ad") == ["applied", "100", str(target_before)]


def test_a_settled_transfer_reports_a_reserve_overrun_against_the_balance_it_was_checked_on():
    client = lost_answer(customer(1000, 0))
    # It lands during the settle; by the read after it, something else took 150 more.
    land_on_read(client, 3, 100, source_after=750)
    failed, result, warnings = run(client, target=DST, credits=100, source_reserve=800, settle_timeout=4)
    assert not failed and result["transfer_outcome"] == "applied"
    assert result["reserve_overrun"] == {"source_reserve": 800, "credits_left": 750.0, "credits_left_before": 1000,
                                         "transferred": 100.0}
    assert warnings[1:] == ["smpp-1 has 750 credits left after this transfer of 100, below source_reserve=800 (it had "
                            "1000 when checked): something else took credits from it at the same time"]


def test_a_settled_transfer_whose_record_cannot_be_updated_is_applied_with_a_warning():
    client = refusing_record_updates(lost_answer(customer(1000, 0)))
    land_on_read(client, 3, 100)
    failed, result, warnings = run(client, target=DST, credits=100, settle_timeout=4)
    key = TAG_PREFIX + "auto-0aac18cee10771ad"
    assert not failed and result["transfer_outcome"] == "applied" and len(warnings) == 2
    assert warnings[1].startswith("the transfer was applied, but its record %s could not be updated (" % key)
    assert client.tags[SRC][key].startswith("pending/"), "the next run settles it from the balances"


def test_an_unsettled_transfer_whose_record_cannot_be_updated_says_it_stays_pending():
    client = refusing_record_updates(lost_answer(customer(1000, 0)))
    failed, result, warnings = run(client, target=DST, credits=100, settle_timeout=2)
    key = TAG_PREFIX + "auto-0aac18cee10771ad"
    assert failed and result["transfer_outcome"] == "unknown" and len(warnings) == 1
    assert warnings[0].startswith("the record %s stays pending (the IAM tag %s could not be written" % (key, key))
    assert client.tags[SRC][key].startswith("pending/")


# A record left by an earlier run ------------------------------------------------------------------------
def with_record(client, key, value):
    client.tags[SRC][TAG_PREFIX + key] = value
    return client


def test_an_unknown_record_not_shown_by_the_target_stops_the_task_with_its_figures():
    key = intent_key(dict(BASE, target=DST, credits=1))
    # 1 credit recorded, the target at 0 then and now: not landed.
    client = with_record(customer(1000, 0), key, "unknown/%s/1/0" % AT)
    failed, result, warnings = run(client, target=DST, credits=1)
    assert failed and warnings == [] and posts(client) == []
    assert {name: result[name] for name in ("changed", "transfer_outcome", "transferred", "transfer_key")} == {
        "changed": False, "transfer_outcome": "unknown", "transferred": 0.0, "transfer_key": key}
    assert result["msg"] == (
        "an earlier transfer %s of 1 credits from smpp-1 to smpp-2 has an unknown outcome (recorded unknown at %s, target "
        "balance then 0, now 0); nothing was transferred. Check both balances and the Control Panel; if it was not "
        "applied, run again with forget_unknown_transfer=true" % (key, AT))
    assert client.tags[SRC][TAG_PREFIX + key] == "unknown/%s/1/0" % AT, "the record is kept"


def test_an_unknown_record_forgotten_on_request_is_said_and_the_transfer_goes():
    key = "auto-0aac18cee10771ad"
    client = with_record(customer(1000, 0), key, "pending/%s/100/0" % AT)
    failed, result, warnings = run(client, target=DST, credits=100, forget_unknown_transfer=True)
    assert not failed and client.transfers == [{"credits": 100.0, "smsAccountTarget": DST}]
    assert warnings == ["forget_unknown_transfer=true: the earlier transfer %s (recorded pending at %s) is taken as not "
                        "applied" % (key, AT)]


def test_an_earlier_one_off_that_shows_in_the_target_is_recorded_applied_and_not_sent():
    key = "auto-0aac18cee10771ad"
    client = with_record(customer(900, 100), key, "unknown/%s/100/0" % AT)
    failed, result, warnings = run(client, target=DST, credits=100)
    assert not failed and posts(client) == []
    assert warnings == ["the earlier transfer %s (recorded unknown at %s) shows in the target's balance: it was applied"
                        % (key, AT)]
    assert {name: result[name] for name in ("changed", "transfer_outcome", "transferred", "msg")} == {
        "changed": False, "transfer_outcome": "applied", "transferred": 0.0, "msg": "the transfer %s was already applied" % key}
    assert client.tags[SRC][TAG_PREFIX + key] == "applied/%s/100/0" % AT


def test_an_earlier_top_up_that_landed_is_forgotten_and_the_shortfall_since_is_topped_up():
    key = intent_key(dict(BASE, target=DST))
    # 300 landed on a target at 0; the target is at 300, below target_min_credits=500 again.
    client = with_record(customer(700, 300), key, "unknown/%s/300/0" % AT)
    failed, result, warnings = run(client, target=DST, target_min_credits=500)
    assert not failed and len(warnings) == 1
    assert client.transfers == [{"credits": 200.0, "smsAccountTarget": DST}]
    assert result["transfer_outcome"] == "applied" and TAG_PREFIX + key not in client.tags[SRC]
