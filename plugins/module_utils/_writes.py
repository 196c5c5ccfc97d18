# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The record of the writes one task sent, and what came of each (private).

A failed task reports ``changed`` and says what it did from this record, never from what it had
planned: a message that claims a write "was sent" must point at an entry here. ``OvhApi`` keeps one
entry per write call (POST, PUT, DELETE), however many attempts the re-send rules made, with the
outcome of all attempts together:

* ``applied``: OVH answered one attempt with a readable success;
* ``unknown``: no attempt succeeded, and one may have been applied (timeout, dropped connection,
  5xx, unreadable 2xx): the caller must re-read, never assume either way;
* ``refused``: OVH answered every attempt with an error that applies nothing (4xx);
* ``not sent``: the request never left this process.

The body is kept for the resource logic (which addresses an ACL write carried) and is never
reported: some bodies are amounts or tag values a user did not ask to see.
"""

from __future__ import annotations

APPLIED = "applied"
UNKNOWN = "unknown"
REFUSED = "refused"
NOT_SENT = "not sent"


class SentWrite:
    """One write call: ``method``, ``path`` (without query string), ``body`` and its ``outcome``."""

    def __init__(self, method, path, body):
        self.method = method
        self.path = path
        self.body = body
        self.outcome = NOT_SENT

    @property
    def may_have_applied(self):
        return self.outcome in (APPLIED, UNKNOWN)

    def settle(self, outcome):
        """Fold one attempt's outcome in: a success wins, then a possible success, then a refusal."""
        rank = (NOT_SENT, REFUSED, UNKNOWN, APPLIED)
        if rank.index(outcome) > rank.index(self.outcome):
            self.outcome = outcome


class WriteLog:
    """The writes of one task, in the order they were sent."""

    def __init__(self):
        self.entries = []

    def start(self, method, path, body):
        entry = SentWrite(method, path, body)
        self.entries.append(entry)
        return entry

    def may_have_changed(self):
        """True when any write went through or may have: what ``changed`` of a failed task says."""
        return any(entry.may_have_applied for entry in self.entries)

    def outcome(self, method, path, body_matches=None):
        """The outcome of the last ``method`` ``path`` write (whose body ``body_matches``), None when never started."""
        for entry in reversed(self.entries):
            if entry.method == method and entry.path == path and (body_matches is None or body_matches(entry.body)):
                return entry.outcome
        return None

    def bodies(self, method, path):
        """The bodies of the ``method`` ``path`` writes that went through or may have, in order."""
        return [entry.body for entry in self.entries
                if entry.method == method and entry.path == path and entry.may_have_applied]
