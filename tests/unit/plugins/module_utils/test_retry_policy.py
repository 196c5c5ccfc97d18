"""The re-send rules at their edges: a clock this task measured, a poll at the end of its wait, a date already past."""

from ansible_collections.smppops.ovh.plugins.module_utils import _retry as rules
from ansible_collections.smppops.ovh.plugins.module_utils._errors import OvhApiError


def test_a_query_time_out_is_re_sent_only_when_the_clock_was_reused():
    refused = OvhApiError("x", "POST", "/p", http_status=400, error_class=rules.QUERY_TIME_OUT)
    assert rules.RetryPolicy(3).decide("POST", 1, refused).action == rules.GIVE_UP
    assert rules.RetryPolicy(3).decide("GET", 1, refused).action == rules.GIVE_UP


def test_the_last_poll_sleeps_only_what_is_left_of_the_timeout():
    assert rules.next_poll(4.0, 19.5, 20.0) == (0.5, 5.0)
    assert rules.next_poll(2.0, 20.0, 20.0) == (0.0, 4.0)
    assert rules.next_poll(5.0, 21.0, 20.0) == (0.0, 5.0)


def test_a_retry_after_date_already_past_means_at_once():
    assert rules.parse_retry_after(" Wed, 21 Oct 2015 07:28:00 GMT ") == 0.0
