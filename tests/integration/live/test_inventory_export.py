"""What an AWX inventory sync imports: the raw ``ansible-inventory --list --export`` JSON.

AWX runs the inventory source with ANSIBLE_INVENTORY_EXPORT and ANSIBLE_INVENTORY_UNPARSED_FAILED
and cannot import a ``{"__ansible_unsafe": ...}`` object where it expects a string. The JSON is
asserted as written, without unwrapping anything.
"""

import json
import os

from ansible_cli import DEMO_INVENTORY

AWX_INVENTORY_ENV = {"ANSIBLE_INVENTORY_EXPORT": "True", "ANSIBLE_INVENTORY_UNPARSED_FAILED": "True"}
CONFIG = os.path.join(DEMO_INVENTORY, "emulator.smpp_accounts.yml")
TEMPLATE = "{{ lookup('ansible.builtin.pipe', 'id') }}"


def _export(cli):
    answer = cli.inventory("-i", CONFIG, "--list", "--export", env=AWX_INVENTORY_ENV)
    assert answer.returncode == 0, answer.output
    return json.loads(answer.stdout)


def _marked(value, path="$"):
    """Every place under ``value`` holding an ``__ansible_unsafe`` marker."""
    if isinstance(value, dict):
        found = [path] if "__ansible_unsafe" in value else []
        return found + [spot for key, item in value.items() for spot in _marked(item, "%s.%s" % (path, key))]
    if isinstance(value, list):
        return [spot for index, item in enumerate(value) for spot in _marked(item, "%s[%d]" % (path, index))]
    return []


def test_plain_values_are_exported_plain(cli, control):
    exported = _export(cli)
    assert _marked(exported) == []
    staging = exported["_meta"]["hostvars"]["smpp-ab12345-2"]
    assert staging["ansible_connection"] == "local"
    assert staging["smpp_system_id"] == "p8v1m4x0"
    # The emulator process runs its SMPP gateway: the account's endpoints name its listeners.
    gateway = control.call("GET", "/smpp")["endpoints"]["smpp-ab12345-2"]
    assert staging["smpp_endpoints"] == [{"secured": gateway["secured"], "unsecured": gateway["unsecured"]}]
    assert staging["smpp_throughput"] == 20


def test_api_text_that_could_be_templated_stays_protected(cli, control):
    control.call("PATCH", "/accounts/smpp-ab12345-2", json={"description": TEMPLATE})
    exported = _export(cli)
    # The snapshot of the whole account carries the same text, protected the same way.
    assert _marked(exported) == ["$._meta.hostvars.smpp-ab12345-2.smpp_description",
                                 "$._meta.hostvars.smpp-ab12345-2.smpp_observed.description"]
    assert exported["_meta"]["hostvars"]["smpp-ab12345-2"]["smpp_observed"]["description"] == {
        "__ansible_unsafe": TEMPLATE}
    assert exported["_meta"]["hostvars"]["smpp-ab12345-2"]["smpp_description"] == {"__ansible_unsafe": TEMPLATE}


def test_a_playbook_never_templates_api_text(cli, control, tmp_path):
    control.call("PATCH", "/accounts/smpp-ab12345-2", json={"description": TEMPLATE})
    playbook = tmp_path / "show.yml"
    playbook.write_text("---\n- hosts: smpp-ab12345-2\n  gather_facts: false\n  tasks:\n"
                        "    - ansible.builtin.debug:\n        msg: 'description=[{{ smpp_description }}]'\n")
    answer = cli.playbook("-i", CONFIG, playbook)
    assert answer.returncode == 0, answer.output
    assert "description=[%s]" % TEMPLATE in answer.output
    assert "uid=" not in answer.output


def test_a_long_read_says_it_is_still_going_without_touching_the_json(cli, control):
    # Accounts are read side by side: one read slow enough for the first line (after 5 s).
    control.fault(kind="latency", method="GET", path="/1.0/sms/*/smpp/settings", seconds=6, times=1)
    answer = cli.inventory("-i", CONFIG, "--list", "--export", env=AWX_INVENTORY_ENV)
    assert answer.returncode == 0, answer.output
    assert "smpp_accounts inventory: reading SMPP accounts: still going after" in answer.stderr
    assert sorted(json.loads(answer.stdout)["smpp_accounts"]["hosts"]) == ["smpp-ab12345-1", "smpp-ab12345-2", "smpp-ab12345-3"]
