# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource logic of ``smppops.ovh.smpp_acl``: the SMPP allowed-IP list (private).

The change is applied in steps, each computed from a fresh read of the list and re-checked against
the guards immediately before it is sent: additions go first and, when waiting, are live before
anything is removed, so the clients that stay are never locked out; when current plus new
addresses would exceed OVH's limit of 10, unwanted addresses are removed only as far as needed to
make room for the next additions, never the last one. A step never leaves the list empty (without
``allow_empty``) or holding only addresses no SMPP client on the Internet can bind from (without
``allow_unreachable``). Concurrent tasks on this controller take turns (``_lock``).
"""

from __future__ import annotations

from ansible_collections.smppops.ovh.plugins.module_utils import _account_reads as accounts
from ansible_collections.smppops.ovh.plugins.module_utils._errors import InputError, SmppOpsError
from ansible_collections.smppops.ovh.plugins.module_utils._ip import (
    MAX_ALLOWED_IPS, canonical_list, reachable, sorted_ips, unreachable_reason)
from ansible_collections.smppops.ovh.plugins.module_utils._lock import account_lock
from ansible_collections.smppops.ovh.plugins.module_utils._wait import WaitTimeout, wait_settled

ARGUMENT_SPEC = {
    "service_name": {"type": "str", "required": True},
    "ips": {"type": "list", "elements": "str", "required": True},
    "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
    "purge": {"type": "bool", "default": False},
    "allow_empty": {"type": "bool", "default": False},
    "allow_unreachable": {"type": "bool", "default": False},
    "wait": {"type": "bool", "default": True},
    "wait_timeout": {"type": "int", "default": 300},
}
CONSTRAINTS = {}
MAX_STEPS = 2 * MAX_ALLOWED_IPS + 2  # far more than any swap needs: stops a list that never converges


def run(params, ctx):
    desired = _validate(params, ctx.warn)
    name = params["service_name"]
    api = ctx.api
    accounts.ensure_smpp(ctx, name)
    if ctx.check_mode:
        return _predict(api, name, desired, params)
    with account_lock("allowed-ips", name):
        return _apply(api, name, desired, params)


def needs_change(params, account):
    """Whether the allowed IPs of ``account`` (as smpp_info returns it) differ from what ``params`` want; no request.

    Only tells whether there is work: the work itself is decided again from a fresh read (``run``).
    """
    current = canonical_list(account["allowed_ips"], option="observed allowed IPs")
    target = _target(current, canonical_list(params["ips"]), params)
    return set(target) != set(current)


def _read(api, name):
    return canonical_list(accounts.get_allowed_ips(api, name), option="current allowed IPs")


def _predict(api, name, desired, params):
    current = _read(api, name)
    target = _target(current, desired, params)
    _check_target(name, current, target, params)
    return _result(current, target)


def _result(before, after):
    added = sorted_ips(set(after) - set(before))
    removed = sorted_ips(set(before) - set(after))
    return {
        "changed": bool(added or removed),
        "allowed_ips": sorted_ips(after),
        "added": added,
        "removed": removed,
        "status": None,
        "diff": {"before": {"allowed_ips": sorted_ips(before)}, "after": {"allowed_ips": sorted_ips(after)}},
    }


def _apply(api, name, desired, params):
    path = accounts.account_path(name) + "/smpp/allowedIPs"
    first = fresh = _read(api, name)
    _check_target(name, fresh, _target(fresh, desired, params), params)
    status = None
    for unused in range(MAX_STEPS):
        target = _target(fresh, desired, params)
        step = _next_step(fresh, target)
        if step is None:
            break
        action, ips = step
        after = [ip for ip in fresh if ip not in ips] if action == "remove" else fresh + ips
        _check_target(name, fresh, after, params)  # the guards again, on what this very write leaves
        api.put(path, {"action": action, "ips": sorted_ips(ips)})
        if params["wait"]:
            status = _wait(api, name, params, after, target)
        before, fresh = fresh, _read(api, name)
        if fresh == before:
            raise SmppOpsError(
                "the allowed IP list of %s does not show the %s of %s that was just sent (it still reads %s); "
                "run again later to finish and check it" % (name, action, ", ".join(sorted_ips(ips)),
                                                            ", ".join(sorted_ips(fresh)) or "empty"),
                **_sent(api, name))
    else:
        raise SmppOpsError("the allowed IP list of %s did not converge in %d writes; run again to check it"
                           % (name, MAX_STEPS))
    result = _result(first, fresh)
    result["status"] = status
    return result


def _next_step(current, target):
    """The next write towards ``target``: ("add"|"remove", ips) or None when there."""
    adds = [ip for ip in target if ip not in current]
    removes = [ip for ip in current if ip not in target]
    if adds:
        room = MAX_ALLOWED_IPS - len(current)
        if room > 0:
            return "add", adds[:room]
        # Full: make room for the next additions only, and never remove the last address.
        return "remove", removes[:min(len(removes), len(adds), len(current) - 1)]
    if removes:
        return "remove", removes
    return None


def _validate(params, warn):
    # wait_timeout's sign and the list's size are input rules (_inputs), applied before this runs.
    if params["purge"] and params["state"] == "absent":
        raise InputError("purge=true applies to state=present only (state=absent removes just the listed ips)")
    desired = canonical_list(params["ips"])
    for address in desired:
        reason = unreachable_reason(address)
        if reason and params["state"] == "present":
            warn("ips: %s is a %s address; OVH never sees it as the source of an SMPP bind" % (address, reason))
    return desired


def _target(current, desired, params):
    if params["state"] == "absent":
        return [ip for ip in current if ip not in desired]
    if params["purge"]:
        return list(desired)
    return current + [ip for ip in desired if ip not in current]


def _check_target(name, current, target, params):
    if len(target) > MAX_ALLOWED_IPS:
        raise InputError(
            "the allowed IP list of %s would hold %d addresses, more than OVH's limit of %d: %s"
            % (name, len(target), MAX_ALLOWED_IPS, ", ".join(sorted_ips(target))))
    if not target and current and not params["allow_empty"]:
        raise InputError(
            "this change would leave no allowed IP on %s, which locks every SMPP client out; "
            "set allow_empty=true if that is intended" % name)
    if target and set(target) != set(current) and not reachable(target) and not params.get("allow_unreachable"):
        raise InputError(
            "this change would leave on %s only addresses no SMPP client on the Internet can bind from (%s), which "
            "locks every real client out; set allow_unreachable=true if that is intended"
            % (name, ", ".join("%s: %s" % (ip, unreachable_reason(ip)) for ip in sorted_ips(target))))


def _sent(api, name):
    """``added``/``removed``: the addresses of the ACL writes this task sent that went through or may have."""
    sent = {"add": [], "remove": []}
    for body in api.writes.bodies("PUT", accounts.account_path(name) + "/smpp/allowedIPs"):
        sent[body["action"]] += body["ips"]
    return {"added": sorted_ips(set(sent["add"])), "removed": sorted_ips(set(sent["remove"]))}


def _not_sent(after, target):
    """The part of the change no write has asked for yet, in words ("" when none)."""
    parts = []
    missing = sorted_ips(set(target) - set(after))
    extra = sorted_ips(set(after) - set(target))
    if missing:
        parts.append("the addition of %s" % ", ".join(missing))
    if extra:
        parts.append("the removal of %s" % ", ".join(extra))
    return "; not sent: %s" % " and ".join(parts) if parts else ""


def _wait(api, name, params, after, target):
    try:
        return wait_settled(api, name, params["wait_timeout"]).get("status")
    except WaitTimeout as timeout:
        sent = _sent(api, name)
        raise SmppOpsError(
            "the allowed IP change of %s was sent (added: %s; removed: %s) and OVH is still applying it: "
            "status %s after %d s (wait_timeout=%s)%s; run again later to finish and check it"
            % (name, ", ".join(sent["added"]) or "none", ", ".join(sent["removed"]) or "none", timeout.status,
               timeout.waited, params["wait_timeout"], _not_sent(after, target)),
            status=timeout.status, **sent)
