"""What a failed API call says: the method, the route, the HTTP status, OVH's query ID and the timeout, in the
message and in the error's fields, for each way a request fails (HTTP error, unreadable answer, lost or unsent)."""

import ovh.exceptions
import pytest
import requests

from ansible_collections.smppops.ovh.plugins.module_utils import _api
from ansible_collections.smppops.ovh.plugins.module_utils._api import OvhApi
from ansible_collections.smppops.ovh.plugins.module_utils._errors import OvhApiError
from ansible_collections.smppops.ovh.plugins.module_utils._transport import RedirectRefused

from ovh_fakes import FakeOvhClient, FakeResponse

PATH = "/sms/smpp-1/users?login=u1"
ROUTE = "/sms/smpp-1/users"
LONG_BODY = "<html>" + "x" * 300 + "</html>"


def answer(status, text, reason=None, query_id="EU.q1", **headers):
    response = FakeResponse(status, text=text, headers=dict(headers, **{"X-Ovh-QueryID": query_id}))
    if reason is not None:
        response.reason = reason
    return response


def failure(method, outcome, client=None):
    """The OvhApiError of ``method PATH`` answered (or failed) with ``outcome``, one attempt, and the api."""
    client = client or FakeOvhClient()
    client.script = {(method, PATH): [outcome]}
    api = OvhApi(client, retries=0)
    with pytest.raises(OvhApiError) as caught:
        api.call(method, PATH, None if method == "GET" else {"a": 1})
    return caught.value, api


def fields(status=None, error_class=None, message=None, query_id=None, method="GET"):
    return {"http_status": status, "error_class": error_class, "message": message, "query_id": query_id,
            "method": method, "path": ROUTE}


# HTTP errors (_decode) --------------------------------------------------------------------------
@pytest.mark.parametrize("method, response, msg, error", [
    ("GET", answer(404, '{"class": "Client::NotFound", "message": "This service does not exist"}'),
     "GET /sms/smpp-1/users failed: HTTP 404 Client::NotFound: This service does not exist (OVH query ID EU.q1)",
     fields(404, "Client::NotFound", "This service does not exist", "EU.q1")),
    ("PUT", answer(403, '{"errorCode": "FORBIDDEN", "message": "no"}'),
     "PUT /sms/smpp-1/users failed: HTTP 403 FORBIDDEN: no; the credentials lack the right for PUT /sms/smpp-1/users"
     " (OVH query ID EU.q1)",
     fields(403, "FORBIDDEN", "no", "EU.q1", "PUT")),
    ("GET", answer(403, '{"errorCode": "INVALID_KEY", "message": "Invalid application key"}'),
     "GET /sms/smpp-1/users failed: HTTP 403 INVALID_KEY: Invalid application key; OVH does not know this application"
     " key: check application_key (OVH_APPLICATION_KEY) (OVH query ID EU.q1)",
     fields(403, "INVALID_KEY", "Invalid application key", "EU.q1")),
    # No body, or a body without a message: the HTTP reason, else the status, is the message.
    ("POST", answer(502, "", reason="Bad Gateway"),
     "POST /sms/smpp-1/users failed: HTTP 502: Bad Gateway (OVH query ID EU.q1)",
     fields(502, None, "Bad Gateway", "EU.q1", "POST")),
    ("GET", answer(400, '["not", "an", "object"]', reason="Bad Request"),
     "GET /sms/smpp-1/users failed: HTTP 400: Bad Request (OVH query ID EU.q1)",
     fields(400, None, "Bad Request", "EU.q1")),
    ("DELETE", answer(503, "", reason="", query_id=""),
     "DELETE /sms/smpp-1/users failed: HTTP 503: HTTP 503",
     fields(503, None, "HTTP 503", "", "DELETE")),
    # A body that is not JSON (a proxy's page): its first 200 characters are the message.
    ("GET", answer(500, LONG_BODY),
     "GET /sms/smpp-1/users failed: HTTP 500: %s (OVH query ID EU.q1)" % LONG_BODY[:200],
     fields(500, None, LONG_BODY[:200], "EU.q1")),
    # 3xx is not a success, whatever its body.
    ("GET", answer(300, '{"message": "choose"}'),
     "GET /sms/smpp-1/users failed: HTTP 300: choose (OVH query ID EU.q1)",
     fields(300, None, "choose", "EU.q1")),
    ("GET", answer(300, "<html>moved</html>"),
     "GET /sms/smpp-1/users failed: HTTP 300: <html>moved</html> (OVH query ID EU.q1)",
     fields(300, None, "<html>moved</html>", "EU.q1")),
])
def test_an_http_error_names_route_status_class_and_query_id(method, response, msg, error):
    caught, api = failure(method, response)
    assert caught.msg == msg
    assert caught.as_dict() == error
    assert (caught.sent, caught.outcome_unknown) == (True, error["http_status"] >= 500)
    assert api.calls == [{"method": method, "path": ROUTE, "status": error["http_status"]}]


