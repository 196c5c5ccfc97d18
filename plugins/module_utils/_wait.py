# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Waiting for an SMPP account's settings status to settle (private).

OVH applies allowed-IP changes asynchronously: settings status is ``UPDATING_IP`` meanwhile. The
Control Panel polls every 5 s; here polling starts at 1 s and backs off to 5 s, so short updates
finish fast without hammering the API on long ones.
"""

from __future__ import annotations

import time

from ansible_collections.smppops.ovh.plugins.module_utils import _account_reads as accounts

TRANSIENT = frozenset(("UPDATING_IP",))
FIRST_DELAY = 1.0
MAX_DELAY = 5.0
# Say that the task is still waiting once it has waited this long, then at every poll (every 5 s):
# a silent wait of minutes looks like a hung job, in a terminal and in AWX's job output alike.
PROGRESS_AFTER = 5.0


class WaitTimeout(Exception):
    """The status was still transient at the deadline; ``status`` is the last one read."""

    def __init__(self, status, waited):
        super().__init__(status)
        self.status = status
        self.waited = waited


def wait_settled(api, service_name, timeout, sleep=None, clock=None):
    """Poll settings until their status leaves UPDATING_IP; return the settings read last.

    ``api.progress`` (set by the task runner when the caller can show lines) receives a line per
    poll once the wait is long enough to be noticed.
    """
    sleep = sleep or time.sleep
    clock = clock or time.monotonic
    progress = getattr(api, "progress", None)
    started = clock()
    delay = FIRST_DELAY
    while True:
        settings = accounts.get_settings(api, service_name)
        status = settings.get("status")
        if status not in TRANSIENT:
            return settings
        waited = clock() - started
        if waited >= timeout:
            raise WaitTimeout(status, waited)
        if progress is not None and waited >= PROGRESS_AFTER:
            progress("%s: SMPP settings still %s after %d s, waiting up to %d s" % (service_name, status, waited, timeout))
        sleep(min(delay, max(0.0, timeout - waited)))
        delay = min(MAX_DELAY, delay * 2)
