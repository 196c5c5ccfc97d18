# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource logic of ``smppops.ovh.smpp_info`` (private: may change without notice)."""

from __future__ import annotations

from datetime import datetime

from ansible_collections.smppops.ovh.plugins.module_utils import _shapes as shapes
from ansible_collections.smppops.ovh.plugins.module_utils import _account_reads as accounts
from ansible_collections.smppops.ovh.plugins.module_utils import _fleet_reads as fleet
from ansible_collections.smppops.ovh.plugins.module_utils._api import segment
from ansible_collections.smppops.ovh.plugins.module_utils._errors import InputError, OvhApiError

ARGUMENT_SPEC = {
    "service_name": {"type": "str"},
    "history": {
        "type": "dict",
        "options": {
            "outgoing_since": {"type": "str"},
            "incoming_since": {"type": "str"},
            "limit": {"type": "int", "default": 20},
        },
    },
}
CONSTRAINTS = {}

OUTGOING_FIELDS = {
    "id": "id", "creationDatetime": "created_at", "sentAt": "sent_at", "deliveredAt": "delivered_at",
    "sender": "sender", "receiver": "receiver", "message": "message", "messageID": "message_id",
    "numberOfSms": "number_of_sms", "credits": "credits", "ptt": "ptt", "deliveryReceipt": "delivery_receipt",
    "tag": "tag",
}
INCOMING_FIELDS = {
    "id": "id", "creationDatetime": "created_at", "sender": "sender", "message": "message",
    "credits": "credits", "tag": "tag",
}


def run(params, ctx):
    _validate_history(params.get("history"))
    found = read_accounts(
        ctx.api, params.get("service_name"), params.get("history"), new_api=ctx.new_api,
        max_concurrent_requests=params.get("max_concurrent_requests") or fleet.DEFAULT_MAX_CONCURRENT_REQUESTS)
    return {"changed": False, "smpp_accounts": found}


def read_accounts(api, service_name=None, history=None, new_api=None,
                  max_concurrent_requests=fleet.DEFAULT_MAX_CONCURRENT_REQUESTS):
    """The facts of each SMPP account, each with ``read_at``; a failure names the account.

    Without ``service_name``, every SMPP account of the customer, read side by side (``_fleet_reads``)
    with a client per worker from ``new_api``; without ``new_api``, one account at a time with ``api``.
    """
    extra = _history_reader(history)
    if not service_name:
        if new_api is None:  # one client only: it is not shared between threads, so one account at a time
            new_api, max_concurrent_requests = _the_same(api), 1
        found, unused_skipped = fleet.read_fleet(api, new_api, max_concurrent_requests, extra=extra)
        return found
    read_at = fleet.utc_now()
    try:
        account = accounts.get_account(api, service_name)
        accounts.require_smpp(account, service_name)
        return [fleet.read_one(api, service_name, now=lambda: read_at, extra=extra, account=account)]
    except OvhApiError as exc:
        raise fleet.named(exc, service_name)


def _the_same(api):
    def same(gate):
        del gate
        return api
    return same


def _history_reader(history):
    if not history:
        return None

    def read(api, name, facts):
        facts["history"] = _history(api, name, history)
    return read


def _validate_history(history):
    if not history:
        return
    if history.get("limit") is not None and history["limit"] < 0:
        raise InputError("history.limit=%s must be 0 or more" % history["limit"])
    for key in ("outgoing_since", "incoming_since"):
        value = history.get(key)
        if value is not None and not _looks_like_datetime(value):
            raise InputError(
                "history.%s=%s is not a datetime; use ISO 8601, e.g. 2026-11-01T00:00:00Z" % (key, value))


def _looks_like_datetime(value):
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
        return True
    except ValueError:
        return False


def _history(api, name, history):
    out = {}
    for direction, fields in (("outgoing", OUTGOING_FIELDS), ("incoming", INCOMING_FIELDS)):
        since = history.get("%s_since" % direction)
        if since is None:
            continue
        path = "%s/%s" % (accounts.account_path(name), direction)
        ids = sorted(shapes.checked(api, "GET", path, api.get(path, **{"creationDatetime.from": since}),
                                    shapes.ids_problem), reverse=True)
        items = []
        for item_id in ids[:history["limit"]]:
            item_path = "%s/%s" % (path, segment(item_id))
            items.append(_pick(shapes.checked(api, "GET", item_path, api.get(item_path), shapes.item_problem), fields))
        out[direction] = {"since": since, "count": len(ids), "items": items}
    return out


def _pick(raw, fields):
    return {public: raw.get(api_name) for api_name, public in fields.items()}
