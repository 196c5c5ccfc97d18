"""The emulator's SMPP gateway, through the module's client and through smpplib (an independent client): every
outcome the bind check reports, from the addresses a client binds from."""

import socket
import ssl
import time

import pytest
import requests
import smpplib.client
import smpplib.consts
import smpplib.exceptions

from ansible_collections.smppops.ovh.plugins.module_utils._smpp_bind_check import ARGUMENT_SPEC, check
from emulator_clients import signed_client
from tests.emulator import EmulatorServer

SN = "smpp-ab12345-1"
SYSTEM_ID = "k3y9q2w7"
PASSWORD = "Gw1pass8"  # seed.yml
INSIDE, OUTSIDE = "127.0.0.2", "127.0.0.3"


@pytest.fixture()
def gateway(tmp_path):
    with EmulatorServer(smpp_gateway=True, ip_update_seconds=0.2) as server:
        server.state.accounts[SN]["allowed_ips"].append(INSIDE)
        server.ca_path = str(tmp_path / "ca.pem")
        with open(server.ca_path, "w", encoding="ascii") as handle:
            handle.write(server.gateway.ca_pem)
        yield server


def endpoint(server, tls=True, name=SN):
    host, port = server.gateway.endpoints[name]["secured" if tls else "unsecured"].rsplit(":", 1)
    return host, int(port)


def params(server, tls=True, **overrides):
    host, port = endpoint(server, tls)
    values = {name: spec.get("default") for name, spec in ARGUMENT_SPEC.items()}
    values.update(host=host, port=port, tls=tls, ca_path=server.ca_path if tls else None, system_id=SYSTEM_ID,
                  password=PASSWORD, source_address=INSIDE, timeout=5)
    values.update(overrides)
    return values


class SourceClient(smpplib.client.Client):
    """smpplib's client, connecting from a chosen loopback address."""

    def __init__(self, host, port, source, **kwargs):
        smpplib.client.Client.__init__(self, host, port, allow_unknown_opt_params=True, **kwargs)
        self.source = source

    def _create_socket(self):
        raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        raw.settimeout(self.timeout)
        raw.bind((self.source, 0))
        return self._ssl_context.wrap_socket(raw, server_hostname=self.host) if self._ssl_context else raw


def smpplib_bind(server, source=INSIDE, password=PASSWORD, system_id=SYSTEM_ID, tls=True, ca=True, name=SN):
    """command_status of smpplib's bind_transceiver (0 when bound)."""
    host, port = endpoint(server, tls, name)
    context = None
    if tls:
        context = ssl.create_default_context(cafile=server.ca_path if ca else None)
    client = SourceClient(host, port, source, ssl_context=context, timeout=5)
    client.connect()
    try:
        client.bind_transceiver(system_id=system_id, password=password)
    except smpplib.exceptions.PDUError as error:
        return error.args[1]
    finally:
        client.disconnect()
    return 0


def mailbox(server):
    return requests.get(server.root_url + "/_emulator/mailbox", params={"service_name": SN}, timeout=5).json()["messages"]


# Outcomes, each through both clients ---------------------------------------------------------------
@pytest.mark.parametrize("tls", [True, False])
def test_good_bind(gateway, tls):
    failed, result = check(params(gateway, tls=tls, enquire_link=True))
    assert not failed, result["msg"]
    assert (result["bound"], result["outcome"], result["command_status_name"]) == (True, "bound", "ESME_ROK")
    assert result["local_address"] == INSIDE and result["enquire_link"]["ok"] and not result["changed"]
    assert result["tls"]["enabled"] is tls
    if tls:
        assert result["tls"]["version"] == "TLSv1.3"
        assert "smpp-gateway.emulator.invalid" in result["tls"]["certificate"]["subject"]
        assert result["tls"]["certificate"]["days_left"] > 0
    assert smpplib_bind(gateway, tls=tls) == 0
    events = [event["event"] for event in gateway.state.smpp_log if event["service_name"] == SN]
    assert events.count("bind") == 2


def test_wrong_password(gateway):
    failed, result = check(params(gateway, password="nope1234"))
    assert failed and result["outcome"] == "refused" and result["command_status_name"] == "ESME_RINVPASWD"
    assert "e-mailed the new one" in result["advice"][0]
    assert "nope1234" not in repr(result)
    assert smpplib_bind(gateway, password="nope1234") == smpplib.consts.SMPP_ESME_RINVPASWD


