# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Base class of the collection's action plugins (private: may change without notice).

Each module's resource logic runs here, inside the controller process: no Python process per
task (measured: ~5 CPU-s instead of ~113 CPU-s for 300 tasks), no connection to the target host,
python-ovh needed only beside ansible-core, and the controller's ``OVH_*`` environment (AWX
credentials) reaches every call whatever host the play targets.
"""

from __future__ import annotations

from ansible import constants as C
from ansible.module_utils.common.parameters import remove_values
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.smppops.ovh.plugins.module_utils._inputs import validate_arguments
from ansible_collections.smppops.ovh.plugins.module_utils._options import argument_spec
from ansible_collections.smppops.ovh.plugins.module_utils._task import run_task
from ansible_collections.smppops.ovh.plugins.plugin_utils._plain_data import plain_data


class SmppOpsAction(ActionBase):
    """Validate the task's arguments with the module's spec, then run the resource logic."""

    logic = None  # the resource's module_utils module: ARGUMENT_SPEC, CONSTRAINTS, run()
    TRANSFERS_FILES = False
    _requires_connection = False
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp  # unused: nothing is copied to the target

        spec = argument_spec(self.logic.ARGUMENT_SPEC)
        errors, validation = validate_arguments(self.logic, self._with_task_environment(spec, self._task.args))
        if validation is None:  # refused before ansible-core's checks (which would raise on them)
            result.update(failed=True, changed=False, msg="; ".join(errors))
            return result
        no_log_values = validation._no_log_values  # pylint: disable=protected-access
        warnings = [
            "Both option %s and its alias %s are set." % (item["option"], item["alias"])
            for item in validation._warnings  # pylint: disable=protected-access
        ]
        if errors:
            result.update(failed=True, changed=False, msg="; ".join(errors))
            return remove_values(result, no_log_values)

        params = plain_data(validation.validated_parameters)
        failed, outcome = run_task(
            self.logic,
            params,
            check_mode=bool(self._task.check_mode),
            diff_mode=bool(self._task.diff),
            warn=warnings.append,
            clock_dir=C.DEFAULT_LOCAL_TMP,  # pylint: disable=no-member
            # Shown at normal verbosity while the task runs (the result comes only at its end).
            progress=Display().display,
        )
        result.update(outcome)
        if failed:
            result["failed"] = True
        if warnings:
            result["warnings"] = warnings
        # Like AnsibleModule: show the validated arguments at -v and above, secrets masked; not the bulky inputs a
        # logic names (ansible-core keeps every host's result in memory until the task has run on all hosts).
        left_out = getattr(self.logic, "NOT_IN_INVOCATION", ())
        result["invocation"] = {"module_args": {name: value for name, value in params.items() if name not in left_out}}
        return remove_values(result, no_log_values)

    def _with_task_environment(self, spec, args):
        """Apply the task's ``environment`` keyword to the options' environment fallbacks.

        The keyword normally reaches only a module's process; the logic runs in the controller, so
        without this an ``OVH_*`` variable set with ``environment:`` would be silently ignored.
        The controller's own environment (what AWX injects) still applies through the spec.
        """
        environment = {}
        self._compute_environment_string(environment)
        merged = dict(args)
        for option, rules in spec.items():
            fallback = rules.get("fallback")
            if merged.get(option) is not None or not fallback:
                continue
            for name in fallback[1]:
                if environment.get(name) not in (None, ""):
                    merged[option] = environment[name]
                    break
        return merged
