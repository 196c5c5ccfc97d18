# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Lines that tell a person a long read is still going (private).

Reading hundreds of accounts takes minutes; without a word, a terminal or an AWX inventory sync
looks hung. The lines go to stderr: ``ansible-inventory --list`` writes its JSON on stdout.
"""

from __future__ import annotations

import threading
import time

FIRST_AFTER = 5.0
EVERY = 10.0


class Ticker:
    """``with Ticker(show, "reading accounts"):`` calls ``show(line)`` after 5 s, then every 10 s, until the block ends."""

    def __init__(self, show, what, first_after=FIRST_AFTER, every=EVERY):
        self.show = show
        self.what = what
        self.first_after = first_after
        self.every = every
        self._stop = threading.Event()
        self._thread = None
        self._started = None

    def __enter__(self):
        self._started = time.monotonic()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self):
        delay = self.first_after
        while not self._stop.wait(delay):
            self.show("%s: still going after %d s" % (self.what, time.monotonic() - self._started))
            delay = self.every
