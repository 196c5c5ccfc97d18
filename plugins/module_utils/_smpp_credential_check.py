# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource logic of ``smppops.ovh.smpp_credential_check`` (private: may change without notice).

Reads the consumer key's own access rules (``GET /auth/currentCredential``) and names the rules a
job needs that the key lacks, so the job can stop before its first write instead of half-way.
"""

from __future__ import annotations

import re

from ansible_collections.smppops.ovh.plugins.module_utils._errors import SmppOpsError
from ansible_collections.smppops.ovh.plugins.module_utils._options import access_rules_option

ARGUMENT_SPEC = {
    "required_rules": access_rules_option(),
    "fail_on_missing": {"type": "bool", "default": True},
}
CONSTRAINTS = {}
USABLE_STATES = ("validated",)


def covers(granted, required):
    """Whether the granted rule allows every call the required rule allows.

    OVH's ``*`` matches any run of characters, ``/`` included. The required path is read as text:
    its ``*`` is covered only by a ``*`` of the granted path, so ``/sms/smpp-ab12345-1/*`` does not
    cover ``/sms/*`` (a key limited to one account cannot serve every account).
    """
    if granted.get("method") != required["method"]:
        return False
    pattern = "".join(".*" if part == "*" else re.escape(part) for part in re.split(r"(\*)", granted.get("path") or ""))
    return re.fullmatch(pattern, required["path"]) is not None


def missing_rules(granted_rules, required_rules):
    """The required rules (deduplicated, in order) that no granted rule covers."""
    missing = []
    for rule in required_rules:
        wanted = {"method": rule["method"], "path": rule["path"]}
        if wanted not in missing and not any(covers(granted, wanted) for granted in granted_rules):
            missing.append(wanted)
    return missing


def run(params, ctx):
    if params.get("client_id"):
        ctx.warn("OAuth2 service accounts get their rights from IAM policies, not consumer key rules: credential not checked")
        return {"changed": False, "checked": False, "missing_rules": [], "credential": None}
    current = ctx.api.get("/auth/currentCredential")
    credential = {
        "status": current.get("status"),
        "expiration": current.get("expiration"),
        "rules": [{"method": rule.get("method"), "path": rule.get("path")} for rule in current.get("rules") or []],
        "allowed_ips": current.get("allowedIPs"),
    }
    missing = missing_rules(credential["rules"], params["required_rules"])
    result = {"changed": False, "checked": True, "missing_rules": missing, "credential": credential}
    problems = []
    if credential["status"] not in USABLE_STATES:
        problems.append("the consumer key is %s, not validated" % credential["status"])
    if missing:
        problems.append("the consumer key lacks %d access rule(s) this run needs: %s"
                        % (len(missing), ", ".join("%s %s" % (rule["method"], rule["path"]) for rule in missing)))
    if problems and params["fail_on_missing"]:
        raise SmppOpsError("%s. Request a key with these rules with the smppops.ovh.consumer_key playbook." % "; ".join(problems),
                           **{key: value for key, value in result.items() if key != "changed"})
    return result
