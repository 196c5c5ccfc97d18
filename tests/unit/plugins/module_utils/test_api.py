"""OvhApi: decoding, structured errors, retry policy, call log."""

import pytest
import requests

from ansible_collections.smppops.ovh.plugins.module_utils._api import OvhApi, segment
from ansible_collections.smppops.ovh.plugins.module_utils._errors import OvhApiError
from ansible_collections.smppops.ovh.plugins.module_utils._retry import RetryPolicy, parse_retry_after

from ovh_fakes import FakeOvhClient, FakeResponse


class Harness:
    """An OvhApi over a scripted client, with its sleeps and warnings recorded."""

    def __init__(self, script, retries):
        self.sleeps = []
        self.warnings = []
        self.client = FakeOvhClient(script)
        self.api = OvhApi(self.client, retries=retries, warn=self.warnings.append, sleep=self.sleeps.append)


def make_api(script, retries=4):
    return Harness(script, retries)


@pytest.mark.parametrize("response", [FakeResponse(200, None), FakeResponse(204), FakeResponse(200, text="")])
def test_void_answers_are_success(response):
    harness = make_api({("POST", "/sms/a/smpp/password"): [response]})
    assert harness.api.post("/sms/a/smpp/password") is None


def test_post_without_body_sends_none():
    harness = make_api({("POST", "/x"): [FakeResponse(200, None)]})
    harness.api.post("/x")
    assert harness.client.requests[0]["data"] is None


def test_error_carries_query_id_and_class():
    harness = make_api({("GET", "/sms/nope"): [FakeResponse(
        404, {"class": "Client::NotFound", "message": "This service does not exist"}, {"X-Ovh-QueryID": "EU.q1"})]})
    with pytest.raises(OvhApiError) as caught:
        harness.api.get("/sms/nope")
    error = caught.value
    assert error.as_dict() == {"http_status": 404, "error_class": "Client::NotFound",
                               "message": "This service does not exist", "query_id": "EU.q1",
                               "method": "GET", "path": "/sms/nope"}
    assert "EU.q1" in error.msg and "\n" not in error.msg
    assert not error.outcome_unknown


def test_not_granted_names_the_route():
    harness = make_api({("GET", "/sms"): [FakeResponse(
        403, {"errorCode": "NOT_GRANTED_CALL", "httpCode": "403 Forbidden", "message": "This call has not been granted"})]})
    with pytest.raises(OvhApiError) as caught:
        harness.api.get("/sms")
    assert "access rule for GET /sms" in caught.value.msg


@pytest.mark.parametrize("error_code, needle", [
    ("INVALID_KEY", "check application_key"),
    ("INVALID_CREDENTIAL", "not validated yet, expired or revoked"),
    ("NOT_CREDENTIAL", "check consumer_key"),
    ("FORBIDDEN", "the credentials lack the right for GET /sms"),
])
def test_a_refused_credential_is_not_called_a_missing_right(error_code, needle):
    harness = make_api({("GET", "/sms"): [FakeResponse(403, {"errorCode": error_code, "message": "no"})]})
    with pytest.raises(OvhApiError) as caught:
        harness.api.get("/sms")
    assert needle in caught.value.msg and caught.value.msg.count(";") == 1


def test_get_retried_after_429_honours_retry_after():
    harness = make_api({("GET", "/sms"): [
        FakeResponse(429, {"message": "slow down"}, {"Retry-After": "3"}), FakeResponse(200, ["a"])]})
    assert harness.api.get("/sms") == ["a"]
    assert harness.sleeps == [3.0]
    assert len(harness.client.requests) == 2
    assert len(harness.warnings) == 1 and "HTTP 429" in harness.warnings[0] and "retrying in 3.0 s" in harness.warnings[0]
    assert [call["status"] for call in harness.api.calls] == [429, 200]


@pytest.mark.parametrize("status", [502, 503, 504])
def test_get_retried_after_gateway_errors_with_bounded_backoff(status):
    harness = make_api({("GET", "/sms"): [FakeResponse(status, {"message": "x"})] * 3 + [FakeResponse(200, [])]})
    assert harness.api.get("/sms") == []
    assert len(harness.sleeps) == 3 and len(harness.warnings) == 3
    assert all(0 < delay <= 20 for delay in harness.sleeps)


def test_get_retried_after_dropped_connection():
    harness = make_api({("GET", "/sms"): [requests.exceptions.ConnectionError("reset"), FakeResponse(200, [])]})
    assert harness.api.get("/sms") == []
    assert len(harness.sleeps) == 1


