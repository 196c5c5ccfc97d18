# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading SMPP accounts: the reads every module, the inventory and smpp_info share (private).

Field names returned here are the collection's public, snake_case contract (DESIGN.md); the
API's camelCase never leaks out.
"""

from __future__ import annotations

from ansible_collections.smppops.ovh.plugins.module_utils import _shapes as shapes
from ansible_collections.smppops.ovh.plugins.module_utils._api import segment
from ansible_collections.smppops.ovh.plugins.module_utils._errors import InputError, OvhApiError
from ansible_collections.smppops.ovh.plugins.module_utils._ip import sorted_ips

ROTATION_TAG = "smppops-password-rotated-at"
BATCH_SEPARATOR = "|"
# Encoded length of the joined names in one batch read: URLs stay far below the 8 KB most servers accept.
BATCH_PATH_LIMIT = 2000
# Batch answers that mean "not supported here": read each sender on its own instead. 401/403 would fail
# the single reads the same way, and 5xx are retried by the client.
BATCH_REFUSED = frozenset((400, 404, 405, 406, 409, 413, 414, 415, 422, 501))


def account_path(service_name):
    return "/sms/%s" % segment(service_name)


def _read(api, path, problem_of, **kwargs):
    return shapes.checked(api, "GET", path, api.get(path, **kwargs), problem_of)


def list_service_names(api):
    """Every SMS service name of the customer (SMPP or not), sorted."""
    return sorted(_read(api, "/sms", shapes.names_problem))


def get_account(api, service_name):
    return _read(api, account_path(service_name), shapes.account_problem)


def ensure_smpp(ctx, service_name):
    """Refuse a plain SMS account, reading it only if this task has not yet seen it as an SMPP account.

    An account's kind never changes: once an area of the task (or the run's snapshot, which smpp_info only
    gives for SMPP accounts) has shown it to be SMPP, the next areas do not read it again for that.
    """
    if service_name in ctx.smpp_accounts:
        return
    require_smpp(get_account(ctx.api, service_name), service_name)
    ctx.smpp_accounts.add(service_name)


def require_smpp(account, service_name):
    """Refuse a plain SMS account where an SMPP account is needed."""
    if not account.get("smpp"):
        raise InputError(
            "service_name=%s is an SMS account without SMPP (its 'smpp' flag is false); "
            "SMPP settings, allowed IPs and passwords exist only on SMPP accounts" % service_name)


def get_settings(api, service_name):
    return _read(api, account_path(service_name) + "/smpp/settings", shapes.settings_problem)


def get_allowed_ips(api, service_name):
    return _read(api, account_path(service_name) + "/smpp/allowedIPs", shapes.names_problem)


def get_senders(api, service_name):
    """All senders with their details, in as few requests as the API allows.

    OVH's batch GET (``X-Ovh-Batch`` header, names joined by the separator in one path segment) is an
    undocumented optimisation: names go in chunks a URL can hold, and when the API refuses a batch or
    does not answer in batch form, each sender of the rest is read on its own (the documented route).
    """
    base = account_path(service_name) + "/senders"
    names = sorted(_read(api, base, shapes.names_problem))
    senders = []
    batch = len(names) > 1
    for chunk in _chunks(names):
        if batch:
            found = _batch_read(api, base, chunk)
            if found is not None:
                senders.extend(found)
                continue
            batch = False  # refused once: documented reads from here on
        senders.extend(item for item in (_single_read(api, base, name) for name in chunk) if item is not None)
    return sorted(senders, key=lambda item: item["sender"])


def _chunks(names):
    chunk, length = [], 0
    for name in names:
        size = len(segment(name)) + len(segment(BATCH_SEPARATOR))
        if chunk and length + size > BATCH_PATH_LIMIT:
            yield chunk
            chunk, length = [], 0
        chunk.append(name)
        length += size
    if chunk:
        yield chunk


def _batch_read(api, base, names):
    """The senders of one batch read, or None when the API refused it or did not answer in batch form."""
    path = base + "/" + segment(BATCH_SEPARATOR.join(names))
    try:
        answers = api.get(path, headers={"X-Ovh-Batch": BATCH_SEPARATOR})
    except OvhApiError as exc:
        if exc.http_status in BATCH_REFUSED:
            return None
        raise
    in_batch_form = isinstance(answers, list) and all(
        isinstance(item, dict) and ("value" in item or "error" in item) for item in answers)
    if not in_batch_form:
        return None
    senders = []
    for answer in answers:
        if answer.get("error") or answer.get("value") is None:
            # A sender removed between the list and the batch read: skip it rather than fail.
            continue
        senders.append(sender_facts(shapes.checked(api, "GET", path, answer["value"], shapes.sender_problem)))
    return senders


def _single_read(api, base, name):
    path = base + "/" + segment(name)
    try:
        return sender_facts(_read(api, path, shapes.sender_problem))
    except OvhApiError as exc:
        if exc.http_status == 404:
            return None  # removed between the list and this read
        raise


def sender_facts(raw):
    return {
        "sender": raw.get("sender"),
        "description": raw.get("description"),
        "status": raw.get("status"),
        "type": raw.get("type"),
        "referer": raw.get("referer"),
        "comment": raw.get("comment"),
    }


def password_rotated_at(account):
    """The last rotation recorded by smpp_password, or None when unknown."""
    tags = (account.get("iam") or {}).get("tags") or {}
    return tags.get(ROTATION_TAG)


def read_smpp_facts(api, service_name, account):
    """The public view of one SMPP account whose account object ``account`` was just read."""
    return account_facts(account, get_settings(api, service_name), get_allowed_ips(api, service_name),
                         get_senders(api, service_name))


def account_facts(account, settings, allowed_ips, senders):
    """Assemble the public view of one SMPP account from the raw API objects."""
    service_name = account.get("name")
    return {
        "service_name": service_name,
        # Newer API versions give a random system ID; older accounts use the service name (Q4).
        "system_id": settings.get("systemID") or service_name,
        "status": settings.get("status"),
        "account_status": account.get("status"),
        "endpoints": [
            {"secured": item.get("secured"), "unsecured": item.get("unsecured")}
            for item in settings.get("endpoints") or []
        ],
        "throughput": settings.get("throughput"),
        "windowing": settings.get("windowing"),
        "allowed_ips": sorted_ips(allowed_ips),
        "credits_left": account.get("creditsLeft"),
        "automatic_recredit_amount": account.get("automaticRecreditAmount"),
        "automatic_recredit_threshold": account.get("creditThresholdForAutomaticRecredit"),
        "senders": senders,
        "description": account.get("description"),
        "channel": account.get("channel"),
        "password_rotated_at": password_rotated_at(account),
    }
