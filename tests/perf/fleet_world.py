"""The fleet benchmark's world: N SMPP accounts fed by one pool account, their desired state, the two
emulator seeds (nothing to change / one change of each kind per account) and the check that an account
has reached the desired state.

The desired state is the one DESIRED dict: the inventory's group_vars, the python-ovh script and the
convergence check all derive from it, so the playbook and the script do the same job.
"""

import copy
import os
from datetime import datetime, timedelta, timezone

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHIPPED_SEED = os.path.join(ROOT, "tests", "emulator", "seed.yml")
POOL = "sms-pool0000-1"
ROTATION_TAG = "smppops-password-rotated-at"

DESIRED = {
    "allowed_ips": ["192.0.2.10", "192.0.2.11"],
    "senders": [
        {"sender": "ACME", "description": "Main brand", "enabled": True},
        {"sender": "ACMEALERT", "description": "Alerts", "enabled": True},
    ],
    "min_credits": 100,
    "credit_source": POOL,
    "credit_source_reserve": 1000,
    "automatic_recredit_amount": 500,
    "automatic_recredit_threshold": 50,
    "password_max_age_days": 180,
}
# The reads that tell an account's state (account with its IAM tags, SMPP settings, allowed IPs, sender
# names, senders in one batch read): the floor counts them, per account, N / forks at a time.
READS_PER_ACCOUNT = 5
# What the converge seed leaves to do on each account: one address to add, one validated sender to
# enable, one top-up from the pool.
CONVERGE_WRITES = {"PUT /sms/{sn}/smpp/allowedIPs": 1, "PUT /sms/{sn}/senders/{sender}": 1,
                   "POST /sms/{sn}/transferCredits": 1}
CONVERGE_CREDITS = 40


def account_names(count):
    return ["smpp-fl%05d-1" % index for index in range(1, count + 1)]


def group_vars():
    """The role's variables for every account of the inventory (group smpp_accounts)."""
    return {"smpp_account_%s" % key: copy.deepcopy(value) for key, value in DESIRED.items()}


def seed(count, latency, converge):
    """An emulator seed: the shipped credentials, ``count`` SMPP accounts and the pool.

    ``converge`` False: every account is already in the desired state. True: each needs one allowed
    address added, one sender enabled and a top-up of 100 - 40 credits; everything else is as desired.
    Either way the last password renewal is recorded a day ago, so none is due.
    """
    with open(SHIPPED_SEED, encoding="utf-8") as handle:
        shipped = yaml.safe_load(handle)
    rotated = (datetime.now(timezone.utc) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    accounts = [_account(name, index, rotated, converge) for index, name in enumerate(account_names(count), 1)]
    pool_credits = DESIRED["credit_source_reserve"] + count * DESIRED["min_credits"] + 500
    accounts.append({"service_name": POOL, "smpp": False, "description": "Credit pool", "channel": "transactional",
                     "credits_left": pool_credits})
    return {
        "timestamp_tolerance_seconds": 180,
        # OVH's time to apply an ACL change is not what this benchmark measures.
        "ip_update_seconds": 0,
        "latency_seconds": latency,
        "applications": shipped["applications"],
        "consumer_keys": shipped["consumer_keys"][:1],
        "accounts": accounts,
    }


def _account(name, index, rotated, converge):
    ips = DESIRED["allowed_ips"][:1] if converge else list(DESIRED["allowed_ips"])
    senders = [{"sender": item["sender"], "description": item["description"], "status": "enable", "type": "alpha"}
               for item in DESIRED["senders"]]
    if converge:
        senders[-1]["status"] = "disable"
    return {
        "service_name": name,
        "smpp": True,
        "description": "Fleet gateway %d" % index,
        "channel": "transactional",
        "credits_left": CONVERGE_CREDITS if converge else DESIRED["min_credits"] + 50,
        "automatic_recredit_amount": DESIRED["automatic_recredit_amount"],
        "credit_threshold": DESIRED["automatic_recredit_threshold"],
        "settings": {"status": "SUCCESS", "system_id": "fl%05d" % index, "throughput": 20, "windowing": 10,
                     "endpoints": [{"secured": "smpp.example.invalid:2776", "unsecured": "smpp.example.invalid:2775"}]},
        "allowed_ips": ips,
        "senders": senders,
        "tags": {ROTATION_TAG: rotated},
    }


def world_problems(start, views):
    """Why the world is not in the desired state after a run; empty when it is.

    ``start``: the seed the run started from; ``views``: the emulator's internal view of every account
    after it (GET /_emulator/accounts/{sn}). Besides each account's state: no password renewed (none was
    due), and the pool gave exactly the shortfalls (no credit moved twice) and kept its reserve.
    """
    found = []
    seeded = {item["service_name"]: item for item in start["accounts"]}
    for name, item in seeded.items():
        if name != POOL:
            found.extend("%s: %s" % (name, text) for text in _account_problems(views[name], item["tags"][ROTATION_TAG]))
    owed = sum(max(0, DESIRED["min_credits"] - item["credits_left"]) for name, item in seeded.items() if name != POOL)
    given = seeded[POOL]["credits_left"] - views[POOL]["credits_left"]
    if abs(given - owed) > 1e-6:
        found.append("%s: gave %g credits, the shortfalls were %g" % (POOL, given, owed))
    if views[POOL]["credits_left"] < DESIRED["credit_source_reserve"]:
        found.append("%s: below its reserve (%g credits)" % (POOL, views[POOL]["credits_left"]))
    return found + ["%s: %s" % (POOL, text) for text in _records_left(views[POOL])]


def _account_problems(view, rotated_before):
    found = []
    missing = sorted(set(DESIRED["allowed_ips"]) - set(view["allowed_ips"]))
    if missing:
        found.append("allowed IPs lack %s" % ", ".join(missing))
    statuses = {item["sender"]: item["status"] for item in view["senders"]}
    for item in DESIRED["senders"]:
        if statuses.get(item["sender"]) != "enable":
            found.append("sender %s is %s" % (item["sender"], statuses.get(item["sender"], "missing")))
    if view["credits_left"] < DESIRED["min_credits"]:
        found.append("%g credits, fewer than %g" % (view["credits_left"], DESIRED["min_credits"]))
    if view["automatic_recredit_amount"] != DESIRED["automatic_recredit_amount"]:
        found.append("automatic re-credit amount %s" % view["automatic_recredit_amount"])
    if view["credit_threshold"] != DESIRED["automatic_recredit_threshold"]:
        found.append("automatic re-credit threshold %s" % view["credit_threshold"])
    if view["tags"].get(ROTATION_TAG) != rotated_before or view["password_renewals"]:
        found.append("password renewed although not due")
    return found + _records_left(view)


def _records_left(view):
    """A lease or a top-up record still on an account after the run would hold back the next one."""
    left = sorted(key for key in view["tags"] if key.startswith("smppops-") and key != ROTATION_TAG)
    return ["records left behind: %s" % ", ".join(left)] if left else []
