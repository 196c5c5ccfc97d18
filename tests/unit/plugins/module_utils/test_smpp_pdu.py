"""The module's SMPP 3.4 encoding, byte for byte against smpplib (an independent implementation)."""

import pytest
import smpplib.command
import smpplib.consts
import smpplib.gsm
import smpplib.smpp

from ansible_collections.smppops.ovh.plugins.module_utils import _smpp_pdu as pdu


class FixedSequence:
    """smpplib's PDUs take their sequence_number from a client object."""

    def __init__(self, sequence):
        self.sequence = sequence

    def next_sequence(self):
        return self.sequence


def smpplib_bytes(command, sequence, **fields):
    made = smpplib.smpp.make_pdu(command, client=FixedSequence(sequence), **fields)
    made.sequence = sequence
    return made.generate()


@pytest.mark.parametrize("bind_type", ["transmitter", "receiver", "transceiver"])
def test_bind_matches_smpplib(bind_type):
    ours = pdu.bind(bind_type, 7, "k3y9q2w7", "s3cr3t!x")
    theirs = smpplib_bytes("bind_" + bind_type, 7, system_id="k3y9q2w7", password="s3cr3t!x", system_type="",
                           addr_ton=0, addr_npi=0, address_range="")
    assert ours == theirs
    assert ours[8:12] == b"\x00\x00\x00\x00" and len(ours) == int.from_bytes(ours[:4], "big")


@pytest.mark.parametrize("command", ["unbind", "enquire_link"])
def test_header_only_pdus_match_smpplib(command):
    assert pdu.pdu(command, 42) == smpplib_bytes(command, 42)


@pytest.mark.parametrize("text, coding", [("Test from smppops 1/2: ok?", 0), ("Prix: 5€ {promo}", 0), ("Привет", 8)])
def test_submit_sm_matches_smpplib(text, coding):
    ours = pdu.submit_sm(3, "33601020304", text, source="ACME")
    parts, encoding, esm_class = smpplib.gsm.make_parts(text)
    assert (encoding, esm_class, len(parts)) == (coding, 0, 1)
    theirs = smpplib_bytes("submit_sm", 3, service_type="", source_addr_ton=5, source_addr_npi=0, source_addr="ACME",
                           dest_addr_ton=1, dest_addr_npi=1, destination_addr="33601020304", esm_class=0,
                           protocol_id=0, priority_flag=0, schedule_delivery_time="", validity_period="",
                           registered_delivery=1, replace_if_present_flag=0, data_coding=coding, sm_default_msg_id=0,
                           short_message=parts[0])
    assert ours == theirs


def test_gsm7_default_alphabet_and_ucs2_fallback():
    # smpplib's table pads unused positions with "`", including 0x5F, which GSM 03.38 gives to "§",
    # and lacks the extension table's form feed (0x1B 0x0A).
    text = "".join(char for char in pdu.GSM7_BASIC if char not in "\x1b§") + "^{}\\[~]|€"
    assert pdu.gsm7_encode(text) == smpplib.gsm.gsm_encode(text)
    assert pdu.gsm7_encode("§\f") == b"\x5f\x1b\x0a"
    assert pdu.encode_text("ça coûte 5 €") == (8, "ça coûte 5 €".encode("utf-16-be"))
    assert pdu.gsm7_encode("`") is None


def test_parses_smpplib_responses():
    made = smpplib.smpp.make_pdu("bind_transceiver_resp", client=FixedSequence(9), system_id="OVHSMSC")
    made.sequence = 9
    data = made.generate()
    header = pdu.parse_header(data)
    assert (header["command"], header["sequence"], header["status"]) == ("bind_transceiver_resp", 9, 0)
    assert pdu.parse_bind_resp(data[pdu.HEADER_SIZE:])["system_id"] == "OVHSMSC"
    made = smpplib.smpp.make_pdu("submit_sm_resp", client=FixedSequence(4), message_id="1b4e28ba-2fa1-11d2-883f")
    made.sequence = 4
    data = made.generate()
    assert pdu.parse_submit_sm_resp(data[pdu.HEADER_SIZE:]) == "1b4e28ba-2fa1-11d2-883f"


def test_command_ids_and_statuses_agree_with_smpplib():
    for name, value in pdu.COMMAND_IDS.items():
        if name in smpplib.command_codes.commands:
            assert smpplib.command_codes.commands[name] == value, name
    for status, (name, unused) in pdu.COMMAND_STATUSES.items():
        constant = getattr(smpplib.consts, "SMPP_" + name, None)
        if constant is not None:
            assert constant == status, name
    assert pdu.status_name(0x400) == "ESME_RBINDTHROTTLED"
    assert pdu.status_name(0x1234) == "0x00001234"


def test_fields_too_long_or_not_ascii_are_refused_before_anything_is_sent():
    with pytest.raises(ValueError, match="password is 9 characters long; SMPP 3.4 allows at most 8"):
        pdu.bind("transceiver", 1, "k3y9q2w7", "123456789")
    with pytest.raises(ValueError, match="system_id"):
        pdu.bind("transceiver", 1, "x" * 16, "p")
    with pytest.raises(ValueError, match="^password must be ASCII text$"):
        pdu.bind("transceiver", 1, "k3y9q2w7", "pässwörd")
    with pytest.raises(ValueError, match="at most 254"):
        pdu.submit_sm(1, "33601020304", "x" * 255)


def test_implausible_length_is_a_protocol_error():
    with pytest.raises(pdu.PduError):
        pdu.parse_header(b"HTTP/1.1 400 Bad")
