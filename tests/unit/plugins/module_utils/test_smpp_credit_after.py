"""smpp_credit: the balances read after an applied transfer, a reserve overrun reported with its figures, and the
time written in the transfer's record."""

from ansible_collections.smppops.ovh.plugins.module_utils._credit_intent import TAG_PREFIX, intent_key

from ovh_fakes import FakeResponse
# The same fake clock and lock directory as the module's main tests (autouse fixture).
from test_smpp_credit import BASE, DST, SRC, customer, fake_clock, on_read, run  # noqa: F401  pylint: disable=unused-import


def test_a_source_drained_while_the_transfer_lands_is_reported_as_a_reserve_overrun():
    client = customer(1000, 0)
    # Read 1 decides, read 2 is under the hold, read 3 follows the transfer: something else took the rest meanwhile.
    on_read(client, SRC, 3, lambda c: c.accounts[SRC].update(creditsLeft=0))
    failed, result, warnings = run(client, target=DST, credits=100, source_reserve=500)
    assert not failed and result["transfer_outcome"] == "applied"
    assert result["reserve_overrun"] == {"source_reserve": 500, "credits_left": 0.0, "credits_left_before": 1000,
                                         "transferred": 100.0}
    assert (result["credits_left"], result["target_credits_left"]) == (0, 100)
    assert warnings == ["smpp-1 has 0 credits left after this transfer of 100, below source_reserve=500 (it had 1000 "
                        "when checked): something else took credits from it at the same time"]


def test_a_source_left_exactly_at_its_reserve_is_no_overrun():
    client = customer(600, 0)
    failed, result, warnings = run(client, target=DST, credits=100, source_reserve=500)
    assert not failed and result["transfer_outcome"] == "applied" and warnings == []
    assert "reserve_overrun" not in result
    assert (result["credits_left"], result["target_credits_left"]) == (500, 100)


def test_balances_unreadable_after_the_transfer_are_named_with_the_amount():
    client = customer(1000, 0)
    on_read(client, DST, 3, lambda c: FakeResponse(500, {"message": "down"}))
    failed, result, warnings = run(client, target=DST, credits=100, api_retries=0)
    assert not failed and (result["transferred"], result["transfer_outcome"]) == (100.0, "applied")
    assert (result["credits_left"], result["target_credits_left"]) == (None, None)
    assert len(warnings) == 1
    assert warnings[0].startswith("the transfer of 100 credits was applied, but the balances could not be read afterwards (")


def test_the_record_is_stamped_in_utc_by_the_module_clock(fake_clock):
    client = customer(1000, 0)
    failed, unused_result, unused = run(client, target=DST, credits=100)
    assert not failed and fake_clock.now == 1_800_000_003.0, "the clock starts at 2027-01-15T08:00:00Z; the lease waits 3 s"
    tag = TAG_PREFIX + intent_key(dict(BASE, target=DST, credits=100))
    assert client.tags[SRC][tag] == "applied/2027-01-15T08:00:03Z/100/0"


def test_a_transfer_the_reserve_check_allowed_at_its_tolerance_is_no_overrun():
    # 100 - 100 misses source_reserve=0.000001 by exactly the tolerance (1e-6): the check allows it, so must the report.
    client = customer(100, 0)
    failed, result, warnings = run(client, target=DST, credits=100, source_reserve=0.000001)
    assert not failed and result["transferred"] == 100.0 and warnings == []
    assert "reserve_overrun" not in result
