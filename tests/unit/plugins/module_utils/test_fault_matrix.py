"""Fault matrix: every read and write of every module under every fault the emulator injects.

Each cell runs the module's logic (run_task, through the real HTTP client) against the emulator with one fault
on one route, then asserts, from the task's result together with the emulator's request log and state:
no exception out of the collection, no repeated non-idempotent write, no lost allowed IP, ``changed`` true
whenever the change was applied and false whenever the task reports a known "not applied", a message naming the
route (and OVH's query ID whenever OVH answered), success where the retry policy makes success possible.
The table of outcomes is written to docs/fault-matrix.md from the results.
"""

import os
import time

import pytest

from ansible_collections.smppops.ovh.plugins.module_utils import (
    _account_lease, _retry, _smpp_acl, _smpp_credit, _smpp_info, _smpp_password, _smpp_sender)
from ansible_collections.smppops.ovh.plugins.module_utils._task import run_task
from emulator_clients import APPLICATION_KEY, APPLICATION_SECRET, CONSUMER_KEY
from tests.emulator import EmulatorServer

ACCOUNT = "smpp-ab12345-1"
TARGET = "smpp-ab12345-2"
ROOT = "/1.0/sms/%s" % ACCOUNT
API_TIMEOUT = 5.0  # generous: a loaded test machine never times a normal request out
SHORT_TIMEOUT = 0.5  # the latency cells only
SOURCE_CREDITS = 1500
SEEDED_IPS = ["203.0.113.10", "203.0.113.11", "2001:db8::10"]
DOCS = os.environ.get("SMPPOPS_DOCS_DIR") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "docs")


class Op:
    def __init__(self, module, what, logic, method, path, params, applied=None):
        self.module, self.what, self.logic, self.method, self.path = module, what, logic, method, path
        self.params, self.applied = params, applied

    @property
    def write(self):
        return self.method != "GET"


def _account(state, name=ACCOUNT):
    return state.accounts[name]


OPS = [
    Op("smpp_info", "read the account", _smpp_info, "GET", ROOT, {"service_name": ACCOUNT}),
    Op("smpp_info", "read settings", _smpp_info, "GET", ROOT + "/smpp/settings", {"service_name": ACCOUNT}),
    Op("smpp_acl", "read allowed IPs", _smpp_acl, "GET", ROOT + "/smpp/allowedIPs",
       {"service_name": ACCOUNT, "ips": ["198.51.100.77"]}),
    Op("smpp_acl", "add an IP", _smpp_acl, "PUT", ROOT + "/smpp/allowedIPs",
       {"service_name": ACCOUNT, "ips": ["198.51.100.77"]},
       lambda state: "198.51.100.77" in _account(state)["allowed_ips"]),
    Op("smpp_acl", "remove an IP", _smpp_acl, "PUT", ROOT + "/smpp/allowedIPs",
       {"service_name": ACCOUNT, "ips": ["203.0.113.11"], "state": "absent"},
       lambda state: "203.0.113.11" not in _account(state)["allowed_ips"]),
    Op("smpp_sender", "read senders", _smpp_sender, "GET", ROOT + "/senders",
       {"service_name": ACCOUNT, "senders": [{"sender": "NEWONE", "state": "present"}]}),
    Op("smpp_sender", "create a sender", _smpp_sender, "POST", ROOT + "/senders",
       {"service_name": ACCOUNT, "senders": [{"sender": "NEWONE", "state": "present"}]},
       lambda state: "NEWONE" in _account(state)["senders"]),
    Op("smpp_sender", "disable a sender", _smpp_sender, "PUT", ROOT + "/senders/ACME",
       {"service_name": ACCOUNT, "senders": [{"sender": "ACME", "state": "present", "enabled": False}]},
       lambda state: _account(state)["senders"]["ACME"]["status"] == "disable"),
    Op("smpp_sender", "delete a sender", _smpp_sender, "DELETE", ROOT + "/senders/ACME",
       {"service_name": ACCOUNT, "senders": [{"sender": "ACME", "state": "absent"}]},
       lambda state: "ACME" not in _account(state)["senders"]),
    Op("smpp_credit", "set re-credit", _smpp_credit, "PUT", ROOT,
       {"service_name": ACCOUNT, "automatic_recredit_threshold": 123.0},
       lambda state: _account(state)["credit_threshold"] == 123.0),
    Op("smpp_credit", "transfer credits", _smpp_credit, "POST", ROOT + "/transferCredits",
       {"service_name": ACCOUNT, "target": TARGET, "credits": 5.0, "settle_timeout": 1},
       lambda state: _account(state)["credits_left"] != SOURCE_CREDITS),
    Op("smpp_password", "renew the password", _smpp_password, "POST", ROOT + "/smpp/password",
       {"service_name": ACCOUNT, "force": True},
       lambda state: _account(state).get("password_renewals", 0) > 0),
]

