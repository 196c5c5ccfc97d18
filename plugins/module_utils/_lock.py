# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One writer per account on this controller (private).

OVH's allowed-IP list has no conditional write (no ETag): two tasks that read the list, then write
add/remove sets computed from what they read, can together remove every address. Every module runs
in the controller, so an exclusive lock file per account, held from the fresh read to the end of the
write, makes concurrent tasks of any playbook on this controller take turns. Tasks on other
machines are not covered; the fresh read before each write narrows that window to one request.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import tempfile


def _lock_dir():
    path = os.path.join(tempfile.gettempdir(), "smppops-ovh-locks-%d" % os.getuid())
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path


@contextlib.contextmanager
def account_lock(kind, service_name):
    """Hold the exclusive lock of ``kind`` (e.g. ``allowed-ips``) for one account."""
    digest = hashlib.sha256(("%s\0%s" % (kind, service_name)).encode("utf-8")).hexdigest()[:32]
    with open(os.path.join(_lock_dir(), digest), "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
