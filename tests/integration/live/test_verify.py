"""The verify playbook and smpp_bind_check through ansible-playbook, from real target hosts (local connection,
told apart by the loopback address they bind from) to the emulator's SMPP gateway: the story of an allowed-IP
change and a password renewal."""

import json

import requests
import yaml
from ansible_cli import DEMO_INVENTORY

SN = "smpp-ab12345-1"


def _inventory(tmp_path, emulator, password, hosts):
    """A client inventory: {name: (source address, expected)}."""
    group = {"vars": {"ansible_connection": "local", "ansible_python_interpreter": "{{ ansible_playbook_python }}",
                      "smpp_ca_path": emulator.ca_path},
             "hosts": {name: {"smpp_service_name": SN, "smpp_password": password, "smpp_source_address": source,
                              "smpp_expect_bind": expected} for name, (source, expected) in hosts.items()}}
    path = tmp_path / "clients.yml"
    path.write_text(yaml.safe_dump({"smpp_clients": group}))
    return str(path)


def _rows(output):
    """{host: line} of the verify table."""
    rows = {}
    for line in output.splitlines():
        words = line.strip().strip('",').split()
        if len(words) > 2 and words[0].startswith("gw-") and words[1] == SN:
            rows[words[0]] = line
    return rows


def test_acl_change_then_renewal_story(cli, control, emulator, tmp_path):
    control.call("PATCH", "/accounts/" + SN, json={"allowed_ips": ["203.0.113.10", "127.0.0.2"]})
    hosts = {"gw-inside": ("127.0.0.2", True), "gw-outside": ("127.0.0.3", True)}
    inventory = _inventory(tmp_path, emulator, "Gw1pass8", hosts)

    answer = cli.playbook("-i", inventory, "smppops.ovh.verify")
    assert answer.returncode != 0, answer.output[-3000:]
    rows = _rows(answer.output)
    assert "ESME_ROK" in rows["gw-inside"] and " ok" in rows["gw-inside"]
    assert "ESME_RBINDFAIL" in rows["gw-outside"] and "127.0.0.3" in rows["gw-outside"]
    assert "CANNOT BIND" in rows["gw-outside"]
    assert "gw-outside cannot bind to smpp-ab12345-1" in answer.output and "smpp_acl" in answer.output
    assert "Gw1pass8" not in answer.output

    # The address is added with smpp_acl (which waits for OVH to apply it): both hosts bind.
    acl = tmp_path / "acl.yml"
    acl.write_text(yaml.safe_dump([{"name": "Allow gw-outside", "hosts": "localhost", "gather_facts": False,
                                    "tasks": [{"smppops.ovh.smpp_acl": {"service_name": SN, "ips": ["127.0.0.3"]}}]}]))
    assert cli.playbook("-i", "localhost,", "-c", "local", str(acl)).returncode == 0
    answer = cli.playbook("-i", inventory, "smppops.ovh.verify")
    assert answer.returncode == 0, answer.output[-3000:]
    assert "Every SMPP client host binds as expected" in answer.output

    # Renewal: the old password is refused everywhere; rotate_password says what to do next.
    answer = cli.playbook("-i", "localhost,", "smppops.ovh.rotate_password", "-e", "smpp_service_names=" + SN,
                          "-e", "confirm=yes")
    assert answer.returncode == 0, answer.output[-3000:]
    assert "smppops.ovh.verify" in answer.output
    answer = cli.playbook("-i", inventory, "smppops.ovh.verify")
    assert answer.returncode != 0
    assert all("ESME_RINVPASWD" in line for line in _rows(answer.output).values())
    assert "put it in the vault" in answer.output

    # The new password from OVH's e-mail, put in the inventory (the vault): both bind again.
    mail = requests.get(emulator.root_url + "/_emulator/mailbox", params={"service_name": SN}, timeout=10).json()
    inventory = _inventory(tmp_path, emulator, mail["messages"][-1]["password"], hosts)
    answer = cli.playbook("-i", inventory, "smppops.ovh.verify")
    assert answer.returncode == 0, answer.output[-3000:]
    assert all("ESME_ROK" in line for line in _rows(answer.output).values())


