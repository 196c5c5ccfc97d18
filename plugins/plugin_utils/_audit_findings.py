# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Findings of the audit playbook for one SMPP account (private).

The audit runs the smpp_account role in check mode: its one smpp_account_state task then predicts,
area by area and from reads only, what it would change. A predicted change is drift from the desired
state; this module turns the per-area results into findings a person can read and a program can count.
"""

from __future__ import annotations

DRIFT = "drift"
ERROR = "error"
STATUS = "status"
LOW_CREDITS = "low_credits"
UNTRACKED = "password_untracked"


def findings(service_name, results, info=None, low_credits_below=None, error=None):
    """Findings for one account.

    ``results`` maps an area (allowed_ips, senders, credits, automatic_recredit, password) to the
    smpp_account_state result for it (missing when the area is not managed); ``info`` is the account
    as smpp_info returns it; ``error`` the message of a failed evaluation.
    """
    out = []

    def add(kind, area, message):
        out.append({"service_name": service_name, "kind": kind, "area": area, "message": message})

    for area, describe in _DESCRIBERS:
        result = results.get(area) or {}
        if result.get("changed") and not result.get("skipped"):
            add(DRIFT, area, describe(result))
    password = results.get("password") or {}
    if password.get("untracked") and not password.get("changed") and not password.get("skipped"):
        add(UNTRACKED, "password", "no password renewal time is recorded, so the maximum age cannot be applied; "
                                   "set smpp_account_password_untracked to track (count from now) or renew")
    if error:
        add(ERROR, "evaluation", "the audit could not evaluate the account: %s" % error)
    if info:
        if info.get("status") != "SUCCESS":
            add(STATUS, "status", "SMPP status is %s, not SUCCESS" % info.get("status"))
        credits = info.get("credits_left")
        if low_credits_below is not None and credits is not None and credits < low_credits_below:
            add(LOW_CREDITS, "credits", "%s credits left, below %s" % (_number(credits), _number(low_credits_below)))
    return out


def _allowed_ips(result):
    parts = []
    if result.get("added"):
        parts.append("missing %s" % ", ".join(result["added"]))
    if result.get("removed"):
        parts.append("not wanted %s" % ", ".join(result["removed"]))
    return "allowed IPs differ: %s" % "; ".join(parts)


def _senders(result):
    parts = ["%s %s" % (label, ", ".join(result[key]))
             for key, label in (("created", "missing"), ("updated", "different"), ("removed", "not wanted"))
             if result.get(key)]
    return "senders differ: %s" % "; ".join(parts)


def _credits(result):
    return "%s credits left, below the minimum: %s would be transferred" % (
        _number((result.get("target_credits_left") or 0) - (result.get("transferred") or 0)),
        _number(result.get("transferred")))


def _recredit(result):
    diff = result.get("diff") or {}
    before, after = diff.get("before") or {}, diff.get("after") or {}
    parts = ["%s is %s, wanted %s" % (key, _number(before.get(key)), _number(after.get(key)))
             for key in ("automatic_recredit_amount", "automatic_recredit_threshold")
             if before.get(key) != after.get(key)]
    return "automatic re-credit differs: %s" % ("; ".join(parts) or "settings would be rewritten")


def _password(result):
    if result.get("untracked") and not result.get("rotated"):
        return "password renewal time not recorded yet: %s" % (result.get("reason") or "tracking would start now")
    return "password renewal due: %s" % (result.get("reason") or "older than the maximum age")


_DESCRIBERS = (
    ("allowed_ips", _allowed_ips),
    ("senders", _senders),
    ("credits", _credits),
    ("automatic_recredit", _recredit),
    ("password", _password),
)


def _number(value):
    if isinstance(value, float) and value.is_integer():
        return "%d" % value
    return "%s" % value
