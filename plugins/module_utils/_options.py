# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection options shared by every module, action and the inventory plugin (private).

The matching documentation is the ``smppops.ovh.api`` doc fragment; keep both in step.
"""

from __future__ import annotations

import copy
import os

from ansible.module_utils.errors import AnsibleFallbackNotFound

DEFAULT_ENDPOINT = "ovh-eu"
# Requests in flight at once when many accounts are read (inventory, smpp_info): well under OVH's rate limits.
DEFAULT_MAX_CONCURRENT_REQUESTS = 10


def env_fallback(*names, **unused):
    """The first of the environment variables ``names`` that is set and not empty.

    An AWX credential injects every variable its type defines, an unused field as an empty string:
    an empty ``OVH_CLIENT_ID`` beside signature credentials means "not used", not "mixed auth modes".
    """
    for name in names:
        if os.environ.get(name):
            return os.environ[name]
    raise AnsibleFallbackNotFound


def forget_empty_environment():
    """Remove empty ``OVH_*`` variables from this process's environment (same rule as ``env_fallback``).

    python-ovh reads ``OVH_*`` itself for any credential it is not given, and takes an empty
    ``OVH_CLIENT_ID`` for an OAuth2 client ID beside the signature keys.
    """
    for name in [name for name, value in os.environ.items() if name.startswith("OVH_") and not value]:
        del os.environ[name]


COMMON_ARGUMENT_SPEC = {
    "endpoint": {"type": "str", "default": DEFAULT_ENDPOINT, "fallback": (env_fallback, ["OVH_ENDPOINT"])},
    "application_key": {"type": "str", "no_log": False, "fallback": (env_fallback, ["OVH_APPLICATION_KEY"])},
    "application_secret": {"type": "str", "no_log": True, "fallback": (env_fallback, ["OVH_APPLICATION_SECRET"])},
    "consumer_key": {"type": "str", "no_log": True, "fallback": (env_fallback, ["OVH_CONSUMER_KEY"])},
    "client_id": {"type": "str", "fallback": (env_fallback, ["OVH_CLIENT_ID"])},
    "client_secret": {"type": "str", "no_log": True, "fallback": (env_fallback, ["OVH_CLIENT_SECRET"])},
    "api_timeout": {"type": "float", "default": 30.0, "fallback": (env_fallback, ["OVH_API_TIMEOUT"])},
    "api_retries": {"type": "int", "default": 4, "fallback": (env_fallback, ["OVH_API_RETRIES"])},
    "max_concurrent_requests": {"type": "int", "default": DEFAULT_MAX_CONCURRENT_REQUESTS,
                                "fallback": (env_fallback, ["OVH_MAX_CONCURRENT_REQUESTS"])},
    "report_api_calls": {"type": "bool", "default": False},
}

# The application key identifies the application (it travels in clear in every request header);
# the application secret and consumer key are the secrets.

# Signature credentials and OAuth2 credentials are two different auth modes: never mix them.
COMMON_MUTUALLY_EXCLUSIVE = [
    ["application_key", "client_id"],
    ["application_secret", "client_secret"],
    ["consumer_key", "client_id"],
]
COMMON_REQUIRED_TOGETHER = [
    ["client_id", "client_secret"],
]


def argument_spec(resource_spec):
    """Return a fresh argument spec: the common options plus one resource's own options."""
    spec = copy.deepcopy(COMMON_ARGUMENT_SPEC)
    spec.update(copy.deepcopy(resource_spec))
    return spec


def constraints(resource_constraints=None):
    """Return the keyword arguments (mutually_exclusive, required_together, ...) for a spec.

    The same dict feeds AnsibleModule and ArgumentSpecValidator, so both shells enforce the
    same rules.
    """
    merged = {
        "mutually_exclusive": copy.deepcopy(COMMON_MUTUALLY_EXCLUSIVE),
        "required_together": copy.deepcopy(COMMON_REQUIRED_TOGETHER),
    }
    for key, rules in (resource_constraints or {}).items():
        if isinstance(rules, dict):  # required_by maps an option to the options it needs
            merged.setdefault(key, {}).update(copy.deepcopy(rules))
        else:
            merged.setdefault(key, []).extend(copy.deepcopy(rules))
    return merged


def access_rules_option():
    """The spec of a list of consumer-key access rules (``method`` + ``path``), as OVH's ``auth.AccessRule``."""
    return {
        "type": "list",
        "elements": "dict",
        "required": True,
        "options": {
            "method": {"type": "str", "required": True, "choices": list(ACCESS_RULE_METHODS)},
            "path": {"type": "str", "required": True},
        },
    }


ACCESS_RULE_METHODS = ("GET", "POST", "PUT", "DELETE")