def test_unknown_system_id(gateway):
    failed, result = check(params(gateway, system_id="unknown1"))
    assert failed and result["command_status_name"] == "ESME_RINVSYSID"
    assert smpplib_bind(gateway, system_id="unknown1") == smpplib.consts.SMPP_ESME_RINVSYSID


def test_renewal_refuses_the_old_password_and_the_mailed_one_binds(gateway):
    signed_client(gateway).post("/sms/%s/smpp/password" % SN)
    assert check(params(gateway))[1]["command_status_name"] == "ESME_RINVPASWD"
    assert smpplib_bind(gateway) == smpplib.consts.SMPP_ESME_RINVPASWD
    (mail,) = mailbox(gateway)
    assert mail["system_id"] == SYSTEM_ID and mail["password"] != PASSWORD and len(mail["password"]) == 8
    assert "password" not in requests.get(gateway.root_url + "/_emulator/accounts/" + SN, timeout=5).json()
    failed, result = check(params(gateway, password=mail["password"]))
    assert not failed and result["bound"]
    assert smpplib_bind(gateway, password=mail["password"]) == 0


def test_source_address_outside_then_inside_the_allowed_list(gateway):
    failed, result = check(params(gateway, source_address=OUTSIDE))
    assert failed and result["command_status_name"] == "ESME_RBINDFAIL" and result["local_address"] == OUTSIDE
    assert "(%s, as the gateway sees it" % OUTSIDE in result["advice"][0]
    assert smpplib_bind(gateway, source=OUTSIDE) == smpplib.consts.SMPP_ESME_RBINDFAIL
    client = signed_client(gateway)
    client.put("/sms/%s/smpp/allowedIPs" % SN, action="add", ips=[OUTSIDE])
    # While OVH applies the change (UPDATING_IP), binds are refused; then the new address binds.
    assert check(params(gateway, source_address=OUTSIDE))[1]["command_status_name"] == "ESME_RBINDFAIL"
    time.sleep(0.3)
    assert check(params(gateway, source_address=OUTSIDE))[1]["bound"]
    assert smpplib_bind(gateway, source=OUTSIDE) == 0


def test_waiting_ip_account_refuses_every_bind(gateway):
    host, port = endpoint(gateway, name="smpp-ab12345-3")
    failed, result = check(params(gateway, port=port, system_id="z5c6n7b8", password="New3pw5z"))
    assert failed and result["command_status_name"] == "ESME_RBINDFAIL"
    assert smpplib_bind(gateway, system_id="z5c6n7b8", password="New3pw5z",
                        name="smpp-ab12345-3") == smpplib.consts.SMPP_ESME_RBINDFAIL


def test_each_account_has_its_own_endpoints(gateway):
    endpoints = gateway.state.accounts["smpp-ab12345-2"]["settings"]["endpoints"]
    assert endpoints == [gateway.gateway.endpoints["smpp-ab12345-2"]]
    assert endpoints[0]["secured"] != gateway.gateway.endpoints[SN]["secured"]
    assert "sms-ab12345-1" not in gateway.gateway.endpoints, "plain SMS accounts have no SMPP endpoint"
    # The staging account's system ID on the production account's endpoint is unknown there.
    failed, result = check(params(gateway, system_id="p8v1m4x0", password="Stg2pw7q"))
    assert failed and result["command_status_name"] == "ESME_RINVSYSID"
    gateway.state.accounts["smpp-ab12345-2"]["allowed_ips"].append(INSIDE)
    host, port = endpoint(gateway, name="smpp-ab12345-2")
    assert check(params(gateway, port=port, system_id="p8v1m4x0", password="Stg2pw7q"))[1]["bound"]


def test_tls_needs_the_gateway_ca(gateway):
    failed, result = check(params(gateway, ca_path=None))
    assert failed and result["outcome"] == "tls_error" and "not trusted" in result["msg"]
    assert "ca_path" in result["advice"][0]
    with pytest.raises(smpplib.exceptions.ConnectionError):
        smpplib_bind(gateway, ca=False)
    failed, result = check(params(gateway, ca_path=None, validate_certs=False))
    assert not failed and result["tls"]["certificate"] is None


def test_tls_client_on_the_plain_port_and_plain_client_on_the_tls_port(gateway):
    host, port = endpoint(gateway, tls=False)
    failed, result = check(params(gateway, port=port))
    assert failed and result["outcome"] in ("tls_error", "closed")
    host, port = endpoint(gateway, tls=True)
    failed, result = check(params(gateway, tls=False, port=port, timeout=1))
    assert failed and result["outcome"] in ("closed", "timeout", "protocol_error")


