"""The emulator refuses what the real API would, and models SMPP state: IP updates, password, credits,
senders, tags, history, faults, the request log and the command line."""

import subprocess
import sys
import time

import ovh
import pytest
import requests

SN = "smpp-ab12345-1"
URN = "urn:v1:eu:resource:sms:" + SN


def test_body_on_password_renewal_is_refused(client, emulator):
    with pytest.raises(ovh.exceptions.BadParametersError) as caught:
        client.call("POST", "/sms/%s/smpp/password" % SN, {})
    assert "input body while none was expected" in str(caught.value)
    assert emulator.state.accounts[SN]["password_renewals"] == 0
    assert client.post("/sms/%s/smpp/password" % SN) is None
    assert emulator.state.accounts[SN]["password_renewals"] == 1


def test_password_needs_status_success(client, emulator):
    emulator.state.accounts[SN]["settings"]["status"] = "ERROR"
    with pytest.raises(ovh.exceptions.ResourceConflictError):
        client.post("/sms/%s/smpp/password" % SN)
    with pytest.raises(ovh.exceptions.BadParametersError):
        client.post("/sms/sms-ab12345-1/smpp/password")


def test_unknown_field_and_enum_violation_are_refused(client, emulator):
    with pytest.raises(ovh.exceptions.BadParametersError) as caught:
        client.put("/sms/%s" % SN, automaticRecreditAmount=1000, colour="blue")
    assert "colour" in str(caught.value)
    with pytest.raises(ovh.exceptions.BadParametersError) as caught:
        client.put("/sms/%s" % SN, automaticRecreditAmount=123)
    assert "automaticRecreditAmount" in str(caught.value)
    client.put("/sms/%s" % SN, automaticRecreditAmount=None, creditThresholdForAutomaticRecredit=10)
    assert client.get("/sms/%s" % SN)["automaticRecreditAmount"] is None


def test_eleventh_ip_and_cidr_are_refused_with_nothing_changed(client, emulator):
    path = "/sms/%s/smpp/allowedIPs" % SN
    before = client.get(path)
    with pytest.raises(ovh.exceptions.BadParametersError):
        client.put(path, action="add", ips=["198.51.100.%d" % i for i in range(1, 9)])
    with pytest.raises(ovh.exceptions.BadParametersError) as caught:
        client.put(path, action="add", ips=["198.51.100.0/24"])
    assert "198.51.100.0/24" in str(caught.value)
    assert client.get(path) == before


def test_ip_change_goes_through_updating_ip(client, emulator):
    path = "/sms/%s/smpp/allowedIPs" % SN
    result = client.put(path, action="add", ips=["2001:DB8:0:0::99", "203.0.113.10"])
    assert "2001:db8::99" in result and result.count("203.0.113.10") == 1
    assert client.get("/sms/%s/smpp/settings" % SN)["status"] == "UPDATING_IP"
    time.sleep(0.4)
    assert client.get("/sms/%s/smpp/settings" % SN)["status"] == "SUCCESS"
    client.put(path, action="remove", ips=["198.51.100.77"])  # absent: a no-op
    assert client.get("/sms/%s/smpp/settings" % SN)["status"] == "SUCCESS"


def test_empty_list_means_waiting_ip(client):
    assert client.get("/sms/smpp-ab12345-3/smpp/settings")["status"] == "WAITING_IP"


def test_credit_transfer_rules(client, emulator):
    path = "/sms/%s/transferCredits" % SN
    for credits, target in ((0, "smpp-ab12345-2"), (-5, "smpp-ab12345-2"), (10, SN), (10 ** 6, "smpp-ab12345-2")):
        with pytest.raises(ovh.exceptions.BadParametersError):
            client.post(path, credits=credits, smsAccountTarget=target)
    with pytest.raises(ovh.exceptions.ResourceNotFoundError):
        client.post(path, credits=1, smsAccountTarget="sms-zz0000-1")
    client.post(path, credits=100, smsAccountTarget="smpp-ab12345-2")
    assert client.get("/sms/%s" % SN)["creditsLeft"] == 1400
    assert client.get("/sms/smpp-ab12345-2")["creditsLeft"] == 300


def test_senders_lifecycle_and_batch(client, emulator):
    base = "/sms/smpp-ab12345-2/senders"
    client.post(base, sender="NEWBRAND", description="x", reason="brand")
    assert client.get(base + "/NEWBRAND")["status"] == "waitingValidation"
    with pytest.raises(ovh.exceptions.BadParametersError):
        client.put(base + "/NEWBRAND", status="enable")
    requests.post(emulator.root_url + "/_emulator/accounts/smpp-ab12345-2/senders/NEWBRAND/approve", timeout=5)
    client.put(base + "/NEWBRAND", status="disable", description="y")
    batch = client.raw_call("GET", base + "/ACMETEST%7CNEWBRAND%7CGHOST", headers={"X-Ovh-Batch": "|"}).json()
    assert [(item["key"], (item["value"] or {}).get("status")) for item in batch] == [
        ("ACMETEST", "enable"), ("NEWBRAND", "disable"), ("GHOST", None)]
    client.delete(base + "/NEWBRAND")
    assert "NEWBRAND" not in client.get(base)


