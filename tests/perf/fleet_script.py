#!/usr/bin/env python
"""The fleet benchmark's baseline: a plain python-ovh script doing the bootstrap's job, serial or threaded.

For every SMPP account of the customer it reads the account (with its IAM tags), the SMPP settings, the
allowed IPs and the senders (names, then one batch read), then writes only what differs from the
desired state (fleet_world.DESIRED): the missing addresses, the senders to create or enable, the
automatic re-credit, a top-up from the pool. Top-ups from the pool go one at a time, checked against
the pool's reserve with a balance kept under a lock; an account whose password is due stops the script
(the benchmark's seeds record a recent renewal, and a renewal is not what it measures).

It is what a careful user would write without the collection: no retries, no records, no leases.

    OVH_ENDPOINT=http://127.0.0.1:PORT/1.0 OVH_APPLICATION_KEY=... python fleet_script.py --threads 20
"""

import argparse
import json
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

import ovh

from fleet_world import DESIRED, ROTATION_TAG


def segment(value):
    return quote(str(value), safe="")


class Each:
    """``each(function, items)``: ``function`` over ``items``, ``threads`` at a time, always on the same threads
    (so at most ``threads`` clients, each syncing its clock once); in the calling thread when serial."""

    def __init__(self, threads):
        self._workers = ThreadPoolExecutor(threads) if threads > 1 else None

    def __call__(self, function, items):
        if self._workers is None:
            return [function(item) for item in items]
        return list(self._workers.map(function, items))

    def close(self):
        if self._workers is not None:
            self._workers.shutdown()


class Fleet:
    """One python-ovh client per thread (a requests session is not meant to be shared between threads)."""

    def __init__(self, environment):
        self._environment = environment
        self._local = threading.local()
        self._pool_lock = threading.Lock()
        self.pool_left = None
        self.writes = []

    @property
    def client(self):
        if not hasattr(self._local, "client"):
            client = ovh.Client(endpoint="ovh-eu", application_key=self._environment["OVH_APPLICATION_KEY"],
                                application_secret=self._environment["OVH_APPLICATION_SECRET"],
                                consumer_key=self._environment["OVH_CONSUMER_KEY"])
            # python-ovh knows endpoints by name only; the emulator is a base URL.
            client._endpoint = self._environment["OVH_ENDPOINT"]  # pylint: disable=protected-access
            self._local.client = client
        return self._local.client

    def write(self, method, path, body=None):
        self.client.call(method, path, body)
        self.writes.append("%s %s" % (method, path))

    def accounts(self, pool_name, each):
        names = self.client.get("/sms")
        accounts = dict(zip(names, each(lambda name: self.client.get("/sms/%s" % segment(name)), names)))
        self.pool_left = accounts[pool_name]["creditsLeft"]
        return [account for name, account in sorted(accounts.items()) if account["smpp"]]

    def converge(self, account):
        name = account["name"]
        base = "/sms/%s" % segment(name)
        settings = self.client.get(base + "/smpp/settings")
        self._allowed_ips(base)
        self._senders(base)
        self._recredit(base, account)
        self._top_up(name, account)
        self._password(name, account, settings)

    def _allowed_ips(self, base):
        current = self.client.get(base + "/smpp/allowedIPs")
        missing = [ip for ip in DESIRED["allowed_ips"] if ip not in current]
        if missing:
            self.write("PUT", base + "/smpp/allowedIPs", {"action": "add", "ips": missing})

    def _senders(self, base):
        names = self.client.get(base + "/senders")
        current = {}
        if len(names) == 1:
            current[names[0]] = self.client.get("%s/senders/%s" % (base, segment(names[0])))
        elif names:
            answer = self.client.raw_call("GET", "%s/senders/%s" % (base, segment("|".join(names))),
                                          headers={"X-Ovh-Batch": "|"})
            answer.raise_for_status()
            current = {item["key"]: item["value"] for item in answer.json() if item.get("value")}
        for item in DESIRED["senders"]:
            existing = current.get(item["sender"])
            if existing is None:
                self.write("POST", base + "/senders", {"sender": item["sender"], "description": item["description"]})
            elif existing["status"] != ("enable" if item["enabled"] else "disable"):
                self.write("PUT", "%s/senders/%s" % (base, segment(item["sender"])),
                           {"status": "enable" if item["enabled"] else "disable"})

    def _recredit(self, base, account):
        changes = {}
        if account["automaticRecreditAmount"] != DESIRED["automatic_recredit_amount"]:
            changes["automaticRecreditAmount"] = DESIRED["automatic_recredit_amount"]
        if account["creditThresholdForAutomaticRecredit"] != DESIRED["automatic_recredit_threshold"]:
            changes["creditThresholdForAutomaticRecredit"] = DESIRED["automatic_recredit_threshold"]
        if changes:
            self.write("PUT", base, changes)

    def _top_up(self, name, account):
        amount = DESIRED["min_credits"] - account["creditsLeft"]
        if amount <= 0:
            return
        with self._pool_lock:
            if self.pool_left - amount < DESIRED["credit_source_reserve"]:
                raise RuntimeError("topping %s up would take %s below its reserve" % (name, DESIRED["credit_source"]))
            self.write("POST", "/sms/%s/transferCredits" % segment(DESIRED["credit_source"]),
                       {"credits": amount, "smsAccountTarget": name})
            self.pool_left -= amount

    @staticmethod
    def _password(name, account, settings):
        recorded = ((account.get("iam") or {}).get("tags") or {}).get(ROTATION_TAG)
        if recorded is None:
            return  # no recorded renewal: left alone, as the role does by default
        rotated = datetime.strptime(recorded, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
        if datetime.now(timezone.utc) - rotated > timedelta(days=DESIRED["password_max_age_days"]):
            raise RuntimeError("the password of %s is due (status %s): the benchmark does not renew passwords"
                               % (name, settings.get("status")))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--threads", type=int, default=1, help="accounts worked on at once (default 1: serial)")
    args = parser.parse_args(argv)
    fleet = Fleet(os.environ)
    each = Each(args.threads)
    try:
        each(fleet.converge, fleet.accounts(DESIRED["credit_source"], each))
    finally:
        each.close()
    print(json.dumps({"writes": len(fleet.writes)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