def test_older_tls_is_refused(gateway):
    host, port = endpoint(gateway)
    context = ssl.create_default_context(cafile=gateway.ca_path)
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    with pytest.raises(ssl.SSLError):
        with socket.create_connection((host, port), timeout=5) as raw:
            context.wrap_socket(raw, server_hostname=host)


def test_gateway_down(gateway):
    gateway.gateway.stop()
    failed, result = check(params(gateway))
    assert failed and result["outcome"] == "unreachable" and "refused" in result["msg"]
    assert "endpoints[].secured" in result["advice"][0]
    with pytest.raises(smpplib.exceptions.ConnectionError):
        smpplib_bind(gateway)
    gateway.gateway = None  # already stopped


def test_timeout_when_nothing_answers():
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # the kernel accepts the connection; nobody ever answers the bind
    try:
        values = {name: spec.get("default") for name, spec in ARGUMENT_SPEC.items()}
        values.update(host="127.0.0.1", port=silent.getsockname()[1], tls=False, system_id=SYSTEM_ID,
                      password=PASSWORD, timeout=0.3)
        failed, result = check(values)
        assert failed and result["outcome"] == "timeout" and "within 0.3 seconds" in result["msg"]
    finally:
        silent.close()


def test_bind_attempts_are_throttled(gateway):
    gateway.state.config["smpp_binds_per_minute"] = 2
    assert check(params(gateway))[1]["bound"]
    assert smpplib_bind(gateway) == 0
    failed, result = check(params(gateway))
    assert failed and result["command_status_name"] == "ESME_RBINDTHROTTLED"
    assert "Too many bind attempts" in result["advice"][0]
    assert smpplib_bind(gateway) == 0x400


# Messages -----------------------------------------------------------------------------------------
def test_test_message_lands_in_the_outgoing_history(gateway):
    before = gateway.state.accounts[SN]["credits_left"]
    message = {"to": "+33601020304", "text": "Test 5€", "sender": "ACME"}
    failed, result = check(params(gateway, test_message=message), check_mode=True)
    assert not failed and result["changed"] and result["test_message"]["sent"] is False
    assert gateway.state.accounts[SN]["credits_left"] == before
    failed, result = check(params(gateway, test_message=message))
    assert not failed and result["changed"] and result["test_message"]["sent"]
    message_id = result["test_message"]["message_id"]
    history = signed_client(gateway).get("/sms/%s/outgoing" % SN)
    item = signed_client(gateway).get("/sms/%s/outgoing/%d" % (SN, max(history)))
    assert (item["messageID"], item["message"], item["receiver"], item["sender"]) == (
        message_id, "Test 5€", "+33601020304", "ACME")
    assert gateway.state.accounts[SN]["credits_left"] == before - 1


def test_smpplib_message_and_receiver_bind(gateway):
    host, port = endpoint(gateway, tls=False)
    client = SourceClient(host, port, INSIDE, timeout=5)
    client.connect()
    client.bind_transceiver(system_id=SYSTEM_ID, password=PASSWORD)
    sent = []
    client.set_message_sent_handler(lambda pdu: sent.append(pdu.message_id))
    client.send_message(source_addr_ton=5, source_addr_npi=0, source_addr="ACME", dest_addr_ton=1, dest_addr_npi=1,
                        destination_addr="33601020304", short_message="Hello".encode("ascii"), data_coding=0)
    client.read_once()
    client.unbind()
    client.disconnect()
    assert sent and sent[0].decode() == gateway.state.accounts[SN]["outgoing"][-1]["messageID"]
    message = {"to": "+33601020304", "text": "x", "sender": ""}
    failed, result = check(params(gateway, bind_type="receiver", test_message=message))
    assert failed and result["test_message"]["command_status_name"] == "ESME_RINVBNDSTS"


def raw_session(server, source=INSIDE):
    """A plain connection bound as transceiver, speaking bytes (to pipeline PDUs)."""
    from ansible_collections.smppops.ovh.plugins.module_utils import _smpp_pdu as pdu
    sock = socket.create_connection(endpoint(server, tls=False), timeout=5, source_address=(source, 0))
    sock.sendall(pdu.bind("transceiver", 1, SYSTEM_ID, PASSWORD))
    return sock, pdu


def read_statuses(sock, pdu, count):
    statuses = []
    for unused in range(count):
        header = b""
        while len(header) < 16:
            header += sock.recv(16 - len(header))
        parsed = pdu.parse_header(header)
        body = b""
        while len(body) < parsed["length"] - 16:
            body += sock.recv(parsed["length"] - 16 - len(body))
        statuses.append((parsed["command"], parsed["status"]))
    return statuses


