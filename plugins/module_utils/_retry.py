# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The re-send rules: when a request is sent again, after how long, and how often a status is polled (private).

This module decides; ``_api.OvhApi`` (requests) and ``_wait.wait_settled`` (status polling) only
carry out what it decides. The whole story:

1. **Which failures are repeated.** GET, PUT and DELETE are repeated after HTTP 429, 502, 503 and
   504, timeouts and dropped or refused connections, up to ``api_retries`` more attempts: repeating
   them leaves the same end state (the ACL PUT adds or removes a set, the re-credit PUT sets values,
   a DELETE of what is gone is what was asked). A request that cannot succeed later (a bad header or
   key, any other HTTP error) is never repeated.
2. **POST is never repeated.** Its outcome may be unknown and it can move money (credit transfer),
   rotate a password or create a sender. The failure goes back to the resource logic, which re-reads
   state to settle an unknown outcome (``_errors.OvhApiError.outcome_unknown``).
3. **How long to wait.** ``Retry-After`` (seconds or HTTP date) is honoured up to
   ``MAX_RETRY_AFTER``; a longer one is not waited for (the failure is reported at once). Otherwise
   the wait is a capped exponential backoff with jitter: half to all of ``BACKOFF_BASE * 2**(n-1)``,
   at most ``BACKOFF_CAP``, so parallel tasks refused together do not come back together.
4. **A lost DELETE.** When an earlier attempt of a DELETE may have been applied (its answer was
   lost) and a repeat answers 404, the resource is gone as asked: the call counts as done.
5. **OVH's ``QUERY_TIME_OUT``.** Tasks reuse the clock delta an earlier task of the run measured
   (``_clock``). When OVH refuses a request signed with a reused delta as too old, it refused it at
   the signature check, before doing anything: the delta is measured again and the request re-sent
   at once, once per task, whatever the method, and this re-send is not counted as a retry.
6. **Polling a status.** OVH applies allowed-IP changes asynchronously (settings status
   ``UPDATING_IP`` meanwhile). The Control Panel polls every 5 s; here polling starts at
   ``FIRST_POLL`` and doubles up to ``MAX_POLL``, so short updates finish fast without hammering the
   API on long ones, never sleeping past the caller's timeout. Once a wait reaches ``PROGRESS_AFTER``
   every poll says so: a silent wait of minutes looks like a hung job.

Why not a transport-level retry (urllib3 ``Retry`` on the requests session): OVH signs every
request with a timestamp, so a replay of the same bytes after a long ``Retry-After`` can be
refused as stale; each attempt must go back through python-ovh to be signed afresh, and the user
is warned on every retry.
"""

from __future__ import annotations

import email.utils
import random
import time

SAFE_METHODS = frozenset(("GET", "PUT", "DELETE"))
RETRYABLE_STATUSES = frozenset((429, 502, 503, 504))
BACKOFF_BASE = 1.0
BACKOFF_CAP = 20.0
MAX_RETRY_AFTER = 120.0
QUERY_TIME_OUT = "QUERY_TIME_OUT"

TRANSIENT_STATUSES = frozenset(("UPDATING_IP",))
FIRST_POLL = 1.0
MAX_POLL = 5.0
PROGRESS_AFTER = 5.0

# What the client does with a failed attempt.
GIVE_UP = "give up"  # raise the failure
DONE = "done"  # the call achieved what was asked (rule 4)
RESEND_NOW = "re-send now"  # re-measure the clock and send again, not counted (rule 5)
RETRY = "retry"  # wait ``Decision.wait`` seconds, then send again (rules 1 and 3)


class Decision:
    """What to do after a failed attempt; ``wait`` is set for ``RETRY`` only."""

    def __init__(self, action, wait=None):
        self.action = action
        self.wait = wait


def parse_retry_after(value, now=None):
    """Seconds to wait from a ``Retry-After`` header value, or None when absent/unreadable."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


class RetryPolicy:
    """Decides what follows a failed attempt (rules 1 to 5 above)."""

    def __init__(self, retries, base=BACKOFF_BASE, cap=BACKOFF_CAP, rng=None):
        self.retries = max(0, int(retries))
        self.base = base
        self.cap = cap
        self._rng = rng or random.Random()

    def decide(self, method, attempt, failure, earlier_lost=False, clock_reused=False):
        """The ``Decision`` after attempt ``attempt`` (from 1) of ``method`` failed with ``failure`` (OvhApiError).

        ``earlier_lost``: an earlier attempt of this call may have been applied; ``clock_reused``:
        the request was signed with a clock delta measured by another task and not yet re-measured.
        """
        if method == "DELETE" and earlier_lost and failure.http_status == 404:
            return Decision(DONE)
        if clock_reused and failure.error_class == QUERY_TIME_OUT:
            return Decision(RESEND_NOW)
        network = failure.http_status is None and (failure.outcome_unknown or failure.connection_failed)
        if not self.should_retry(method, attempt, failure.http_status, network):
            return Decision(GIVE_UP)
        wait = self.delay(attempt, failure.retry_after)
        return Decision(GIVE_UP) if wait is None else Decision(RETRY, wait)

    def should_retry(self, method, attempt, http_status=None, network_error=False):
        """``attempt`` counts from 1; True when this failure may be repeated (rules 1 and 2)."""
        if attempt > self.retries or method.upper() not in SAFE_METHODS:
            return False
        return network_error or http_status in RETRYABLE_STATUSES

    def delay(self, attempt, retry_after=None):
        """Seconds to sleep before attempt ``attempt + 1``; None means "do not wait that long" (rule 3)."""
        if retry_after is not None:
            return retry_after if retry_after <= MAX_RETRY_AFTER else None
        ceiling = min(self.cap, self.base * (2 ** (attempt - 1)))
        return self._rng.uniform(ceiling / 2.0, ceiling)


def is_transient(status):
    """True while OVH is still applying a change of the status's object (rule 6)."""
    return status in TRANSIENT_STATUSES


def next_poll(previous, waited, timeout):
    """``(sleep, following)``: how long to sleep before the next poll and the step after it (rule 6)."""
    step = FIRST_POLL if previous is None else previous
    return min(step, max(0.0, timeout - waited)), min(MAX_POLL, step * 2)


def should_report_progress(waited):
    """True once a wait is long enough that a silent task would look hung (rule 6)."""
    return waited >= PROGRESS_AFTER