def test_an_http_error_carries_retry_after():
    caught, unused = failure("GET", answer(429, '{"message": "slow down"}', **{"Retry-After": "7"}))
    assert caught.retry_after == 7.0


@pytest.mark.parametrize("method, suffix, unknown", [("GET", "", False),
                                                     ("POST", "; the API outcome is unknown", True)])
def test_a_success_that_is_not_json_is_a_failure_with_the_query_id(method, suffix, unknown):
    caught, unused = failure(method, answer(200, LONG_BODY))
    assert caught.msg == "%s /sms/smpp-1/users: the API answered HTTP 200 with a body that is not JSON%s" % (method, suffix)
    assert caught.as_dict() == fields(200, "InvalidResponse", LONG_BODY[:200], "EU.q1", method)
    assert (caught.sent, caught.outcome_unknown) == (True, unknown)


def test_no_content_is_a_success_whatever_follows_it():
    api = OvhApi(FakeOvhClient({("POST", PATH): [answer(204, "OK")]}), retries=0)
    assert api.call("POST", PATH, {"a": 1}) is None
    assert [entry.outcome for entry in api.writes.entries] == ["applied"]


# Requests without an answer (_failure) ----------------------------------------------------------
class WithoutTimeout:
    """A client that, unlike python-ovh's, does not say its timeout."""

    def __init__(self):
        self.inner = FakeOvhClient()

    @property
    def script(self):
        return self.inner.script

    @script.setter
    def script(self, value):
        self.inner.script = value

    def raw_call(self, *args, **kwargs):
        return self.inner.raw_call(*args, **kwargs)


@pytest.mark.parametrize("method, exc, client, what", [
    ("PUT", requests.exceptions.ReadTimeout("read timed out"), None, "timed out after 30s"),
    ("PUT", requests.exceptions.ReadTimeout("read timed out"), WithoutTimeout(), "timed out after ?s"),
    ("DELETE", requests.exceptions.ConnectionError("Connection aborted"), None, "connection failed or was dropped"),
    ("GET", requests.exceptions.ConnectionError(), None, "connection failed or was dropped"),
    ("POST", RuntimeError("boom"), None, "failed unexpectedly: boom"),
    ("POST", RuntimeError(), None, "failed unexpectedly: RuntimeError"),
])
def test_a_request_that_may_have_reached_ovh_has_an_unknown_outcome(method, exc, client, what):
    caught, api = failure(method, exc, client)
    name = type(exc).__name__
    assert caught.msg == "%s /sms/smpp-1/users: %s (%s); the API outcome is unknown" % (method, what, name)
    assert caught.as_dict() == fields(None, name, what, None, method)
    assert (caught.sent, caught.outcome_unknown) == (None, True)
    assert api.calls == [{"method": method, "path": ROUTE, "status": None}]


