"""Audit findings from the role's check-mode results."""

from ansible_collections.smppops.ovh.plugins.plugin_utils._audit_findings import findings

INFO_OK = {"status": "SUCCESS", "credits_left": 900.0}


def test_no_change_and_healthy_account_has_no_finding():
    results = {"allowed_ips": {"changed": False}, "senders": {"skipped": True, "changed": False}}
    assert findings("smpp-1", results, info=INFO_OK, low_credits_below=100) == []


def test_each_predicted_change_is_drift_with_its_detail():
    results = {
        "allowed_ips": {"changed": True, "added": ["198.51.100.21"], "removed": ["198.51.100.9"]},
        "senders": {"changed": True, "created": ["NEW"], "updated": ["ACME"], "removed": []},
        "credits": {"changed": True, "transferred": 300.0, "target_credits_left": 500.0},
        "automatic_recredit": {"changed": True, "diff": {"before": {"automatic_recredit_amount": None, "automatic_recredit_threshold": 0},
                                                         "after": {"automatic_recredit_amount": 500, "automatic_recredit_threshold": 0}}},
        "password": {"changed": True, "reason": "the last renewal is unknown"},
    }
    found = {item["area"]: item for item in findings("smpp-1", results, info=INFO_OK)}
    assert {item["kind"] for item in found.values()} == {"drift"}
    assert found["allowed_ips"]["message"] == "allowed IPs differ: missing 198.51.100.21; not wanted 198.51.100.9"
    assert found["senders"]["message"] == "senders differ: missing NEW; different ACME"
    assert found["credits"]["message"] == "200 credits left, below the minimum: 300 would be transferred"
    assert found["automatic_recredit"]["message"] == "automatic re-credit differs: automatic_recredit_amount is None, wanted 500"
    assert found["password"]["message"] == "password renewal due: the last renewal is unknown"


def test_password_blocked_by_missing_ip_is_explained_by_the_password_step():
    # smpp_password's own check-mode prediction for an account still waiting for its first allowed IP.
    reason = "no renewal is recorded and untracked=renew; possible once the allowed IPs are applied (status WAITING_IP now)"
    found = findings("smpp-3", {"password": {"changed": True, "rotated": True, "status": "WAITING_IP", "reason": reason}})
    assert found[0]["message"] == "password renewal due: " + reason


def test_status_low_credits_and_error():
    found = findings("smpp-3", {}, info={"status": "WAITING_IP", "credits_left": 0.0}, low_credits_below=100,
                     error="Senders: boom")
    assert [(item["kind"], item["message"]) for item in found] == [
        ("error", "the audit could not evaluate the account: Senders: boom"),
        ("status", "SMPP status is WAITING_IP, not SUCCESS"),
        ("low_credits", "0 credits left, below 100"),
    ]


def test_an_untracked_password_is_a_finding_of_its_own():
    results = {"password": {"changed": False, "untracked": True, "rotated": False}}
    found = findings("smpp-1", results, info=INFO_OK)
    assert [(item["kind"], item["area"]) for item in found] == [("password_untracked", "password")]
    assert "smpp_account_password_untracked" in found[0]["message"]


def test_tracking_an_untracked_password_is_drift():
    results = {"password": {"changed": True, "untracked": True, "rotated": False,
                            "reason": "no renewal is recorded; untracked=track starts counting from now without renewing"}}
    found = findings("smpp-1", results, info=INFO_OK)
    assert [item["kind"] for item in found] == ["drift"]
    assert found[0]["message"].startswith("password renewal time not recorded yet: no renewal is recorded")
