"""The transfer hold: Fischer's lease on IAM tags, with time and the other runs played by the test."""

import pytest

from ansible_collections.smppops.ovh.plugins.module_utils import _account_lease
from ansible_collections.smppops.ovh.plugins.module_utils._api import OvhApi
from ansible_collections.smppops.ovh.plugins.module_utils._account_lease import LEASE_TAG, AccountsHeld, LeaseBusy

from ovh_fakes import FakeClock, FakeSmsCustomer

SRC, DST = "smpp-1", "smpp-2"


def setup(on_tag_write=None, on_sleep=None):
    client = FakeSmsCustomer({SRC: {"creditsLeft": 100}, DST: {"creditsLeft": 0}})
    clock = FakeClock()
    if on_tag_write is not None:
        original = client._apply

        def apply(method, path, data):
            answer = original(method, path, data)
            if method in ("POST", "PUT") and path.startswith("/v2/"):
                on_tag_write(client, clock)
            return answer

        client._apply = apply
    if on_sleep is not None:
        sleep = clock.sleep

        def sleeping(seconds):
            sleep(seconds)
            on_sleep(client, clock)

        clock.sleep = sleeping
    api = OvhApi(client, retries=0)
    accounts = {name: {"iam": {"urn": "urn:v1:eu:resource:sms:%s" % name}} for name in (SRC, DST)}
    return client, clock, api, accounts


def hold(api, accounts, clock, timeout=10):
    return AccountsHeld(api, accounts, timeout, 120, clock=clock)


def test_both_accounts_are_held_then_released():
    client, clock, api, accounts = setup()
    with hold(api, accounts, clock) as held:
        assert client.tags[SRC][LEASE_TAG] == client.tags[DST][LEASE_TAG]
        assert client.tags[SRC][LEASE_TAG].startswith(held.owner + "/")
        assert held.still_held(60)
    assert client.tags == {SRC: {}, DST: {}}


def test_the_lease_is_read_back_only_after_settling():
    reads_after_write = []

    def note(client, clock):
        reads_after_write.append(clock.now)

    client, clock, api, accounts = setup(on_tag_write=note)
    with hold(api, accounts, clock):
        pass
    assert clock.now - reads_after_write[-1] >= _account_lease.SETTLE


def test_a_writer_that_overtakes_during_the_settle_wins():
    def overtaken(client, clock):
        if client.tags[SRC].get(LEASE_TAG, "").startswith("other"):
            return
        client.tags[SRC][LEASE_TAG] = "other/%d" % (clock.now + 300)

    client, clock, api, accounts = setup(on_sleep=overtaken)
    with pytest.raises(LeaseBusy) as caught:
        with hold(api, accounts, clock, timeout=5):
            pass
    assert "lock_timeout=5" in caught.value.msg
    assert client.tags[SRC][LEASE_TAG].startswith("other/"), "the other run's lease is left alone"
    assert LEASE_TAG not in client.tags[DST], "what this run wrote is given back"


def test_a_write_slower_than_the_bound_is_never_trusted():
    def slow(client, clock):
        clock.now += _account_lease.WRITE_BOUND + 0.5

    client, clock, api, accounts = setup(on_tag_write=slow)
    with pytest.raises(LeaseBusy):
        with hold(api, {SRC: accounts[SRC]}, clock, timeout=20):
            pass
    assert client.tags[SRC].get(LEASE_TAG), "a value that may have overwritten a holder is left to expire"


def test_a_lease_taken_over_after_expiry_is_not_held_any_more():
    client, clock, api, accounts = setup()
    with hold(api, accounts, clock) as held:
        client.tags[SRC][LEASE_TAG] = "other/%d" % (clock.now + 300)
        assert not held.still_held(1)
    assert client.tags[SRC][LEASE_TAG].startswith("other/")


def test_a_lease_about_to_expire_is_not_enough():
    client, clock, api, accounts = setup()
    with hold(api, accounts, clock) as held:
        assert held.still_held(100) and not held.still_held(130)


def test_tasks_on_one_controller_queue_on_a_local_lock():
    client, clock, api, accounts = setup()
    with hold(api, accounts, clock):
        with pytest.raises(LeaseBusy) as caught:
            with hold(api, accounts, clock, timeout=0.2):
                pass
        assert "another task on this controller" in caught.value.msg
    with hold(api, accounts, clock, timeout=1):
        pass


def test_an_account_without_iam_urn_is_held_locally_only():
    client, clock, api, accounts = setup()
    accounts[DST] = {"iam": None}
    with hold(api, accounts, clock) as held:
        assert LEASE_TAG in client.tags[SRC] and LEASE_TAG not in client.tags[DST]
        assert held.still_held(60)
    assert client.tags == {SRC: {}, DST: {}}