# Rows whose module does not yet meet the expected outcome in every cell; left out of the matrix, not hidden in it.
LEFT_OUT = set()
OPS = [op for op in OPS if (op.module, op.what) not in LEFT_OUT]

FAULTS = {
    "429 Retry-After": {"kind": "status", "status": 429, "retry_after": 0},
    "500": {"kind": "status", "status": 500},
    "502": {"kind": "status", "status": 502},
    "503": {"kind": "status", "status": 503},
    "504": {"kind": "status", "status": 504},
    "latency > api_timeout": {"kind": "latency", "seconds": SHORT_TIMEOUT + 0.5},
    "dropped before applied": {"kind": "drop_before_commit"},
    "dropped after applied": {"kind": "drop_after_commit"},
    "403 NOT_GRANTED_CALL": {"kind": "status", "status": 403, "error_code": "NOT_GRANTED_CALL",
                             "message": "This call has not been granted"},
    "stale clock": None,  # the emulator's clock moves 10 minutes ahead: python-ovh must measure it
    "redirect": {"kind": "redirect", "status": 307},
    "non-JSON 2xx": {"kind": "body", "body": "<html>ok</html>", "content_type": "text/html"},
    "wrong-shape JSON": {"kind": "body", "body": '{"unexpected": ["shape"]}'},
}
# Faults after which an idempotent request (GET, PUT, DELETE) is repeated and must end in success.
RETRIED = {"429 Retry-After", "502", "503", "504", "latency > api_timeout", "dropped before applied",
           "dropped after applied", "stale clock"}
RESULTS = {}


@pytest.fixture(scope="module")
def emulator():
    with EmulatorServer(ip_update_seconds=0) as server:
        yield server
    _write_table()


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch):
    """Retries without waiting: the backoff itself is tested in test_api. With one task at a time, the transfer
    hold's wait for overtaking writers and the settling polls can be short (they are tested in their own files)."""
    monkeypatch.setattr(_retry.RetryPolicy, "delay", lambda self, attempt, retry_after=None: 0.0)
    monkeypatch.setattr(_account_lease, "SETTLE", 0.05)
    monkeypatch.setattr(_smpp_credit, "SETTLE_POLL", 0.1)


def _params(op):
    merged = {"endpoint": None, "application_key": APPLICATION_KEY, "application_secret": APPLICATION_SECRET,
              "consumer_key": CONSUMER_KEY, "client_id": None, "client_secret": None, "api_timeout": API_TIMEOUT,
              "api_retries": 2, "report_api_calls": False}
    for name, rules in op.logic.ARGUMENT_SPEC.items():
        if isinstance(rules.get("options"), dict) and rules.get("type") == "list":
            continue
        merged.setdefault(name, rules.get("default"))
    merged.update(op.params)
    if op.logic is _smpp_sender:
        merged["senders"] = [dict({"description": None, "reason": None, "enabled": None}, **item)
                             for item in op.params["senders"]]
    return merged


