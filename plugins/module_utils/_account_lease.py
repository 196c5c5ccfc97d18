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
  then. A write slower than the bound cannot be trusted: its value is then treated as someone
  else's until it expires.

Limits (documented in the credits guide): the controllers' clocks must agree to within a few
seconds (the expiry is a UTC time); a holder that dies keeps the accounts for ``lease_seconds``;
transfers made outside the collection (Control Panel) are not held back.
"""

from __future__ import annotations

import contextlib
import random
import time
import uuid

from ansible_collections.smppops.ovh.plugins.module_utils._errors import SmppOpsError
from ansible_collections.smppops.ovh.plugins.module_utils._iam_tags import ResourceTags, urn_of
from ansible_collections.smppops.ovh.plugins.module_utils._lock import LockTimeout, account_lock

LEASE_TAG = "smppops-lease"
WRITE_BOUND = 1.0
SETTLE = 1.5
POLL = 1.0


class LeaseBusy(SmppOpsError):
    """Another task or run kept the accounts longer than ``lock_timeout``; nothing was written."""


class Clock:
    """Time as the lease sees it; tests replace it."""

    monotonic = staticmethod(time.monotonic)
    wall = staticmethod(time.time)
    sleep = staticmethod(time.sleep)


class AccountsHeld:
    """``with AccountsHeld(...)``: hold every named account for one transfer, release on exit."""

    def __init__(self, api, accounts_by_name, lock_timeout, lease_seconds, clock=None, rng=None):
        self._api = api
        self._accounts = accounts_by_name
        self._timeout = lock_timeout
        self._lease_seconds = lease_seconds
        self._clock = clock or Clock()
        self._rng = rng or random.Random()
        self._locks = contextlib.ExitStack()
        self._held = {}
        self.owner = uuid.uuid4().hex[:16]
        self.waited = 0.0

    def __enter__(self):
        started = self._clock.monotonic()
        deadline = started + self._timeout
        try:
            self._lock_locally(deadline)
            self._lease_remotely(deadline)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        self.waited = self._clock.monotonic() - started
        return self

    def __exit__(self, *exc):
        for name, value in sorted(self._held.items()):
            try:
                store = self._store(name)
                if store.read().get(LEASE_TAG) == value:
                    store.remove(LEASE_TAG)
            except SmppOpsError:
                pass  # the lease expires by itself
        self._held = {}
        self._locks.close()
        return False

    def still_held(self, seconds_needed):
        """True when every lease is still ours and lasts ``seconds_needed`` more seconds."""
        for name, value in self._held.items():
            if self._store(name).read().get(LEASE_TAG) != value:
                return False
            if _expiry(value) - self._clock.wall() < seconds_needed:
                return False
        return True

    # On this controller ---------------------------------------------------------------------
    def _lock_locally(self, deadline):
        for name in sorted(self._accounts):
            try:
                self._locks.enter_context(account_lock("lease", name, max(0.0, deadline - self._clock.monotonic())))
            except LockTimeout:
                raise LeaseBusy("another task on this controller kept %s busy for more than lock_timeout=%ss; "
                                "nothing was written" % (name, self._timeout))

    # Across runs ------------------------------------------------------------------------------
    def _store(self, name):
        return ResourceTags(self._api, urn_of(self._accounts[name], name))

    def _lease_remotely(self, deadline):
        # An account the API gives no IAM URN (iam is nullable) cannot carry a lease: the others still do.
        names = [name for name in sorted(self._accounts) if (self._accounts[name].get("iam") or {}).get("urn")]
        tainted = set()
        while names:
            value = "%s/%d" % (self.owner, int(self._clock.wall() + self._lease_seconds))
            written = {}
            busy = None
            for name in names:
                store = self._store(name)
                seen_at = self._clock.monotonic()
                current = store.read().get(LEASE_TAG)
                if current and current not in self._held.values() and _expiry(current) > self._clock.wall() or current in tainted:
                    busy = (name, current)
                    break
                store.write(LEASE_TAG, value)
                written[name] = value
                if self._clock.monotonic() - seen_at > WRITE_BOUND:
                    tainted.add(value)  # too slow to be sure no one read it free meanwhile
                    busy = (name, value)
                    break
            if busy is None:
                self._clock.sleep(SETTLE)
                if all(self._store(name).read().get(LEASE_TAG) == value for name in written):
                    self._held = written
                    return
                busy = ("one of %s" % ", ".join(sorted(written)), "another run")
            self._give_back({name: text for name, text in written.items() if text not in tainted})
            if self._clock.monotonic() > deadline:
                raise LeaseBusy("the lease of %s is held by %s (IAM tag %s) for more than lock_timeout=%ss: another run is "
                                "transferring credits or renewing its password; nothing was written"
                                % (busy[0], busy[1], LEASE_TAG, self._timeout))
            self._clock.sleep(POLL + self._rng.uniform(0, POLL))

    def _give_back(self, written):
        for name, value in written.items():
            store = self._store(name)
            try:
                if store.read().get(LEASE_TAG) == value:
                    store.remove(LEASE_TAG)
            except SmppOpsError:
                pass


def _expiry(value):
    try:
        return int(str(value).rsplit("/", 1)[1])
    except (IndexError, ValueError):
        return 0  # unreadable: treat as expired
