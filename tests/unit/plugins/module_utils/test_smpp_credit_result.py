"""smpp_credit: what a task reports (the result, ``changed``, the diff) on each path, and that amounts under one
credit move like any other."""

import requests

from ansible_collections.smppops.ovh.plugins.module_utils._credit_intent import TAG_PREFIX, intent_key

from ovh_fakes import FakeResponse
# The same fake clock and lock directory as the module's main tests (autouse fixture).
from test_smpp_credit import BASE, DST, SRC, XFER, customer, fake_clock, on_read, posts, run, sms_writes  # noqa: F401  pylint: disable=unused-import


def reported(result):
    """The result without the API call report (its own tests pin it)."""
    return {key: value for key, value in result.items() if key != "api_calls"}


def writes(client):
    return [(r["method"], r["path"]) for r in client.requests if r["method"] != "GET"]


def test_a_top_up_reports_the_balances_read_after_it():
    client = customer(1000, 200)

    def consumed(c, name, credits):
        c.accounts[name]["creditsLeft"] -= credits

    # Both accounts send messages while the transfer lands: the report shows the balances read after it.
    on_read(client, SRC, 3, lambda c: consumed(c, SRC, 10))
    on_read(client, DST, 3, lambda c: consumed(c, DST, 5))
    failed, result, warnings = run(client, target=DST, target_min_credits=500)
    assert not failed and warnings == []
    assert reported(result) == {
        "changed": True, "transferred": 300.0, "transfer_outcome": "applied", "credits_left": 690.0,
        "target_credits_left": 495.0, "automatic_recredit_amount": None, "automatic_recredit_threshold": 0,
        "diff": {"before": {"credits_left": 1000, "target_credits_left": 200, "automatic_recredit_amount": None,
                            "automatic_recredit_threshold": 0},
                 "after": {"credits_left": 690.0, "target_credits_left": 495.0, "automatic_recredit_amount": None,
                           "automatic_recredit_threshold": 0}}}


def test_a_re_credit_change_alone_reports_every_field():
    client = customer(10, 0, automaticRecreditAmount=None, creditThresholdForAutomaticRecredit=100)
    failed, result, unused = run(client, automatic_recredit_amount=1000)
    assert not failed and sms_writes(client) == [("PUT", {"automaticRecreditAmount": 1000})]
    assert reported(result) == {
        "changed": True, "transferred": 0.0, "transfer_outcome": None, "credits_left": 10, "target_credits_left": None,
        "automatic_recredit_amount": 1000, "automatic_recredit_threshold": 100,
        "diff": {"before": {"credits_left": 10, "automatic_recredit_amount": None, "automatic_recredit_threshold": 100},
                 "after": {"credits_left": 10, "automatic_recredit_amount": 1000, "automatic_recredit_threshold": 100}}}


def test_a_target_with_enough_credits_is_reported_as_read_and_nothing_moves():
    # The source is below its reserve, which does not matter when nothing is to move.
    client = customer(50, 800)
    failed, result, unused = run(client, target=DST, target_min_credits=500, source_reserve=100)
    assert not failed and writes(client) == []
    assert reported(result) == {
        "changed": False, "transferred": 0.0, "transfer_outcome": None, "credits_left": 50, "target_credits_left": 800,
        "automatic_recredit_amount": None, "automatic_recredit_threshold": 0,
        "diff": {"before": {"credits_left": 50, "target_credits_left": 800, "automatic_recredit_amount": None,
                            "automatic_recredit_threshold": 0},
                 "after": {"credits_left": 50, "target_credits_left": 800, "automatic_recredit_amount": None,
                           "automatic_recredit_threshold": 0}}}


def test_a_re_credit_change_with_a_target_and_no_amount_only_puts_the_settings():
    for amounts in ({}, {"target_min_credits": 500}):
        client = customer(1000, 800)
        failed, result, unused = run(client, target=DST, automatic_recredit_amount=500, **amounts)
        assert not failed and result["changed"] is True
        assert writes(client) == [("PUT", "/sms/" + SRC)], "no lease, no record, no transfer"
        assert (result["transferred"], result["transfer_outcome"], client.transfers) == (0.0, None, [])


def test_a_transfer_under_one_credit_moves_once_with_its_record():
    client = customer(1000, 0)
    failed, result, unused = run(client, target=DST, credits=0.5)
    assert not failed and result["changed"] is True
    assert client.transfers == [{"credits": 0.5, "smsAccountTarget": DST}]
    assert (result["transferred"], result["credits_left"], result["target_credits_left"]) == (0.5, 999.5, 0.5)
    key = TAG_PREFIX + intent_key(dict(BASE, target=DST, credits=0.5))
    assert client.tags[SRC][key].startswith("applied/") and client.tags[SRC][key].endswith("/0.5/0")


def test_a_transfer_under_one_credit_is_predicted_in_check_mode():
    client = customer(1000, 0)
    failed, result, unused = run(client, check_mode=True, target=DST, credits=0.5)
    assert not failed and writes(client) == []
    assert (result["changed"], result["transferred"], result["credits_left"], result["target_credits_left"]) == (
        True, 0.5, 999.5, 0.5)