def test_expected_refusal_check_mode_and_empty_group(cli, control, emulator, tmp_path):
    inventory = _inventory(tmp_path, emulator, "Gw1pass8", {"gw-retired": ("127.0.0.9", False)})
    answer = cli.playbook("-i", inventory, "smppops.ovh.verify", "--check", "-vvv")
    assert answer.returncode == 0, answer.output[-3000:]
    assert "refused as expected" in answer.output
    assert "Gw1pass8" not in answer.output, "the password never shows, even with -vvv"
    control.call("PATCH", "/accounts/" + SN, json={"allowed_ips": ["127.0.0.9"]})
    answer = cli.playbook("-i", inventory, "smppops.ovh.verify")
    assert answer.returncode != 0 and "smpp_expect_bind is false" in answer.output
    answer = cli.playbook("-i", "localhost,", "smppops.ovh.verify")
    assert answer.returncode != 0 and "No SMPP client host in the group smpp_clients" in answer.output


def test_test_message_is_found_in_the_history(cli, control, emulator, tmp_path):
    control.call("PATCH", "/accounts/" + SN, json={"allowed_ips": ["127.0.0.2"]})
    inventory = _inventory(tmp_path, emulator, "Gw1pass8", {"gw-inside": ("127.0.0.2", True)})
    message = {"to": "+33601020304", "text": "verify", "sender": "ACME"}
    answer = cli.playbook("-i", inventory, "smppops.ovh.verify", "-e", json.dumps({"smpp_test_message": message}),
                          "-e", "smpp_test_message_wait_delay=1", "-v")
    assert answer.returncode == 0, answer.output[-3000:]
    sent = control.account(SN)["outgoing"][-1]
    assert sent["message"] == "verify" and sent["messageID"] in answer.output
    assert control.account(SN)["credits_left"] == 1500 - 1


def test_audit_includes_the_bind_checks_when_given_the_client_hosts(cli, control, emulator, tmp_path):
    control.call("PATCH", "/accounts/" + SN, json={"allowed_ips": ["203.0.113.10", "127.0.0.2"]})
    hosts = {"gw-inside": ("127.0.0.2", True), "gw-outside": ("127.0.0.3", True)}
    clients = _inventory(tmp_path, emulator, "Gw1pass8", hosts)
    reports = tmp_path / "reports"
    answer = cli.playbook("-i", DEMO_INVENTORY, "-i", clients, "smppops.ovh.audit", "-e", "audit_report_dir=%s" % reports,
                          "-e", "audit_client_group=smpp_clients")
    assert answer.returncode == 0, answer.output[-3000:]
    assert (reports / "audit.md").exists()
    rows = {row["host"]: row for row in json.loads((reports / "verify.json").read_text())["hosts"]}
    assert rows["gw-inside"]["bound"] and not rows["gw-outside"]["bound"]
    assert "**gw-outside**: gw-outside cannot bind" in (reports / "verify.md").read_text()
    # Without the client group, the audit is what it was: no bind, no verify report.
    control.call("DELETE", "/log")
    answer = cli.playbook("-i", DEMO_INVENTORY, "-i", clients, "smppops.ovh.audit", "-e", "audit_report_dir=%s" % (
        tmp_path / "plain"))
    assert answer.returncode == 0, answer.output[-3000:]
    assert not (tmp_path / "plain" / "verify.json").exists()


def test_account_without_endpoint_is_named(cli, control, emulator, tmp_path):
    control.call("PATCH", "/accounts/" + SN, json={"settings": {"endpoints": []}})
    inventory = _inventory(tmp_path, emulator, "Gw1pass8", {"gw-inside": ("127.0.0.2", True)})
    answer = cli.playbook("-i", inventory, "smppops.ovh.verify")
    assert answer.returncode != 0
    assert "smpp-ab12345-1 has no secured SMPP endpoint number 0 (its endpoints: [])" in answer.output
