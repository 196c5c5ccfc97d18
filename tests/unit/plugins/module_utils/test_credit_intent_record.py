"""The transfer intent record: its key and its value are stored on real accounts, so both are pinned exactly.

A key derived differently after an upgrade would make an applied one-off transfer look new (sent again); a record
value read differently would make an applied or unknown transfer look like something else.
"""

import pytest

from ansible_collections.smppops.ovh.plugins.module_utils._credit_intent import intent_key, number, parse

ONE_OFF = {"service_name": "smpp-1", "target": "smpp-2", "credits": 100.0, "transfer_key": None}


@pytest.mark.parametrize("params,key", [
    # sha256("smpp-1|smpp-2|100")[:16]: the amount as ``number`` writes it, so 100 and 100.0 are one intent.
    (ONE_OFF, "auto-0aac18cee10771ad"),
    (dict(ONE_OFF, credits=100), "auto-0aac18cee10771ad"),
    (dict(ONE_OFF, credits=12.5), "auto-f9699d6cbabc67a1"),
    # A top-up's key names its target only: sha256("smpp-2")[:16].
    (dict(ONE_OFF, credits=None), "topup-e9ece791bd9ba770"),
    (dict(ONE_OFF, transfer_key="batch-7"), "batch-7"),
    (dict(ONE_OFF, credits=None, transfer_key="batch-7"), "batch-7"),
])
def test_intent_keys_are_stable(params, key):
    assert intent_key(params) == key


@pytest.mark.parametrize("value,text", [(100.0, "100"), (12.5, "12.5"), (0.1, "0.1"), (1e-7, "0"), (250.257, "250.26"),
                                        (1e21, "1000000000000000000000"), (0, "0")])
def test_numbers_have_no_exponent_and_no_trailing_zeros(value, text):
    assert number(value) == text


@pytest.mark.parametrize("value,record", [
    ("applied/2026-11-29T21:00:00Z/100/50.5",
     {"state": "applied", "at": "2026-11-29T21:00:00Z", "amount": 100.0, "target_before": 50.5}),
    ("pending/2026-11-29T21:00:00Z/1/0", {"state": "pending", "at": "2026-11-29T21:00:00Z", "amount": 1.0, "target_before": 0.0}),
    # Any state this collection does not write says nothing was proven.
    ("done/2026-11-29T21:00:00Z/1/0", {"state": "unknown", "at": "2026-11-29T21:00:00Z", "amount": 1.0, "target_before": 0.0}),
    # A record that cannot be read, whatever state it claims, is unknown and carries no figures.
    ("applied/2026-11-29T21:00:00Z/lots/0", {"state": "unknown", "at": None, "amount": None, "target_before": None}),
    ("applied", {"state": "unknown", "at": None, "amount": None, "target_before": None}),
    ("pending/2026-11-29T21:00:00Z", {"state": "unknown", "at": None, "amount": None, "target_before": None}),
])
def test_records_are_read_exactly(value, record):
    assert parse(value) == record


def test_no_record_is_none():
    assert parse(None) is None
