"""The transfer under its holds: what is decided again there, what the leases cover, what a failure reports.

Each test pins what a user or the next run sees: the requests sent (never a transfer of nothing, never a second
transfer of an applied one-off), the records and leases written, the task's result and warnings.
"""

import pytest

from ansible_collections.smppops.ovh.plugins.module_utils import _account_lease, _smpp_credit
from ansible_collections.smppops.ovh.plugins.module_utils._credit_intent import TAG_PREFIX

from ovh_fakes import FakeResponse
# fake_clock: the neighbouring tests' autouse fixture (a fake clock and lock directory per test) applies here too.
from test_smpp_credit import BASE, DST, SRC, XFER, customer, fake_clock, on_read, posts, run  # noqa: F401  pylint: disable=unused-import

AT = "2026-11-29T21:00:00Z"
KEY = "auto-0aac18cee10771ad"  # the one-off transfer of 100 credits from smpp-1 to smpp-2
NOT_GRANTED = FakeResponse(403, {"errorCode": "NOT_GRANTED_CALL", "message": "not granted"})


def record_writes(client):
    return [r for r in client.requests if r["method"] != "GET" and TAG_PREFIX in ((r["data"] or {}).get("key", "") + r["path"])]


def some(result, *names):
    return {name: result[name] for name in names}


def failing_record_removal(client):
    client.faults[("DELETE", "/tag/" + TAG_PREFIX + KEY)] = [("before", NOT_GRANTED)]
    return client


def test_a_top_up_no_longer_needed_under_the_hold_sends_nothing():
    client = customer(1000, 200)
    on_read(client, DST, 2, lambda c: c.accounts[DST].update(creditsLeft=600))
    failed, result, warnings = run(client, target=DST, target_min_credits=500)
    assert not failed and warnings == [] and posts(client) == [] and record_writes(client) == []
    assert "msg" not in result
    assert some(result, "changed", "transfer_outcome", "transferred", "credits_left", "target_credits_left") == {
        "changed": False, "transfer_outcome": None, "transferred": 0.0, "credits_left": 1000, "target_credits_left": 600}


def test_a_one_off_applied_by_another_run_meanwhile_is_not_sent_again():
    client = customer(1000, 0)
    # Absent when this task looked; written by another run before this one held the target.
    on_read(client, DST, 2, lambda c: c.tags[SRC].update({TAG_PREFIX + KEY: "applied/%s/100/0" % AT}))
    failed, result, warnings = run(client, target=DST, credits=100)
    assert not failed and warnings == [] and posts(client) == [] and record_writes(client) == []
    assert some(result, "changed", "transfer_outcome", "transferred", "msg", "credits_left", "target_credits_left") == {
        "changed": False, "transfer_outcome": "applied", "transferred": 0.0,
        "msg": "the transfer %s was already applied" % KEY, "credits_left": 1000, "target_credits_left": 0}


def test_a_top_up_under_a_key_once_used_by_an_applied_one_off_is_decided_by_the_balances():
    client = customer(1000, 0)
    client.tags[SRC][TAG_PREFIX + "batch-7"] = "applied/%s/100/0" % AT
    failed, result, unused = run(client, target=DST, target_min_credits=300, transfer_key="batch-7")
    assert not failed and client.transfers == [{"credits": 300.0, "smsAccountTarget": DST}]


@pytest.mark.parametrize("under_hold", [0, 30])
def test_the_record_keeps_the_target_balance_read_under_the_hold(under_hold):
    client = customer(1000, 0)
    on_read(client, DST, 2, lambda c: c.accounts[DST].update(creditsLeft=under_hold))
    failed, unused_result, unused = run(client, target=DST, credits=100)
    assert not failed
    assert client.tags[SRC][TAG_PREFIX + KEY].split("/")[2:] == ["100", str(under_hold)]


def test_the_leases_last_the_request_its_settle_and_the_margin(fake_clock):
    client = customer(1000, 0)
    started = fake_clock.now
    failed, unused_result, unused = run(client, target=DST, credits=100, api_timeout=5, settle_timeout=10)
    assert not failed
    leases = {(r["path"].split("%3A")[-1].split("/")[0], r["data"]["key"]): int(r["data"]["value"].split("/")[1]) - started
              for r in client.requests if r["method"] == "POST" and (r["data"] or {}).get("key", "").startswith("smppops-")
              and "lease" in r["data"]["key"]}
    # target: api_timeout + (api_timeout + settle_timeout + LEASE_MARGIN); the source's, taken after the target's
    # settle wait, adds SOURCE_LEASE_WINDOW for the next transfers of this controller.
    assert leases == {(DST, "smppops-lease"): 5 + 5 + 10 + 60,
                      (SRC, "smppops-source-lease"): int(_account_lease.SETTLE + 5 + 10 + 60 + 120)}


def test_the_wait_for_the_source_is_what_the_target_left_of_lock_timeout(fake_clock):
    client = customer(1000, 0)
    started = fake_clock.now
    client.tags[DST]["smppops-lease"] = "otherrun/%d" % (started + 20)
    client.tags[SRC]["smppops-source-lease"] = "otherrun/%d" % (started + 1000)
    failed, result, unused = run(client, target=DST, credits=100, lock_timeout=30)
    assert failed and posts(client) == [] and "lock_timeout=30" in result["msg"]
    # Both waits together keep to lock_timeout, give or take the last poll (1 to 2 s) and a lease's settle wait.
    assert fake_clock.now - started <= 30 + 2 * _account_lease.POLL + _account_lease.SETTLE


