# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading SMPP accounts: the reads every module, the inventory and smpp_info share (private).

Field names returned here are the collection's public, snake_case contract (DESIGN.md); the
API's camelCase never leaks out.
"""

from __future__ import annotations

from ansible_collections.smppops.ovh.plugins.module_utils._api import segment
from ansible_collections.smppops.ovh.plugins.module_utils._errors import InputError
from ansible_collections.smppops.ovh.plugins.module_utils._ip import sorted_ips

ROTATION_TAG = "smppops-password-rotated-at"
BATCH_SEPARATOR = "|"


def account_path(service_name):
    return "/sms/%s" % segment(service_name)


def list_service_names(api):
    """Every SMS service name of the customer (SMPP or not), sorted."""
    return sorted(api.get("/sms") or [])


def get_account(api, service_name):
    return api.get(account_path(service_name))


def require_smpp(account, service_name):
    """Refuse a plain SMS account where an SMPP account is needed."""
    if not account.get("smpp"):
        raise InputError(
            "service_name=%s is an SMS account without SMPP (its 'smpp' flag is false); "
            "SMPP settings, allowed IPs and passwords exist only on SMPP accounts" % service_name)


def get_settings(api, service_name):
    return api.get(account_path(service_name) + "/smpp/settings")


def get_allowed_ips(api, service_name):
    return api.get(account_path(service_name) + "/smpp/allowedIPs") or []


def get_senders(api, service_name):
    """All senders with their details, in as few requests as the API allows.

    OVH's batch GET (``X-Ovh-Batch`` header, names joined by the separator in one path segment)
    returns every sender in one request; a single sender is read directly.
    """
    names = sorted(api.get(account_path(service_name) + "/senders") or [])
    if not names:
        return []
    if len(names) == 1:
        return [sender_facts(api.get(account_path(service_name) + "/senders/" + segment(names[0])))]
    joined = segment(BATCH_SEPARATOR.join(names))
    answers = api.get(account_path(service_name) + "/senders/" + joined, headers={"X-Ovh-Batch": BATCH_SEPARATOR})
    senders = []
    for answer in answers or []:
        if answer.get("error") or answer.get("value") is None:
            # A sender removed between the list and the batch read: skip it rather than fail.
            continue
        senders.append(sender_facts(answer["value"]))
    return sorted(senders, key=lambda item: item["sender"])


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
