"""What OvhApi hands python-ovh to send: the encoded path and query string, the caller's headers, whether the request
is signed, and the query ID of the last answer."""

import requests

from ansible_collections.smppops.ovh.plugins.module_utils._api import OvhApi, segment

from ovh_fakes import FakeOvhClient, FakeResponse


class SigningClient(FakeOvhClient):
    """Records whether each request is to be signed; its clock (needed only to sign) cannot be read."""

    def __init__(self, script):
        super().__init__(script)
        self.signed = []

    @property
    def time_delta(self):
        raise requests.exceptions.ConnectTimeout("GET /auth/time")

    def raw_call(self, method, path, data=None, need_auth=True, headers=None):
        self.signed.append(need_auth)
        return super().raw_call(method, path, data, need_auth, headers)


def test_the_credential_request_is_sent_unsigned():
    client = SigningClient({("POST", "/auth/credential"): [FakeResponse(200, {"consumerKey": "ck"})]})
    answer = OvhApi(client, 0).post("/auth/credential", {"accessRules": []}, signed=False)
    assert answer == {"consumerKey": "ck"} and client.signed == [False]


def test_a_query_string_keeps_false_and_skips_none():
    path = "/sms/a/outgoing?flag=false&tag=x+y"
    client = FakeOvhClient({("GET", path): [FakeResponse(200, [])], ("GET", "/sms/a/outgoing"): [FakeResponse(200, [1])]})
    api = OvhApi(client, 0)
    assert api.get("/sms/a/outgoing", after=None, flag=False, tag="x y") == []
    assert api.get("/sms/a/outgoing", after=None) == [1]
    assert [request["path"] for request in client.requests] == [path, "/sms/a/outgoing"]


def test_the_caller_headers_are_sent():
    client = FakeOvhClient({("GET", "/sms/a/users"): [FakeResponse(200, [])]})
    OvhApi(client, 0).get("/sms/a/users", headers={"X-Ovh-Batch": ","})
    assert client.requests[0]["headers"] == {"X-Ovh-Batch": ","}


def test_the_last_answer_query_id_is_kept():
    client = FakeOvhClient({("GET", "/sms"): [FakeResponse(200, [], {"X-Ovh-QueryID": "EU.q7"})]})
    api = OvhApi(client, 0)
    api.get("/sms")
    assert api.last_query_id == "EU.q7"


def test_a_segment_encodes_the_slash():
    assert segment("a/b?c") == "a%2Fb%3Fc"
