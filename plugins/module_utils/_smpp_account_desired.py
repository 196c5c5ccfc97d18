# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checks of the smpp_account role's desired state, made before any API call (private).

The role's argument specs check types and choices; what they cannot express (address syntax,
sender format, signs of amounts, options that need each other) is checked here with the
modules' own validators, so the role refuses exactly what the modules would refuse, but before
its first task touches the API. Messages name the role variable and the bad value.
"""

from __future__ import annotations

from ansible_collections.smppops.ovh.plugins.module_utils._errors import InputError
from ansible_collections.smppops.ovh.plugins.module_utils._ip import MAX_ALLOWED_IPS, canonical_list
from ansible_collections.smppops.ovh.plugins.module_utils._smpp_credit import RECREDIT_AMOUNTS
from ansible_collections.smppops.ovh.plugins.module_utils._smpp_sender import validate_sender

PREFIX = "smpp_account_"


def input_errors(desired):
    """Every problem found in ``desired`` (the role variables without their prefix), as messages."""
    errors = []
    for check in (_allowed_ips, _senders, _credits, _password):
        try:
            check(desired)
        except InputError as exc:
            errors.append(exc.msg)
    return errors


def _allowed_ips(desired):
    ips = desired.get("allowed_ips")
    if ips is None:
        return
    option = PREFIX + "allowed_ips"
    addresses = canonical_list(ips, option=option)
    if len(addresses) > MAX_ALLOWED_IPS:
        raise InputError("%s lists %d addresses, more than OVH's limit of %d" % (option, len(addresses), MAX_ALLOWED_IPS))
    if not addresses and desired.get("allowed_ips_purge") and not desired.get("allowed_ips_allow_empty"):
        raise InputError(
            "%s is empty with %sallowed_ips_purge=true, which would lock every SMPP client out; "
            "set %sallowed_ips_allow_empty=true if that is intended" % (option, PREFIX, PREFIX))


def _senders(desired):
    seen = set()
    for item in desired.get("senders") or []:
        name = item.get("sender")
        try:
            validate_sender(name or "")
        except InputError as exc:
            raise InputError(PREFIX + exc.msg)
        if name in seen:
            raise InputError("%ssenders: %s is listed twice" % (PREFIX, name))
        seen.add(name)


def _credits(desired):
    minimum = desired.get("min_credits")
    source = desired.get("credit_source")
    for option in ("min_credits", "credit_source_reserve", "automatic_recredit_threshold"):
        value = desired.get(option)
        if value is not None and value < 0:
            raise InputError("%s%s=%s must be 0 or more" % (PREFIX, option, value))
    amount = desired.get("automatic_recredit_amount")
    if amount is not None and amount not in RECREDIT_AMOUNTS:
        raise InputError("%sautomatic_recredit_amount=%s is not one of %s"
                         % (PREFIX, amount, ", ".join(str(item) for item in RECREDIT_AMOUNTS)))
    if minimum and not source:
        raise InputError("%smin_credits=%s needs %scredit_source, the account the credits come from"
                         % (PREFIX, minimum, PREFIX))
    if source and source == desired.get("service_name"):
        raise InputError("%scredit_source=%s is the account itself; credits move between two different accounts"
                         % (PREFIX, source))


def _password(desired):
    max_age = desired.get("password_max_age_days")
    if max_age is not None and max_age < 0:
        raise InputError("%spassword_max_age_days=%s must be 0 or more" % (PREFIX, max_age))
