# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The input rules every module, the inventory and the smpp_account role apply before any request (private).

``check_options(spec, params)`` walks a module's argument spec and applies, by option name and
type, the rules an argument spec cannot express; ``run_task`` calls it for every module before the
client is even built, and the role's up-front check calls it with the role's variable names, so the
role refuses exactly what the modules refuse. Every message names the option and the bad value
(never the value of a secret).

Service names (and credit targets): OVH names SMS services ``sms-xx11111-1`` and SMPP accounts
``smpp-xx11111-1`` (letters, digits and hyphens). The rule accepts a little more than that (dots
and underscores, up to 100 characters, as other OVH service names use) so an unusual but real
name is never refused, and nothing that could leave the ``/sms/{serviceName}`` route: no empty
name, no ``.`` or ``..`` (removed as dot-segments), no ``/``, ``%``, ``?``, ``#``, space or control
character.
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from urllib.parse import urlsplit

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.smppops.ovh.plugins.module_utils._errors import ConfigurationError, InputError
from ansible_collections.smppops.ovh.plugins.module_utils._ip import MAX_ALLOWED_IPS, canonical_list

SERVICE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
SERVICE_NAME_OPTIONS = ("service_name", "target")
CREDENTIAL_OPTIONS = ("application_key", "application_secret", "consumer_key", "client_id", "client_secret")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
TRANSFER_KEY = re.compile(r"[A-Za-z0-9_.:=+@-]{1,64}")

# Alphanumeric senders: up to 11 characters, not only digits (OVH's guide); the punctuation is what the
# Control Panel accepts. Numeric senders: a phone number in international form, or a short code. Matched
# whole (fullmatch): "$" would also match before a final line break.
ALPHANUMERIC_SENDER = re.compile(r"[A-Za-z0-9 .,&+_-]{1,11}")
PHONE_SENDER = re.compile(r"\+?[0-9]{3,15}")

# Bounds of numeric options, by option name: wide enough for any real use, narrow enough that no
# value can overflow a timer or make a task wait for years.
INT_BOUNDS = {
    "api_retries": (0, 10),
    "max_concurrent_requests": (1, 100),
    "wait_timeout": (0, 86400),
    "settle_timeout": (0, 86400),
    "lock_timeout": (0, 86400),
    "limit": (0, 1000),
    "max_age_days": (0, 36500),
    "observed_max_age": (0, 86400),
}
DEFAULT_INT_BOUNDS = (-(2 ** 31), 2 ** 31 - 1)
FLOAT_BOUNDS = {
    "api_timeout": (0.001, 3600.0),
}
DEFAULT_FLOAT_BOUNDS = (-1e12, 1e12)
# Amounts and durations that have no meaning below zero (credits must move: more than zero).
NON_NEGATIVE = ("target_min_credits", "source_reserve", "automatic_recredit_threshold", "max_age_days", "limit",
                "wait_timeout", "settle_timeout", "lock_timeout", "observed_max_age")
POSITIVE = ("credits",)
VALUE_SHOWN = 60  # characters of a bad value quoted in a message


def shown(value):
    """A bad value as quoted in a message: as typed when printable, else repr (line breaks visible); cut short."""
    printable = isinstance(value, str) and value.isprintable() and value == value.strip() and value
    text = value if printable else repr(value)
    return text if len(text) <= VALUE_SHOWN else text[:VALUE_SHOWN] + "...(%d characters)" % len(str(value))


def service_name(value, option="service_name"):
    if not isinstance(value, str) or not SERVICE_NAME.fullmatch(value) or value in (".", ".."):
        raise InputError(
            "%s=%s is not an OVH service name: use the name shown in the Control Panel, such as smpp-ab12345-1 "
            "(letters, digits, '-', '.', '_', at most 100 characters, starting with a letter or digit)"
            % (option, shown(value)))
    return value


def sender_name(value, option="senders"):
    if isinstance(value, str) and (PHONE_SENDER.fullmatch(value) or (
            ALPHANUMERIC_SENDER.fullmatch(value) and re.search(r"[A-Za-z]", value))):
        return value
    # Always quoted: a sender may hold spaces.
    raise InputError(
        "%s: %s is not a valid sender; use up to 11 letters, digits or ' .,&+_-' with at least one letter, "
        "or a phone number (3 to 15 digits, optionally starting with +)" % (option, shown(repr(value))))


