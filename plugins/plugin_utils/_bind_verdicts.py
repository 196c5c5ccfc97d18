# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The verify playbook's verdicts and table, from one row per SMPP client host (private).

A row: host, account, expected (should it bind), bound, status (command_status name or outcome), from
(local address), allowed (that address is in the account's allowed IPs), account_status, latency_ms,
msg, advice.
"""

from __future__ import annotations

COLUMNS = (("HOST", "host"), ("ACCOUNT", "account"), ("BOUND", "bound"), ("STATUS", "status"), ("FROM", "from"),
           ("IN ACL", "allowed"), ("ACCOUNT STATUS", "account_status"), ("BIND MS", "latency_ms"),
           ("VERDICT", "verdict"))


def verdict(row):
    if row.get("bound"):
        return "ok" if row.get("expected", True) else "UNEXPECTED: binds but must not"
    if not row.get("expected", True):
        return "ok (refused as expected)"
    return "CANNOT BIND"


def unexpected(rows):
    """The rows whose host does not bind as expected, each with a one-line explanation in ``msg``."""
    found = []
    for row in rows:
        if bool(row.get("bound")) == bool(row.get("expected", True)):
            continue
        if row.get("bound"):
            why = "%s binds to %s from %s, but smpp_expect_bind is false" % (row["host"], row["account"], row.get("from"))
        else:
            advice = (row.get("advice") or [""])[0]
            reason = row.get("msg") or row.get("status")
            why = "%s cannot bind to %s: %s. %s" % (row["host"], row["account"], reason, advice)
        found.append(dict(row, msg=why.strip()))
    return found


def _cell(value):
    if value is None:
        return "-"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


def table(rows):
    """Aligned text lines: a header, then one line per host, sorted by account then host."""
    ordered = sorted(rows, key=lambda row: (str(row.get("account")), str(row.get("host"))))
    cells = [[title for title, unused in COLUMNS]]
    for row in ordered:
        values = dict(row, verdict=verdict(row))
        cells.append([_cell(values.get(key)) for unused, key in COLUMNS])
    widths = [max(len(line[index]) for line in cells) for index in range(len(COLUMNS))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip() for line in cells]
