# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs smppops.ovh.smpp_account_state in the controller process (see plugin_utils/_action.py)."""

from __future__ import annotations

from ansible_collections.smppops.ovh.plugins.module_utils import _smpp_account_state
from ansible_collections.smppops.ovh.plugins.plugin_utils import _role_checks
from ansible_collections.smppops.ovh.plugins.plugin_utils._action import SmppOpsAction


class ActionModule(SmppOpsAction):
    logic = _smpp_account_state

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        # The smpp_account role's users set role variables, not this module's options: its messages name them.
        if result.get("failed") and result.get("msg") and _role_checks.is_role_task(self._task):
            result["msg"] = _role_checks.role_message(result["msg"])
        return result
