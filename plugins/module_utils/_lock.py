# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One writer per account on this controller (private).

OVH's API has no conditional write (no ETag): two tasks that read an allowed-IP list or a balance,
then write what they computed from it, can together empty the list or move credits twice. Every
module runs in the controller, so an exclusive lock file per account and kind of write, held from
the fresh read to the end of the write, makes concurrent tasks of any playbook on this controller
take turns. Tasks on other machines are covered by the lease of ``_account_lease`` where a write
needs it.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import tempfile
import time


class LockTimeout(Exception):
    """The lock stayed taken for longer than the caller was willing to wait."""


def _lock_dir():
    path = os.path.join(tempfile.gettempdir(), "smppops-ovh-locks-%d" % os.getuid())
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path


@contextlib.contextmanager
def account_lock(kind, service_name, timeout=None, sleep=time.sleep, monotonic=time.monotonic):
    """Hold the exclusive lock of ``kind`` (e.g. ``allowed-ips``) for one account.

    ``timeout`` None waits as long as it takes; otherwise LockTimeout after that many seconds.
    """
    digest = hashlib.sha256(("%s\0%s" % (kind, service_name)).encode("utf-8")).hexdigest()[:32]
    with open(os.path.join(_lock_dir(), digest), "a+b") as handle:
        if timeout is None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        else:
            deadline = monotonic() + timeout
            while True:
                try:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError:
                    if monotonic() > deadline:
                        raise LockTimeout(service_name)
                    sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
