# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read many SMPP accounts at once, with a cap on requests in flight (private).

Used by the inventory plugin and by smpp_info without ``service_name``. The rules, in one place:

* One worker thread per slot (``max_concurrent_requests``, default 10), and each worker has its
  own python-ovh client (built by ``new_api``): python-ovh's ``Client`` and the ``requests.Session``
  under it are not documented as thread-safe (the session's cookie jar and adapters are shared
  mutable state, and ``OvhApi.last_query_id`` names the answer an error message is about), so
  nothing that holds per-request state is shared between threads. In the controller (action
  plugins, inventory) each client reuses the clock delta the listing request measured (the shared
  clock file of ``_clock.py``): no extra ``GET /auth/time`` per worker.
* ``RequestGate`` counts every attempt (retries included) through one semaphore, so the cap holds
  whatever the worker count, and holds every worker back after a 429: OVH's rate limit is per
  application and consumer key, not per connection, so a worker that kept sending while another
  waits for ``Retry-After`` would only earn more 429s. Each request keeps its own retry policy
  (``_retry.py``) on top of that pause.
* Each account's reads start with a timestamp, ``read_at``, so consumers can refuse a snapshot by age.
* Results come back sorted by service name whatever the completion order. An unreadable account
  stops the reading (no new account starts) and the first one by name is raised, naming it, unless
  ``skip_unreadable``, which keeps the others and lists the skipped ones.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

from ansible_collections.smppops.ovh.plugins.module_utils import _account_reads as accounts
from ansible_collections.smppops.ovh.plugins.module_utils._errors import OvhApiError
from ansible_collections.smppops.ovh.plugins.module_utils._options import DEFAULT_MAX_CONCURRENT_REQUESTS
from ansible_collections.smppops.ovh.plugins.module_utils._retry import BACKOFF_BASE, MAX_RETRY_AFTER, parse_retry_after

READ_AT_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
RATE_LIMITED = 429


def utc_now():
    """The time an account's reads begin, as ``read_at`` carries it (UTC, microseconds, ``Z``)."""
    return datetime.now(timezone.utc).strftime(READ_AT_FORMAT)


class RequestGate:
    """At most ``limit`` requests in flight across every client it gates; after a 429 nobody sends until it is over."""

    def __init__(self, limit, monotonic=time.monotonic, sleep=time.sleep):
        self.limit = int(limit)
        self._slots = threading.BoundedSemaphore(self.limit)
        self._lock = threading.Lock()
        self._resume_at = 0.0
        self._monotonic = monotonic
        self._sleep = sleep

    def gate(self, client):
        """Route ``client.raw_call`` (each attempt python-ovh signs and sends) through the gate, once."""
        if getattr(client, "smppops_gate", None) is self:
            return client
        client.smppops_gate = self
        send = client.raw_call

        def raw_call(*args, **kwargs):
            return self.send(send, *args, **kwargs)

        client.raw_call = raw_call
        return client

    def send(self, send, *args, **kwargs):
        self._wait_for_rate_limit()
        with self._slots:
            response = send(*args, **kwargs)
        if getattr(response, "status_code", None) == RATE_LIMITED:
            self._pause(parse_retry_after((getattr(response, "headers", None) or {}).get("Retry-After")))
        return response

    def _pause(self, retry_after):
        # Without Retry-After, the first backoff step; a Retry-After too long for the retry policy
        # fails that request anyway, so the others are held no longer than the policy would wait.
        seconds = min(MAX_RETRY_AFTER, BACKOFF_BASE if retry_after is None else retry_after)
        with self._lock:
            self._resume_at = max(self._resume_at, self._monotonic() + seconds)

    def _wait_for_rate_limit(self):
        while True:
            with self._lock:
                wait = self._resume_at - self._monotonic()
            if wait <= 0:
                return
            self._sleep(wait)


def read_fleet(api, new_api, max_concurrent_requests=DEFAULT_MAX_CONCURRENT_REQUESTS, skip_unreadable=False,
               extra=None, now=utc_now):
    """``(facts of every SMPP account sorted by name, [{service_name, msg}] skipped)``.

    ``api`` lists the services (``GET /sms``); ``new_api(gate)`` returns a fresh ``OvhApi`` whose
    client is gated, one per worker. ``extra(api, name, facts)`` adds per-account reads (history).
    """
    names = accounts.list_service_names(api)
    gate = RequestGate(max_concurrent_requests)
    local = threading.local()
    stop = threading.Event()

    def worker_api():
        if getattr(local, "api", None) is None:
            local.api = new_api(gate)
        return local.api

    def read(name):
        if stop.is_set():
            return None, None
        try:
            return read_one(worker_api(), name, now, extra), None
        except OvhApiError as exc:
            if not skip_unreadable:
                stop.set()  # the source fails: start no other account
            return None, exc

    outcomes = {}
    if names:
        with ThreadPoolExecutor(max_workers=min(max_concurrent_requests, len(names))) as pool:
            outcomes = dict(zip(names, pool.map(read, names)))
    found, skipped = [], []
    for name in names:
        facts, error = outcomes.get(name, (None, None))
        if error is not None:
            if not skip_unreadable:
                raise named(error, name)
            skipped.append({"service_name": name, "msg": error.msg})
        elif facts is not None:
            found.append(facts)
    return found, skipped


def read_one(api, name, now=utc_now, extra=None, account=None):
    """Facts of one account with ``read_at``; None for a plain SMS account found in the list (never for a named one)."""
    read_at = now()
    account = account or accounts.get_account(api, name)
    if not account.get("smpp"):
        return None
    facts = accounts.read_smpp_facts(api, name, account)
    facts["read_at"] = read_at
    if extra is not None:
        extra(api, name, facts)
    return facts


def named(exc, name):
    """``exc`` with a message that names the account it is about."""
    if name not in exc.msg:
        exc.msg = "SMPP account %s could not be read: %s" % (name, exc.msg)
    return exc