def test_tags_v2_mirrored_in_1_0(client):
    encoded = requests.utils.quote(URN, safe="")
    client.delete("/v2/iam/resource/%s/tag/smppops-password-rotated-at" % encoded)
    client.post("/v2/iam/resource/%s/tag" % encoded, key="smppops-password-rotated-at", value="2026-11-24T10:00:00Z")
    assert client.get("/sms/%s" % SN)["iam"]["tags"]["smppops-password-rotated-at"] == "2026-11-24T10:00:00Z"
    assert client.get("/v2/iam/resource/%s" % URN)["tags"]["ovh:product"] == "sms"
    with pytest.raises(ovh.exceptions.BadParametersError):
        client.post("/v2/iam/resource/%s/tag" % encoded, key="ovh:mine", value="x")
    with pytest.raises(ovh.exceptions.BadParametersError):
        client.post("/v2/iam/resource/%s/tag" % encoded, key="k", value="has space")
    client.delete("/v2/iam/resource/%s/tag/smppops-password-rotated-at" % encoded)
    assert "smppops-password-rotated-at" not in client.get("/sms/%s" % SN)["iam"]["tags"]
    with pytest.raises(ovh.exceptions.ResourceNotFoundError):
        client.get("/v2/iam/resource/urn:v1:eu:resource:sms:nope")


def test_adding_an_existing_tag_is_refused_unless_configured_to_replace(client, emulator):
    encoded = requests.utils.quote(URN, safe="")
    path = "/v2/iam/resource/%s/tag" % encoded
    with pytest.raises(ovh.exceptions.APIError) as caught:
        client.post(path, key="smppops-password-rotated-at", value="2026-11-24T10:00:00Z")
    assert caught.value.response.status_code == 409
    client.put("/v2/iam/resource/%s" % encoded, tags={"smppops-password-rotated-at": "2026-11-24T10:00:00Z"})
    assert client.get("/sms/%s" % SN)["iam"]["tags"]["smppops-password-rotated-at"] == "2026-11-24T10:00:00Z"
    emulator.state.config["tag_add_existing"] = "replace"
    client.post(path, key="smppops-password-rotated-at", value="2026-11-25T10:00:00Z")
    assert client.get("/v2/iam/resource/%s" % URN)["tags"]["smppops-password-rotated-at"] == "2026-11-25T10:00:00Z"


def test_iam_tags_filter_on_list(client):
    import json
    filtered = client.get("/sms", iamTags=json.dumps({"smppops-password-rotated-at": [{"operator": "EXISTS"}]}))
    assert filtered == [SN]


def test_faults_and_log(client, emulator):
    rule = {"method": "GET", "path": "/1.0/sms", "kind": "status", "status": 429, "retry_after": 2, "times": 1}
    requests.post(emulator.root_url + "/_emulator/faults", json=rule, timeout=5)
    answer = client.raw_call("GET", "/sms")
    assert answer.status_code == 429 and answer.headers["Retry-After"] == "2"
    assert client.get("/sms")
    statuses = [item["status"] for item in requests.get(emulator.root_url + "/_emulator/log", timeout=5).json()["requests"]
                if item["path"] == "/1.0/sms"]
    assert statuses[-2:] == [429, 200]


@pytest.mark.parametrize("kind,applied", [("drop_after_commit", True), ("drop_before_commit", False)])
def test_connection_drops(client, emulator, kind, applied):
    rule = {"method": "POST", "path": "/1.0/sms/*/transferCredits", "kind": kind}
    requests.post(emulator.root_url + "/_emulator/faults", json=rule, timeout=5)
    with pytest.raises(ovh.exceptions.HTTPError):
        client.post("/sms/%s/transferCredits" % SN, credits=10, smsAccountTarget="smpp-ab12345-2")
    assert emulator.state.accounts[SN]["credits_left"] == (1490 if applied else 1500)


def test_void_styles(client, emulator):
    emulator.state.config["void_style"] = "204"
    assert client.raw_call("PUT", "/sms/%s" % SN, data={"description": "a"}).status_code == 204
    emulator.state.config["void_style"] = "empty"
    answer = client.raw_call("PUT", "/sms/%s" % SN, data={"description": "b"})
    assert answer.status_code == 200 and answer.text == ""


def test_command_line_serves_and_refuses_non_loopback():
    process = subprocess.Popen([sys.executable, "-m", "tests.emulator", "--port", "0"], stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        assert "listening on http://127.0.0.1:" in line
        root = line.strip().rsplit(" ", 1)[-1]
        assert isinstance(requests.get(root + "/1.0/auth/time", timeout=5).json(), int)
    finally:
        process.terminate()
        process.wait(10)
    refused = subprocess.run([sys.executable, "-m", "tests.emulator", "--host", "192.0.2.1", "--port", "0"],
                             capture_output=True, text=True, timeout=30, check=False)
    assert refused.returncode != 0 and "loopback" in refused.stderr
