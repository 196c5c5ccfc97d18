# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Waiting for an SMPP account's settings status to settle (private).

This file only polls: which statuses are transient, how often to poll and when to say the task is
still waiting are re-send rules, decided in ``_retry`` (rule 6 there).
"""

from __future__ import annotations

import time

from ansible_collections.smppops.ovh.plugins.module_utils import _account_reads as accounts
from ansible_collections.smppops.ovh.plugins.module_utils import _retry as rules


class WaitTimeout(Exception):
    """The status was still transient at the deadline; ``status`` is the last one read."""

    def __init__(self, status, waited):
        super().__init__(status)
        self.status = status
        self.waited = waited


def wait_settled(api, service_name, timeout, sleep=None, clock=None):
    """Poll settings until their status is no longer transient; return the settings read last.

    ``api.progress`` (set by the task runner when the caller can show lines) receives a line per
    poll once the wait is long enough to be noticed.
    """
    sleep = sleep or time.sleep
    clock = clock or time.monotonic
    progress = getattr(api, "progress", None)
    started = clock()
    step = None
    while True:
        settings = accounts.get_settings(api, service_name)
        status = settings.get("status")
        if not rules.is_transient(status):
            return settings
        waited = clock() - started
        if waited >= timeout:
            raise WaitTimeout(status, waited)
        if progress is not None and rules.should_report_progress(waited):
            progress("%s: SMPP settings still %s after %d s, waiting up to %d s" % (service_name, status, waited, timeout))
        pause, step = rules.next_poll(step, waited, timeout)
        sleep(pause)
