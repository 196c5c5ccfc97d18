# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource logic of ``smppops.ovh.smpp_credit``: credits that move at most once per intent, and automatic re-credit (private).

A transfer, one-off or top-up, follows these steps so that neither a re-run, nor a lost answer, nor a
concurrent run moves credits twice or takes the source below its reserve:

1. hold the target (``_account_lease.AccountsHeld``: a lock within the run, a lease across runs, with
   the lease's settle wait), before queueing for the source: the forks feeding from one source take
   their targets side by side instead of one after the other;
2. look for the record of the same intent on the source (``_credit_intent``): an applied one-off is
   not sent again, an unsettled one is settled from the target's balance or stops the task;
3. read the target again, under its hold, and compute the amount: only consumption can lower it
   meanwhile, which only makes the need larger;
4. hold the source (``_account_lease.SourceHeld``) and do only what the reserve needs there: read
   its balance (with a second client) while the record is written (``pending``; OVH's 2xx to the add
   of an absent key is proof enough, see ``ResourceTags.add``), check the reserve on that balance, and
   send the POST once (never repeated) only when the read, the record and the check all succeeded;
   otherwise nothing is sent and a record written is removed. Three requests in two round trips; the
   source lease is handed over from one task of this controller to the next, so its settle wait is
   paid once per batch, not per transfer;
5. release the source, then settle the record under the target's hold: a success is ``applied``; a
   refusal is ``not_applied`` (record removed, safe to run again). A lost or unreadable answer is the
   exception: the source stays held while both balances are polled for ``settle_timeout`` seconds
   (a transfer that may still land counts against the next one's reserve), and the record stays
   ``unknown`` (kept) when they do not show it. A record left ``pending`` by a run that died still
   holds the target's balance before it, so a later run settles it;
6. read the balances after it and report a reserve overrun with figures, should one happen anyway.

Each account is read three times, each read for a reason: once before any hold (is there anything to
do; what check mode and the diff show), once under its hold (every guard decides from that read) and
once after the transfer (the balances reported, and a reserve overrun detected). The settle poll of an
ambiguous transfer adds its own reads. The target is read with ``GET /sms/{target}``, which also tells
that it belongs to this customer (404 otherwise), not with the list of every service.

Lock order: a task takes at most one target hold, then at most one source hold, and holds a source
only for the three requests above, never waiting for anything while it does: no cycle of waits can
form, even when an account is the source of one transfer and the target of another (the two holds
are different locks and different lease tags).
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.smppops.ovh.plugins.module_utils import _account_reads as accounts
from ansible_collections.smppops.ovh.plugins.module_utils import _fleet_reads as fleet
from ansible_collections.smppops.ovh.plugins.module_utils._credit_intent import (
    APPLIED, UNKNOWN, TransferIntent, intent_key, number)
from ansible_collections.smppops.ovh.plugins.module_utils._account_lease import AccountsHeld, Clock, SourceHeld
from ansible_collections.smppops.ovh.plugins.module_utils._errors import InputError, OvhApiError, SmppOpsError
from ansible_collections.smppops.ovh.plugins.module_utils._iam_tags import ResourceTags, urn_of

RECREDIT_AMOUNTS = [0, 100, 200, 250, 500, 1000, 5000, 10000]
ARGUMENT_SPEC = {
    "service_name": {"type": "str", "required": True},
    "target": {"type": "str"},
    "credits": {"type": "float"},
    "target_min_credits": {"type": "float"},
    "source_reserve": {"type": "float", "default": 0},
    "transfer_key": {"type": "str", "no_log": False},
    "forget_unknown_transfer": {"type": "bool", "default": False},
    "settle_timeout": {"type": "int", "default": 60},
    "lock_timeout": {"type": "int", "default": 300},
    "automatic_recredit_amount": {"type": "int", "choices": RECREDIT_AMOUNTS},
    "automatic_recredit_threshold": {"type": "float"},
}
CONSTRAINTS = {
    "mutually_exclusive": [["credits", "target_min_credits"]],
    "required_by": {"credits": "target", "target_min_credits": "target", "transfer_key": "target"},
    "required_one_of": [["credits", "target_min_credits", "automatic_recredit_amount", "automatic_recredit_threshold"]],
}
EPSILON = 1e-6
SETTLE_POLL = 2.0
# Leases last the request and its settling, plus this margin for the controllers' clock skew.
LEASE_MARGIN = 60
# A source lease taken by one transfer serves the controller's next transfers for this long.
SOURCE_LEASE_WINDOW = 120
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
clock = Clock()


def run(params, ctx):
    _validate(params)
    api = ctx.api
    name = params["service_name"]
    source = accounts.get_account(api, name)
    result = {"changed": False, "transferred": 0.0, "transfer_outcome": None, "credits_left": source.get("creditsLeft"),
              "target_credits_left": None}
    before = {"credits_left": source.get("creditsLeft")}
    after = dict(before)
    amount, target, intent = 0.0, None, None
    if params.get("target"):
        target = _read_target(api, params["target"])
        amount = _amount(params, target)
        result["target_credits_left"] = target.get("creditsLeft")
        before["target_credits_left"] = target.get("creditsLeft")
        if amount > 0:
            intent = TransferIntent(ResourceTags(api, urn_of(source, name)), intent_key(params))
            amount = _unless_already_applied(params, intent, amount, result, ctx)
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
        try:
            outcome = _transfer_held(api, ctx, params, source, target, intent)
        except SmppOpsError as exc:
            # Records and leases written on the way are bookkeeping: only credits that may have moved change the account.
            moved = exc.extra.get("changed", exc.extra.get("transfer_outcome") == "unknown")
            exc.extra["changed"] = bool(recredit) or moved
            raise
        result.update(outcome)
        result["changed"] = bool(recredit) or outcome["transferred"] > 0
        result["diff"]["after"].update(credits_left=outcome["credits_left"], target_credits_left=outcome["target_credits_left"])
    return result


def _validate(params):
    # Signs, finiteness, bounds and the transfer key are the shared input rules (_inputs), applied before this.
    if params.get("target") and params["target"] == params["service_name"]:
        raise InputError("target=%s is the source account itself; credits move between two different accounts" % params["target"])


def _read_target(api, target_name):
    # The target must belong to the same OVH customer: OVH answers 404 for a service of another customer, and
    # reading that one service costs one request where the list of every service grows with the fleet.
    try:
        return accounts.get_account(api, target_name)
    except OvhApiError as exc:
        if exc.http_status != 404:
            raise
        raise InputError("target=%s is not an SMS account of this OVH customer (GET /sms/%s answers 404); credits can "
                         "only move between accounts of the same customer" % (target_name, target_name),
                         error=exc.as_dict())


def _amount(params, target):
    if params.get("credits") is not None:
        return float(params["credits"])
    if params.get("target_min_credits") is not None:
        return max(0.0, float(params["target_min_credits"]) - float(target.get("creditsLeft") or 0))
    return 0.0


def _unless_already_applied(params, intent, amount, result, ctx):
    """0 when this one-off intent was applied by an earlier run; the amount otherwise."""
    if params.get("credits") is None:
        return amount  # top-ups are decided by the balances, re-read under the hold
    record = intent.read()
    if record is None:
        return amount
    if record["state"] == APPLIED:
        result.update(transfer_outcome="applied", transfer_key=intent.key, msg=(
            "the transfer %s (%s credits to %s) was already applied at %s; nothing was transferred again (give another "
            "transfer_key to transfer again)" % (intent.key, number(amount), params["target"], record["at"])))
        return 0.0
    if ctx.check_mode:
        ctx.warn("an earlier transfer %s has an unknown outcome (recorded %s at %s): the real run checks the balances "
                 "first and may refuse to transfer" % (intent.key, record["state"], record["at"]))
    return amount


def _check_reserve(name, source, target_name, target, amount, reserve):
    left = float(source.get("creditsLeft") or 0)
    if left - amount < reserve - EPSILON:
        raise InputError(
            "transferring %s credits from %s (%s left) to %s (%s left) would leave %s, below source_reserve=%s; nothing "
            "was transferred" % (_num(amount), name, _num(left), target_name, _num(target.get("creditsLeft")),
                                 _num(left - amount), _num(reserve)),
            credits_left=left, target_credits_left=target.get("creditsLeft"), transfer_outcome="not_applied",
            transferred=0.0)


def _num(value):
    return number(value) if value is not None else "unknown"


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


# The transfer, held --------------------------------------------------------------------------------
def _transfer_held(api, ctx, params, source, target, intent):
    name, target_name = params["service_name"], params["target"]
    timeout = float(params["api_timeout"])  # a common option: always there, with its default
    # The request and its settling must end while the leases last; the margin covers clock skew.
    needed = timeout + params["settle_timeout"]
    margin = needed + LEASE_MARGIN
    with AccountsHeld(api, {target_name: target}, params["lock_timeout"], int(timeout + margin),
                      clock=clock) as target_held:
        target = accounts.get_account(api, target_name)
        if not _settle_earlier(params, intent, target, ctx):
            return _nothing(source, target, APPLIED, "the transfer %s was already applied" % intent.key)
        amount = _amount(params, target)
        if amount <= 0:
            return _nothing(source, target, None, None)
        target_before = float(target.get("creditsLeft") or 0)
        reader = _second_api(ctx)  # built before the hold: the source is held for requests only
        with SourceHeld(api, name, source, params["lock_timeout"], margin, int(margin + SOURCE_LEASE_WINDOW), clock=clock,
                        waited=target_held.waited) as source_held:
            # Under the source hold: its balance and the record side by side, then the request; nothing else.
            source = _read_and_open(reader, params, intent, target, amount, target_before, ctx)
            if not (target_held.lasts(needed) and source_held.lasts(needed)):
                _forget(intent, ctx)
                raise SmppOpsError("the transfer lease on %s or %s runs out before the transfer could be settled; nothing "
                                   "was transferred, run again" % (name, target_name),
                                   transfer_outcome="not_applied", transferred=0.0)
            failure = _send(api, name, target_name, amount)
            if failure is not None and failure.outcome_unknown:
                # Settled still holding the source: a transfer that may land later counts against the next one's reserve.
                return _settle(api, params, intent, source, target, amount, failure, ctx)
        if failure is not None:
            _forget(intent, ctx)
            failure.msg += "; nothing was transferred and it is safe to run again"
            failure.extra.update(transfer_outcome="not_applied", transferred=0.0, transfer_key=intent.key)
            raise failure
        # The source is free for the next transfer; the target, still held, keeps the record's figures true.
        _close(intent, params, amount, target_before, ctx)
        return _after(api, params, source, amount, "applied", ctx)


def _second_api(ctx):
    """Another client for the source's read under the hold (every task's context can make one, see ``run_task``).

    A python-ovh client is not shared between threads (see ``_fleet_reads``). The gate lets this one reuse the
    clock delta the task's client measured (no ``GET /auth/time`` of its own); it has one request in flight at most.
    """
    return ctx.new_api(fleet.RequestGate(1))


def _read_and_open(reader, params, intent, target, amount, target_before, ctx):
    """The source's fresh balance, read by ``reader`` while the ``pending`` record is written (with the task's client,
    through ``intent``); raises unless the transfer may go.

    The record does not depend on the source's balance (the amount comes from the target, held), so the two
    requests go out together and the hold lasts one round trip less. Nothing is sent unless both succeeded and
    the reserve check passed on the fresh balance; a record written for a transfer that does not go is removed.
    Errors as before the two ran together: the read's, then the reserve's, then the record's.
    """
    name = params["service_name"]
    with ThreadPoolExecutor(max_workers=1) as pool:
        balance = pool.submit(accounts.get_account, reader, name)
        open_error = _failure_of(intent.open, _now(), amount, target_before)
        read_error = _failure_of(balance.result)
    refusal = None
    if read_error is None:
        refusal = _failure_of(_check_reserve, name, balance.result(), params["target"], target, amount,
                              params["source_reserve"])
    stop = read_error or refusal or open_error
    if stop is None:
        return balance.result()
    if stop is not open_error:
        # A record written (or perhaps written, when its write failed too) for a transfer that does not go.
        _forget(intent, ctx, quiet=open_error is not None)
    raise stop


def _failure_of(call, *args):
    """The ``SmppOpsError`` that ``call(*args)`` raised, or None."""
    try:
        call(*args)
    except SmppOpsError as exc:
        return exc
    return None


def _settle_earlier(params, intent, target, ctx):
    """Deal with a record left by an earlier run of this intent; False when it shows the transfer was applied."""
    record = intent.read()
    if record is None:
        return True
    if record["state"] == APPLIED:
        return params.get("credits") is None  # a top-up record is removed once applied; a one-off is done
    landed = (record["amount"] is not None and record["target_before"] is not None
              and float(target.get("creditsLeft") or 0) >= record["target_before"] + record["amount"] - EPSILON)
    if landed:
        ctx.warn("the earlier transfer %s (recorded %s at %s) shows in the target's balance: it was applied"
                 % (intent.key, record["state"], record["at"]))
        if params.get("credits") is not None:
            intent.record(APPLIED, record["at"], record["amount"], record["target_before"])
            return False
        intent.forget()
        return True
    if params["forget_unknown_transfer"]:
        ctx.warn("forget_unknown_transfer=true: the earlier transfer %s (recorded %s at %s) is taken as not applied"
                 % (intent.key, record["state"], record["at"]))
        intent.forget()
        return True
    raise SmppOpsError(
        "an earlier transfer %s of %s credits from %s to %s has an unknown outcome (recorded %s at %s, target balance then "
        "%s, now %s); nothing was transferred. Check both balances and the Control Panel; if it was not applied, run again "
        "with forget_unknown_transfer=true" % (
            intent.key, _num(record["amount"]), params["service_name"], params["target"], record["state"], record["at"],
            _num(record["target_before"]), _num(target.get("creditsLeft"))),
        transfer_outcome="unknown", transferred=0.0, transfer_key=intent.key, changed=False)


def _send(api, name, target_name, amount):
    """Send the transfer once (never repeated); None when it was applied, else OVH's failure."""
    try:
        api.post(accounts.account_path(name) + "/transferCredits", {"credits": amount, "smsAccountTarget": target_name})
    except OvhApiError as exc:
        return exc
    return None


def _close(intent, params, amount, target_before, ctx):
    """Mark an applied transfer: one-offs keep an ``applied`` record, top-ups drop theirs."""
    try:
        if params.get("credits") is not None:
            intent.record(APPLIED, _now(), amount, target_before)
        else:
            intent.forget()
    except SmppOpsError as exc:
        ctx.warn("the transfer was applied, but its record %s could not be updated (%s); the next run will find it "
                 "pending and settle it from the balances" % (intent.tag, exc.msg))


def _forget(intent, ctx, quiet=False):
    try:
        intent.forget()
    except SmppOpsError as exc:
        if quiet:
            return  # its write failed too: most likely there is no record, and a later run settles one that is there
        ctx.warn("the transfer was not applied, but its pending record %s could not be removed (%s); the next run "
                 "settles it from the balances or asks for forget_unknown_transfer=true" % (intent.tag, exc.msg))


def _after(api, params, source_before, amount, outcome, ctx):
    """Balances after an applied transfer; a failed read does not change the outcome."""
    name, target_name = params["service_name"], params["target"]
    result = {"transferred": amount, "transfer_outcome": outcome, "credits_left": None, "target_credits_left": None}
    try:
        source = accounts.get_account(api, name)
        target = accounts.get_account(api, target_name)
    except OvhApiError as exc:
        ctx.warn("the transfer of %s credits was applied, but the balances could not be read afterwards (%s)"
                 % (_num(amount), exc.msg))
        return result
    result.update(credits_left=source.get("creditsLeft"), target_credits_left=target.get("creditsLeft"))
    left = float(source.get("creditsLeft") or 0)
    if left < params["source_reserve"] - EPSILON:
        overrun = {"source_reserve": params["source_reserve"], "credits_left": left,
                   "credits_left_before": source_before.get("creditsLeft"), "transferred": amount}
        result["reserve_overrun"] = overrun
        ctx.warn("%s has %s credits left after this transfer of %s, below source_reserve=%s (it had %s when checked): "
                 "something else took credits from it at the same time" % (
                     name, _num(left), _num(amount), _num(params["source_reserve"]), _num(source_before.get("creditsLeft"))))
    return result


def _settle(api, params, intent, source, target, amount, failure, ctx):
    """Decide from both balances whether an ambiguous transfer happened. Never sends the POST again."""
    name, target_name = params["service_name"], params["target"]
    deadline = clock.monotonic() + params["settle_timeout"]
    now = None
    while True:
        try:
            now = (accounts.get_account(api, name), accounts.get_account(api, target_name))
        except OvhApiError:
            now = None
        if now is not None and _applied(source, target, now, amount):
            ctx.warn("the transfer request failed ambiguously (%s), but both balances show it was applied once" % failure.msg)
            _close(intent, params, amount, float(target.get("creditsLeft") or 0), ctx)
            result = _after(api, params, source, amount, "applied", ctx)
            return result
        if clock.monotonic() >= deadline:
            break
        clock.sleep(min(SETTLE_POLL, max(0.0, deadline - clock.monotonic())))
    _mark_unknown(intent, amount, target, ctx)
    figures = "balances could not be read"
    if now is not None:
        figures = "%s: %s -> %s, %s: %s -> %s" % (
            name, _num(source.get("creditsLeft")), _num(now[0].get("creditsLeft")),
            target_name, _num(target.get("creditsLeft")), _num(now[1].get("creditsLeft")))
    raise SmppOpsError(
        "the transfer of %s credits from %s to %s failed ambiguously (%s) and after %ss the balances do not show it (%s); "
        "transfer_outcome is unknown and it was NOT sent again. It may still be applied later: check both balances and "
        "the Control Panel before doing anything. Running the task again is safe: it finds the record %s and checks the "
        "balances first" % (_num(amount), name, target_name, failure.msg, params["settle_timeout"], figures, intent.tag),
        transfer_outcome="unknown", transferred=0.0, transfer_key=intent.key,
        credits_left=now[0].get("creditsLeft") if now else None,
        target_credits_left=now[1].get("creditsLeft") if now else None, error=failure.as_dict())


def _applied(source, target, now, amount):
    source_moved = float(source.get("creditsLeft") or 0) - float(now[0].get("creditsLeft") or 0)
    target_moved = float(now[1].get("creditsLeft") or 0) - float(target.get("creditsLeft") or 0)
    return target_moved >= amount - EPSILON and source_moved >= amount - EPSILON


def _mark_unknown(intent, amount, target, ctx):
    try:
        intent.record(UNKNOWN, _now(), amount, float(target.get("creditsLeft") or 0))
    except SmppOpsError as exc:
        ctx.warn("the record %s stays pending (%s)" % (intent.tag, exc.msg))


def _nothing(source, target, outcome, msg):
    result = {"transferred": 0.0, "transfer_outcome": outcome, "credits_left": source.get("creditsLeft"),
              "target_credits_left": target.get("creditsLeft")}
    if msg:
        result["msg"] = msg
    return result


def _now():
    # UTC from the module's clock, the one its leases read (tests replace it).
    return time.strftime(TIME_FORMAT, time.gmtime(clock.wall()))


# Predicates on an account as smpp_info returns it (no request) -------------------------------------
def top_up_needed(params, account):
    """Whether the target ``account`` is below ``target_min_credits``; the transfer itself is decided again under the hold."""
    return _amount(params, {"creditsLeft": account["credits_left"]}) > 0


def recredit_needed(params, account):
    """Whether the automatic re-credit settings of ``account`` differ from ``params``; decided again from a fresh read."""
    return bool(_recredit_changes({"automaticRecreditAmount": account["automatic_recredit_amount"],
                                   "creditThresholdForAutomaticRecredit": account["automatic_recredit_threshold"]},
                                  params))
