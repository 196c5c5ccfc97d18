"""The verify playbook's verdicts and table."""

from ansible_collections.smppops.ovh.plugins.plugin_utils import _bind_verdicts as verify

ROWS = [
    {"host": "gw-b", "account": "smpp-1", "expected": True, "bound": False, "status": "ESME_RBINDFAIL",
     "from": "192.0.2.9", "allowed": False, "account_status": "SUCCESS", "latency_ms": 3.1,
     "msg": "The gateway refused the bind", "advice": ["add it with smppops.ovh.smpp_acl."]},
    {"host": "gw-a", "account": "smpp-1", "expected": True, "bound": True, "status": "ESME_ROK", "from": "192.0.2.8",
     "allowed": True, "account_status": "SUCCESS", "latency_ms": 12.0, "msg": "Bound", "advice": []},
    {"host": "gw-old", "account": "smpp-0", "expected": False, "bound": True, "status": "ESME_ROK", "from": "192.0.2.7",
     "allowed": True, "account_status": "SUCCESS", "latency_ms": 1.0, "msg": "Bound", "advice": []},
    {"host": "gw-gone", "account": "smpp-0", "expected": False, "bound": False, "status": "timeout", "from": None,
     "allowed": False, "account_status": "SUCCESS", "latency_ms": None, "msg": "No answer", "advice": []},
]


def test_unexpected_lists_hosts_that_cannot_bind_and_hosts_that_must_not_but_can():
    found = {row["host"]: row["msg"] for row in verify.unexpected(ROWS)}
    assert sorted(found) == ["gw-b", "gw-old"]
    assert found["gw-b"] == "gw-b cannot bind to smpp-1: The gateway refused the bind. add it with smppops.ovh.smpp_acl."
    assert found["gw-old"] == "gw-old binds to smpp-0 from 192.0.2.7, but smpp_expect_bind is false"


def test_table_is_aligned_and_sorted_by_account_then_host():
    lines = verify.table(ROWS)
    assert lines[0].split()[:3] == ["HOST", "ACCOUNT", "BOUND"]
    assert [line.split()[0] for line in lines[1:]] == ["gw-gone", "gw-old", "gw-a", "gw-b"]
    starts = {line.find("smpp-") for line in lines[1:]}
    assert starts == {lines[0].index("ACCOUNT")}
    assert lines[2].endswith("UNEXPECTED: binds but must not")
    assert lines[1].endswith("ok (refused as expected)") and " - " in lines[1]
    assert lines[4].endswith("CANNOT BIND")
