# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource logic of ``smppops.ovh.smpp_password``: SMPP password renewal that is safe to schedule (private).

OVH never returns the new password: it e-mails it to the account's contact. The renewal time is
recorded as an IAM tag on the account, so ``max_age_days`` can make a daily job renew only when due.

At most once per period: the record is written (and read back) *before* the renewal is sent, so a
renewal that cannot be recorded is not sent at all; a renewal whose answer is lost keeps its record;
a renewal OVH refused gets the previous record back. An account with no readable record is not
renewed by ``max_age_days`` unless ``untracked`` says so. A scheduled renewal holds the account
(``_account_lease``) and decides again on a fresh read, so two runs at once renew it once.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone

from ansible_collections.smppops.ovh.plugins.module_utils import _account_reads as accounts
from ansible_collections.smppops.ovh.plugins.module_utils._account_lease import AccountsHeld, Clock
from ansible_collections.smppops.ovh.plugins.module_utils._errors import OvhApiError, SmppOpsError
from ansible_collections.smppops.ovh.plugins.module_utils._iam_tags import ResourceTags, TagError, TagNotWritten, urn_of
from ansible_collections.smppops.ovh.plugins.module_utils._wait import WaitTimeout, wait_settled

ARGUMENT_SPEC = {
    "service_name": {"type": "str", "required": True},
    "max_age_days": {"type": "int"},
    "untracked": {"type": "str", "default": "skip", "choices": ["skip", "track", "renew"]},
    "force": {"type": "bool", "default": False},
    "wait_timeout": {"type": "int", "default": 300},
    "lock_timeout": {"type": "int", "default": 300},
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
RENEW, TRACK, LEAVE = "renew", "track", "leave"
clock = Clock()


def now_utc():
    return datetime.now(timezone.utc)


def run(params, ctx):
    name = params["service_name"]  # its options were checked by the shared input rules (_inputs)
    api = ctx.api
    account = accounts.get_account(api, name)
    accounts.require_smpp(account, name)
    record = RotationRecord(api, account, name)
    previous = accounts.password_rotated_at(account)
    action, reason = _decide(params, previous)
    if action != LEAVE or _age(previous) is None:
        # The 1.0 account may not show the tag, or show an older value (the v2 resource is authoritative):
        # decide again on the v2 record, which is also the value to put back if OVH refuses the renewal.
        previous = record.read()
        action, reason = _decide(params, previous)
    result = {
        "changed": action != LEAVE,
        "rotated": action == RENEW,
        "rotated_at": None,
        "previous_rotated_at": previous,
        "rotation_recorded": False,
        "untracked": _age(previous) is None,
        "reason": reason,
    }
    if action == LEAVE:
        if result["untracked"]:
            ctx.warn("no readable password renewal time is recorded on %s, so max_age_days cannot tell its age and the "
                     "password was not renewed; set untracked=track to start counting from now, or untracked=renew"
                     % name)
        result["msg"] = "The SMPP password of %s was not renewed: %s" % (name, reason)
        return result
    if action == TRACK:
        return _start_tracking(record, name, reason, result, ctx.check_mode)
    settings = accounts.get_settings(api, name)
    status = settings.get("status")
    if ctx.check_mode and status == "WAITING_IP":
        # Predicted from reads only: the allowed IPs this run would add (smpp_acl or smpp_account_state before this
        # step) are not there yet. The real run adds them first, and then the renewal is possible.
        result.update(status=status, reason="%s; possible once the allowed IPs are applied (status WAITING_IP now)" % reason,
                      msg="The SMPP password of %s would be renewed once the allowed IPs are applied (%s; status "
                          "WAITING_IP now: no allowed IP yet); %s" % (name, reason, MAIL_NOTICE))
        return result
    _refuse_broken(name, status)
    if ctx.check_mode:
        result["msg"] = "The SMPP password of %s would be renewed (%s); %s" % (name, reason, MAIL_NOTICE)
        return result
    if status != "SUCCESS":
        _wait_until_success(api, name, params["wait_timeout"])
    if params.get("max_age_days") is None or params["force"]:
        return _renew_now(api, name, record, previous, result)
    # A scheduled renewal: another run may be deciding from the same record right now. Hold the
    # account, read the record again and decide again, so that only one of them renews.
    lease_seconds = int(params["wait_timeout"] + 2 * float(params.get("api_timeout") or 30) + 60)
    with AccountsHeld(api, {name: account}, params["lock_timeout"], lease_seconds, clock=clock):
        previous = record.read()
        action, reason = _decide(params, previous)
        if action != RENEW:
            result.update(changed=False, rotated=False, previous_rotated_at=previous, reason=reason,
                          msg="The SMPP password of %s was not renewed: %s (another run renewed it meanwhile)" % (name, reason))
            return result
        return _renew_now(api, name, record, previous, result)


def needs_change(params, account):
    """Whether the password step has anything to do or check on ``account`` (as smpp_info returns it); no request.

    False only when the recorded renewal is readable and within ``max_age_days``: an unknown age is
    read again from the authoritative record (``run``), which may track, renew or warn.
    """
    previous = account["password_rotated_at"]
    action, unused = _decide(params, previous)
    return action != LEAVE or _age(previous) is None


def _renew_now(api, name, record, previous, result):
    rotated_at = now_utc().strftime(TIME_FORMAT)
    # Record first: a renewal is sent only once its record exists, so no later run can renew again
    # because the record is missing.
    record.write(rotated_at, "the SMPP password of %s was not renewed" % name)
    result["rotation_recorded"] = True
    _renew(api, name, record, previous, rotated_at)
    result["rotated_at"] = rotated_at
    result["msg"] = "The SMPP password of %s was renewed at %s; %s" % (name, rotated_at, MAIL_NOTICE)
    return result


class RotationRecord:
    """The renewal time of one account, kept as its IAM tag ``smppops-password-rotated-at``."""

    def __init__(self, api, account, name):
        self._account = account
        self._name = name
        self._tags = None
        self._api = api

    def _store(self):
        if self._tags is None:
            self._tags = ResourceTags(self._api, urn_of(self._account, self._name))
        return self._tags

    def read(self):
        """The authoritative value (v2); None when none is recorded or the account has no IAM URN."""
        if not (self._account.get("iam") or {}).get("urn"):
            return None
        try:
            return self._store().read().get(accounts.ROTATION_TAG)
        except TagError as exc:
            exc.msg = "the SMPP password of %s was not renewed: its renewal record is needed first, and %s" % (self._name, exc.msg)
            raise

    def write(self, value, consequence):
        try:
            self._store().set(accounts.ROTATION_TAG, value)
        except TagNotWritten as exc:
            exc.msg = "%s: its renewal time must be recorded first, and %s" % (consequence, exc.msg)
            raise

    def restore(self, previous):
        """Put back the value that was there before this task; None removes the tag."""
        if previous is None:
            self._store().remove(accounts.ROTATION_TAG)
        else:
            self._store().set(accounts.ROTATION_TAG, previous)


def _age(previous):
    """Days since ``previous``, or None when it is missing or unreadable."""
    if previous is None:
        return None
    try:
        last = datetime.strptime(previous, TIME_FORMAT).replace(tzinfo=timezone.utc)
    except (TypeError, ValueError):
        return None
    return (now_utc() - last).total_seconds() / 86400.0


def _decide(params, previous):
    """``(action, reason)``: renew, start tracking, or leave the password alone."""
    if params["force"]:
        return RENEW, "force=true"
    max_age = params.get("max_age_days")
    if max_age is None:
        return RENEW, "renewal requested (no max_age_days)"
    age = _age(previous)
    if age is None:
        unknown = "no renewal is recorded" if previous is None else "the recorded renewal time %r cannot be read" % previous
        if params["untracked"] == "renew":
            return RENEW, "%s and untracked=renew" % unknown
        if params["untracked"] == "track":
            return TRACK, "%s; untracked=track starts counting from now without renewing" % unknown
        return LEAVE, "%s, so its age is unknown (untracked=skip)" % unknown
    if age > max_age:
        return RENEW, "the last renewal (%s) is %.1f days old, more than max_age_days=%d" % (previous, age, max_age)
    return LEAVE, "the last renewal (%s) is %.1f days old, within max_age_days=%d" % (previous, age, max_age)


def _start_tracking(record, name, reason, result, check_mode):
    started = now_utc().strftime(TIME_FORMAT)
    if check_mode:
        result["msg"] = "The renewal time of %s would be recorded as %s without renewing (%s)" % (name, started, reason)
        return result
    record.write(started, "the renewal time of %s was not recorded" % name)
    result.update(rotation_recorded=True, tracked_since=started,
                  msg="The SMPP password of %s was not renewed; its age is counted from %s (%s)" % (name, started, reason))
    return result


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


def _renew(api, name, record, previous, rotated_at):
    try:
        api.post(accounts.account_path(name) + "/smpp/password")  # no body: OVH refuses even {}
    except OvhApiError as exc:
        if exc.outcome_unknown:
            exc.msg += ("; the password MAY HAVE BEEN RENEWED and the request is NOT repeated: if OVH renewed it, the new "
                        "password arrives by e-mail to the account's contact. The renewal time %s stays recorded, so "
                        "scheduled runs (max_age_days) will not renew it again; use force=true only after checking the "
                        "mailbox" % rotated_at)
            exc.extra.update(renewal_outcome="unknown", rotation_recorded=True, rotated_at=rotated_at)
            raise
        exc.extra.update(renewal_outcome="not_renewed")
        try:
            record.restore(previous)
        except SmppOpsError as restore_failure:
            exc.msg += ("; the password was not renewed, but the renewal time recorded beforehand (%s) could not be put "
                        "back to %s (%s): scheduled runs will count from %s, run with force=true to renew now"
                        % (rotated_at, previous or "none", restore_failure.msg, rotated_at))
            exc.extra.update(rotation_recorded=True, rotated_at=rotated_at)
            raise exc from None
        exc.msg += "; the password was not renewed and the recorded renewal time is unchanged"
        exc.extra["changed"] = False  # the record was put back: the account is as it was
        raise
