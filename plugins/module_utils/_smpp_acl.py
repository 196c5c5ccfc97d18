# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource logic of ``smppops.ovh.smpp_acl``: the SMPP allowed-IP list (private).

One read of the current list, then at most one ``add`` and one ``remove`` PUT. Additions go
first and, when waiting, are applied before anything is removed, so a swap of client IPs never
leaves fewer allowed addresses than the target set: the clients that stay are never locked out.
"""

from __future__ import annotations

from ansible_collections.smppops.ovh.plugins.module_utils import _smpp_accounts as accounts
from ansible_collections.smppops.ovh.plugins.module_utils._errors import InputError, SmppOpsError
from ansible_collections.smppops.ovh.plugins.module_utils._ip import (
    MAX_ALLOWED_IPS, canonical_list, sorted_ips, unreachable_reason)
from ansible_collections.smppops.ovh.plugins.module_utils._wait import WaitTimeout, wait_settled

ARGUMENT_SPEC = {
    "service_name": {"type": "str", "required": True},
    "ips": {"type": "list", "elements": "str", "required": True},
    "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
    "purge": {"type": "bool", "default": False},
    "allow_empty": {"type": "bool", "default": False},
    "wait": {"type": "bool", "default": True},
    "wait_timeout": {"type": "int", "default": 300},
}
CONSTRAINTS = {}


def run(params, ctx):
    desired = _validate(params, ctx.warn)
    name = params["service_name"]
    api = ctx.api
    current = canonical_list(accounts.get_allowed_ips(api, name), option="current allowed IPs")
    target = _target(current, desired, params)
    added = sorted_ips(set(target) - set(current))
    removed = sorted_ips(set(current) - set(target))
    _check_target(name, current, target, params)
    result = {
        "changed": bool(added or removed),
        "allowed_ips": sorted_ips(target),
        "added": added,
        "removed": removed,
        "status": None,
        "diff": {"before": {"allowed_ips": sorted_ips(current)}, "after": {"allowed_ips": sorted_ips(target)}},
    }
    if not result["changed"] or ctx.check_mode:
        return result

    path = accounts.account_path(name) + "/smpp/allowedIPs"
    if added:
        api.put(path, {"action": "add", "ips": added})
        if removed and params["wait"]:
            # The new addresses must be live before any old one goes.
            result["status"] = _wait(api, name, params, added, removed)
    if removed:
        api.put(path, {"action": "remove", "ips": removed})
    if params["wait"]:
        result["status"] = _wait(api, name, params, added, removed)
    return result


def _validate(params, warn):
    if params["wait_timeout"] < 0:
        raise InputError("wait_timeout=%s must be 0 or more seconds" % params["wait_timeout"])
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


def _wait(api, name, params, added, removed):
    try:
        return wait_settled(api, name, params["wait_timeout"]).get("status")
    except WaitTimeout as timeout:
        raise SmppOpsError(
            "the allowed IP change of %s was sent (added: %s; removed: %s) and OVH is still applying it: "
            "status %s after %d s (wait_timeout=%s); run again later to finish and check it"
            % (name, ", ".join(added) or "none", ", ".join(removed) or "none", timeout.status,
               timeout.waited, params["wait_timeout"]),
            added=added, removed=removed, status=timeout.status)
