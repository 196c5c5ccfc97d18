# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource logic of ``smppops.ovh.smpp_credit``: credits that move exactly once, and automatic re-credit (private).

A transfer POST is never repeated. When it fails ambiguously (timeout, dropped connection, 5xx), both balances are
read again to tell whether OVH applied it; when that cannot be decided, the task stops and says so.
"""

from __future__ import annotations

from ansible_collections.smppops.ovh.plugins.module_utils import _smpp_accounts as accounts
from ansible_collections.smppops.ovh.plugins.module_utils._errors import InputError, OvhApiError, SmppOpsError

RECREDIT_AMOUNTS = [0, 100, 200, 250, 500, 1000, 5000, 10000]
ARGUMENT_SPEC = {
    "service_name": {"type": "str", "required": True},
    "target": {"type": "str"},
    "credits": {"type": "float"},
    "target_min_credits": {"type": "float"},
    "source_reserve": {"type": "float", "default": 0},
    "automatic_recredit_amount": {"type": "int", "choices": RECREDIT_AMOUNTS},
    "automatic_recredit_threshold": {"type": "float"},
}
CONSTRAINTS = {
    "mutually_exclusive": [["credits", "target_min_credits"]],
    "required_by": {"credits": "target", "target_min_credits": "target"},
    "required_one_of": [["credits", "target_min_credits", "automatic_recredit_amount", "automatic_recredit_threshold"]],
}
EPSILON = 1e-6


def run(params, ctx):
    _validate(params)
    api = ctx.api
    name = params["service_name"]
    source = accounts.get_account(api, name)
    result = {"changed": False, "transferred": 0.0, "transfer_outcome": None, "credits_left": source.get("creditsLeft"),
              "target_credits_left": None}
    before = {"credits_left": source.get("creditsLeft")}
    after = dict(before)

    amount, target = 0.0, None
    if params.get("target"):
        target = _read_target(api, name, params["target"])
        amount = _amount(params, target)
        result["target_credits_left"] = target.get("creditsLeft")
        before["target_credits_left"] = target.get("creditsLeft")
        if amount > 0:
            _check_reserve(name, source, params["target"], target, amount, params["source_reserve"])
        after.update(credits_left=source["creditsLeft"] - amount, target_credits_left=target["creditsLeft"] + amount)

    recredit = _recredit_changes(source, params)
    before.update(_recredit_view(source))
    after.update(_recredit_view(source, recredit))
    result.update({"automatic_recredit_amount": after["automatic_recredit_amount"],
                   "automatic_recredit_threshold": after["automatic_recredit_threshold"]})
    result["changed"] = amount > 0 or bool(recredit)
    result["diff"] = {"before": before, "after": after}

    if ctx.check_mode or not result["changed"]:
        if amount > 0:
            result.update(transferred=amount, credits_left=after["credits_left"], target_credits_left=after["target_credits_left"])
        return result

    if recredit:
        # Only the fields that differ: a partial PUT, as the Control Panel sends.
        api.put(accounts.account_path(name), recredit)
    if amount > 0:
        result.update(_transfer(api, name, params["target"], amount, source, target, ctx.warn))
    return result


def _validate(params):
    for option in ("credits",):
        if params.get(option) is not None and params[option] <= 0:
            raise InputError("%s=%s must be more than 0" % (option, params[option]))
    for option in ("target_min_credits", "source_reserve", "automatic_recredit_threshold"):
        if params.get(option) is not None and params[option] < 0:
            raise InputError("%s=%s must be 0 or more" % (option, params[option]))
    if params.get("target") and params["target"] == params["service_name"]:
        raise InputError("target=%s is the source account itself; credits move between two different accounts" % params["target"])


def _read_target(api, name, target_name):
    # The target must belong to the same OVH customer: it is among this customer's SMS services.
    if target_name not in accounts.list_service_names(api):
        raise InputError("target=%s is not an SMS account of this OVH customer (not in GET /sms); credits can only move "
                         "between accounts of the same customer" % target_name)
    return accounts.get_account(api, target_name)


def _amount(params, target):
    if params.get("credits") is not None:
        return float(params["credits"])
    if params.get("target_min_credits") is not None:
        return max(0.0, float(params["target_min_credits"]) - float(target.get("creditsLeft") or 0))
    return 0.0


def _check_reserve(name, source, target_name, target, amount, reserve):
    left = float(source.get("creditsLeft") or 0)
    if left - amount < reserve - EPSILON:
        raise InputError(
            "transferring %s credits from %s (%s left) to %s (%s left) would leave %s, below source_reserve=%s; nothing "
            "was transferred" % (_num(amount), name, _num(left), target_name, _num(target.get("creditsLeft")),
                                 _num(left - amount), _num(reserve)),
            credits_left=left, target_credits_left=target.get("creditsLeft"))


def _num(value):
    return ("%.2f" % float(value)).rstrip("0").rstrip(".") if value is not None else "unknown"


def _recredit_changes(source, params):
    changes = {}
    amount = params.get("automatic_recredit_amount")
    if amount is not None:
        wanted = None if amount == 0 else amount
        if source.get("automaticRecreditAmount") != wanted:
            changes["automaticRecreditAmount"] = wanted
    threshold = params.get("automatic_recredit_threshold")
    if threshold is not None and abs(float(source.get("creditThresholdForAutomaticRecredit") or 0) - threshold) > EPSILON:
        changes["creditThresholdForAutomaticRecredit"] = threshold
    return changes


def _recredit_view(account, changes=None):
    merged = dict(account)
    merged.update(changes or {})
    return {"automatic_recredit_amount": merged.get("automaticRecreditAmount"),
            "automatic_recredit_threshold": merged.get("creditThresholdForAutomaticRecredit")}


def _transfer(api, name, target_name, amount, source, target, warn):
    path = accounts.account_path(name) + "/transferCredits"
    try:
        api.post(path, {"credits": amount, "smsAccountTarget": target_name})
    except OvhApiError as exc:
        if not exc.outcome_unknown:
            exc.extra.update(transfer_outcome="not_applied", transferred=0.0)
            raise
        return _settle(api, name, target_name, amount, source, target, exc, warn)
    return _balances(api, name, target_name, amount, "applied")


def _balances(api, name, target_name, amount, outcome):
    source = accounts.get_account(api, name)
    target = accounts.get_account(api, target_name)
    return {"transferred": amount if outcome == "applied" else 0.0, "transfer_outcome": outcome,
            "credits_left": source.get("creditsLeft"), "target_credits_left": target.get("creditsLeft")}


def _settle(api, name, target_name, amount, source, target, failure, warn):
    """Decide from both balances whether an ambiguous transfer happened. Never sends the POST again."""
    try:
        now = _balances(api, name, target_name, amount, "unknown")
    except OvhApiError as exc:
        raise SmppOpsError(
            "the transfer of %s credits from %s to %s failed ambiguously (%s) and the balances could not be read again "
            "(%s); transfer_outcome is unknown: check both balances before trying again"
            % (_num(amount), name, target_name, failure.msg, exc.msg),
            transfer_outcome="unknown", error=failure.as_dict())
    source_moved = float(source["creditsLeft"]) - float(now["credits_left"])
    target_moved = float(now["target_credits_left"]) - float(target["creditsLeft"])
    if abs(target_moved - amount) < EPSILON and source_moved >= amount - EPSILON:
        warn("the transfer request failed ambiguously (%s), but both balances show it was applied once" % failure.msg)
        now.update(transfer_outcome="applied", transferred=amount)
        return now
    if abs(target_moved) < EPSILON and abs(source_moved) < EPSILON:
        raise SmppOpsError(
            "the transfer of %s credits from %s to %s was not applied (%s): both balances are unchanged (%s: %s, %s: %s); "
            "nothing was transferred and it is safe to run again"
            % (_num(amount), name, target_name, failure.msg, name, _num(now["credits_left"]), target_name,
               _num(now["target_credits_left"])),
            transfer_outcome="not_applied", transferred=0.0, credits_left=now["credits_left"],
            target_credits_left=now["target_credits_left"], error=failure.as_dict())
    raise SmppOpsError(
        "the transfer of %s credits from %s to %s failed ambiguously (%s) and the balances do not tell whether it was "
        "applied (%s: %s -> %s, %s: %s -> %s); transfer_outcome is unknown: check them before trying again"
        % (_num(amount), name, target_name, failure.msg, name, _num(source["creditsLeft"]), _num(now["credits_left"]),
           target_name, _num(target["creditsLeft"]), _num(now["target_credits_left"])),
        transfer_outcome="unknown", credits_left=now["credits_left"], target_credits_left=now["target_credits_left"],
        error=failure.as_dict())
