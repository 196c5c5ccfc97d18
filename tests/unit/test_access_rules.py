"""The access rules are written once (playbooks/vars/consumer_key_rules.yml): the tables follow, every module has rules."""

import os
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "tools"))

import access_tables  # noqa: E402  pylint: disable=wrong-import-position

from test_collection_metadata import module_names  # noqa: E402  pylint: disable=wrong-import-position

UNSIGNED = ("consumer_key_request",)  # POST /auth/credential needs no rule: it makes the key


def test_readme_and_guide_tables_are_rendered_from_the_data_file():
    assert access_tables.stale() == [], "run: python tests/tools/access_tables.py --write"


def test_a_hand_edited_table_is_caught(tmp_path):
    for path in (access_tables.DATA, access_tables.README, access_tables.GUIDE):
        os.makedirs(os.path.dirname(str(tmp_path / path)) or str(tmp_path), exist_ok=True)
        with open(os.path.join(ROOT, path), encoding="utf-8") as source:
            (tmp_path / path).write_text(source.read())
    guide = tmp_path / access_tables.GUIDE
    guide.write_text(guide.read_text().replace("``PUT /sms/*/smpp/allowedIPs``", "``PUT /sms/*``", 1))
    assert access_tables.stale(str(tmp_path)) == [access_tables.GUIDE]


def test_every_api_module_and_the_inventory_have_rules_and_iam_actions():
    rules, actions = access_tables.load()
    expected = sorted([name for name in module_names() if name not in UNSIGNED] + ["smpp_accounts"])
    assert sorted(rules) == expected and sorted(actions) == expected
    for name, module_rules in rules.items():
        assert all(set(rule) == {"method", "path"} and rule["path"].startswith("/") for rule in module_rules), name


def test_a_module_made_of_others_gets_their_union():
    # Anchors are defined before use: the combined entry goes last in the mapping.
    text = open(os.path.join(ROOT, access_tables.DATA), encoding="utf-8").read().replace(
        "\niam_actions_by_module:", "  combined: [*smpp_acl_rules, *smpp_sender_rules]\n\niam_actions_by_module:", 1)
    data = yaml.safe_load(text)
    combined = access_tables.flat_unique(data["consumer_key_rules_by_module"]["combined"])
    rules, unused = access_tables.load()
    assert combined == access_tables.flat_unique([rules["smpp_acl"], rules["smpp_sender"]])
    assert combined.count({"method": "GET", "path": "/sms/*"}) == 1
