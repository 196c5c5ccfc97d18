# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Task arguments rebuilt from Python's own types before the resource logic sees them (private).

ansible-core hands an action plugin its own subclasses: from 2.19 every templated value is a
tagged copy (``_AnsibleTaggedStr`` with its tags mapping and origin), before 2.19 strings may be
``AnsibleUnsafeText``. The logic never templates and needs none of that, while carrying it costs:
``copy.deepcopy`` of a tagged snapshot rebuilds every tag (measured: about 1 ms per task for the
inventory's ``smpp_observed``), and a result built from tagged values goes back to the controller
with them, where ansible-core keeps every host's result until the task has run on all hosts
(measured at 400 accounts: the controller grew by 48 MB during the account task with tagged
values, 40 MB without). A result is never less safe for it: ansible-core marks what a task
returns as untrusted (2.19) or unsafe when registered (earlier versions).
"""

from __future__ import annotations

from collections.abc import Mapping


def plain_data(value):
    """``value`` with every dict, list, tuple, str, int and float rebuilt as exactly that type."""
    if isinstance(value, Mapping):
        return {plain_data(key): plain_data(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain_data(item) for item in value]
    if isinstance(value, tuple):
        return tuple(plain_data(item) for item in value)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        # Not str(value): a subclass may define __str__ to return itself (AnsibleUnsafeText does).
        return str.__str__(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return value
