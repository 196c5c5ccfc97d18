# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource logic of ``smppops.ovh.smpp_password``: SMPP password renewal that is safe to schedule (private).

OVH never returns the new password: it e-mails it to the account's contact. The renewal time is
recorded as an IAM tag on the account, so ``max_age_days`` can make a daily job renew only when due.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone

from ansible_collections.smppops.ovh.plugins.module_utils import _smpp_accounts as accounts
from ansible_collections.smppops.ovh.plugins.module_utils._api import segment
from ansible_collections.smppops.ovh.plugins.module_utils._errors import InputError, OvhApiError, SmppOpsError
from ansible_collections.smppops.ovh.plugins.module_utils._wait import WaitTimeout, wait_settled

ARGUMENT_SPEC = {
    "service_name": {"type": "str", "required": True},
    "max_age_days": {"type": "int"},
    "force": {"type": "bool", "default": False},
    "wait_timeout": {"type": "int", "default": 300},
}
CONSTRAINTS = {}

TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
BROKEN_STATUSES = {
    "DELETED": "the SMPP account is deleted",
    "ERROR": "OVH reports an error on the SMPP account; try again in a few moments",
    "UNKNOWN": "OVH reports an unknown error on the SMPP account; contact OVHcloud support",
    "WAITING_IP": "no allowed IP is declared yet; declare one first (smppops.ovh.smpp_acl)",
}
MAIL_NOTICE = "OVH e-mails the new password to the account's contact e-mail address; the API never returns it"
TAG_RIGHTS = ("the credentials need the access rules POST /v2/iam/resource/* and DELETE /v2/iam/resource/* "
              "(OAuth2: actions account:apiovh:iam/resource/tag/add and /remove, and sms:apiovh:iam/resource/tag/add and /remove)")


def now_utc():
    return datetime.now(timezone.utc)


def run(params, ctx):
    name = params["service_name"]
    _validate(params)
    api = ctx.api
    account = accounts.get_account(api, name)
    accounts.require_smpp(account, name)
    previous = accounts.password_rotated_at(account)
    due, reason = _due(params, previous)
    result = {
        "changed": due,
        "rotated": due,
        "rotated_at": None,
        "previous_rotated_at": previous,
        "rotation_recorded": False,
        "reason": reason,
    }
    if not due:
        result["msg"] = "The SMPP password of %s was not renewed: %s" % (name, reason)
        return result

    settings = accounts.get_settings(api, name)
    status = settings.get("status")
    _refuse_broken(name, status)
    if ctx.check_mode:
        result["msg"] = "The SMPP password of %s would be renewed (%s); %s" % (name, reason, MAIL_NOTICE)
        return result
    if status != "SUCCESS":
        _wait_until_success(api, name, params["wait_timeout"])

    _renew(api, name)
    rotated_at = now_utc().strftime(TIME_FORMAT)
    result["rotated_at"] = rotated_at
    result["rotation_recorded"] = _record(api, account, rotated_at, previous is not None, ctx.warn)
    result["msg"] = "The SMPP password of %s was renewed at %s; %s" % (name, rotated_at, MAIL_NOTICE)
    return result


def _validate(params):
    if params.get("max_age_days") is not None and params["max_age_days"] < 0:
        raise InputError("max_age_days=%s must be 0 or more" % params["max_age_days"])
    if params["wait_timeout"] < 0:
        raise InputError("wait_timeout=%s must be 0 or more seconds" % params["wait_timeout"])


def _due(params, previous):
    if params["force"]:
        return True, "force=true"
    if params.get("max_age_days") is None:
        return True, "renewal requested (no max_age_days)"
    if previous is None:
        return True, "no previous renewal is recorded"
    try:
        last = datetime.strptime(previous, TIME_FORMAT).replace(tzinfo=timezone.utc)
    except ValueError:
        return True, "the recorded renewal time %r cannot be read" % previous
    age_days = (now_utc() - last).total_seconds() / 86400.0
    if age_days > params["max_age_days"]:
        return True, "the last renewal (%s) is %.1f days old, more than max_age_days=%d" % (previous, age_days, params["max_age_days"])
    return False, "the last renewal (%s) is %.1f days old, within max_age_days=%d" % (previous, age_days, params["max_age_days"])


def _refuse_broken(name, status):
    if status in BROKEN_STATUSES:
        raise SmppOpsError("the SMPP password of %s cannot be renewed in status %s: %s" % (name, status, BROKEN_STATUSES[status]),
                           status=status)


def _wait_until_success(api, name, timeout):
    started = time.monotonic()
    try:
        settings = wait_settled(api, name, timeout)
    except WaitTimeout as exc:
        raise SmppOpsError("the SMPP password of %s was not renewed: status still %s after %d s (wait_timeout=%d)"
                           % (name, exc.status, exc.waited, timeout), status=exc.status)
    status = settings.get("status")
    _refuse_broken(name, status)
    if status != "SUCCESS":
        raise SmppOpsError("the SMPP password of %s was not renewed: OVH allows it in status SUCCESS only, the status is %s"
                           " (after %d s)" % (name, status, time.monotonic() - started), status=status)


def _renew(api, name):
    try:
        api.post(accounts.account_path(name) + "/smpp/password")  # no body: OVH refuses even {}
    except OvhApiError as exc:
        if exc.outcome_unknown:
            exc.msg += ("; the renewal may or may not have happened and is NOT repeated: if OVH renewed it, the new password "
                        "arrives by e-mail to the account's contact")
        raise


def _record(api, account, rotated_at, had_previous, warn):
    urn = (account.get("iam") or {}).get("urn")
    if not urn:
        warn("the SMPP password was renewed, but the account has no IAM URN, so the renewal time was not recorded")
        return False
    path = "/v2/iam/resource/%s/tag" % segment(urn)
    body = {"key": accounts.ROTATION_TAG, "value": rotated_at}
    try:
        try:
            api.post(path, body)
        except OvhApiError as exc:
            if not had_previous or exc.http_status not in (400, 409):
                raise
            # OVH may refuse to overwrite an existing key: remove it, then add it again.
            api.delete("%s/%s" % (path, segment(accounts.ROTATION_TAG)))
            api.post(path, body)
    except OvhApiError as exc:
        hint = TAG_RIGHTS if exc.http_status == 403 else "the API answered: %s" % exc.msg
        warn("the SMPP password was renewed, but its renewal time (IAM tag %s) could not be recorded, so max_age_days "
             "cannot see it: %s" % (accounts.ROTATION_TAG, hint))
        return False
    return True
