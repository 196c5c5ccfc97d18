# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs smppops.ovh.consumer_key_request in the controller process (see plugin_utils/_action.py)."""

from __future__ import annotations

from ansible_collections.smppops.ovh.plugins.module_utils import _consumer_key_request
from ansible_collections.smppops.ovh.plugins.plugin_utils._action import SmppOpsAction


class ActionModule(SmppOpsAction):
    logic = _consumer_key_request
