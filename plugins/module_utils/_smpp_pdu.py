# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The few SMPP 3.4 PDUs a bind check needs, with the Python standard library only (private).

It runs on SMPP client hosts, which are not Ansible controllers: no third-party package. Section
numbers are those of the SMPP v3.4 specification (issue 1.2, 12 October 1999):

- 3.2: every PDU is a 16-octet header (command_length, command_id, command_status,
  sequence_number; 4-octet big-endian integers) and a body; command_length counts the header.
- 3.1: a C-Octet String ends with one NULL octet, and its maximum size counts that NULL.
- 4.1.1: bind_transmitter/receiver/transceiver bodies are system_id (16), password (9),
  system_type (13), interface_version (1 octet, 0x34 for 3.4), addr_ton, addr_npi,
  address_range (41). 4.1.2: bind_*_resp is system_id (16) and an optional
  sc_interface_version TLV; after an error the body may be empty.
- 4.2 unbind, 4.11 enquire_link, 4.3 generic_nack: header only.
- 4.4.1: submit_sm body (service_type ... short_message); 4.4.2: submit_sm_resp is
  message_id (65), empty after an error.
- 5.1.2: command_id values; 5.1.3: command_status values. OVH adds 0x400-0x402.
- 5.2.19: data_coding 0 is the SMSC default alphabet (GSM 03.38 for OVH, unpacked), 8 is UCS2.