def test_retries_exhausted_raise_the_last_error():
    harness = make_api({("GET", "/sms"): [FakeResponse(503, {"message": "down"})]}, retries=2)
    with pytest.raises(OvhApiError) as caught:
        harness.api.get("/sms")
    assert caught.value.http_status == 503
    assert len(harness.client.requests) == 3 and len(harness.sleeps) == 2


@pytest.mark.parametrize("failure", [
    requests.exceptions.ConnectionError("dropped"),
    requests.exceptions.ReadTimeout("slow"),
    FakeResponse(503, {"message": "x"}),
    FakeResponse(429, {"message": "x"}, {"Retry-After": "1"}),
])
def test_post_is_never_repeated(failure):
    harness = make_api({("POST", "/sms/a/transferCredits"): [failure]})
    with pytest.raises(OvhApiError):
        harness.api.post("/sms/a/transferCredits", {"credits": 10, "smsAccountTarget": "b"})
    assert len(harness.client.requests) == 1 and harness.sleeps == []


def test_ambiguous_post_failure_is_flagged():
    harness = make_api({("POST", "/p"): [requests.exceptions.ConnectionError("dropped")]})
    with pytest.raises(OvhApiError) as caught:
        harness.api.post("/p", {"a": 1})
    assert caught.value.outcome_unknown
    assert caught.value.http_status is None
    assert harness.api.calls == [{"method": "POST", "path": "/p", "status": None}]


def test_bad_request_is_not_retried():
    harness = make_api({("PUT", "/x"): [FakeResponse(400, {"class": "Client::BadRequest", "message": "no"})]})
    with pytest.raises(OvhApiError):
        harness.api.put("/x", {"a": 1})
    assert len(harness.client.requests) == 1


def test_retry_after_beyond_the_cap_is_not_waited_for():
    harness = make_api({("GET", "/x"): [FakeResponse(429, {"message": "x"}, {"Retry-After": "3600"})]})
    with pytest.raises(OvhApiError):
        harness.api.get("/x")
    assert harness.sleeps == [] and len(harness.client.requests) == 1


def test_query_string_and_call_log():
    harness = make_api({("GET", "/sms/a/outgoing?creationDatetime.from=2026-01-01T00%3A00%3A00Z&flag=true"): [FakeResponse(200, [1])]})
    assert harness.api.get("/sms/a/outgoing", **{"creationDatetime.from": "2026-01-01T00:00:00Z", "flag": True, "none": None}) == [1]
    assert harness.api.calls == [{"method": "GET", "path": "/sms/a/outgoing", "status": 200}]


def test_non_json_success_is_an_error():
    harness = make_api({("GET", "/x"): [FakeResponse(200, text="<html>")]})
    with pytest.raises(OvhApiError) as caught:
        harness.api.get("/x")
    assert caught.value.error_class == "InvalidResponse"


def test_segment_encodes_everything_requests_would_requote():
    assert segment("a|b c") == "a%7Cb%20c"
    assert segment("urn:v1:eu:resource:sms:smpp-1") == "urn%3Av1%3Aeu%3Aresource%3Asms%3Asmpp-1"


def test_parse_retry_after_forms():
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470) == 10.0
    assert parse_retry_after("soon") is None


def test_backoff_is_capped_and_jittered():
    policy = RetryPolicy(10)
    delays = [policy.delay(attempt) for attempt in range(1, 11)]
    assert all(0 < delay <= 20 for delay in delays)
    assert delays[0] <= 1.0
    assert len(set(delays)) > 1


# What is known about a failed write ------------------------------------------------------------
def _connect_refused():
    import urllib3
    reason = urllib3.exceptions.NewConnectionError(None, "Failed to establish a new connection: [Errno 111] refused")
    return requests.exceptions.ConnectionError(urllib3.exceptions.MaxRetryError(None, "/p", reason))


@pytest.mark.parametrize("failure", [
    requests.exceptions.ConnectTimeout("connect timed out"),
    _connect_refused(),
    requests.exceptions.InvalidHeader("Invalid leading whitespace, reserved character(s), or return character(s) in header value"),
])
def test_request_that_never_left_is_not_sent(failure):
    harness = make_api({("POST", "/p"): [failure]})
    with pytest.raises(OvhApiError) as caught:
        harness.api.post("/p", {"a": 1})
    assert caught.value.sent is False
    assert not caught.value.outcome_unknown
    assert "not sent" in caught.value.msg
    assert harness.api.calls == [{"method": "POST", "path": "/p", "status": None, "sent": False}]


