# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters of the verify playbook (documentation: the .yml files beside this one)."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.smppops.ovh.plugins.plugin_utils import _bind_verdicts as verify


def _rows(name, rows):
    rows = list(rows)
    if not all(isinstance(row, dict) for row in rows):
        raise AnsibleFilterError("%s expects a list of dictionaries (one per SMPP client host)" % name)
    return rows


def smpp_bind_table(rows):
    return verify.table(_rows("smpp_bind_table", rows))


def smpp_bind_unexpected(rows):
    return verify.unexpected(_rows("smpp_bind_unexpected", rows))


class FilterModule:
    def filters(self):
        return {
            "smpp_bind_table": smpp_bind_table,
            "smpp_bind_unexpected": smpp_bind_unexpected,
        }
