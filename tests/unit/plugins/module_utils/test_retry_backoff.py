"""RetryPolicy and OvhApi: what is repeated, after how long, and what counts as a network error."""

import pytest
import requests

from ansible_collections.smppops.ovh.plugins.module_utils._api import OvhApi
from ansible_collections.smppops.ovh.plugins.module_utils._errors import OvhApiError
from ansible_collections.smppops.ovh.plugins.module_utils._retry import RetryPolicy

from ovh_fakes import FakeOvhClient, FakeResponse


class EdgeRandom:
    """A random source that always draws the lowest, or the highest, value of the range asked."""

    def __init__(self, edge):
        self.edge = edge
        self.ranges = []

    def uniform(self, low, high):
        self.ranges.append((low, high))
        return low if self.edge == "low" else high


@pytest.mark.parametrize("attempt, low, high", [(1, 0.5, 1.0), (2, 1.0, 2.0), (3, 2.0, 4.0), (5, 8.0, 16.0), (6, 10.0, 20.0),
                                                (12, 10.0, 20.0)])
def test_backoff_jitter_is_half_to_all_of_the_capped_step(attempt, low, high):
    lowest, highest = RetryPolicy(20, rng=EdgeRandom("low")), RetryPolicy(20, rng=EdgeRandom("high"))
    assert lowest.delay(attempt) == low, "the jitter floor is half the step"
    assert highest.delay(attempt) == high
    assert lowest._rng.ranges == [(low, high)]


def test_retry_after_wins_over_backoff_up_to_its_cap():
    policy = RetryPolicy(3, rng=EdgeRandom("low"))
    assert policy.delay(1, retry_after=0.0) == 0.0
    assert policy.delay(1, retry_after=120.0) == 120.0
    assert policy.delay(1, retry_after=120.5) is None


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "get"])
def test_safe_methods_are_retried_while_attempts_remain(method):
    policy = RetryPolicy(2)
    assert policy.should_retry(method, 1, http_status=503)
    assert policy.should_retry(method, 2, network_error=True)
    assert not policy.should_retry(method, 3, http_status=503), "retries=2 means three attempts in all"
    assert not policy.should_retry(method, 1, http_status=500)
    assert not policy.should_retry(method, 1)


def test_post_is_never_retried_whatever_the_failure():
    policy = RetryPolicy(5)
    assert not policy.should_retry("POST", 1, http_status=503)
    assert not policy.should_retry("POST", 1, network_error=True)


def test_negative_retries_mean_one_attempt():
    assert RetryPolicy(-3).retries == 0 and not RetryPolicy(-3).should_retry("GET", 1, http_status=503)


# What counts as a network error: a failure without an HTTP status whose request was lost or never connected.
def _api(script, retries=1):
    sleeps = []
    api = OvhApi(FakeOvhClient(script), retries=retries, sleep=sleeps.append,
                 policy=RetryPolicy(retries, rng=EdgeRandom("low")))
    return api, sleeps


def _refused():
    import urllib3
    reason = urllib3.exceptions.NewConnectionError(None, "refused")
    return requests.exceptions.ConnectionError(urllib3.exceptions.MaxRetryError(None, "/p", reason))


@pytest.mark.parametrize("failure", [requests.exceptions.ReadTimeout("slow"), requests.exceptions.ConnectionError("reset"),
                                     _refused(), requests.exceptions.ConnectTimeout("no route")])
def test_lost_or_unconnected_reads_are_network_errors_and_retried(failure):
    api, sleeps = _api({("GET", "/sms"): [failure, FakeResponse(200, ["a"])]})
    assert api.get("/sms") == ["a"] and sleeps == [0.5]


@pytest.mark.parametrize("failure", [requests.exceptions.InvalidHeader("bad header"), requests.exceptions.InvalidURL("bad")])
def test_local_request_errors_are_not_network_errors(failure):
    api, sleeps = _api({("GET", "/sms"): [failure, FakeResponse(200, ["a"])]})
    with pytest.raises(OvhApiError):
        api.get("/sms")
    assert sleeps == [] and len(api.calls) == 1


def test_an_http_error_is_not_a_network_error():
    api, sleeps = _api({("GET", "/sms"): [FakeResponse(500, {"message": "boom"}), FakeResponse(200, ["a"])]})
    with pytest.raises(OvhApiError) as caught:
        api.get("/sms")
    assert caught.value.http_status == 500 and sleeps == []