def senders(items, option="senders"):
    """The rules of a sender list: valid names, each listed once, nothing but the name for state=absent."""
    seen = set()
    for item in items or []:
        name = sender_name(item.get("sender"), option)
        if name in seen:
            raise InputError("%s: %s is listed twice" % (option, name))
        seen.add(name)
        if item.get("state") == "absent" and any(item.get(key) is not None for key in ("enabled", "description", "reason")):
            raise InputError("%s: %s has state=absent, so description, reason and enabled do not apply" % (option, name))


def allowed_ips(values, option="ips"):
    addresses = canonical_list(values, option=option)
    if len(addresses) > MAX_ALLOWED_IPS:
        raise InputError("%s lists %d addresses, more than OVH's limit of %d" % (option, len(addresses), MAX_ALLOWED_IPS))
    return addresses


def _finite(value, option):
    if isinstance(value, bool):
        raise InputError("%s=%s must be a number" % (option, value))
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError("%s=%s must be a finite number" % (option, value))


def finite_number(value, option, bounds):
    _finite(value, option)
    low, high = bounds
    if not low <= value <= high:
        raise InputError("%s=%s is out of range: use a value from %s to %s" % (option, value, low, high))
    return value


def _sign(name, value, option):
    _finite(value, option)
    if name in NON_NEGATIVE and value < 0:
        raise InputError("%s=%s must be 0 or more" % (option, _plain(value)))
    if name in POSITIVE and value <= 0:
        raise InputError("%s=%s must be more than 0" % (option, _plain(value)))


def _plain(number):
    """-50.0 shown as typed, -50."""
    return int(number) if isinstance(number, float) and number.is_integer() else number


def endpoint(value):
    """A name or base URL that parses; which names and schemes are allowed is _connect's rule."""
    if not isinstance(value, str) or not value.strip() or CONTROL.search(value):
        raise ConfigurationError("endpoint=%s is not an endpoint name or base URL" % shown(value))
    if "://" in value:
        try:
            parts = urlsplit(value)
            parts.port  # pylint: disable=pointless-statement  # raises ValueError on a bad port
            host = parts.hostname
        except ValueError as exc:
            raise ConfigurationError("endpoint=%s is not a valid URL (%s)" % (shown(value), exc))
        if not host:
            raise ConfigurationError("endpoint=%s is not an http(s) base URL with a host" % shown(value))
    return value


def credential(value, option):
    if isinstance(value, str) and CONTROL.search(value):
        # Never quote a secret: the option's name is enough to find it.
        raise ConfigurationError("%s holds a line break or control character, which HTTP headers cannot carry" % option)
    return value


def iso_datetime(value, option):
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        raise InputError("%s=%s is not a datetime; use ISO 8601, e.g. 2026-11-01T00:00:00Z" % (option, shown(value)))
    return value


def transfer_key(value, option="transfer_key"):
    """A credit transfer's intent key: it becomes part of an IAM tag key (OVH's tag key characters, 64 at most)."""
    if not isinstance(value, str) or not TRANSFER_KEY.fullmatch(value):
        raise InputError("%s=%s must be 1 to 64 characters among letters, digits and _ . : = + @ -" % (option, shown(repr(value))))
    return value


def access_rules(rules, option="access_rules"):
    """A consumer key's access rules: at least one, each path absolute and printable (OVH's ``*`` allowed)."""
    if not rules:
        raise InputError("%s is empty: a consumer key needs at least one access rule" % option)
    for rule in rules:
        path = rule.get("path")
        if not isinstance(path, str) or not path.startswith("/") or CONTROL.search(path) or " " in path:
            raise InputError("%s: path=%s must be an API path starting with /, such as /sms/*, without spaces"
                             % (option, shown(path)))
    return rules


OPTION_RULES = {
    "access_rules": access_rules,
    "transfer_key": transfer_key,
    "senders": senders,
    "ips": allowed_ips,
    "outgoing_since": iso_datetime,
    "incoming_since": iso_datetime,
}


