# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One write that must not happen twice at a time per account, within a run and across runs (private).

A top-up computes its amount from balances, a scheduled password renewal from the recorded renewal
time: two runs deciding from the same reads move credits twice, take a source below its reserve or
renew a password twice. Such a write therefore holds its accounts while it reads again, sends the
request and records the result:

* **On one controller** (hosts of one play, forked workers, other playbooks), the account lock of
  ``_lock`` queues the tasks: accounts fed by the same source wait for each other, unrelated
  accounts do not.
* **Across runs** (two AWX jobs, two controllers), a lease is recorded on each account as the IAM
  tag ``smppops-lease`` = ``<owner>/<expiry epoch>``. Tags have no compare-and-set, so the
  lease follows Fischer's mutual exclusion: read it free, write it within ``WRITE_BOUND`` seconds of
  that read, wait ``SETTLE`` (longer than ``WRITE_BOUND``) and read it back; only a writer that
  still finds its own value holds it, because any other writer that saw it free has written by
  then. A write slower than the bound cannot be trusted (it may have overwritten a holder that
  had already checked): its value is left to expire and the task gives up at once, since no wait
  would make it trustworthy.

**Transfer sources** are held apart from the accounts above (``SourceHeld``): the local lock
  ``source`` and the lease tag ``smppops-source-lease``. A transfer holds its target first (with the
  lease's settle wait, so that these waits run side by side across forks), then its source, and never
  waits for anything while it holds a source: no cycle of waits can form, even when one account is the
  source of one transfer and the target of another. The source lease belongs to the controller, not to
  one task: the holder of the local source lock keeps it in the lock file and hands it over to the next
  task, which uses it without any request while it lasts long enough; the last task queued gives it
  back. Across controllers, Fischer's protocol still keeps two of them from holding one source.

Limits (documented in the credits guide): the controllers' clocks must agree to within a few
seconds (the expiry is a UTC time); a holder that dies keeps the accounts for ``lease_seconds``;
transfers made outside the collection (Control Panel) are not held back.
"""

from __future__ import annotations

import contextlib
import gc
import json
import random
import time
import uuid
from datetime import datetime, timezone

from ansible_collections.smppops.ovh.plugins.module_utils._errors import SmppOpsError
from ansible_collections.smppops.ovh.plugins.module_utils._iam_tags import ResourceTags, urn_of
from ansible_collections.smppops.ovh.plugins.module_utils._lock import LockTimeout, Queue, account_lock, read_note, write_note

LEASE_TAG = "smppops-lease"
SOURCE_LEASE_TAG = "smppops-source-lease"
WRITE_BOUND = 1.0
SETTLE = 1.5
POLL = 1.0
# A lease is given back without reading it first only while it lasts this much longer (clock skew).
SURE_OURS = 30


@contextlib.contextmanager
def _no_collection_pause():
    """No garbage collection between reading a lease free and its write landing (``WRITE_BOUND`` covers both).

    An ansible-core worker is forked from the controller and inherits its whole heap: a full collection
    there walks (and copies) all of it, which paused workers 1.3-1.8 s at 400 accounts (measured), long
    enough to make a lease untrustworthy and the top-up give up. The window is two requests long; the
    collector's state is restored after it, whatever it was.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class LeaseBusy(SmppOpsError):
    """Another task or run kept the accounts longer than ``lock_timeout``; nothing was written."""


class Clock:
    """Time as the lease sees it; tests replace it."""

    monotonic = staticmethod(time.monotonic)
    wall = staticmethod(time.time)
    sleep = staticmethod(time.sleep)


class Lease:
    """The lease ``tag`` on some accounts, across runs (no local lock): ``take``, ``lasts``, ``give_back``."""

    def __init__(self, api, accounts_by_name, lease_seconds, tag=LEASE_TAG, clock=None, rng=None, held=None):
        self._api = api
        self._accounts = accounts_by_name
        self._lease_seconds = lease_seconds
        self.tag = tag
        self._clock = clock or Clock()
        self._rng = rng or random.Random()
        self.held = dict(held or {})
        self.owner = uuid.uuid4().hex[:16]

    def lasts(self, seconds_needed):
        """True when every lease held lasts ``seconds_needed`` more seconds.

        Nobody else writes a lease while it is held and unexpired (they read it taken), so its expiry
        alone says whether it is still ours: no request.
        """
        return all(_expiry(value) - self._clock.wall() >= seconds_needed for value in self.held.values())

    def still_held(self, seconds_needed):
        """``lasts``, confirmed by reading every lease back."""
        for name, value in self.held.items():
            if self._store(name).read().get(self.tag) != value:
                return False
        return self.lasts(seconds_needed)

    def take(self, deadline, timeout):
        # An account the API gives no IAM URN (iam is nullable) cannot carry a lease: the others still do.
        names = [name for name in sorted(self._accounts) if (self._accounts[name].get("iam") or {}).get("urn")]
        while names:
            value = "%s/%d" % (self.owner, int(self._clock.wall() + self._lease_seconds))
            written = {}
            busy = None
            for name in names:
                store = self._store(name)
                with _no_collection_pause():
                    seen_at = self._clock.monotonic()
                    current = store.read().get(self.tag)
                    if current and current not in self.held.values() and _expiry(current) > self._clock.wall():
                        busy = (name, current)
                        break
                    store.write(self.tag, value)
                    took = self._clock.monotonic() - seen_at
                written[name] = value
                if took > WRITE_BOUND:
                    # Too slow to be sure no one read it free meanwhile: the value stays until it expires, and no
                    # wait makes it ours, so give up now rather than after lock_timeout.
                    self._remove({other: text for other, text in written.items() if other != name}, check=True)
                    raise LeaseBusy(
                        "writing the lease of %s took %.1f s, more than the %.1f s the lease relies on (the API answered "
                        "too slowly); the value is left to expire at %s UTC so that no other run is misled; nothing "
                        "was written: run the task again after that" % (name, took, WRITE_BOUND, utc_text(_expiry(value))))
            if busy is None:
                self._clock.sleep(SETTLE)
                if all(self._store(name).read().get(self.tag) == value for name in written):
                    self.held = written
                    return
                busy = ("one of %s" % ", ".join(sorted(written)), "another run")
            self._remove(written, check=True)
            if self._clock.monotonic() > deadline:
                raise LeaseBusy("the lease of %s is held by %s (IAM tag %s) for more than lock_timeout=%ss: another run is "
                                "transferring credits or renewing its password; nothing was written"
                                % (busy[0], busy[1], self.tag, timeout))
            self._clock.sleep(POLL + self._rng.uniform(0, POLL))

    def give_back(self):
        """Remove every lease held; one that is surely still ours is removed without reading it first."""
        held, self.held = self.held, {}
        for name, value in sorted(held.items()):
            self._remove({name: value}, check=_expiry(value) - self._clock.wall() < SURE_OURS)

    def _store(self, name):
        return ResourceTags(self._api, urn_of(self._accounts[name], name))

    def _remove(self, written, check):
        for name, value in written.items():
            store = self._store(name)
            try:
                if not check or store.read().get(self.tag) == value:
                    store.remove(self.tag)
            except SmppOpsError:
                pass  # the lease expires by itself


class AccountsHeld:
    """``with AccountsHeld(...)``: hold every named account for one write, release on exit."""

    def __init__(self, api, accounts_by_name, lock_timeout, lease_seconds, clock=None, rng=None):
        self._accounts = accounts_by_name
        self._timeout = lock_timeout
        self._clock = clock or Clock()
        self._lease = Lease(api, accounts_by_name, lease_seconds, clock=self._clock, rng=rng)
        self._locks = contextlib.ExitStack()
        self.owner = self._lease.owner
        self.waited = 0.0

    def __enter__(self):
        started = self._clock.monotonic()
        deadline = started + self._timeout
        try:
            self._lock_locally(deadline)
            self._lease.take(deadline, self._timeout)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        self.waited = self._clock.monotonic() - started
        return self

    def __exit__(self, *exc):
        self._lease.give_back()
        self._locks.close()
        return False

    def lasts(self, seconds_needed):
        return self._lease.lasts(seconds_needed)

    def still_held(self, seconds_needed):
        """True when every lease is still ours and lasts ``seconds_needed`` more seconds."""
        return self._lease.still_held(seconds_needed)

    def _lock_locally(self, deadline):
        for name in sorted(self._accounts):
            try:
                self._locks.enter_context(account_lock("lease", name, max(0.0, deadline - self._clock.monotonic())))
            except LockTimeout:
                raise LeaseBusy("another task on this controller kept %s busy for more than lock_timeout=%ss; "
                                "nothing was written" % (name, self._timeout))


class SourceHeld:
    """``with SourceHeld(...)``: hold a transfer source for one transfer; its lease is handed over, not released.

    ``seconds_needed``: how long the lease must still last once held (the transfer request and its
    settling); a handed-over lease that lasts less is given back and taken again. ``lease_seconds``
    is how long a lease taken here lasts: it serves every transfer of the controller's tasks that
    start before it runs short. ``waited``: seconds of ``lock_timeout`` already spent (on the target).
    """

    def __init__(self, api, name, account, lock_timeout, seconds_needed, lease_seconds, clock=None, rng=None,
                 waited=0.0):
        self._api = api
        self._name = name
        self._account = account
        self._timeout = lock_timeout
        # What is left of lock_timeout after the target's hold.
        self._wait = max(0.0, lock_timeout - waited)
        self._needed = seconds_needed
        self._clock = clock or Clock()
        self._lease = Lease(api, {name: account}, lease_seconds, tag=SOURCE_LEASE_TAG, clock=self._clock, rng=rng)
        self._queue = Queue("source", name)
        self._locks = contextlib.ExitStack()
        self._note = None
        self.handed_over = False

    def __enter__(self):
        deadline = self._clock.monotonic() + self._wait
        self._queue.join()
        try:
            try:
                self._note = self._locks.enter_context(account_lock("source", self._name, self._wait))
            except LockTimeout:
                raise LeaseBusy("other transfers from %s on this controller kept it busy for more than lock_timeout=%ss; "
                                "nothing was transferred" % (self._name, self._timeout))
            self._lease.held = self._handed_over()
            self.handed_over = bool(self._lease.held)
            if not self._lease.held or not self._lease.lasts(self._needed):
                self._lease.give_back()
                self._keep({})
                self._lease.take(deadline, self._timeout)
                self._keep(self._lease.held)
        except BaseException:
            self._release(last=True)
            raise
        return self

    def __exit__(self, *exc):
        self._release(last=self._note is None or self._queue.leave_last())
        return False

    def lasts(self, seconds_needed):
        return self._lease.lasts(seconds_needed)

    def _release(self, last):
        try:
            if last:
                # Forget it before removing it: a task that finds it in the lock file must be able to rely on it.
                self._keep({})
                self._lease.give_back()
        finally:
            self._queue.close()
            self._locks.close()

    def _handed_over(self):
        if self._note is None:
            return {}  # no lock file shared with other tasks (tests play separate controllers so)
        try:
            note = json.loads(read_note(self._note) or "{}")
        except ValueError:
            return {}
        value = note.get(self._name) if isinstance(note, dict) else None
        return {self._name: value} if isinstance(value, str) and _expiry(value) > self._clock.wall() else {}

    def _keep(self, held):
        if self._note is not None:
            write_note(self._note, json.dumps(held))


def utc_text(epoch):
    """``2026-11-29 22:30:00``: an expiry as messages show it."""
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def _expiry(value):
    try:
        return int(str(value).rsplit("/", 1)[1])
    except (IndexError, ValueError):
        return 0  # unreadable: treat as expired
