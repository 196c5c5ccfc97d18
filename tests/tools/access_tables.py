#!/usr/bin/env python
"""Render the access-rule tables of the README and the least-privilege guide from the one data file.

The rules live in ``playbooks/vars/consumer_key_rules.yml``; the README table and the guide's table
are written between markers from it, never by hand. ``--write`` updates both files; without it the
tool prints the files that differ and exits 1 (tests/unit/test_access_rules.py runs the same check).
"""

import os
import re
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join("playbooks", "vars", "consumer_key_rules.yml")
README = "README.md"
GUIDE = os.path.join("docs", "docsite", "rst", "least_privilege.rst")
# Every module reads accounts with these; the README says so once, above its table.
READS = ({"method": "GET", "path": "/sms"}, {"method": "GET", "path": "/sms/*"})
MARKERS = {
    README: ("<!-- access-rules: rendered from %s by tests/tools/access_tables.py -->" % DATA, "<!-- end of access-rules -->"),
    GUIDE: (".. access-rules: rendered from %s by tests/tools/access_tables.py" % DATA, ".. end of access-rules"),
}


def flat_unique(items):
    """Lists nested by YAML anchors (a module made of others' rules), flattened, each item once, in order."""
    out = []
    for item in items:
        for leaf in flat_unique(item) if isinstance(item, list) else [item]:
            if leaf not in out:
                out.append(leaf)
    return out


def load(root=ROOT):
    with open(os.path.join(root, DATA), encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    rules = {name: flat_unique(value) for name, value in data["consumer_key_rules_by_module"].items()}
    actions = {name: flat_unique(value) for name, value in data["iam_actions_by_module"].items()}
    return rules, actions


def _label(name):
    return "%s inventory" % name if name == "smpp_accounts" else name


def _rules(rules):
    return ", ".join("`%s %s`" % (rule["method"], rule["path"]) for rule in rules) or "none"


def readme_table(rules, actions):
    lines = ["| Module | Access rules (consumer key), besides the reads | IAM actions (OAuth2 service account) |",
             "|---|---|---|"]
    for name, module_rules in rules.items():
        writes = [rule for rule in module_rules if rule not in READS]
        iam = ", ".join("`%s`" % action for action in actions[name]) or "none (OAuth2 rights are IAM policies: not checked)"
        lines.append("| `%s` | %s | %s |" % (_label(name), _rules(writes), iam))
    return ["   " + line for line in lines]  # inside the README's numbered list


def guide_table(rules, actions):
    lines = [".. list-table::", "   :header-rows: 1", "", "   * - Module", "     - Access rules", "     - IAM actions"]
    for name, module_rules in rules.items():
        lines.append("   * - ``%s``" % _label(name))
        lines.append("     - %s" % (", ".join("``%s %s``" % (r["method"], r["path"]) for r in module_rules) or "none"))
        lines.append("     - %s" % (", ".join("``%s``" % action for action in actions[name]) or "none"))
    return lines


def rendered(path, text, rules, actions):
    """``text`` with the lines between ``path``'s markers replaced by the table."""
    begin, end = MARKERS[path]
    table = readme_table(rules, actions) if path == README else guide_table(rules, actions)
    pattern = re.compile(r"(?ms)^([ \t]*)%s\n.*?^[ \t]*%s$" % (re.escape(begin), re.escape(end)))
    match = pattern.search(text)
    if match is None:
        raise SystemExit("%s: markers %r ... %r not found" % (path, begin, end))
    indent = match.group(1)
    block = "\n".join([indent + begin] + table + [indent + end])
    return text[:match.start()] + block + text[match.end():]


def stale(root=ROOT, write=False):
    """The files whose table differs from the data file (rewritten when ``write``)."""
    rules, actions = load(root)
    differ = []
    for path in (README, GUIDE):
        with open(os.path.join(root, path), encoding="utf-8") as handle:
            text = handle.read()
        new = rendered(path, text, rules, actions)
        if new != text:
            differ.append(path)
            if write:
                with open(os.path.join(root, path), "w", encoding="utf-8") as handle:
                    handle.write(new)
    return differ


def main():
    write = "--write" in sys.argv[1:]
    differ = stale(write=write)
    for path in differ:
        print("%s %s" % ("rewrote" if write else "differs from %s:" % DATA, path))
    return 0 if write or not differ else 1


if __name__ == "__main__":
    sys.exit(main())