def test_a_clear_refusal_says_nothing_moved_and_warns_when_its_record_stays():
    refused = FakeResponse(400, {"class": "Client::BadRequest", "message": "no"})
    client = failing_record_removal(customer(1000, 0, faults={("POST", XFER): [("before", refused)]}))
    failed, result, warnings = run(client, target=DST, credits=100)
    assert failed and len(posts(client)) == 1
    assert some(result, "changed", "transfer_outcome", "transferred", "transfer_key") == {
        "changed": False, "transfer_outcome": "not_applied", "transferred": 0.0, "transfer_key": KEY}
    assert result["msg"].startswith("POST %s" % XFER) and "EU.ext-1.test.400" in result["msg"]
    assert result["msg"].endswith("; nothing was transferred and it is safe to run again")
    assert len(warnings) == 1 and warnings[0].startswith(
        "the transfer was not applied, but its pending record %s%s could not be removed (" % (TAG_PREFIX, KEY))


def test_a_lease_running_out_sends_nothing_and_warns_when_its_record_stays(fake_clock):
    client = failing_record_removal(customer(1000, 0))
    lease_seconds = 2 * BASE["api_timeout"] + BASE["settle_timeout"] + _smpp_credit.LEASE_MARGIN
    on_read(client, SRC, 2, lambda c: setattr(fake_clock, "now", fake_clock.now + lease_seconds - 10))
    failed, result, warnings = run(client, target=DST, credits=100)
    assert failed and posts(client) == []
    assert some(result, "changed", "transfer_outcome", "transferred") == {
        "changed": False, "transfer_outcome": "not_applied", "transferred": 0.0}
    assert len(warnings) == 1 and warnings[0].startswith(
        "the transfer was not applied, but its pending record %s%s could not be removed (" % (TAG_PREFIX, KEY))


def test_a_reserve_refused_under_the_hold_warns_when_its_record_stays():
    client = failing_record_removal(customer(1000, 0))
    on_read(client, SRC, 2, lambda c: c.accounts[SRC].update(creditsLeft=800))
    failed, result, warnings = run(client, target=DST, credits=100, source_reserve=750)
    assert failed and posts(client) == [] and result["transfer_outcome"] == "not_applied"
    assert len(warnings) == 1 and warnings[0].startswith(
        "the transfer was not applied, but its pending record %s%s could not be removed (" % (TAG_PREFIX, KEY))


def test_an_applied_transfer_reports_an_overrun_against_the_balance_read_under_the_hold():
    client = customer(1000, 0)
    on_read(client, SRC, 2, lambda c: c.accounts[SRC].update(creditsLeft=990))
    on_read(client, SRC, 3, lambda c: c.accounts[SRC].update(creditsLeft=750))
    failed, result, warnings = run(client, target=DST, credits=100, source_reserve=800)
    assert not failed and result["transfer_outcome"] == "applied"
    assert result["reserve_overrun"] == {"source_reserve": 800, "credits_left": 750.0, "credits_left_before": 990,
                                         "transferred": 100.0}
    assert warnings == ["smpp-1 has 750 credits left after this transfer of 100, below source_reserve=800 (it had 990 "
                        "when checked): something else took credits from it at the same time"]


def test_an_applied_transfer_whose_record_cannot_be_updated_is_applied_with_a_warning():
    client = customer(1000, 0)
    apply = client._apply

    def refusing_the_update(method, path, data):
        if method == "POST" and (data or {}).get("value", "").startswith("applied/"):
            return NOT_GRANTED
        return apply(method, path, data)

    client._apply = refusing_the_update
    failed, result, warnings = run(client, target=DST, credits=100)
    assert not failed and result["transfer_outcome"] == "applied" and client.transfers == [
        {"credits": 100.0, "smsAccountTarget": DST}]
    assert len(warnings) == 1 and warnings[0].startswith(
        "the transfer was applied, but its record %s%s could not be updated (" % (TAG_PREFIX, KEY))
    assert client.tags[SRC][TAG_PREFIX + KEY].startswith("pending/")


# A one-off's record found before any hold ---------------------------------------------------------------
def test_an_applied_one_off_is_reported_applied_under_its_key():
    client = customer(1000, 0)
    client.tags[SRC][TAG_PREFIX + KEY] = "applied/%s/100/0" % AT
    failed, result, warnings = run(client, target=DST, credits=100)
    assert not failed and warnings == [] and posts(client) == []
    assert some(result, "changed", "transfer_outcome", "transferred", "transfer_key", "msg") == {
        "changed": False, "transfer_outcome": "applied", "transferred": 0.0, "transfer_key": KEY,
        "msg": "the transfer %s (100 credits to smpp-2) was already applied at %s; nothing was transferred again (give "
               "another transfer_key to transfer again)" % (KEY, AT)}


def test_check_mode_warns_of_an_earlier_transfer_with_an_unknown_outcome():
    client = customer(1000, 0)
    client.tags[SRC][TAG_PREFIX + KEY] = "pending/%s/100/0" % AT
    failed, result, warnings = run(client, check_mode=True, target=DST, credits=100)
    assert not failed and result["changed"] and [r for r in client.requests if r["method"] != "GET"] == []
    assert warnings == ["an earlier transfer %s has an unknown outcome (recorded pending at %s): the real run checks the "
                        "balances first and may refuse to transfer" % (KEY, AT)]
