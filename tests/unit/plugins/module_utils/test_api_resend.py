"""What OvhApi.call sends again and what it never does: counted retries with their warnings, the one uncounted
re-send after OVH refused a reused clock, and a lost DELETE that OVH then answers 404."""

import ovh.exceptions
import pytest
import requests

from ansible_collections.smppops.ovh.plugins.module_utils._api import OvhApi
from ansible_collections.smppops.ovh.plugins.module_utils._clock import SharedClock
from ansible_collections.smppops.ovh.plugins.module_utils._errors import OvhApiError
from ansible_collections.smppops.ovh.plugins.module_utils._retry import RetryPolicy

from ovh_fakes import FakeOvhClient, FakeResponse
from test_clock import TIME_OUT, ClockedClient
from test_retry_backoff import EdgeRandom

BUSY = FakeResponse(503, {"message": "busy"}, {"X-Ovh-QueryID": "EU.q503"})


class Task:
    """One task's OvhApi: lowest backoff draws, sleeps and warnings recorded, optionally a run's shared clock."""

    def __init__(self, client, retries, clock_dir=None):
        self.client = client
        self.sleeps, self.warnings = [], []
        clock = SharedClock(str(clock_dir)) if clock_dir is not None else None
        self.api = OvhApi(client, retries, warn=self.warnings.append, sleep=self.sleeps.append,
                          policy=RetryPolicy(retries, rng=EdgeRandom("low")), clock=clock)


def test_a_refused_reused_clock_is_re_sent_once_without_counting_as_a_retry(tmp_path):
    first = Task(ClockedClient({("GET", "/sms"): [FakeResponse(200, [])]}), 0, tmp_path)
    first.api.get("/sms")
    client = ClockedClient({("GET", "/sms/a"): [TIME_OUT, BUSY, BUSY, FakeResponse(200, {})]}, server_deltas=(300,))
    task = Task(client, 1, tmp_path)
    assert client._time_delta == 7, "the delta the first task measured"
    with pytest.raises(OvhApiError) as caught:
        task.api.get("/sms/a")
    assert caught.value.http_status == 503
    # The re-send after QUERY_TIME_OUT, then the first attempt and its one retry (api_retries=1).
    assert [call["status"] for call in task.api.calls] == [400, 503, 503]
    assert client.time_requests == 1 and client._time_delta == 300
    assert task.warnings == ["GET /sms/a failed (HTTP 503, query ID EU.q503); retrying in 0.5 s (attempt 2 of 2)"]
    assert task.sleeps == [0.5]


def test_a_re_sent_request_returns_its_answer(tmp_path):
    Task(ClockedClient({("GET", "/sms"): [FakeResponse(200, [])]}), 0, tmp_path).api.get("/sms")
    client = ClockedClient({("PUT", "/sms/a"): [TIME_OUT, FakeResponse(200, {"done": True})]})
    task = Task(client, 0, tmp_path)
    assert task.api.put("/sms/a", {"a": 1}) == {"done": True}
    assert [request["method"] for request in client.requests] == ["PUT", "PUT"]
    assert task.warnings == [] and task.sleeps == []


def test_a_lost_read_is_retried_with_a_warning_that_says_why():
    client = FakeOvhClient({("GET", "/sms/a?x=1"): [requests.exceptions.ReadTimeout("slow"), FakeResponse(200, [1])]})
    task = Task(client, 2)
    assert task.api.get("/sms/a?x=1") == [1]
    assert task.warnings == ["GET /sms/a failed (timed out after 30s); retrying in 0.5 s (attempt 2 of 3)"]
    assert task.sleeps == [0.5]


def test_a_key_python_ovh_refuses_is_never_retried():
    client = FakeOvhClient({("GET", "/sms"): [ovh.exceptions.InvalidKey("Invalid ConsumerKey 'None'"),
                                              FakeResponse(200, [])]})
    task = Task(client, 3)
    with pytest.raises(OvhApiError) as caught:
        task.api.get("/sms")
    assert caught.value.error_class == "InvalidKey" and caught.value.sent is False
    assert len(client.requests) == 1 and task.sleeps == [] and task.warnings == []


# A DELETE whose answer was lost -----------------------------------------------------------------
def _gone(query_id):
    response = FakeResponse(404, {"class": "Client::NotFound", "message": "gone"})
    if query_id is None:
        del response.headers["X-Ovh-QueryID"]
    else:
        response.headers["X-Ovh-QueryID"] = query_id
    return response


@pytest.mark.parametrize("query_id, said", [("EU.q404", "HTTP 404, query ID EU.q404"), (None, "HTTP 404")])
def test_a_lost_delete_then_404_is_done_and_said(query_id, said):
    client = FakeOvhClient({("DELETE", "/sms/a/users/u1"): [requests.exceptions.ReadTimeout("slow"), _gone(query_id)]})
    task = Task(client, 1)
    assert task.api.delete("/sms/a/users/u1") is None
    assert task.warnings == [
        "DELETE /sms/a/users/u1 failed (timed out after 30s); retrying in 0.5 s (attempt 2 of 2)",
        "DELETE /sms/a/users/u1: the answer to an earlier attempt was lost and the resource is now gone (%s); "
        "counted as deleted" % said]
    assert [(entry.method, entry.outcome) for entry in task.api.writes.entries] == [("DELETE", "applied")]


def test_a_delete_answered_404_at_once_is_a_failure():
    client = FakeOvhClient({("DELETE", "/sms/a/users/u1"): [_gone("EU.q404")]})
    task = Task(client, 3)
    with pytest.raises(OvhApiError) as caught:
        task.api.delete("/sms/a/users/u1")
    assert caught.value.http_status == 404 and caught.value.query_id == "EU.q404"
    assert len(client.requests) == 1 and task.warnings == []
    assert [entry.outcome for entry in task.api.writes.entries] == ["refused"]
