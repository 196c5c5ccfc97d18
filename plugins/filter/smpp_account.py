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


def smpp_account_summaries(hostvars, hosts):
    """{host: its account's summary} of the hosts that ran the role, from the result each registered (smpp_account_state).

    One task for the whole play (run_once) instead of one per account: the summary costs a host-task, and a
    host-task is most of what a run with nothing to change spends per account.
    """
    if not isinstance(hosts, (list, tuple)):
        raise AnsibleFilterError("smpp_account_summaries expects a list of hosts, got %s" % type(hosts).__name__)
    summaries = {}
    for host in hosts:
        result = hostvars[host].get("smpp_account_state") or {}
        account = result.get("smpp_account")
        if not isinstance(account, dict):  # the role's task did not run there (tags, a failure rescued by the play)
            continue
        summaries[host] = {
            "system_id": account.get("system_id"),
            "status": account.get("status"),
            "endpoints": [endpoint.get("secured") for endpoint in account.get("endpoints") or []],
            "allowed_ips": account.get("allowed_ips"),
            "credits_left": account.get("credits_left"),
            "senders": [sender.get("sender") for sender in account.get("senders") or []],
            "password_rotated_at": account.get("password_rotated_at"),
        }
    return summaries


class FilterModule:
    def filters(self):
        return {
            "smpp_account_errors": smpp_account_errors,
            "smpp_account_findings": smpp_account_findings,
            "smpp_account_summaries": smpp_account_summaries,
        }