def check_options(spec, params, label=None):
    """Apply every rule to the validated ``params`` of ``spec``; ``label(name)`` names an option in messages."""
    label = label or (lambda name: name)
    for name, rules in spec.items():
        value = params.get(name)
        if value is None:
            continue
        option = label(name)
        kind = rules.get("type", "str")
        if name == "endpoint":
            endpoint(value)
        elif name in CREDENTIAL_OPTIONS:
            credential(value, option)
        elif name in SERVICE_NAME_OPTIONS:
            service_name(value, option)
        elif name in OPTION_RULES and kind != "dict":  # a dict of sub-options is checked option by option below
            OPTION_RULES[name](value, option)
        elif kind in ("float", "int"):
            _sign(name, value, option)
            bounds = FLOAT_BOUNDS if kind == "float" else INT_BOUNDS
            default = DEFAULT_FLOAT_BOUNDS if kind == "float" else DEFAULT_INT_BOUNDS
            finite_number(value, option, bounds.get(name, default))
        if kind == "dict" and rules.get("options") and isinstance(value, dict):
            check_options(rules["options"], value, lambda sub, parent=option: "%s.%s" % (parent, sub))


def validate_arguments(logic, args):
    """``(error messages, ValidationResult or None)`` of a task's raw arguments against the module's spec.

    What the action plugin runs before ``run_task``: the int options' non-finite values first (ansible-core
    would raise on them), then ansible-core's argument spec validation with the module's constraints.
    """
    from ansible_collections.smppops.ovh.plugins.module_utils._options import argument_spec, constraints  # pylint: disable=import-outside-toplevel
    spec = argument_spec(logic.ARGUMENT_SPEC)
    problems = non_finite_integers(spec, args) + _structure_problems(spec, args)
    if problems:
        return problems, None
    try:
        validation = ArgumentSpecValidator(spec, **constraints(logic.CONSTRAINTS)).validate(args)
    except (TypeError, ValueError, OverflowError, AttributeError) as exc:  # pragma: no cover - a gap not yet known
        return ["the task's arguments could not be validated (%s); check their types" % type(exc).__name__], None
    errors = list(validation.error_messages)
    # A module whose options hold other modules' options words their refusals by path and value, where it can.
    if errors and hasattr(logic, "refused_arguments"):
        errors = logic.refused_arguments(args) or errors
    return errors, validation


def _structure_problems(spec, args, prefix=""):
    """Options with sub-options given something else than a dictionary (or a list of them), which ansible-core's
    validator does not refuse cleanly (it raises on ``history: true``)."""
    problems = []
    for name, rules in spec.items():
        value = (args or {}).get(name)
        if value is None or not rules.get("options"):
            continue
        # A string is left to ansible-core, which reads JSON or k=v forms.
        if rules.get("type") == "dict" and not isinstance(value, (dict, str)):
            problems.append("%s%s must be a dictionary, got %s" % (prefix, name, type(value).__name__))
        elif rules.get("type") == "list" and isinstance(value, list):
            for index, item in enumerate(value):
                if not isinstance(item, (dict, str)):
                    problems.append("%s%s[%d] must be a dictionary, got %s" % (prefix, name, index, type(item).__name__))
    return problems


def non_finite_integers(spec, args, prefix=""):
    """Messages for int options given an infinite or NaN value, which ansible-core's int check cannot convert.

    ansible-core (2.19) raises OverflowError on ``int(inf)`` inside the argument spec validator: this
    check runs first so the task fails with a message instead of a traceback.
    """
    problems = []
    for name, rules in spec.items():
        value = (args or {}).get(name)
        if value is None:
            continue
        if rules.get("type") == "int" and _is_non_finite(value):
            problems.append("%s%s=%s must be a finite whole number" % (prefix, name, value))
        if rules.get("options") and isinstance(value, dict):
            problems.extend(non_finite_integers(rules["options"], value, "%s%s." % (prefix, name)))
        if rules.get("options") and isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    problems.extend(non_finite_integers(rules["options"], item, "%s%s." % (prefix, name)))
    return problems


def _is_non_finite(value):
    if isinstance(value, bool):
        return False
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return False
    return not math.isfinite(number)
