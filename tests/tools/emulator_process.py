#!/usr/bin/env python
"""Start the OVH API emulator as a separate process and describe how to reach it.

Used by the integration runner and the demo: both talk to a real server process over HTTP, as
they would to OVH.
"""

import itertools
import os
import subprocess
import sys
import threading
import time

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_SEED = os.path.join(ROOT, "tests", "emulator", "seed.yml")
LOG_PATH = os.path.join(ROOT, "tests", "output", "emulator.log")
# Several emulators may run in one test process (a suite's shared one and a test's own): each its own CA file,
# or the first to stop would remove the CA the others' clients still read.
_INSTANCES = itertools.count(1)


class EmulatorProcess:
    """``with EmulatorProcess() as emu:`` starts ``python -m tests.emulator`` on a free loopback port."""

    def __init__(self, seed=DEFAULT_SEED, startup_timeout=30):
        self.seed_path = seed
        self.startup_timeout = startup_timeout
        self.process = None
        self.root_url = None
        # The CA that signed the SMPP gateway's certificate (PEM), for smpp_bind_check's ca_path.
        self.ca_path = os.path.join(ROOT, "tests", "output",
                                    "smpp-gateway-ca-%d-%d.pem" % (os.getpid(), next(_INSTANCES)))

    def __enter__(self):
        os.makedirs(os.path.dirname(self.ca_path), exist_ok=True)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.emulator", "--host", "127.0.0.1", "--port", "0", "--state", self.seed_path,
             "--smpp-ca-file", self.ca_path],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.time() + self.startup_timeout
        while time.time() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            if "listening on" in line:
                self.root_url = line.strip().rsplit(" ", 1)[-1].rstrip("/")
                self._keep_draining()
                return self
        self.__exit__(None, None, None)
        raise RuntimeError("the emulator did not start")

    def _keep_draining(self):
        """Copy the server's request log to tests/output/emulator.log for the rest of its life.

        Nobody reading the pipe would let it fill up after a few hundred requests, and the server
        would then block on its next log line, as if the API had hung.
        """
        os.makedirs(os.path.dirname(LOG_PATH), exist_ok=True)

        def drain(stream):
            with open(LOG_PATH, "a", encoding="utf-8") as log:
                for line in stream:
                    log.write(line)

        threading.Thread(target=drain, args=(self.process.stdout,), daemon=True).start()

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if os.path.exists(self.ca_path):
            os.remove(self.ca_path)

    @property
    def base_url(self):
        return self.root_url + "/1.0"

    def credentials(self):
        """The seed's signature credentials with full access (the first consumer key)."""
        with open(self.seed_path, encoding="utf-8") as handle:
            seed = yaml.safe_load(handle)
        consumer = seed["consumer_keys"][0]
        application = next(app for app in seed["applications"] if app["application_key"] == consumer["application_key"])
        return {
            "endpoint": self.base_url,
            "application_key": application["application_key"],
            "application_secret": application["application_secret"],
            "consumer_key": consumer["consumer_key"],
        }

    def environment(self):
        """OVH_* variables as an AWX credential would inject them."""
        return {"OVH_%s" % key.upper(): value for key, value in self.credentials().items()}