def test_a_source_with_nothing_left_refuses_before_any_write():
    client = customer(0, 0)
    failed, result, unused = run(client, target=DST, credits=0.5)
    assert failed and writes(client) == [], "no lease and no record: refused on the first read"
    assert result["msg"] == ("transferring 0.5 credits from smpp-1 (0 left) to smpp-2 (0 left) would leave -0.5, below "
                             "source_reserve=0; nothing was transferred")
    assert (result["changed"], result["transfer_outcome"], result["credits_left"]) == (False, "not_applied", 0.0)


def test_a_refused_transfer_after_a_re_credit_change_is_a_change():
    refused = FakeResponse(400, {"class": "Client::BadRequest", "message": "no"})
    client = customer(1000, 0, faults={("POST", XFER): [("before", refused)]})
    failed, result, unused = run(client, target=DST, credits=10, automatic_recredit_amount=500)
    assert failed and result["transfer_outcome"] == "not_applied"
    assert result["changed"] is True, "the re-credit settings were changed before the transfer was refused"
    assert client.accounts[SRC]["automaticRecreditAmount"] == 500 and client.transfers == []


def test_a_transfer_blocked_by_an_earlier_record_is_no_change_and_names_what_is_missing():
    client = customer(1000, 0)
    key = intent_key(dict(BASE, target=DST, credits=100))
    # A record of an older format, without its figures.
    client.tags[SRC][TAG_PREFIX + key] = "unknown/2026-01-02T03:04:05Z"
    failed, result, unused = run(client, target=DST, credits=100)
    assert failed and posts(client) == []
    assert (result["changed"], result["transfer_outcome"], result["transferred"]) == (False, "unknown", 0.0)
    assert result["msg"].startswith(
        "an earlier transfer %s of unknown credits from smpp-1 to smpp-2 has an unknown outcome (recorded unknown at " % key)
    assert ", target balance then unknown, now 0); nothing was transferred." in result["msg"]


def test_an_unsettled_transfer_is_a_change(fake_clock):
    client = customer(1000, 0, faults={("POST", XFER): [("before", requests.exceptions.ReadTimeout("slow"))]})
    failed, result, unused = run(client, target=DST, credits=100, settle_timeout=2)
    assert failed and result["transfer_outcome"] == "unknown"
    assert result["changed"] is True, "credits may have moved"


def test_a_top_up_made_by_someone_else_meanwhile_is_reported_from_the_read_under_the_hold():
    client = customer(1000, 200)
    on_read(client, DST, 2, lambda c: c.accounts[DST].update(creditsLeft=600))
    failed, result, unused = run(client, target=DST, target_min_credits=500)
    assert not failed and posts(client) == []
    assert reported(result) == {
        "changed": False, "transferred": 0.0, "transfer_outcome": None, "credits_left": 1000, "target_credits_left": 600,
        "automatic_recredit_amount": None, "automatic_recredit_threshold": 0,
        "diff": {"before": {"credits_left": 1000, "target_credits_left": 200, "automatic_recredit_amount": None,
                            "automatic_recredit_threshold": 0},
                 "after": {"credits_left": 1000, "target_credits_left": 600, "automatic_recredit_amount": None,
                           "automatic_recredit_threshold": 0}}}


def test_a_top_up_made_meanwhile_with_a_re_credit_change_is_still_a_change():
    client = customer(1000, 200)
    on_read(client, DST, 2, lambda c: c.accounts[DST].update(creditsLeft=600))
    failed, result, unused = run(client, target=DST, target_min_credits=500, automatic_recredit_amount=500)
    assert not failed and posts(client) == [] and result["transferred"] == 0.0
    assert result["changed"] is True


def without_iam_urn(client):
    """The source's first read shows no IAM URN (nothing can be recorded on it)."""
    bare = {"name": SRC, "smpp": True, "creditsLeft": 1000, "automaticRecreditAmount": None,
            "creditThresholdForAutomaticRecredit": 0}
    on_read(client, SRC, 1, lambda c: FakeResponse(200, bare))


def test_a_source_without_an_iam_urn_is_named():
    client = customer(1000, 0)
    without_iam_urn(client)
    failed, result, unused = run(client, target=DST, credits=100)
    assert failed and writes(client) == []
    assert result["msg"].startswith("the account smpp-1 has no IAM URN")


def test_a_source_without_an_iam_urn_is_fine_when_nothing_is_to_move():
    client = customer(1000, 800)
    without_iam_urn(client)
    failed, result, unused = run(client, target=DST, target_min_credits=500)
    assert not failed and result["changed"] is False and writes(client) == []


def test_a_target_of_another_customer_carries_ovh_s_answer():
    client = customer(1000, 0)
    client.foreign = frozenset(["sms-zz9-1"])
    failed, result, unused = run(client, target="sms-zz9-1", credits=5)
    assert failed and writes(client) == []
    assert result["error"] == {"http_status": 404, "error_class": "Client::NotFound", "message": "This service does not exist",
                               "query_id": "EU.ext-1.test.404", "method": "GET", "path": "/sms/sms-zz9-1"}
