# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checks of the smpp_account role's desired state, made before any API call (private).

For every module task the role would run, the role's variables are turned into that module's
options, validated with the module's own argument spec and then with the very rules the module
applies before its first request (``_inputs.check_options``), so the role refuses exactly what the
modules would refuse, before its first task touches the API. Only what spans several modules
(a top-up needs its source; the source is another account; an empty purged list) is checked here.
Messages name the role variable and the bad value.
"""

from __future__ import annotations

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.smppops.ovh.plugins.module_utils import _smpp_acl, _smpp_credit, _smpp_password, _smpp_sender
from ansible_collections.smppops.ovh.plugins.module_utils._errors import SmppOpsError
from ansible_collections.smppops.ovh.plugins.module_utils._inputs import check_options, non_finite_integers
from ansible_collections.smppops.ovh.plugins.module_utils._options import argument_spec, constraints

PREFIX = "smpp_account_"

# Each module task of the role: (module logic, the role variable that enables it, {module option: role variable}).
ROLE_TASKS = (
    (_smpp_acl, "allowed_ips", {"service_name": "service_name", "ips": "allowed_ips", "purge": "allowed_ips_purge",
                                "allow_empty": "allowed_ips_allow_empty",
                                "allow_unreachable": "allowed_ips_allow_unreachable"}),
    (_smpp_sender, "senders", {"service_name": "service_name", "senders": "senders", "purge": "senders_purge"}),
    (_smpp_credit, "min_credits", {"service_name": "credit_source", "target": "service_name",
                                   "target_min_credits": "min_credits", "source_reserve": "credit_source_reserve"}),
    (_smpp_credit, "automatic_recredit_amount", {"service_name": "service_name",
                                                 "automatic_recredit_amount": "automatic_recredit_amount",
                                                 "automatic_recredit_threshold": "automatic_recredit_threshold"}),
    (_smpp_credit, "automatic_recredit_threshold", {"service_name": "service_name",
                                                    "automatic_recredit_amount": "automatic_recredit_amount",
                                                    "automatic_recredit_threshold": "automatic_recredit_threshold"}),
    (_smpp_password, "password_max_age_days", {"service_name": "service_name", "max_age_days": "password_max_age_days"}),
)


def input_errors(desired):
    """Every problem found in ``desired`` (the role variables without their prefix), as messages."""
    errors = []
    for logic, trigger, options in ROLE_TASKS:
        if desired.get(trigger) is None:
            continue
        message = _module_error(logic, options, desired)
        if message and message not in errors:
            errors.append(message)
    for check in (_empty_purge, _credit_source):
        message = check(desired)
        if message and message not in errors:
            errors.append(message)
    return errors


def _module_error(logic, options, desired):
    """The first problem the module would report for these variables, named after the role variables."""
    names = {option: PREFIX + variable for option, variable in options.items()}
    args = {option: desired[variable] for option, variable in options.items()
            if desired.get(variable) is not None and option in logic.ARGUMENT_SPEC}
    if any(rules.get("required") and option not in args for option, rules in logic.ARGUMENT_SPEC.items()):
        return None  # a missing account name: the role's argument spec or the checks below report it
    if logic is _smpp_acl and "allow_empty" in args:
        args["allow_empty"] = bool(args["allow_empty"])
    spec = argument_spec(logic.ARGUMENT_SPEC)
    problems = non_finite_integers(spec, args)
    if problems:
        return _renamed(problems[0], names)
    if logic is _smpp_credit and "automatic_recredit_amount" in args and \
            args["automatic_recredit_amount"] not in _smpp_credit.RECREDIT_AMOUNTS:
        return "%sautomatic_recredit_amount=%s is not one of %s" % (
            PREFIX, args["automatic_recredit_amount"], ", ".join(str(item) for item in _smpp_credit.RECREDIT_AMOUNTS))
    validation = ArgumentSpecValidator(spec, **constraints(logic.CONSTRAINTS)).validate(args)
    if validation.error_messages:
        return _renamed("; ".join(validation.error_messages), names)
    try:
        check_options(spec, validation.validated_parameters, label=lambda option: names.get(option, option))
    except SmppOpsError as exc:
        return exc.msg
    return None


def _renamed(message, names):
    for option, variable in names.items():
        message = message.replace("'%s'" % option, variable).replace("%s=" % option, "%s=" % variable)
    return message


def _empty_purge(desired):
    if desired.get("allowed_ips") == [] and desired.get("allowed_ips_purge") and not desired.get("allowed_ips_allow_empty"):
        return ("%sallowed_ips is empty with %sallowed_ips_purge=true, which would lock every SMPP client out; "
                "set %sallowed_ips_allow_empty=true if that is intended" % (PREFIX, PREFIX, PREFIX))
    return None


def _credit_source(desired):
    minimum = desired.get("min_credits")
    source = desired.get("credit_source")
    if minimum and not source:
        return "%smin_credits=%s needs %scredit_source, the account the credits come from" % (PREFIX, minimum, PREFIX)
    if source and source == desired.get("service_name"):
        return "%scredit_source=%s is the account itself; credits move between two different accounts" % (PREFIX, source)
    return None
