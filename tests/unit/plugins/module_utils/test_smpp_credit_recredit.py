"""smpp_credit: whether an account's automatic re-credit settings, as smpp_info reports them, need a change."""

import pytest

from ansible_collections.smppops.ovh.plugins.module_utils._smpp_credit import recredit_needed

ACCOUNT = {"automatic_recredit_amount": 500, "automatic_recredit_threshold": 100.0}


@pytest.mark.parametrize("wanted,needed", [
    ({"automatic_recredit_amount": 500, "automatic_recredit_threshold": 100}, False),
    ({"automatic_recredit_amount": 500}, False),
    ({"automatic_recredit_threshold": 100}, False),
    ({"automatic_recredit_amount": 1000}, True),
    ({"automatic_recredit_threshold": 150}, True),
    ({"automatic_recredit_amount": 0}, True),
])
def test_only_a_setting_that_differs_needs_a_change(wanted, needed):
    assert recredit_needed(wanted, ACCOUNT) is needed


def test_an_amount_of_zero_is_the_re_credit_off():
    assert recredit_needed({"automatic_recredit_amount": 0}, dict(ACCOUNT, automatic_recredit_amount=None)) is False


def test_a_threshold_within_the_tolerance_of_the_one_set_needs_no_change():
    # A millionth of a credit (EPSILON) is float noise, not a setting to send.
    assert recredit_needed({"automatic_recredit_threshold": 0.000001},
                           dict(ACCOUNT, automatic_recredit_threshold=0)) is False