@pytest.mark.parametrize("failure", [
    requests.exceptions.ReadTimeout("slow"),
    requests.exceptions.ConnectionError("Connection aborted: RemoteDisconnected"),
    requests.exceptions.ChunkedEncodingError("broken"),
    RuntimeError("something nobody foresaw"),
])
def test_write_that_may_have_left_has_an_unknown_outcome(failure):
    harness = make_api({("POST", "/p"): [failure]})
    with pytest.raises(OvhApiError) as caught:
        harness.api.post("/p", {"a": 1})
    assert caught.value.outcome_unknown and caught.value.sent is None
    assert "outcome is unknown" in caught.value.msg


@pytest.mark.parametrize("response", [FakeResponse(200, text="<html>ok</html>"), FakeResponse(202, text="{trunc")])
def test_write_answered_2xx_with_an_unreadable_body_has_an_unknown_outcome(response):
    harness = make_api({("POST", "/sms/a/transferCredits"): [response]})
    with pytest.raises(OvhApiError) as caught:
        harness.api.post("/sms/a/transferCredits", {"credits": 1, "smsAccountTarget": "b"})
    assert caught.value.outcome_unknown and caught.value.sent is True
    assert caught.value.error_class == "InvalidResponse"


def test_failure_while_preparing_the_signature_is_not_sent():
    class ClockFails(FakeOvhClient):
        @property
        def time_delta(self):
            raise requests.exceptions.ReadTimeout("GET /auth/time timed out")

    harness = Harness.__new__(Harness)
    harness.sleeps, harness.warnings = [], []
    harness.client = ClockFails({("POST", "/p"): [FakeResponse(200, None)]})
    harness.api = OvhApi(harness.client, retries=0, warn=harness.warnings.append, sleep=harness.sleeps.append)
    with pytest.raises(OvhApiError) as caught:
        harness.api.post("/p", {"a": 1})
    assert caught.value.sent is False and not caught.value.outcome_unknown
    assert harness.client.requests == []


def test_http_error_answer_was_sent_and_known():
    harness = make_api({("POST", "/p"): [FakeResponse(400, {"class": "Client::BadRequest", "message": "no"})]})
    with pytest.raises(OvhApiError) as caught:
        harness.api.post("/p", {"a": 1})
    assert caught.value.sent is True and not caught.value.outcome_unknown


def test_refused_connection_of_a_read_is_retried_but_a_bad_header_is_not():
    harness = make_api({("GET", "/sms"): [_connect_refused(), FakeResponse(200, [])]})
    assert harness.api.get("/sms") == [] and len(harness.sleeps) == 1
    harness = make_api({("GET", "/sms"): [requests.exceptions.InvalidHeader("newline in header")]})
    with pytest.raises(OvhApiError):
        harness.api.get("/sms")
    assert harness.sleeps == [] and len(harness.client.requests) == 1


# The record of sent writes ---------------------------------------------------------------------
def _outcome_of(script, method="PUT", retries=0):
    harness = make_api({(method, "/p"): script}, retries=retries)
    try:
        harness.api.call(method, "/p", {"a": 1})
    except OvhApiError:
        pass
    return [(entry.method, entry.path, entry.outcome) for entry in harness.api.writes.entries], harness.api.writes


@pytest.mark.parametrize("script, outcome, changed", [
    ([FakeResponse(200, None)], "applied", True),
    ([FakeResponse(400, {"message": "no"})], "refused", False),
    ([FakeResponse(503, {"message": "busy"})], "unknown", True),
    ([requests.exceptions.ReadTimeout("slow")], "unknown", True),
    ([_connect_refused()], "not sent", False),
])
def test_each_write_is_recorded_once_with_its_outcome(script, outcome, changed):
    entries, writes = _outcome_of(script)
    assert entries == [("PUT", "/p", outcome)]
    assert writes.may_have_changed() is changed


def test_a_lost_attempt_followed_by_a_refusal_stays_unknown():
    entries, writes = _outcome_of([requests.exceptions.ReadTimeout("slow"), FakeResponse(400, {"message": "no"})],
                                  retries=1)
    assert entries == [("PUT", "/p", "unknown")] and writes.may_have_changed()


def test_a_retried_write_that_succeeds_is_one_applied_entry():
    entries, unused = _outcome_of([FakeResponse(503, {"message": "busy"}), FakeResponse(200, None)], retries=1)
    assert entries == [("PUT", "/p", "applied")]


def test_a_lost_delete_answered_404_is_applied():
    entries, unused = _outcome_of([requests.exceptions.ReadTimeout("slow"), FakeResponse(404, {"message": "gone"})],
                                  method="DELETE", retries=1)
    assert entries == [("DELETE", "/p", "applied")]


def test_reads_are_not_writes():
    harness = make_api({("GET", "/sms"): [FakeResponse(200, [])]})
    harness.api.get("/sms")
    assert harness.api.writes.entries == []