def _outcome(op, failed, result, applied):
    if not failed:
        return "ok" if not op.write or applied else "ok (nothing to apply)"
    if not op.write:
        return "fails cleanly"
    if applied:
        return "fails, applied once, changed"
    if result.get("changed"):
        return "fails, outcome unknown, changed (not applied)"
    return "fails, not applied, unchanged"


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("op", OPS, ids=lambda op: "%s-%s" % (op.module, op.what.replace(" ", "-")))
def test_cell(emulator, op, fault):
    state = emulator.state
    state.reset()
    state.config["ip_update_seconds"] = 0
    state.log.clear()
    assert state.accounts[ACCOUNT]["credits_left"] == SOURCE_CREDITS
    rule = FAULTS[fault]
    if rule is None:
        state.config["clock_offset_seconds"] = 600
    else:
        state.faults.append(dict(rule, method=op.method, path=op.path, times=1))
    params = _params(op)
    params["endpoint"] = emulator.base_url
    if rule is not None and rule["kind"] == "latency":
        params["api_timeout"] = SHORT_TIMEOUT

    failed, result = run_task(op.logic, params)  # never raises: an exception here fails the cell
    if rule is not None and rule["kind"] == "latency":
        time.sleep(rule["seconds"])  # let the slow request finish on the server before reading its state

    applied = op.applied(state) if op.applied else False
    requests = [item for item in state.log if item["method"] == op.method and item["path"] == op.path]
    RESULTS[(op.module, op.what, fault)] = _outcome(op, failed, result, applied)

    assert requests, "the faulted route was called"
    if op.method == "POST":
        assert len(requests) == 1, "a POST is never repeated"
    kept = [ip for ip in SEEDED_IPS if op.what != "remove an IP" or ip != "203.0.113.11"]
    assert [ip for ip in kept if ip not in state.accounts[ACCOUNT]["allowed_ips"]] == [], "no allowed IP lost"
    if applied:
        assert result["changed"] is True, "an applied change is reported as changed"
    if not failed:
        assert not op.write or applied, "success means the change is there"
    else:
        msg = result["msg"]
        assert op.path[len("/1.0"):] in msg or fault == "stale clock", msg
        answered = [item for item in requests if item["status"] is not None]
        if answered and fault not in ("latency > api_timeout",):
            assert "query ID" in msg or result.get("error", {}).get("query_id"), msg
        if result.get("transfer_outcome") == "not_applied" or "not applied" in msg or "nothing was done" in msg:
            assert not applied and result["changed"] is False, msg
    if fault in RETRIED and op.method in ("GET", "PUT", "DELETE"):
        assert not failed, result.get("msg")
    if fault in ("redirect", "403 NOT_GRANTED_CALL") or (fault == "429 Retry-After" and op.method == "POST"):
        assert failed and not applied and result["changed"] is False, result
    if fault == "wrong-shape JSON" and not op.write:
        assert failed and "shape" in result["msg"]


def _write_table():
    if not RESULTS:
        return
    faults = list(FAULTS)
    lines = [
        "# Fault matrix",
        "",
        "Written by `tests/unit/plugins/module_utils/test_fault_matrix.py` from its results (do not edit): each",
        "module's reads and writes against the emulator with one fault injected on the route named, `api_retries: 2`,",
        "`api_timeout: %s` (%s in the latency column). Every cell also asserts: no traceback, no repeated POST, no lost"
        % (API_TIMEOUT, SHORT_TIMEOUT),
        "allowed IP, `changed` true whenever the change was applied, a message naming the route and OVH's query ID when",
        "OVH answered.",
        "\"outcome unknown\" means the task said it could not tell whether OVH applied the write (here it had not).",
        "",
        "| module | operation | route | " + " | ".join(faults) + " |",
        "|---|---|---|" + "---|" * len(faults),
    ]
    for op in OPS:
        cells = [RESULTS.get((op.module, op.what, fault), "not run") for fault in faults]
        route = op.path.replace(ROOT, "/sms/{sn}").replace("/1.0", "")
        lines.append("| %s | %s | `%s %s` | %s |" % (op.module, op.what, op.method, route, " | ".join(cells)))
    lines.append("")
    if len(RESULTS) < len(OPS) * len(faults):
        return  # a partial run (-k) does not overwrite the table
    os.makedirs(DOCS, exist_ok=True)
    with open(os.path.join(DOCS, "fault-matrix.md"), "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines))
