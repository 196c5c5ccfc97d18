# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module shell: AnsibleModule in front of a resource's logic (private).

Used when a module runs as a normal module (for example with an explicit ``connection`` and the
action plugin bypassed); the action plugin in plugins/plugin_utils/_action.py is the usual path.
"""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.smppops.ovh.plugins.module_utils._options import argument_spec, constraints
from ansible_collections.smppops.ovh.plugins.module_utils._task import run_task


def run_module(logic):
    module = AnsibleModule(
        argument_spec=argument_spec(logic.ARGUMENT_SPEC),
        supports_check_mode=True,
        **constraints(logic.CONSTRAINTS)
    )
    failed, result = run_task(logic, module.params, check_mode=module.check_mode,
                              diff_mode=module._diff, warn=module.warn)  # pylint: disable=protected-access
    if failed:
        module.fail_json(**result)
    module.exit_json(**result)
