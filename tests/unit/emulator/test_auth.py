"""The emulator authenticates like OVH: signatures, time window, consumer-key rules, OAuth2 Bearer tokens."""

import hashlib
import time

import ovh
import ovh.oauth2
import pytest
import requests

from emulator_clients import APPLICATION_KEY, APPLICATION_SECRET, CONSUMER_KEY, signed_client


def raw_signed_get(server, path, timestamp, secret=APPLICATION_SECRET):
    url = server.base_url + path
    signature = "$1$" + hashlib.sha1("+".join([secret, CONSUMER_KEY, "GET", url, "", str(timestamp)]).encode()).hexdigest()
    return requests.get(url, timeout=10, headers={
        "X-Ovh-Application": APPLICATION_KEY, "X-Ovh-Consumer": CONSUMER_KEY,
        "X-Ovh-Timestamp": str(timestamp), "X-Ovh-Signature": signature})


def test_signed_get_with_query_string(client):
    assert "smpp-ab12345-1" in client.get("/sms")
    ids = client.get("/sms/smpp-ab12345-1/outgoing", **{"creationDatetime.from": "2026-01-01T00:00:00Z"})
    assert sorted(ids) == [1001, 1002]


def test_wrong_secret_is_refused_with_ovh_error_shape(emulator):
    with pytest.raises(ovh.exceptions.BadParametersError) as caught:
        signed_client(emulator, application_secret="wrong").get("/sms")
    assert caught.value.query_id and caught.value.query_id.startswith("EU.")
    body = caught.value.response.json()
    assert body == {"errorCode": "INVALID_SIGNATURE", "httpCode": "400 Bad Request", "message": "Invalid signature"}


@pytest.mark.parametrize("offset", [200, -200])
def test_timestamp_200_seconds_off_is_refused(emulator, offset):
    answer = raw_signed_get(emulator, "/sms", int(time.time()) + offset)
    assert answer.status_code == 400
    assert answer.json()["errorCode"] == "QUERY_TIME_OUT"
    assert answer.headers["X-Ovh-QueryID"]
    assert raw_signed_get(emulator, "/sms", int(time.time())).status_code == 200


@pytest.mark.parametrize("skew", [300, -300])
def test_python_ovh_time_delta_makes_a_skewed_clock_work(emulator, skew):
    emulator.state.config["clock_offset_seconds"] = skew
    # Signed with the local clock only: refused.
    assert raw_signed_get(emulator, "/sms", int(time.time())).status_code == 400
    # python-ovh reads /auth/time once and signs with the server's time.
    client = signed_client(emulator)
    assert "smpp-ab12345-1" in client.get("/sms")
    assert abs(client.time_delta - skew) <= 2


def test_unknown_consumer_key_and_missing_rules(emulator):
    with pytest.raises(ovh.exceptions.NotCredential):
        signed_client(emulator, consumer_key="nope").get("/sms")
    readonly = signed_client(emulator, consumer_key="demo-consumer-key-readonly")
    assert readonly.get("/sms/smpp-ab12345-1")["name"] == "smpp-ab12345-1"
    with pytest.raises(ovh.exceptions.NotGrantedCall):
        readonly.post("/sms/smpp-ab12345-1/smpp/password")
    no_iam = signed_client(emulator, consumer_key="demo-consumer-key-no-iam")
    with pytest.raises(ovh.exceptions.NotGrantedCall):
        no_iam.post("/v2/iam/resource/urn:v1:eu:resource:sms:smpp-ab12345-1/tag", key="a", value="b")
    assert emulator.state.accounts["smpp-ab12345-1"]["password_renewals"] == 0


def test_no_auth_headers_is_401(emulator):
    answer = requests.get(emulator.base_url + "/sms", timeout=10)
    assert answer.status_code == 401 and answer.json()["message"] == "You must login first"


def oauth2_client(server, monkeypatch, client_id="demo-oauth2-client", secret="demo-oauth2-secret"):
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    client = ovh.Client(endpoint="ovh-eu", client_id=client_id, client_secret=secret)
    client._endpoint = server.base_url  # pylint: disable=protected-access
    client._oauth2 = ovh.oauth2.OAuth2(client_id=client_id, client_secret=secret,  # pylint: disable=protected-access
                                       token_url=server.root_url + "/auth/oauth2/token")
    return client


def test_oauth2_bearer_and_iam_actions(emulator, monkeypatch):
    client = oauth2_client(emulator, monkeypatch)
    assert "smpp-ab12345-1" in client.get("/sms")
    assert emulator.log[-1]["auth"] == "bearer"
    readonly = oauth2_client(emulator, monkeypatch, "demo-oauth2-readonly", "demo-oauth2-readonly-secret")
    assert readonly.get("/sms/smpp-ab12345-1/smpp/settings")["status"] == "SUCCESS"
    with pytest.raises(ovh.exceptions.APIError) as caught:
        readonly.post("/sms/smpp-ab12345-1/smpp/password")
    body = caught.value.response.json()
    assert caught.value.response.status_code == 403
    assert body["details"]["unauthorizedActionsByIAM"] == "sms:apiovh:smpp/password/create"


def test_oauth2_bad_secret(emulator, monkeypatch):
    client = oauth2_client(emulator, monkeypatch, secret="wrong")
    with pytest.raises(ovh.exceptions.OAuth2FailureError):
        client.get("/sms")


def test_requested_consumer_key_gets_exactly_its_rules_once_validated(emulator):
    answer = requests.post(emulator.base_url + "/auth/credential", timeout=10, headers={"X-Ovh-Application": APPLICATION_KEY},
                           json={"accessRules": [{"method": "GET", "path": "/sms"}]})
    assert answer.status_code == 200
    requested = answer.json()
    assert requested["state"] == "pendingValidation"
    assert requested["consumerKey"] not in requested["validationUrl"], "the URL carries a token, not the key"
    client = signed_client(emulator, consumer_key=requested["consumerKey"])
    with pytest.raises(ovh.exceptions.APIError):
        client.get("/sms")  # not validated yet
    requests.get(requested["validationUrl"], timeout=10).raise_for_status()
    assert "smpp-ab12345-1" in client.get("/sms")
    with pytest.raises(ovh.exceptions.NotGrantedCall):
        client.get("/sms/smpp-ab12345-1")


def test_consumer_key_request_without_rules_is_refused(emulator):
    answer = requests.post(emulator.base_url + "/auth/credential", timeout=10, headers={"X-Ovh-Application": APPLICATION_KEY},
                           json={"redirection": "https://example.invalid/"})
    assert answer.status_code == 400
    assert "accessRules" in answer.json()["message"]
