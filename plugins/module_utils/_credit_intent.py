# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The record of one credit transfer intent, kept on the source account (private).

Before a transfer is sent, the IAM tag ``smppops-credit-transfer-<key>`` is written on the source
account with the value ``<state>/<time>/<amount>/<target balance before>``: ``pending`` while the
request is out, then ``applied``, or ``unknown`` when its outcome could not be settled. A later run
of the same intent finds it: a one-off transfer that was applied is not sent again, and one whose
outcome is unknown is not sent until the balances show what happened or the user says so.

The key is the user's ``transfer_key``; without it, a one-off transfer's key is derived from the
source, target and amount (the same one-off transfer happens once), and a top-up's from its target
(its record is removed once it is applied, since the balance makes top-ups idempotent).

A record is written only by a task that holds the transfer's target (``_smpp_credit``), so the tasks
that could write the same key queue on that hold: a derived key names its target. A ``transfer_key``
names one transfer to one target; the same key given at the same moment to transfers to two
different targets is not one intent.
"""

from __future__ import annotations

import hashlib

TAG_PREFIX = "smppops-credit-transfer-"
PENDING, APPLIED, UNKNOWN = "pending", "applied", "unknown"


def intent_key(params):
    """The intent key of this task's transfer."""
    if params.get("transfer_key"):
        return params["transfer_key"]
    if params.get("credits") is not None:
        text = "%s|%s|%s" % (params["service_name"], params["target"], number(params["credits"]))
        return "auto-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return "topup-%s" % hashlib.sha256(params["target"].encode("utf-8")).hexdigest()[:16]


def number(value):
    """A balance or amount as written in records and messages: no exponent, no trailing zeros."""
    return ("%.2f" % float(value)).rstrip("0").rstrip(".")


class TransferIntent:
    """One intent's record in the source account's tags."""

    def __init__(self, tags, key):
        self._tags = tags
        self.key = key
        self.tag = TAG_PREFIX + key

    def read(self):
        """``{state, at, amount, target_before}`` or None when no record exists."""
        return parse(self._tags.read().get(self.tag))

    def open(self, at, amount, target_before):
        """Write the ``pending`` record just before the transfer is sent.

        The caller holds the target, and with it every writer of this key (see ``intent_key``); it read the
        key absent or removed it, so the add's 2xx is proof enough (``ResourceTags.add``): no read-back.
        """
        self._tags.add(self.tag, _value(PENDING, at, amount, target_before))

    def record(self, state, at, amount, target_before):
        self._tags.set(self.tag, _value(state, at, amount, target_before))

    def forget(self):
        self._tags.remove(self.tag)


def _value(state, at, amount, target_before):
    return "/".join((state, at, number(amount), number(target_before)))


def parse(value):
    if value is None:
        return None
    parts = str(value).split("/")
    record = {"state": parts[0], "at": None, "amount": None, "target_before": None}
    try:
        record.update(at=parts[1], amount=float(parts[2]), target_before=float(parts[3]))
    except (IndexError, ValueError):
        record["state"] = UNKNOWN  # a record that cannot be read says nothing was proven
    if record["state"] not in (PENDING, APPLIED, UNKNOWN):
        record["state"] = UNKNOWN
    return record
