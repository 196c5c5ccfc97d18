# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The smpp_account role's variables and the options of smpp_account_state they set, in one place (private).

The role is one smpp_account_state task, which validates the whole desired state before its first
request with each area module's own rules. Its messages name options (``allowed_ips.ips``); a role
user sets variables (``smpp_account_allowed_ips``): ``role_message`` renames the one into the other,
and ``input_errors`` (the ``smpp_account_errors`` filter) runs the same validation on role variables.
"""

from __future__ import annotations

import re

from ansible_collections.smppops.ovh.plugins.module_utils import _smpp_account_state

PREFIX = "smpp_account_"
ROLE_NAMES = ("smppops.ovh.smpp_account", "smpp_account")

# smpp_account_state option path -> role variable (without the prefix).
ROLE_VARIABLES = {
    "service_name": "service_name",
    "allowed_ips.ips": "allowed_ips",
    "allowed_ips.purge": "allowed_ips_purge",
    "allowed_ips.allow_empty": "allowed_ips_allow_empty",
    "allowed_ips.allow_unreachable": "allowed_ips_allow_unreachable",
    "senders.senders": "senders",
    "senders.purge": "senders_purge",
    "top_up.source": "credit_source",
    "top_up.min_credits": "min_credits",
    "top_up.source_reserve": "credit_source_reserve",
    "automatic_recredit.amount": "automatic_recredit_amount",
    "automatic_recredit.threshold": "automatic_recredit_threshold",
    "password.max_age_days": "password_max_age_days",
    "password.untracked": "password_untracked",
}
# The role variable that turns each area on.
AREA_TRIGGERS = {
    "allowed_ips": ("allowed_ips",),
    "senders": ("senders",),
    "top_up": ("min_credits",),
    "automatic_recredit": ("automatic_recredit_amount", "automatic_recredit_threshold"),
    "password": ("password_max_age_days",),
}
_PATHS = re.compile(r"(?<![\w.])(%s)(?![\w])" % "|".join(
    re.escape(path) for path in sorted(ROLE_VARIABLES, key=len, reverse=True) if "." in path))


def is_role_task(task):
    """Whether ``task`` is the smpp_account role's own task."""
    role = getattr(task, "_role", None)
    return role is not None and role.get_name() in ROLE_NAMES


def role_message(message):
    """``message`` with each smpp_account_state option path named as the role variable that sets it."""
    return _PATHS.sub(lambda match: PREFIX + ROLE_VARIABLES[match.group(1)], message)


def module_params(desired):
    """smpp_account_state's parameters for ``desired`` (the role variables without their prefix)."""
    params = {"service_name": desired.get("service_name"), "observed": None, "observed_max_age": 300}
    for area, triggers in AREA_TRIGGERS.items():
        if all(desired.get(variable) is None for variable in triggers):
            params[area] = None
            continue
        params[area] = {path.split(".", 1)[1]: desired.get(variable) for path, variable in ROLE_VARIABLES.items()
                        if path.startswith(area + ".") and desired.get(variable) is not None}
    return params


def input_errors(desired):
    """Every problem found in ``desired`` (the role variables without their prefix), as messages naming them."""
    labels = {path: PREFIX + variable for path, variable in ROLE_VARIABLES.items()}
    return _smpp_account_state.input_errors(module_params(desired), label=lambda path: labels.get(path, path))
