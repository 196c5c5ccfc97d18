"""SharedClock: python-ovh's clock delta measured once per run, re-measured once on QUERY_TIME_OUT."""

import os

import pytest

from ansible_collections.smppops.ovh.plugins.module_utils._api import OvhApi
from ansible_collections.smppops.ovh.plugins.module_utils._clock import SharedClock
from ansible_collections.smppops.ovh.plugins.module_utils._errors import OvhApiError

from ovh_fakes import FakeOvhClient, FakeResponse

TIME_OUT = FakeResponse(400, {"errorCode": "QUERY_TIME_OUT", "httpCode": "400 Bad Request", "message": "Query out of time"})


class ClockedClient(FakeOvhClient):
    """A fake python-ovh client that, like python-ovh, measures the delta before a call if it has none."""

    def __init__(self, script=None, endpoint="https://eu.api.ovh.com/1.0", server_deltas=(7,)):
        super().__init__(script)
        self._endpoint = endpoint
        self._oauth2 = None
        self._time_delta = None
        self.server_deltas = list(server_deltas)
        self.time_requests = 0

    def raw_call(self, method, path, data=None, need_auth=True, headers=None):
        if self._time_delta is None:
            self.time_requests += 1
            self._time_delta = self.server_deltas.pop(0) if len(self.server_deltas) > 1 else self.server_deltas[0]
        return super().raw_call(method, path, data, need_auth, headers)


def task(tmp_path, script, **client_options):
    client = ClockedClient(script, **client_options)
    api = OvhApi(client, retries=0, clock=SharedClock(str(tmp_path)))
    return client, api


def test_the_first_task_measures_and_the_next_ones_reuse(tmp_path):
    script = {("GET", "/sms"): [FakeResponse(200, [])]}
    first, api = task(tmp_path, script)
    api.get("/sms")
    assert first.time_requests == 1
    for unused_task in range(3):
        later, api = task(tmp_path, script, server_deltas=(99,))
        api.get("/sms")
        assert later.time_requests == 0 and later._time_delta == 7


def test_endpoints_do_not_share_a_delta(tmp_path):
    script = {("GET", "/sms"): [FakeResponse(200, [])]}
    task(tmp_path, script)[1].get("/sms")
    other, api = task(tmp_path, script, endpoint="http://127.0.0.1:9999/1.0", server_deltas=(-40,))
    api.get("/sms")
    assert other.time_requests == 1 and other._time_delta == -40


def test_a_moved_clock_is_measured_again_once_and_the_request_resent(tmp_path):
    task(tmp_path, {("GET", "/sms"): [FakeResponse(200, [])]})[1].get("/sms")
    client, api = task(tmp_path, {("POST", "/sms/a/transferCredits"): [TIME_OUT, FakeResponse(200, None)]},
                       server_deltas=(300,))
    assert api.post("/sms/a/transferCredits", {"credits": 1}) is None
    assert [request["method"] for request in client.requests] == ["POST", "POST"]
    assert client.time_requests == 1 and client._time_delta == 300
    assert [call["status"] for call in api.calls] == [400, 200]
    # The next task uses the new delta.
    later, api = task(tmp_path, {("GET", "/sms"): [FakeResponse(200, [])]}, server_deltas=(0,))
    api.get("/sms")
    assert later.time_requests == 0 and later._time_delta == 300


def test_a_time_out_with_a_fresh_measurement_is_not_resent(tmp_path):
    client, api = task(tmp_path, {("POST", "/sms/a/transferCredits"): [TIME_OUT, FakeResponse(200, None)]})
    with pytest.raises(OvhApiError) as caught:
        api.post("/sms/a/transferCredits", {"credits": 1})
    assert caught.value.error_class == "QUERY_TIME_OUT"
    assert len(client.requests) == 1


def test_a_second_time_out_after_the_resync_fails(tmp_path):
    task(tmp_path, {("GET", "/sms"): [FakeResponse(200, [])]})[1].get("/sms")
    client, api = task(tmp_path, {("GET", "/sms"): [TIME_OUT, TIME_OUT, FakeResponse(200, [])]})
    with pytest.raises(OvhApiError):
        api.get("/sms")
    assert len(client.requests) == 2


def test_oauth2_clients_are_left_alone(tmp_path):
    client = ClockedClient({("GET", "/sms"): [FakeResponse(200, [])]})
    client._oauth2 = object()
    OvhApi(client, retries=0, clock=SharedClock(str(tmp_path))).get("/sms")
    assert os.listdir(str(tmp_path)) == []


@pytest.mark.parametrize("content", ["", "not json", "[]", '{"delta": "7"}', '{"delta": true}', '{"delta": 1.5}'])
def test_an_unreadable_file_means_measuring_again(tmp_path, content):
    task(tmp_path, {("GET", "/sms"): [FakeResponse(200, [])]})[1].get("/sms")
    (stored,) = [name for name in os.listdir(str(tmp_path)) if not name.startswith(".")]
    (tmp_path / stored).write_text(content)
    client, api = task(tmp_path, {("GET", "/sms"): [FakeResponse(200, [])]}, server_deltas=(3,))
    api.get("/sms")
    assert client.time_requests == 1 and client._time_delta == 3


def test_a_missing_directory_only_costs_the_measurement(tmp_path):
    missing = tmp_path / "gone"
    for unused_task in range(2):
        client = ClockedClient({("GET", "/sms"): [FakeResponse(200, [])]})
        OvhApi(client, retries=0, clock=SharedClock(str(missing))).get("/sms")
        assert client.time_requests == 1
