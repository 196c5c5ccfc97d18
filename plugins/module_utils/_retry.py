# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""When and how long to wait before repeating an API request (private).

Why not a transport-level retry (urllib3 ``Retry`` on the requests session): OVH signs every
request with a timestamp, so a replay of the same bytes after a long ``Retry-After`` can be
refused as stale; each attempt must go back through python-ovh to be signed afresh, and the
policy has to warn the user on every retry. The rules:

* GET, PUT and DELETE are repeated after 429, 502, 503, 504, timeouts and dropped connections:
  repeating them leaves the same end state (the ACL PUT is add/remove of a set, re-credit PUT sets
  values).
* POST is never repeated: its outcome may be unknown and it can move money (credit transfer) or
  rotate a password. Callers decide what to do with an ambiguous POST failure.
* ``Retry-After`` (seconds or HTTP date) is honoured up to ``MAX_RETRY_AFTER``; otherwise the wait
  is a capped exponential backoff with jitter (half to all of the step).
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
    if when is None:
        return None
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


class RetryPolicy:
    """Decides whether a failed attempt is repeated, and after how long."""

    def __init__(self, retries, base=BACKOFF_BASE, cap=BACKOFF_CAP, rng=None):
        self.retries = max(0, int(retries))
        self.base = base
        self.cap = cap
        self._rng = rng or random.Random()

    def should_retry(self, method, attempt, http_status=None, network_error=False):
        """``attempt`` counts from 1; True when this failure may be repeated."""
        if attempt > self.retries or method.upper() not in SAFE_METHODS:
            return False
        return network_error or http_status in RETRYABLE_STATUSES

    def delay(self, attempt, retry_after=None):
        """Seconds to sleep before attempt ``attempt + 1``; None means "do not wait that long"."""
        if retry_after is not None:
            return retry_after if retry_after <= MAX_RETRY_AFTER else None
        ceiling = min(self.cap, self.base * (2 ** (attempt - 1)))
        return self._rng.uniform(ceiling / 2.0, ceiling)
