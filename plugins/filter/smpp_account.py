# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters of the smpp_account role and the audit playbook (documentation: the .yml files beside this one)."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.smppops.ovh.plugins.plugin_utils import _audit_findings as audit
from ansible_collections.smppops.ovh.plugins.plugin_utils._role_checks import input_errors


def _require_dict(name, value):
    if not isinstance(value, dict):
        raise AnsibleFilterError("%s expects a dictionary, got %s" % (name, type(value).__name__))


def smpp_account_errors(desired):
    _require_dict("smpp_account_errors", desired)
    return input_errors(desired)


def smpp_account_findings(evaluation):
    _require_dict("smpp_account_findings", evaluation)
    if not evaluation.get("service_name"):
        raise AnsibleFilterError("smpp_account_findings needs service_name")
    return audit.findings(
        evaluation["service_name"],
        evaluation.get("results") or {},
        info=evaluation.get("info"),
        low_credits_below=evaluation.get("low_credits_below"),
        error=evaluation.get("error"),
    )


class FilterModule:
    def filters(self):
        return {
            "smpp_account_errors": smpp_account_errors,
            "smpp_account_findings": smpp_account_findings,
        }
