"""The re-send rules, decided without a client: every rule of ``_retry``'s docstring, one test each."""

import pytest

from ansible_collections.smppops.ovh.plugins.module_utils import _retry as rules
from ansible_collections.smppops.ovh.plugins.module_utils._errors import OvhApiError


def failure(status=None, error_class=None, unknown=False, connection_failed=False, retry_after=None, sent=True):
    error = OvhApiError("x", "GET", "/p", http_status=status, error_class=error_class, outcome_unknown=unknown,
                        retry_after=retry_after, sent=sent)
    error.connection_failed = connection_failed
    return error


class MaxRandom:
    def uniform(self, low, high):
        return high


POLICY = rules.RetryPolicy(3, rng=MaxRandom())


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
@pytest.mark.parametrize("error", [failure(429), failure(502), failure(503), failure(504), failure(unknown=True),
                                   failure(connection_failed=True, sent=False)])
def test_rule1_idempotent_methods_are_retried_after_transient_failures(method, error):
    decision = POLICY.decide(method, 1, error)
    assert decision.action == rules.RETRY and decision.wait == 1.0


@pytest.mark.parametrize("error", [failure(400), failure(403), failure(404), failure(409), failure(500),
                                   failure(sent=False)])
def test_rule1_other_failures_are_not_retried(error):
    assert POLICY.decide("GET", 1, error).action == rules.GIVE_UP


@pytest.mark.parametrize("error", [failure(503), failure(429), failure(unknown=True),
                                   failure(connection_failed=True, sent=False)])
def test_rule2_post_is_never_repeated(error):
    assert POLICY.decide("POST", 1, error).action == rules.GIVE_UP


def test_rule1_attempts_stop_at_the_limit():
    assert POLICY.decide("GET", 3, failure(503)).action == rules.RETRY
    assert POLICY.decide("GET", 4, failure(503)).action == rules.GIVE_UP


def test_rule3_retry_after_is_honoured_up_to_its_cap():
    assert POLICY.decide("GET", 1, failure(429, retry_after=7.0)).wait == 7.0
    assert POLICY.decide("GET", 1, failure(429, retry_after=rules.MAX_RETRY_AFTER)).wait == rules.MAX_RETRY_AFTER
    assert POLICY.decide("GET", 1, failure(429, retry_after=rules.MAX_RETRY_AFTER + 1)).action == rules.GIVE_UP


def test_rule3_backoff_doubles_up_to_the_cap_with_a_jitter_floor_of_half():
    class MinRandom:
        def uniform(self, low, high):
            return low
    high = [rules.RetryPolicy(10, rng=MaxRandom()).delay(n) for n in range(1, 8)]
    low = [rules.RetryPolicy(10, rng=MinRandom()).delay(n) for n in range(1, 8)]
    assert high == [1.0, 2.0, 4.0, 8.0, 16.0, 20.0, 20.0]
    assert low == [0.5, 1.0, 2.0, 4.0, 8.0, 10.0, 10.0]


def test_rule4_a_lost_delete_then_404_is_done_but_a_plain_404_is_not():
    assert POLICY.decide("DELETE", 2, failure(404), earlier_lost=True).action == rules.DONE
    assert POLICY.decide("DELETE", 1, failure(404)).action == rules.GIVE_UP
    assert POLICY.decide("GET", 2, failure(404), earlier_lost=True).action == rules.GIVE_UP


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_rule5_query_time_out_on_a_reused_clock_is_re_sent_at_once(method):
    refused = failure(400, error_class="QUERY_TIME_OUT")
    assert POLICY.decide(method, 1, refused, clock_reused=True).action == rules.RESEND_NOW
    assert POLICY.decide(method, 1, refused, clock_reused=False).action == rules.GIVE_UP


def test_rule6_polling_starts_fast_backs_off_and_never_sleeps_past_the_timeout():
    steps, step, waited = [], None, 0.0
    while waited < 20:
        pause, step = rules.next_poll(step, waited, 20)
        steps.append(pause)
        waited += pause
    assert steps == [1.0, 2.0, 4.0, 5.0, 5.0, 3.0]
    assert rules.is_transient("UPDATING_IP") and not rules.is_transient("SUCCESS")
    assert not rules.should_report_progress(4.9) and rules.should_report_progress(5.0)
