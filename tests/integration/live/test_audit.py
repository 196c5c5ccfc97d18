"""The audit playbook: read-only, finds drift injected behind the collection's back, writes reports."""

import json

from ansible_cli import DEMO_INVENTORY, writes


def _bootstrap(cli, control):
    answer = cli.playbook("-i", DEMO_INVENTORY, "smppops.ovh.bootstrap")
    assert answer.returncode == 0, answer.output[-4000:]
    control.call("DELETE", "/log")


def _report(cli):
    with open("%s/state/smppops/audit/audit.json" % cli.workdir, encoding="utf-8") as handle:
        return json.load(handle)


def test_audit_of_converged_accounts_finds_no_drift(cli, control):
    _bootstrap(cli, control)
    answer = cli.playbook("-i", DEMO_INVENTORY, "smppops.ovh.audit", "-e", "fail_on_drift=true")
    assert answer.returncode == 0, answer.output[-4000:]
    report = _report(cli)
    assert report["totals"]["drift"] == 0 and report["totals"]["error"] == 0
    assert sorted(report["accounts"]) == ["smpp-ab12345-1", "smpp-ab12345-2", "smpp-ab12345-3"]
    assert writes(control.log()) == []


def test_audit_finds_injected_drift_and_fails_when_asked(cli, control):
    _bootstrap(cli, control)
    # Behind the collection's back: an address removed, a sender disabled, credits spent, status broken.
    drift = {"allowed_ips": ["198.51.100.20"], "credits_left": 40, "settings": {"status": "ERROR"}}
    control.call("PATCH", "/accounts/smpp-ab12345-2", json=drift)
    control.call("PATCH", "/accounts/smpp-ab12345-1", json={"senders": [
        {"sender": "ACME", "description": "Main brand", "status": "disable"},
        {"sender": "ACMEALERT", "description": "Alerts", "status": "enable"},
        {"sender": "ACMENEW", "description": "New brand", "status": "waitingValidation"}]})
    control.call("DELETE", "/log")

    answer = cli.playbook("-i", DEMO_INVENTORY, "smppops.ovh.audit", "-e", "fail_on_drift=true")
    assert answer.returncode != 0, "fail_on_drift makes the run fail"
    assert writes(control.log()) == [], "the audit only reads"

    findings = {(item["service_name"], item["area"]): item for item in _report(cli)["findings"]}
    assert "198.51.100.21" in findings[("smpp-ab12345-2", "allowed_ips")]["message"]
    assert findings[("smpp-ab12345-2", "credits")]["kind"] in ("drift", "low_credits")
    assert findings[("smpp-ab12345-2", "status")]["message"] == "SMPP status is ERROR, not SUCCESS"
    assert "ACME" in findings[("smpp-ab12345-1", "senders")]["message"]
    assert ("smpp-ab12345-3", "allowed_ips") not in findings
    with open("%s/state/smppops/audit/audit.md" % cli.workdir, encoding="utf-8") as handle:
        markdown = handle.read()
    assert "| smpp-ab12345-2 | status | status | SMPP status is ERROR, not SUCCESS |" in markdown

    without_flag = cli.playbook("-i", DEMO_INVENTORY, "smppops.ovh.audit")
    assert without_flag.returncode == 0, "without fail_on_drift the audit reports and succeeds"