def test_windowing_throttles_the_eleventh_unanswered_submit(gateway):
    gateway.state.config["smpp_submit_seconds"] = 0.5
    sock, pdu = raw_session(gateway)
    try:
        sock.sendall(b"".join(pdu.submit_sm(2 + index, "33601020304", "w%d" % index) for index in range(11)))
        statuses = read_statuses(sock, pdu, 12)
    finally:
        sock.close()
    assert statuses[0] == ("bind_transceiver_resp", 0)
    # The refusal is immediate, the ten accepted ones come after the processing time.
    assert statuses[1] == ("submit_sm_resp", 0x58)
    assert statuses[2:] == [("submit_sm_resp", 0)] * 10


def test_throughput_throttles_beyond_the_per_second_limit(gateway):
    gateway.state.accounts[SN]["settings"]["throughput"] = 3
    sock, pdu = raw_session(gateway)
    try:
        sock.sendall(b"".join(pdu.submit_sm(2 + index, "33601020304", "t%d" % index) for index in range(4)))
        statuses = read_statuses(sock, pdu, 5)
    finally:
        sock.close()
    # The refusal is answered at once, the accepted ones by the gateway's processing: order is not fixed.
    assert sorted(status for unused, status in statuses[1:]) == [0, 0, 0, 0x58]


def test_unsupported_operations_and_data_coding(gateway):
    sock, pdu = raw_session(gateway)
    try:
        query = pdu.HEADER.pack(16 + 2, 0x00000003, 0, 9) + b"\x00\x00"
        latin1 = bytearray(pdu.submit_sm(10, "33601020304", "abc"))
        latin1[-6] = 0x03  # data_coding Latin-1: OVH takes GSM 03.38 or UCS2 only
        sock.sendall(query + bytes(latin1))
        statuses = read_statuses(sock, pdu, 3)
    finally:
        sock.close()
    assert statuses[1:] == [("query_sm_resp", 0x03), ("submit_sm_resp", 0x401)]


@pytest.mark.parametrize("overrides, message", [
    ({"password": "pässwort"}, "Invalid options: password must be ASCII text"),
    ({"password": "123456789"}, "Invalid options: password is 9 characters long; SMPP 3.4 allows at most 8"),
    ({"port": 70000}, "Invalid options: port must be between 1 and 65535, not 70000"),
    ({"timeout": 0}, "Invalid options: timeout must be more than 0 seconds, not 0"),
    ({"tls": False, "ca_path": "/tmp/ca.pem"}, "Invalid options: ca_path is given but tls is false"),
    ({"source_address": "192.0.2.99"}, "source_address 192.0.2.99 is not an address of this host"),
    ({"test_message": {"to": "hello", "text": "x", "sender": ""}},
     "Invalid options: test_message.to must be an international number"),
    ({"test_message": {"to": "+33601020304", "text": "x" * 255, "sender": ""}},
     "Invalid options: the text takes 255 octets; one submit_sm carries at most 254"),
])
def test_bad_options_are_named_and_nothing_is_sent(gateway, overrides, message):
    before = len(gateway.state.smpp_log)
    failed, result = check(params(gateway, **overrides))
    assert failed and result["outcome"] == "invalid" and result["msg"].startswith(message)
    assert "pässwort" not in repr(result) and "123456789" not in repr(result)
    assert len(gateway.state.smpp_log) == before, "no bind was attempted"


def test_module_refuses_a_gateway_older_than_tls_1_3(tmp_path):
    import threading

    import trustme
    authority = trustme.CA()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    authority.issue_cert("127.0.0.1").configure_cert(context)
    authority.cert_pem.write_to_path(str(tmp_path / "old-ca.pem"))
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def serve():
        connection, unused = listener.accept()
        try:
            context.wrap_socket(connection, server_side=True)
        except (OSError, ssl.SSLError):
            connection.close()

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    try:
        values = {name: spec.get("default") for name, spec in ARGUMENT_SPEC.items()}
        values.update(host="127.0.0.1", port=listener.getsockname()[1], ca_path=str(tmp_path / "old-ca.pem"),
                      system_id=SYSTEM_ID, password=PASSWORD, timeout=5)
        failed, result = check(values)
    finally:
        server.join(5)
        listener.close()
    assert failed and result["outcome"] == "tls_error" and "TLS 1.3" in result["advice"][0]
