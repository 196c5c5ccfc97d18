# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource logic of ``smppops.ovh.smpp_sender``: an account's senders converged as a list (private).

New senders wait for OVH's validation (status ``waitingValidation``, usually up to 72 h): that is reported,
not treated as an error, and their status cannot be changed until OVH decides.
"""

from __future__ import annotations

from ansible_collections.smppops.ovh.plugins.module_utils import _account_reads as accounts
from ansible_collections.smppops.ovh.plugins.module_utils import _writes
from ansible_collections.smppops.ovh.plugins.module_utils._api import segment
from ansible_collections.smppops.ovh.plugins.module_utils._errors import OvhApiError, SmppOpsError
from ansible_collections.smppops.ovh.plugins.module_utils._inputs import senders

ARGUMENT_SPEC = {
    "service_name": {"type": "str", "required": True},
    "senders": {
        "type": "list",
        "elements": "dict",
        "required": True,
        "options": {
            "sender": {"type": "str", "required": True},
            "description": {"type": "str"},
            "reason": {"type": "str"},
            "enabled": {"type": "bool"},
            "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
        },
    },
    "purge": {"type": "bool", "default": False},
}
CONSTRAINTS = {}

FROZEN = ("waitingValidation", "refused")


def run(params, ctx):
    desired = _validate(params["senders"])
    api = ctx.api
    name = params["service_name"]
    accounts.ensure_smpp(ctx, name)
    current = {item["sender"]: item for item in accounts.get_senders(api, name)}
    plan = _plan(desired, current, params["purge"], ctx.warn)
    changed = any(plan[key] for key in ("create", "update", "remove"))
    before = _view(current.values())
    predicted = _predict(current, plan)
    result = {
        "changed": changed,
        "created": [item["sender"] for item in plan["create"]],
        "updated": [sender for sender, unused in plan["update"]],
        "removed": list(plan["remove"]),
        "pending": sorted(item["sender"] for item in predicted.values() if item["status"] == "waitingValidation"),
        "senders": _view(predicted.values()),
        "diff": {"before": {"senders": before}, "after": {"senders": _view(predicted.values())}},
    }
    if ctx.check_mode or not changed:
        return result

    base = accounts.account_path(name) + "/senders"
    unsettled = []
    try:
        for item in plan["create"]:
            body = {key: item[key] for key in ("sender", "description", "reason") if item.get(key) is not None}
            try:
                api.post(base, body)
            except OvhApiError as exc:
                if not exc.outcome_unknown:
                    raise
                unsettled.append((item["sender"], exc))  # the read below tells whether OVH created it
        for sender, body in plan["update"]:
            api.put("%s/%s" % (base, segment(sender)), body)
        for sender in plan["remove"]:
            api.delete("%s/%s" % (base, segment(sender)))
    except OvhApiError as exc:
        raise _stopped(api, base, plan, exc)
    # The answer to a creation is undocumented: read the real statuses back.
    final = accounts.get_senders(api, name)
    _settle(name, final, unsettled)
    result["senders"] = _view(final)
    result["pending"] = sorted(item["sender"] for item in final if item["status"] == "waitingValidation")
    result["diff"]["after"]["senders"] = result["senders"]
    return result


def needs_change(params, account, warn=None):
    """Whether the senders of ``account`` (as smpp_info returns it) differ from what ``params`` want; no request.

    Only tells whether there is work: the work itself is planned again from a fresh read (``run``).
    """
    current = {item["sender"]: item for item in account["senders"]}
    plan = _plan(_validate(params["senders"]), current, params["purge"], warn or (lambda message: None))
    return any(plan[key] for key in ("create", "update", "remove"))


def _stopped(api, base, plan, exc):
    """The failure of a write half-way, saying which writes went through and which were not sent (from ``api.writes``)."""
    planned = [("created", "the creation", item["sender"], "POST", base,
                lambda body, sender=item["sender"]: body.get("sender") == sender) for item in plan["create"]]
    planned += [("updated", "the update", sender, "PUT", "%s/%s" % (base, segment(sender)), None)
                for sender, unused in plan["update"]]
    planned += [("removed", "the removal", sender, "DELETE", "%s/%s" % (base, segment(sender)), None)
                for sender in plan["remove"]]
    done = {"created": [], "updated": [], "removed": []}
    unknown, not_sent = [], []
    for key, noun, sender, method, path, matches in planned:
        outcome = api.writes.outcome(method, path, matches)
        if outcome == _writes.APPLIED:
            done[key].append(sender)
        elif outcome == _writes.UNKNOWN:
            unknown.append("%s of %s" % (noun, sender))
        elif outcome is None:
            not_sent.append("%s of %s" % (noun, sender))
    parts = [exc.msg]
    finished = ["%s %s" % (key, ", ".join(names)) for key, names in done.items() if names]
    if finished:
        parts.append("done before the failure: %s" % "; ".join(finished))
    if unknown:
        parts.append("outcome unknown: %s" % ", ".join(unknown))
    if not_sent:
        parts.append("not sent: %s" % ", ".join(not_sent))
    return SmppOpsError("; ".join(parts), error=exc.as_dict(), **done)


def _settle(name, final, unsettled):
    """Fail when a creation whose answer was lost does not show on the account; never send it again.

    Its outcome stays unknown: a request still in progress at OVH may yet create the sender, so this
    never says "not applied". Running the task again creates it only if it is still missing.
    """
    present = {item["sender"] for item in final}
    missing = [(sender, exc) for sender, exc in unsettled if sender not in present]
    if not missing:
        return
    sender, exc = missing[0]
    raise SmppOpsError(
        "the creation of sender %s on %s failed without a readable answer (%s) and the sender does not show on the "
        "account yet; the outcome is unknown: run the task again later, it creates the sender only if still missing"
        % (", ".join(item for item, unused in missing), name, exc.msg),
        changed=True, error=exc.as_dict())


def _validate(items):
    senders(items)
    return items


def _plan(desired, current, purge, warn):
    plan = {"create": [], "update": [], "remove": []}
    listed = set()
    for item in desired:
        sender = item["sender"]
        listed.add(sender)
        existing = current.get(sender)
        if item["state"] == "absent":
            if existing:
                plan["remove"].append(sender)
            continue
        if existing is None:
            plan["create"].append(item)
            if item.get("enabled") is False:
                warn("senders: %s is created in status waitingValidation; it can be disabled once OVH validates it" % sender)
            continue
        body = {}
        if item.get("description") is not None and item["description"] != existing.get("description"):
            body["description"] = item["description"]
        if item.get("enabled") is not None:
            wanted = "enable" if item["enabled"] else "disable"
            if existing["status"] in FROZEN:
                if existing["status"] == "refused":
                    warn("senders: OVH refused %s%s; its status cannot change"
                         % (sender, " (%s)" % existing["comment"] if existing.get("comment") else ""))
            elif existing["status"] != wanted:
                body["status"] = wanted
        if body:
            plan["update"].append((sender, body))
    if purge:
        plan["remove"].extend(sorted(sender for sender in current if sender not in listed))
    return plan


def _predict(current, plan):
    predicted = {sender: dict(item) for sender, item in current.items()}
    for item in plan["create"]:
        predicted[item["sender"]] = {"sender": item["sender"], "description": item.get("description") or "",
                                     "status": "waitingValidation", "type": None, "referer": "custom", "comment": None}
    for sender, body in plan["update"]:
        predicted[sender].update(body)
    for sender in plan["remove"]:
        predicted.pop(sender, None)
    return predicted


def _view(items):
    return sorted(({"sender": item["sender"], "description": item.get("description"), "status": item.get("status"),
                    "type": item.get("type"), "referer": item.get("referer"), "comment": item.get("comment")}
                   for item in items),
                  key=lambda item: item["sender"])
