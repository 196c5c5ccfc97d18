# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource logic of ``smppops.ovh.smpp_account_state``: one whole SMPP account in one task (private).

Composes, with one client, the resource logic of each area in the order a person would apply them:
allowed IPs (``_smpp_acl``), senders (``_smpp_sender``), top-up from a source and automatic re-credit
(``_smpp_credit``), password maximum age (``_smpp_password``). Each area keeps its own rules, guards
and holds: this module only decides which areas have anything to do and runs those.

The snapshot rule, in one place (``usable_snapshot``): an account as read earlier in the run (the
inventory's ``smpp_observed``, or one element of ``smpp_info``'s ``smpp_accounts``) may only conclude
"nothing to do" for an area. An area whose predicate (``needs_change`` in the area's own module) sees
work on it runs its normal path, which decides every write from a fresh read under the account's hold;
the snapshot never reaches a write. A snapshot is ignored (the account is read afresh) when it is older
than ``observed_max_age``, dated in the future beyond the clock skew allowed, for another account, or
missing a field a predicate needs.
"""

from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.smppops.ovh.plugins.module_utils import _account_reads as accounts
from ansible_collections.smppops.ovh.plugins.module_utils import _smpp_acl, _smpp_credit, _smpp_password, _smpp_sender
from ansible_collections.smppops.ovh.plugins.module_utils._errors import InputError, SmppOpsError
from ansible_collections.smppops.ovh.plugins.module_utils._inputs import check_options, non_finite_integers
from ansible_collections.smppops.ovh.plugins.module_utils._options import COMMON_ARGUMENT_SPEC, argument_spec, constraints

READ_AT_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
FUTURE_SKEW = timedelta(seconds=5)  # clocks of the controller and of whoever read the snapshot may differ a little


class Area:
    """One area of the account: the module that owns it and how this module's sub-options map to that module's options."""

    def __init__(self, name, logic, options, needs_change, account_option="service_name"):
        self.name = name
        self.logic = logic
        self.options = options  # {this module's sub-option: the area module's option}
        self.needs_change = needs_change
        self.account_option = account_option  # the area module's option that takes this account's name

    def sub_spec(self, overrides=None):
        spec = {}
        for sub, option in self.options.items():
            rules = copy.deepcopy(self.logic.ARGUMENT_SPEC[option])
            if option == "service_name":
                rules.pop("required", None)  # the top-up's source: a missing one is named by this module's checks
            rules.update((overrides or {}).get(sub, {}))
            spec[sub] = rules
        return spec


def _credit_top_up(params, account):
    return _smpp_credit.top_up_needed(params, account)


AREAS = (
    Area("allowed_ips", _smpp_acl, {"ips": "ips", "purge": "purge", "allow_empty": "allow_empty",
                                    "allow_unreachable": "allow_unreachable", "wait": "wait",
                                    "wait_timeout": "wait_timeout"}, _smpp_acl.needs_change),
    Area("senders", _smpp_sender, {"senders": "senders", "purge": "purge"}, _smpp_sender.needs_change),
    Area("top_up", _smpp_credit, {"source": "service_name", "min_credits": "target_min_credits",
                                  "source_reserve": "source_reserve", "settle_timeout": "settle_timeout",
                                  "lock_timeout": "lock_timeout"}, _credit_top_up, account_option="target"),
    Area("automatic_recredit", _smpp_credit, {"amount": "automatic_recredit_amount",
                                              "threshold": "automatic_recredit_threshold"},
         _smpp_credit.recredit_needed),
    Area("password", _smpp_password, {"max_age_days": "max_age_days", "untracked": "untracked",
                                      "lock_timeout": "lock_timeout"}, _smpp_password.needs_change),
)
AREA_BY_NAME = {area.name: area for area in AREAS}
# Sub-options a user must give for the area to mean anything (the area modules have other ways to be called).
REQUIRED = {"password": ("max_age_days",)}

ARGUMENT_SPEC = {
    "service_name": {"type": "str", "required": True},
    "observed": {"type": "dict"},
    "observed_max_age": {"type": "int", "default": 300},
}
for _area in AREAS:
    ARGUMENT_SPEC[_area.name] = {"type": "dict", "options": _area.sub_spec(
        {sub: {"required": True} for sub in REQUIRED.get(_area.name, ())})}
ARGUMENT_SPEC["automatic_recredit"]["required_one_of"] = [["amount", "threshold"]]
ARGUMENT_SPEC["password"]["no_log"] = False  # the password's renewal policy: no secret in it
CONSTRAINTS = {}
# Not echoed in the action plugin's ``invocation``: the whole account as the inventory read it, the same for every
# task of the host, and the bulk of what ansible-core would keep of each host's result until the task ends.
NOT_IN_INVOCATION = ("observed",)

# What a snapshot must hold for the predicates to read it (the smpp_info account shape, with read_at).
SNAPSHOT_FIELDS = ("service_name", "read_at", "status", "allowed_ips", "senders", "credits_left",
                   "automatic_recredit_amount", "automatic_recredit_threshold", "password_rotated_at")


def path_of(area, option):
    """How messages name an area module's option: ``allowed_ips.ips``, ``top_up.source``; the account is ``service_name``."""
    if option == area.account_option:
        return "service_name"
    for sub, mapped in area.options.items():
        if mapped == option:
            return "%s.%s" % (area.name, sub)
    return option


def area_params(params, area):
    """The area module's parameters: the connection options, this account, and the area's sub-options renamed."""
    out = {name: params.get(name) for name in COMMON_ARGUMENT_SPEC}
    out[area.account_option] = params["service_name"]
    for sub, option in area.options.items():
        out[option] = (params.get(area.name) or {}).get(sub)
    for option, rules in area.logic.ARGUMENT_SPEC.items():
        if out.get(option) is None and "default" in rules:
            out[option] = rules["default"]  # the area module's own defaults for what this module does not expose
    return out


def input_errors(params, label=None):
    """Every problem of the managed areas, found with each area module's own spec and input rules; no request."""
    label = label or (lambda path: path)
    errors = []
    for area in AREAS:
        if params.get(area.name) is None:
            continue
        message = _cross_check(params, area, label) or _area_error(params, area, label)
        if message and message not in errors:
            errors.append(message)
    return errors


def _cross_check(params, area, label):
    """What spans the account and an area: rules no single area module can see from its own options."""
    values = params.get(area.name) or {}
    if area.name == "top_up":
        if values.get("min_credits") is None:
            return "%s is required with %s" % (label("top_up.min_credits"), label("top_up.source"))
        if not values.get("source"):
            return "%s=%s needs %s, the account the credits come from" % (
                label("top_up.min_credits"), values["min_credits"], label("top_up.source"))
        if values.get("source") and values["source"] == params.get("service_name"):
            return "%s=%s is the account itself; credits move between two different accounts" % (
                label("top_up.source"), values["source"])
    if area.name == "allowed_ips" and values.get("ips") == [] and values.get("purge") and not values.get("allow_empty"):
        return ("%s is empty with %s=true, which would lock every SMPP client out; set %s=true if that is intended"
                % (label("allowed_ips.ips"), label("allowed_ips.purge"), label("allowed_ips.allow_empty")))
    return None


def _area_error(params, area, label):
    """The first problem the area module itself would report for its parameters, named by ``label``."""
    names = {option: label(path_of(area, option)) for option in area.logic.ARGUMENT_SPEC}
    args = {key: value for key, value in area_params(params, area).items() if value is not None}
    spec = argument_spec(area.logic.ARGUMENT_SPEC)
    problems = non_finite_integers(spec, args)
    if problems:
        return _renamed(problems[0], names)
    choices = _choice_problem(spec, args, names)
    if choices:
        return choices
    validation = ArgumentSpecValidator(spec, **constraints(area.logic.CONSTRAINTS)).validate(args)
    if validation.error_messages:
        # Only then each option on its own: its type is the first thing to name, with its value.
        return _type_problem(spec, args, names) or _renamed("; ".join(validation.error_messages), names)
    try:
        check_options(spec, validation.validated_parameters, label=lambda option: names.get(option, option))
    except SmppOpsError as exc:
        return exc.msg
    return None


def _choice_problem(spec, args, names):
    """A value outside an option's choices, worded like every other input message (option=value first)."""
    for option, rules in spec.items():
        if rules.get("choices") and args.get(option) is not None and args[option] not in rules["choices"]:
            allowed = ", ".join(str(item) for item in rules["choices"])
            return "%s=%s is not one of %s" % (names.get(option, option), args[option], allowed)
    return None


def _type_problem(spec, args, names):
    """A value of the wrong type, named with its value (ansible-core's own words name neither for a float)."""
    for option, rules in spec.items():
        value = args.get(option)
        if value is None or rules.get("no_log") or not rules.get("type"):
            continue
        if ArgumentSpecValidator({option: {"type": rules["type"]}}).validate({option: value}).error_messages:
            return "%s=%s is not a valid %s" % (names.get(option, option), value, rules["type"])
    return None


def refused_arguments(args):
    """Why ansible-core refused ``args``, an area's sub-option named by its path (``allowed_ips.purge``) and value
    rather than by its bare name "found in" the area; ``[]`` when these rules see nothing (its own words stand)."""
    if not isinstance(args, dict) or not all(isinstance(args.get(area.name), (dict, type(None))) for area in AREAS):
        return []
    return input_errors(args)


def _renamed(message, names):
    for option, name in sorted(names.items(), key=lambda item: -len(item[0])):
        message = message.replace("'%s'" % option, name).replace("%s=" % option, "%s=" % name)
    return message


def now_utc():
    return datetime.now(timezone.utc)


def usable_snapshot(params):
    """``(snapshot or None, why it is not used or None)``: the one rule deciding whether ``observed`` may be trusted."""
    observed = params.get("observed")
    if not observed:
        return None, "no snapshot given"
    missing = [field for field in SNAPSHOT_FIELDS if field not in observed]
    if missing:
        return None, "the snapshot has no %s" % ", ".join(missing)
    if observed["service_name"] != params["service_name"]:
        return None, "the snapshot is of %s, not %s" % (observed["service_name"], params["service_name"])
    if not isinstance(observed["allowed_ips"], list) or not isinstance(observed["senders"], list) or not all(
            isinstance(item, dict) and "sender" in item and "status" in item for item in observed["senders"]):
        return None, "the snapshot's allowed_ips or senders are not in the smpp_info shape"
    try:
        read_at = datetime.strptime(observed["read_at"], READ_AT_FORMAT).replace(tzinfo=timezone.utc)
    except (TypeError, ValueError):
        return None, "the snapshot's read_at=%r is not a UTC time such as 2026-11-01T10:00:00.000000Z" % (observed["read_at"],)
    age = now_utc() - read_at
    if age < -FUTURE_SKEW:
        return None, "the snapshot was read at %s, in the future of this controller's clock" % observed["read_at"]
    if age.total_seconds() > params["observed_max_age"]:
        return None, "the snapshot was read %d s ago, more than observed_max_age=%d" % (
            age.total_seconds(), params["observed_max_age"])
    return observed, None


def run(params, ctx):
    errors = input_errors(params)
    if errors:
        raise InputError("; ".join(errors))
    managed = [area for area in AREAS if params.get(area.name) is not None]
    name = params["service_name"]
    snapshot, ignored = usable_snapshot(params)
    before = snapshot if snapshot is not None else _read_account(ctx.api, name)
    ctx.smpp_accounts.add(name)  # shown by the snapshot (smpp_info's, of SMPP accounts only) or by the read above
    result = {"changed": False, "observed_used": snapshot is not None, "observed_ignored": ignored}
    view = copy.deepcopy(before)
    ran = []
    for area in managed:
        values = area_params(params, area)
        if not _needs_change(area, values, before):
            # Nothing to do, decided from the snapshot or the reads above: no request for this area.
            result[area.name] = {"changed": False, "ran": False}
            continue
        ran.append(area.name)
        first_call = len(ctx.api.calls)
        try:
            outcome = area.logic.run(values, ctx)
        except SmppOpsError as exc:
            raise _stopped_at(area, exc, result, ran, ctx.api.calls[first_call:])
        outcome.pop("diff", None)
        outcome["ran"] = True
        result[area.name] = outcome
        result["changed"] = result["changed"] or bool(outcome.get("changed"))
        _apply(view, area.name, outcome, ctx)
    result["areas_run"] = ran
    result["smpp_account"] = view
    result["diff"] = {"before": _shown(before), "after": _shown(view)}
    return result


def _needs_change(area, values, account):
    try:
        return area.needs_change(values, account)
    except (SmppOpsError, KeyError, TypeError, ValueError, AttributeError):
        return True  # a snapshot the predicate cannot read proves nothing: the area decides from its own reads


def _read_account(api, name):
    """The account's first reads, in smpp_info's shape: what the areas are decided from when no snapshot is usable."""
    read_at = now_utc().strftime(READ_AT_FORMAT)
    account = accounts.get_account(api, name)
    accounts.require_smpp(account, name)
    facts = accounts.account_facts(account, accounts.get_settings(api, name), accounts.get_allowed_ips(api, name),
                                   accounts.get_senders(api, name))
    facts["read_at"] = read_at
    return facts


def _apply(view, area, outcome, ctx):
    """Bring the account view up to date after an area ran: from its result, re-reading only what it cannot tell."""
    if not outcome.get("changed"):
        return
    name = view["service_name"]
    if area == "allowed_ips":
        view["allowed_ips"] = outcome["allowed_ips"]
        if ctx.check_mode:
            return
        if outcome.get("status"):
            view["status"] = outcome["status"]
        else:
            view["status"] = accounts.get_settings(ctx.api, name).get("status")
    elif area == "senders":
        view["senders"] = outcome["senders"]  # read back by the area after its writes (predicted in check mode)
    elif area == "top_up":
        left = outcome.get("target_credits_left")
        if left is None and not ctx.check_mode:
            left = accounts.get_account(ctx.api, name).get("creditsLeft")
        view["credits_left"] = left
    elif area == "automatic_recredit":
        view["automatic_recredit_amount"] = outcome.get("automatic_recredit_amount")
        view["automatic_recredit_threshold"] = outcome.get("automatic_recredit_threshold")
    elif area == "password":
        view["password_rotated_at"] = outcome.get("rotated_at") or outcome.get("tracked_since") or view["password_rotated_at"]


def _shown(account):
    """The account as the diff shows it: every field but when it was read."""
    return {key: value for key, value in account.items() if key != "read_at"}


def _stopped_at(area, exc, result, ran, calls):
    """The failure of one area, with what the areas before it did; the later areas are not run."""
    own = dict(exc.extra)
    earlier = any(result.get(done, {}).get("changed") for done in ran[:-1])
    if "changed" in own:
        mine = bool(own["changed"])
    else:
        # As run_task decides for a single module: a write that went through, or may have, changed the account.
        mine = any(call["method"] != "GET" and call.get("sent") is not False
                   and (call["status"] is None or 200 <= call["status"] < 300) for call in calls)
    own.update(changed=mine, ran=True, msg=exc.msg)
    extra = {key: value for key, value in result.items() if key in AREA_BY_NAME}
    extra[area.name] = own
    extra.update(changed=earlier or mine, areas_run=list(ran), failed_area=area.name,
                 observed_used=result["observed_used"], observed_ignored=result["observed_ignored"])
    if "error" in own:
        extra["error"] = own["error"]
    failure = SmppOpsError("%s: %s" % (area.name, exc.msg), **extra)
    return failure
