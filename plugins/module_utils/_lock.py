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

The lock file also carries what its holder hands over to the next one (``_account_lease`` keeps
the source lease it holds there), and a second, shared lock counts the tasks queued for an account
(``Queue``), so that the last of them knows it is the last.
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


def _lock_path(kind, service_name):
    digest = hashlib.sha256(("%s\0%s" % (kind, service_name)).encode("utf-8")).hexdigest()[:32]
    return os.path.join(_lock_dir(), digest)


@contextlib.contextmanager
def account_lock(kind, service_name, timeout=None, sleep=time.sleep, monotonic=time.monotonic):
    """Hold the exclusive lock of ``kind`` (e.g. ``allowed-ips``) for one account; yield its open file.

    ``timeout`` None waits as long as it takes; otherwise LockTimeout after that many seconds. The file
    (``read_note``, ``write_note``) holds what the holder hands over to the next one.
    """
    with open(_lock_path(kind, service_name), "a+b") as handle:
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
            yield handle
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def read_note(handle):
    """The text the previous holder of this lock left in it ("" for none)."""
    handle.seek(0)
    return handle.read().decode("utf-8", "replace")


def write_note(handle, text):
    """Leave ``text`` in the lock file for the next holder (call while holding the lock)."""
    handle.seek(0)
    handle.truncate(0)
    handle.write(text.encode("utf-8"))
    handle.flush()


class Queue:
    """The tasks queued for one kind of hold on one account, counted by a shared lock on a file.

    A task ``join``s before it waits for the exclusive lock and leaves when it is done; ``leave_last``
    tells whether it was the last one, and then keeps newcomers out until ``close`` (they wait), so
    that what it does as the last one (give back a lease) cannot race with one that just arrived.
    A task that dies leaves the queue with its process: the lock goes with the file.
    """

    def __init__(self, kind, service_name):
        self._path = _lock_path("queue-" + kind, service_name)
        self._handle = None

    def join(self):
        self._take(fcntl.LOCK_SH)

    def leave_last(self):
        self.close()
        try:
            self._take(fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def close(self):
        if self._handle is not None:
            self._handle.close()  # closing the file drops its lock
            self._handle = None

    def _take(self, operation):
        handle = open(self._path, "a+b")
        try:
            fcntl.flock(handle.fileno(), operation)
        except BaseException:
            handle.close()
            raise
        self._handle = handle