The encodings are cross-checked against smpplib (an independent implementation) in the tests.
"""

from __future__ import annotations

import struct

HEADER = struct.Struct(">IIII")
HEADER_SIZE = HEADER.size
# Nothing this client expects is larger; a bigger command_length means we are not talking SMPP.
MAX_PDU_SIZE = 64 * 1024
INTERFACE_VERSION = 0x34
RESPONSE_BIT = 0x80000000

COMMAND_IDS = {
    "generic_nack": 0x80000000,
    "bind_receiver": 0x00000001,
    "bind_receiver_resp": 0x80000001,
    "bind_transmitter": 0x00000002,
    "bind_transmitter_resp": 0x80000002,
    "query_sm": 0x00000003,
    "query_sm_resp": 0x80000003,
    "submit_sm": 0x00000004,
    "submit_sm_resp": 0x80000004,
    "deliver_sm": 0x00000005,
    "deliver_sm_resp": 0x80000005,
    "unbind": 0x00000006,
    "unbind_resp": 0x80000006,
    "replace_sm": 0x00000007,
    "replace_sm_resp": 0x80000007,
    "cancel_sm": 0x00000008,
    "cancel_sm_resp": 0x80000008,
    "bind_transceiver": 0x00000009,
    "bind_transceiver_resp": 0x80000009,
    "outbind": 0x0000000B,
    "enquire_link": 0x00000015,
    "enquire_link_resp": 0x80000015,
    "submit_multi": 0x00000021,
    "submit_multi_resp": 0x80000021,
    "alert_notification": 0x00000102,
    "data_sm": 0x00000103,
    "data_sm_resp": 0x80000103,
}
COMMAND_NAMES = dict((value, key) for key, value in COMMAND_IDS.items())
BIND_COMMANDS = {"transmitter": "bind_transmitter", "receiver": "bind_receiver", "transceiver": "bind_transceiver"}

# (name, description) by command_status (5.1.3), and OVH's own values (OVH SMPP specification).
COMMAND_STATUSES = {
    0x00000000: ("ESME_ROK", "No error"),
    0x00000001: ("ESME_RINVMSGLEN", "Message length is invalid"),
    0x00000002: ("ESME_RINVCMDLEN", "Command length is invalid"),
    0x00000003: ("ESME_RINVCMDID", "Invalid command ID"),
    0x00000004: ("ESME_RINVBNDSTS", "Incorrect bind status for the given command"),
    0x00000005: ("ESME_RALYBND", "ESME already in bound state"),
    0x00000006: ("ESME_RINVPRTFLG", "Invalid priority flag"),
    0x00000007: ("ESME_RINVREGDLVFLG", "Invalid registered delivery flag"),
    0x00000008: ("ESME_RSYSERR", "System error"),
    0x0000000A: ("ESME_RINVSRCADR", "Invalid source address"),
    0x0000000B: ("ESME_RINVDSTADR", "Invalid destination address"),
    0x0000000C: ("ESME_RINVMSGID", "Message ID is invalid"),
    0x0000000D: ("ESME_RBINDFAIL", "Bind failed"),
    0x0000000E: ("ESME_RINVPASWD", "Invalid password"),
    0x0000000F: ("ESME_RINVSYSID", "Invalid system ID"),
    0x00000011: ("ESME_RCANCELFAIL", "Cancel SM failed"),
    0x00000013: ("ESME_RREPLACEFAIL", "Replace SM failed"),
    0x00000014: ("ESME_RMSGQFUL", "Message queue full"),
    0x00000015: ("ESME_RINVSERTYP", "Invalid service type"),
    0x00000033: ("ESME_RINVNUMDESTS", "Invalid number of destinations"),
    0x00000034: ("ESME_RINVDLNAME", "Invalid distribution list name"),
    0x00000040: ("ESME_RINVDESTFLAG", "Destination flag is invalid"),
    0x00000042: ("ESME_RINVSUBREP", "Invalid submit with replace request"),
    0x00000043: ("ESME_RINVESMCLASS", "Invalid esm_class field data"),
    0x00000044: ("ESME_RCNTSUBDL", "Cannot submit to distribution list"),
    0x00000045: ("ESME_RSUBMITFAIL", "submit_sm or submit_multi failed"),
    0x00000048: ("ESME_RINVSRCTON", "Invalid source address TON"),
    0x00000049: ("ESME_RINVSRCNPI", "Invalid source address NPI"),
    0x00000050: ("ESME_RINVDSTTON", "Invalid destination address TON"),
    0x00000051: ("ESME_RINVDSTNPI", "Invalid destination address NPI"),
    0x00000053: ("ESME_RINVSYSTYP", "Invalid system_type field"),
    0x00000054: ("ESME_RINVREPFLAG", "Invalid replace_if_present flag"),
    0x00000055: ("ESME_RINVNUMMSGS", "Invalid number of messages"),
    0x00000058: ("ESME_RTHROTTLED", "Throttling error (ESME has exceeded allowed message limits)"),
    0x00000061: ("ESME_RINVSCHED", "Invalid scheduled delivery time"),
    0x00000062: ("ESME_RINVEXPIRY", "Invalid message validity period (expiry time)"),
    0x00000063: ("ESME_RINVDFTMSGID", "Predefined message invalid or not found"),
    0x00000064: ("ESME_RX_T_APPN", "ESME receiver temporary app error code"),
    0x00000065: ("ESME_RX_P_APPN", "ESME receiver permanent app error code"),
    0x00000066: ("ESME_RX_R_APPN", "ESME receiver reject message error code"),
    0x00000067: ("ESME_RQUERYFAIL", "query_sm request failed"),
    0x000000C0: ("ESME_RINVOPTPARSTREAM", "Error in the optional part of the PDU body"),
    0x000000C1: ("ESME_ROPTPARNOTALLWD", "Optional parameter not allowed"),
    0x000000C2: ("ESME_RINVPARLEN", "Invalid parameter length"),
    0x000000C3: ("ESME_RMISSINGOPTPARAM", "Expected optional parameter missing"),
    0x000000C4: ("ESME_RINVOPTPARAMVAL", "Invalid optional parameter value"),
    0x000000FE: ("ESME_RDELIVERYFAILURE", "Delivery failure (used for data_sm_resp)"),
    0x000000FF: ("ESME_RUNKNOWNERR", "Unknown error"),
    0x00000400: ("ESME_RBINDTHROTTLED", "Too many bind authentications (OVH)"),
    0x00000401: ("ESME_RUNSDATACODING", "Data coding not supported (OVH)"),
    0x00000402: ("ESME_RINVGSM7CODING", "GSM 7-bit encoding issue (OVH)"),
}

# GSM 03.38 default alphabet, one character per code 0x00-0x7F (0x1B is the escape to the extension table).
GSM7_BASIC = (
    u"@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    u"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = {u"\f": 0x0A, u"^": 0x14, u"{": 0x28, u"}": 0x29, u"\\": 0x2F, u"[": 0x3C, u"~": 0x3D,
                  u"]": 0x3E, u"|": 0x40, u"€": 0x65}
DATA_CODING_DEFAULT = 0x00
DATA_CODING_UCS2 = 0x08
MAX_SHORT_MESSAGE = 254


class PduError(Exception):
    """Bytes that are not the SMPP 3.4 this client understands."""


def status_name(status):
    return COMMAND_STATUSES.get(status, ("0x%08X" % status, "Unknown or reserved command_status"))[0]


def status_description(status):
    return COMMAND_STATUSES.get(status, ("", "Unknown or reserved command_status"))[1]


def c_octet(text, max_size, field):
    """A C-Octet String (3.1): ASCII text and its NULL, at most ``max_size`` octets in all."""
    try:
        data = (text or u"").encode("ascii")
    except UnicodeEncodeError:
        # Never quote the value: the field may be the password.
        raise ValueError("%s must be ASCII text" % field)
    if b"\x00" in data:
        raise ValueError("%s must not contain a NUL character" % field)
    if len(data) + 1 > max_size:
        raise ValueError("%s is %d characters long; SMPP 3.4 allows at most %d" % (field, len(data), max_size - 1))
    return data + b"\x00"


def pdu(command, sequence, body=b"", status=0):
    """A whole PDU: header (3.2) and body."""
    return HEADER.pack(HEADER_SIZE + len(body), COMMAND_IDS[command], status, sequence) + body


def bind(bind_type, sequence, system_id, password, system_type=u"", addr_ton=0, addr_npi=0, address_range=u""):
    """bind_transmitter / bind_receiver / bind_transceiver (4.1.1)."""
    body = (c_octet(system_id, 16, "system_id") + c_octet(password, 9, "password")
            + c_octet(system_type, 13, "system_type") + struct.pack(">BBB", INTERFACE_VERSION, addr_ton, addr_npi)
            + c_octet(address_range, 41, "address_range"))
    return pdu(BIND_COMMANDS[bind_type], sequence, body)


def gsm7_encode(text):
    """The unpacked GSM 03.38 form (one octet per septet), or None when the text needs UCS2."""
    out = bytearray()
    for char in text:
        index = GSM7_BASIC.find(char)
        if index >= 0 and char != u"\x1b":
            out.append(index)
        elif char in GSM7_EXTENSION:
            out.extend((0x1B, GSM7_EXTENSION[char]))
        else:
            return None
    return bytes(out)


def encode_text(text):
    """(data_coding, short_message): the GSM 7-bit default alphabet when it can carry the text, else UCS2."""
    data = gsm7_encode(text)
    if data is not None:
        return DATA_CODING_DEFAULT, data
    return DATA_CODING_UCS2, text.encode("utf-16-be")


def address_type(address):
    """(TON, NPI) of a source address as OVH documents them: alphanumeric 5/0, short code 3/1, international 1/1."""
    if address.isdigit():
        return (3, 1) if len(address) <= 8 else (1, 1)
    return 5, 0


def submit_sm(sequence, destination, text, source=u"", registered_delivery=1):
    """submit_sm (4.4.1) to an international number (TON 1, NPI 1, digits without "+")."""
    data_coding, message = encode_text(text)
    if len(message) > MAX_SHORT_MESSAGE:
        raise ValueError("the text takes %d octets; one submit_sm carries at most %d" % (len(message), MAX_SHORT_MESSAGE))
    source_ton, source_npi = address_type(source) if source else (0, 0)
    body = (c_octet(u"", 6, "service_type")
            + struct.pack(">BB", source_ton, source_npi) + c_octet(source, 21, "source_addr")
            + struct.pack(">BB", 1, 1) + c_octet(destination, 21, "destination_addr")
            + struct.pack(">BBB", 0, 0, 0)  # esm_class, protocol_id, priority_flag
            + c_octet(u"", 17, "schedule_delivery_time") + c_octet(u"", 17, "validity_period")
            + struct.pack(">BBBBB", registered_delivery, 0, data_coding, 0, len(message)) + message)
    return pdu("submit_sm", sequence, body)


def response(request_header, body=b"", status=0):
    """The response to a request (its command_id with the response bit, same sequence_number)."""
    command_id = request_header["command_id"] | RESPONSE_BIT
    return HEADER.pack(HEADER_SIZE + len(body), command_id, status, request_header["sequence"]) + body


def parse_header(data):
    length, command_id, status, sequence = HEADER.unpack(data[:HEADER_SIZE])
    if length < HEADER_SIZE or length > MAX_PDU_SIZE:
        raise PduError("command_length %d is not a plausible SMPP PDU length" % length)
    return {"length": length, "command_id": command_id, "command": COMMAND_NAMES.get(command_id),
            "status": status, "sequence": sequence}


def read_c_octet(body, offset, max_size):
    """(text, next offset) of a C-Octet String; a missing NULL at the end of the body is tolerated."""
    end = body.find(b"\x00", offset, offset + max_size)
    if end < 0:
        end = min(len(body), offset + max_size)
        return body[offset:end].decode("ascii", "replace"), end
    return body[offset:end].decode("ascii", "replace"), end + 1


def parse_tlvs(body, offset):
    """{tag: value} of the optional parameters (3.2.1) from ``offset`` on."""
    tlvs = {}
    while offset + 4 <= len(body):
        tag, size = struct.unpack(">HH", body[offset:offset + 4])
        tlvs[tag] = body[offset + 4:offset + 4 + size]
        offset += 4 + size
    return tlvs


def parse_bind_resp(body):
    """system_id and sc_interface_version (TLV 0x0210) of a bind_*_resp (4.1.2)."""
    system_id, offset = read_c_octet(body, 0, 16)
    version = parse_tlvs(body, offset).get(0x0210)
    return {"system_id": system_id, "sc_interface_version": version[0] if version else None}


def parse_submit_sm_resp(body):
    """message_id of a submit_sm_resp (4.4.2)."""
    return read_c_octet(body, 0, 65)[0]