@pytest.mark.parametrize("exc, what, connection_failed", [
    (requests.exceptions.ConnectTimeout("connect timed out"), "connect timed out", True),
    (requests.exceptions.ConnectTimeout(), "ConnectTimeout", True),
    # python-ovh refuses to sign without an application secret or consumer key: nothing left, nothing will later.
    (ovh.exceptions.InvalidKey("Invalid ConsumerKey 'None'"), "Invalid ConsumerKey 'None'", False),
    (ovh.exceptions.OAuth2FailureError("OAuth2 failure: invalid_client"), "OAuth2 failure: invalid_client", False),
])
def test_a_request_that_never_left_says_nothing_was_done(exc, what, connection_failed):
    caught, api = failure("POST", exc)
    name = type(exc).__name__
    assert caught.msg == "POST /sms/smpp-1/users was not sent: %s (%s); nothing was done" % (what, name)
    assert caught.as_dict() == fields(None, name, what, None, "POST")
    assert (caught.sent, caught.outcome_unknown, caught.connection_failed) == (False, False, connection_failed)
    assert api.calls == [{"method": "POST", "path": ROUTE, "status": None, "sent": False}]
    assert [entry.outcome for entry in api.writes.entries] == ["not sent"]


class ClockUnreachable(FakeOvhClient):
    """python-ovh's clock (GET /auth/time, fetched before the first signed call) cannot be read."""

    @property
    def time_delta(self):
        raise requests.exceptions.ReadTimeout("GET /auth/time timed out")


class TokenRefused:
    """python-ovh's OAuth2 helper whose token cannot be obtained."""

    @property
    def token(self):
        raise ovh.exceptions.OAuth2FailureError("OAuth2 failure: invalid_client")


def oauth2_client(helper):
    client = FakeOvhClient()
    client._oauth2 = helper
    return client


@pytest.mark.parametrize("client, exc", [
    (ClockUnreachable(), requests.exceptions.ReadTimeout("GET /auth/time timed out")),
    (oauth2_client(TokenRefused()), ovh.exceptions.OAuth2FailureError("OAuth2 failure: invalid_client")),
])
def test_a_failure_to_prepare_the_signature_is_not_sent(client, exc):
    caught, api = failure("PUT", FakeResponse(200, None), client)
    what, name = str(exc), type(exc).__name__
    assert caught.msg == "PUT /sms/smpp-1/users was not sent: %s (%s); nothing was done" % (what, name)
    assert caught.as_dict() == fields(None, name, what, None, "PUT")
    assert (caught.sent, caught.outcome_unknown) == (False, False)
    assert api.calls == [{"method": "PUT", "path": ROUTE, "status": None, "sent": False}]
    assert client.requests == []


def test_the_oauth2_token_is_obtained_before_the_request():
    class Token:
        def __init__(self, client):
            self.client, self.asked_after = client, []

        @property
        def token(self):
            self.asked_after.append(len(self.client.requests))
            return "token"

    client = oauth2_client(None)
    client._oauth2 = helper = Token(client)
    client.script = {("GET", "/sms"): [FakeResponse(200, [])]}
    assert OvhApi(client, retries=0).get("/sms") == []
    assert helper.asked_after == [0] and len(client.requests) == 1


def test_a_refused_redirect_names_its_status_and_query_id():
    redirect = RedirectRefused(302, "https://elsewhere.example/", "EU.q9")
    caught, api = failure("PUT", redirect)
    assert caught.msg == "PUT /sms/smpp-1/users: %s (OVH query ID EU.q9)" % redirect.text
    assert caught.as_dict() == fields(302, "Redirect", redirect.text, "EU.q9", "PUT")
    assert (caught.sent, caught.outcome_unknown) == (True, False)
    assert api.calls == [{"method": "PUT", "path": ROUTE, "status": 302}]


def test_without_the_requests_library_no_failure_counts_as_not_sent(monkeypatch):
    """Without requests' exception types (the module still imports), no failure proves a request stayed local."""
    for name in ("requests_exceptions", "urllib3_exceptions", "ovh_exceptions"):
        monkeypatch.setattr(_api, name, None)
    exc = ovh.exceptions.InvalidKey("Invalid ConsumerKey 'None'")
    assert _api._sent(exc) is None
    caught = _api._failure("POST", PATH, exc, _api._sent(exc))
    assert caught.msg == "POST /sms/smpp-1/users: failed unexpectedly: %s (InvalidKey); the API outcome is unknown" % exc
    assert (caught.sent, caught.outcome_unknown) == (None, True)
    refused = _api._failure("POST", PATH, exc, False)
    assert (refused.sent, refused.connection_failed) == (False, False)
