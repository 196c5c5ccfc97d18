# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Share python-ovh's clock delta between the tasks of one run (private: may change without notice).

python-ovh signs each request with the server's time: before its first signed call a client asks
``GET /auth/time`` and keeps ``server time - local time``. Every task builds a new client, so a
play of hundreds of tasks would ask for the time hundreds of times. The action plugins and the
inventory plugin therefore keep the delta in the controller's per-run temporary directory (removed
by ansible-core when the run ends): the first task measures it, the others reuse it. If the clock
moved meanwhile, OVH refuses the request with ``QUERY_TIME_OUT`` before doing anything; what
follows is a re-send rule (``_retry``, rule 5).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile


class SharedClock:
    """The clock delta of one endpoint, stored as a small JSON file in ``directory``."""

    def __init__(self, directory):
        self._directory = directory
        self._path = None
        self._restored = False
        self._stored = False

    def attach(self, client):
        """Give ``client`` the delta measured by an earlier task of this run, if there is one."""
        if getattr(client, "_oauth2", None) is not None:
            return  # Bearer tokens are not signed: there is no clock to share.
        self._path = os.path.join(self._directory, "smppops-ovh-clock-%s.json" % _endpoint_key(client))
        delta = self._read()
        if delta is not None:
            client._time_delta = delta  # pylint: disable=protected-access
            self._restored = True

    def remember(self, client):
        """Store the delta ``client`` measured itself, once, for the tasks after this one."""
        delta = getattr(client, "_time_delta", None)
        if self._path is None or self._restored or self._stored or not isinstance(delta, int):
            return
        self._stored = True
        try:
            handle, temporary = tempfile.mkstemp(dir=self._directory, prefix=".smppops-ovh-clock-")
            with os.fdopen(handle, "w") as stream:
                json.dump({"delta": delta}, stream)
            os.replace(temporary, self._path)  # atomic: a parallel task reads the old file or the new one
        except OSError:
            pass  # Only an optimisation: without the file each task measures the delta itself.

    @property
    def reused(self):
        """True while requests are signed with a delta measured by an earlier task of this run."""
        return self._restored

    def forget(self, client):
        """Drop the reused delta, so python-ovh measures it again (``_retry`` decides when: rule 5)."""
        self._restored = False
        client._time_delta = None  # pylint: disable=protected-access

    def _read(self):
        try:
            with open(self._path) as stream:
                delta = json.load(stream).get("delta")
        except (OSError, ValueError, AttributeError):
            return None
        return delta if isinstance(delta, int) and not isinstance(delta, bool) else None


def _endpoint_key(client):
    endpoint = str(getattr(client, "_endpoint", ""))
    return hashlib.sha256(endpoint.encode("utf-8")).hexdigest()[:16]
