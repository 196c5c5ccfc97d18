"""The transfer hold: Fischer's lease on IAM tags, with time and the other runs played by the test."""

import contextlib
import gc

import pytest

from ansible_collections.smppops.ovh.plugins.module_utils import _account_lease, _lock
from ansible_collections.smppops.ovh.plugins.module_utils._api import OvhApi
from ansible_collections.smppops.ovh.plugins.module_utils._account_lease import (
    LEASE_TAG, SOURCE_LEASE_TAG, AccountsHeld, LeaseBusy, SourceHeld)

from ovh_fakes import FakeClock, FakeSmsCustomer

SRC, DST = "smpp-1", "smpp-2"


@pytest.fixture(autouse=True)
def own_lock_files(monkeypatch, tmp_path):
    """Lock files (and the source lease they hand over) of this test only: its clock is not the real one."""
    monkeypatch.setattr(_lock, "_lock_dir", lambda: str(tmp_path))


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
    started = clock.now
    with pytest.raises(LeaseBusy) as caught:
        with hold(api, {SRC: accounts[SRC]}, clock, timeout=20):
            pass
    assert client.tags[SRC].get(LEASE_TAG, "").endswith("/%d" % (started + 120)), \
        "a value that may have overwritten a holder is left to expire"
    # Waiting cannot make that value trustworthy: the task gives up at once instead of waiting lock_timeout.
    assert clock.now - started == _account_lease.WRITE_BOUND + 0.5
    assert clock.sleeps == []
    assert caught.value.msg == (
        "writing the lease of %s took 1.5 s, more than the 1.0 s the lease relies on (the API answered too slowly); "
        "the value is left to expire at %s UTC so that no other run is misled; nothing was written: run the task again "
        "after that" % (SRC, _account_lease.utc_text(started + 120)))


def test_no_garbage_collection_can_pause_a_lease_between_its_read_and_its_write():
    """The bound covers the time from reading the lease free to the write landing. A forked ansible-core worker
    inherits the controller's whole heap, and a full collection there paused a worker 1.3-1.8 s at 400 accounts
    (measured): enough to make a lease untrustworthy. The collector is off in that window only, as before after."""
    enabled_at_writes = []

    def note(client, clock):
        enabled_at_writes.append(gc.isenabled())

    client, clock, api, accounts = setup(on_tag_write=note)
    assert gc.isenabled()
    with hold(api, accounts, clock):
        assert gc.isenabled(), "on again while the lease is held"
    assert enabled_at_writes[:2] == [False, False], "off from each read to its write"
    gc.disable()
    try:
        with hold(api, accounts, clock):
            assert not gc.isenabled(), "a caller's choice is kept"
    finally:
        gc.enable()


def test_a_slow_write_on_the_second_account_gives_back_only_the_first():
    def slow_on_second(client, clock):
        if LEASE_TAG in client.tags[DST]:
            clock.now += _account_lease.WRITE_BOUND + 0.5

    client, clock, api, accounts = setup(on_tag_write=slow_on_second)
    with pytest.raises(LeaseBusy, match="writing the lease of %s took 1.5 s" % DST):
        with hold(api, accounts, clock, timeout=20):
            pass
    assert LEASE_TAG not in client.tags[SRC], "written in time: given back"
    assert client.tags[DST].get(LEASE_TAG), "written too slowly: left to expire"


def test_a_lease_taken_over_after_expiry_is_not_held_any_more():
    client, clock, api, accounts = setup()
    with hold(api, accounts, clock) as held:
        clock.now += 121  # past this lease's expiry (120 s): another run takes it
        client.tags[SRC][LEASE_TAG] = "other/%d" % (clock.now + 300)
        assert not held.still_held(1) and not held.lasts(1)
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


# Transfer sources -------------------------------------------------------------------------------------
def source(api, accounts, clock, timeout=10, needed=60):
    return SourceHeld(api, SRC, accounts[SRC], timeout, needed, 200, clock=clock)


def tag_requests(client):
    return [r for r in client.requests if r["path"].startswith("/v2/")]


def queued_task():
    queue = _lock.Queue("source", SRC)
    queue.join()
    return queue


def test_a_source_lease_is_handed_over_while_a_task_is_queued_and_given_back_by_the_last():
    client, clock, api, accounts = setup()
    waiting = queued_task()
    with source(api, accounts, clock) as first:
        assert not first.handed_over and client.tags[SRC][SOURCE_LEASE_TAG]
    lease = client.tags[SRC][SOURCE_LEASE_TAG]
    client.requests = []
    waiting.close()
    with source(api, accounts, clock) as second:
        assert second.handed_over and second.lasts(60)
        assert tag_requests(client) == [] and client.tags[SRC][SOURCE_LEASE_TAG] == lease
    assert client.tags[SRC] == {}, "the last task queued gives it back"
    with source(api, accounts, clock) as third:
        assert not third.handed_over, "a lease given back is not handed over"


def test_without_a_shared_lock_file_nothing_is_handed_over(monkeypatch):
    # Separate controllers share no lock file: each keeps to Fischer's lease on the account.
    monkeypatch.setattr(_account_lease, "account_lock", lambda *args, **kwargs: contextlib.nullcontext())
    client, clock, api, accounts = setup()
    waiting = queued_task()
    try:
        with source(api, accounts, clock):
            pass
        assert client.tags[SRC] == {}
    finally:
        waiting.close()


def test_a_source_lease_of_another_controller_is_waited_for_then_refused():
    client, clock, api, accounts = setup()
    client.tags[SRC][SOURCE_LEASE_TAG] = "other/%d" % (clock.now + 300)
    with pytest.raises(LeaseBusy) as caught:
        with source(api, accounts, clock, timeout=5):
            pass
    assert "lock_timeout=5" in caught.value.msg and client.tags[SRC][SOURCE_LEASE_TAG].startswith("other/")


def test_the_source_and_account_leases_are_different_tags():
    # A source hold never waits for anything, so holding one account as a target and another as a source cannot deadlock.
    client, clock, api, accounts = setup()
    with hold(api, {SRC: accounts[SRC]}, clock):
        with source(api, accounts, clock, timeout=1):
            assert set(client.tags[SRC]) == {LEASE_TAG, SOURCE_LEASE_TAG}


def test_a_handed_over_note_that_is_unreadable_or_expired_is_not_trusted(tmp_path):
    client, clock, api, accounts = setup()
    for note in ("not json", '{"%s": "old/%d"}' % (SRC, clock.now - 1), '["x"]'):
        with _lock.account_lock("source", SRC) as handle:
            _lock.write_note(handle, note)
        with source(api, accounts, clock) as held:
            assert not held.handed_over and client.tags[SRC][SOURCE_LEASE_TAG].startswith(held._lease.owner)


def test_a_lease_surely_ours_is_given_back_without_reading_it():
    client, clock, api, accounts = setup()
    with hold(api, {DST: accounts[DST]}, clock):
        client.requests = []
    assert [r["method"] for r in client.requests] == ["DELETE"]
