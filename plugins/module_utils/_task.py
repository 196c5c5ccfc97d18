# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run one resource's logic for one task, whichever shell called it (private).

Both the module (``AnsibleModule``, any host) and the action plugin (in the controller process)
call ``run_task`` with validated parameters, so check mode, diff, warnings, errors and the
optional ``api_calls`` report behave the same in both.
"""

from __future__ import annotations

from ansible_collections.smppops.ovh.plugins.module_utils._connect import ApiMaker, build_client
from ansible_collections.smppops.ovh.plugins.module_utils._errors import SmppOpsError
from ansible_collections.smppops.ovh.plugins.module_utils._inputs import check_options
from ansible_collections.smppops.ovh.plugins.module_utils._options import argument_spec


class TaskContext:
    """What resource logic may use besides its parameters."""

    def __init__(self, api, check_mode, diff_mode, warn, new_api=None):
        self.api = api
        self.check_mode = check_mode
        self.diff_mode = diff_mode
        self.warn = warn
        # ``new_api(gate)``: another client for a worker thread of ``_fleet_reads`` (same options and rules).
        self.new_api = new_api
        # The accounts this task has seen to be SMPP accounts (``_account_reads.ensure_smpp``).
        self.smpp_accounts = set()


def run_task(logic, params, check_mode=False, diff_mode=False, warn=None, client_factory=build_client, clock_dir=None,
             progress=None):
    """Return ``(failed, result)``; ``logic.run(params, ctx)`` returns the success result.

    ``progress``: where to show "still waiting" lines during long waits (None: nowhere).
    ``clock_dir``: the controller's per-run temporary directory, where tasks share python-ovh's
    clock delta (one ``GET /auth/time`` per run instead of one per task); None measures it per task.

    Never raises for API or input problems: they become ``failed=True`` with ``msg`` and, for API
    failures, the structured ``error``.
    """
    warnings = []

    def _warn(message):
        warnings.append(message)
        if warn is not None:
            warn(message)

    # A logic whose calls are not signed (the consumer-key request) says which credentials its client needs.
    client_params = getattr(logic, "client_params", None)
    new_api = ApiMaker(client_params(params) if client_params else params, warn=_warn, client_factory=client_factory,
                       clock_dir=clock_dir, progress=progress, retries=params["api_retries"])
    try:
        # Every local rule first: input that can be refused here never reaches the API.
        check_options(argument_spec(logic.ARGUMENT_SPEC), params)
        api = new_api()
        result = logic.run(params, TaskContext(api, check_mode, diff_mode, _warn, new_api))
        failed = False
    except SmppOpsError as exc:
        result = exc.to_result()
        if "changed" not in result:
            # A task that fails after a write went through (or may have) did change something.
            result["changed"] = new_api.may_have_changed()
        failed = True
    if not diff_mode:
        result.pop("diff", None)
    if params.get("report_api_calls"):
        result["api_calls"] = new_api.calls()
    return failed, result
