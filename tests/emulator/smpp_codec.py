"""The gateway's SMPP 3.4 wire format, written apart from the collection's client on purpose.

The collection's module and this gateway must not share one misunderstanding of SMPP 3.4: neither
imports the other's codec, and both are tested against smpplib (an independent implementation).
"""

import struct

GENERIC_NACK = 0x80000000
BIND_RECEIVER = 0x00000001
BIND_TRANSMITTER = 0x00000002
SUBMIT_SM = 0x00000004
DELIVER_SM_RESP = 0x80000005
UNBIND = 0x00000006
UNBIND_RESP = 0x80000006
BIND_TRANSCEIVER = 0x00000009
ENQUIRE_LINK = 0x00000015
ENQUIRE_LINK_RESP = 0x80000015
BIND_MODES = {BIND_RECEIVER: "receiver", BIND_TRANSMITTER: "transmitter", BIND_TRANSCEIVER: "transceiver"}
# What OVH's SMSC refuses (OVH SMPP specification: not supported), answered with ESME_RINVCMDID.
UNSUPPORTED = {0x00000003: "query_sm", 0x00000007: "replace_sm", 0x00000008: "cancel_sm", 0x0000000B: "outbind",
               0x00000021: "submit_multi", 0x00000102: "alert_notification", 0x00000103: "data_sm"}

ROK = 0x00
RINVMSGLEN = 0x01
RINVCMDLEN = 0x02
RINVCMDID = 0x03
RINVBNDSTS = 0x04
RALYBND = 0x05
RSYSERR = 0x08
RINVDSTADR = 0x0B
RBINDFAIL = 0x0D
RINVPASWD = 0x0E
RINVSYSID = 0x0F
RSUBMITFAIL = 0x45
RINVDSTTON = 0x50
RINVDSTNPI = 0x51
RTHROTTLED = 0x58
RBINDTHROTTLED = 0x400
RUNSDATACODING = 0x401

HEADER = struct.Struct(">LLLL")


class Malformed(Exception):
    """A PDU body that does not follow SMPP 3.4; ``status`` is the command_status to answer with."""

    def __init__(self, message, status=RINVCMDLEN):
        Exception.__init__(self, message)
        self.status = status


class Reader:
    """Reads the fields of one PDU body in order."""

    def __init__(self, body):
        self.body = body
        self.pos = 0

    def cstring(self, limit, field):
        end = self.body.find(b"\x00", self.pos)
        if end < 0 or end - self.pos + 1 > limit:
            raise Malformed("%s is not a C-Octet String of at most %d octets" % (field, limit))
        value = self.body[self.pos:end].decode("latin-1")
        self.pos = end + 1
        return value

    def octet(self, field):
        if self.pos >= len(self.body):
            raise Malformed("%s is missing" % field)
        value = self.body[self.pos]
        self.pos += 1
        return value

    def octets(self, count, field):
        if self.pos + count > len(self.body):
            raise Malformed("%s is shorter than its length" % field, RINVMSGLEN)
        value = self.body[self.pos:self.pos + count]
        self.pos += count
        return value


def read_bind(body):
    reader = Reader(body)
    bind = {"system_id": reader.cstring(16, "system_id"), "password": reader.cstring(9, "password"),
            "system_type": reader.cstring(13, "system_type"), "interface_version": reader.octet("interface_version"),
            "addr_ton": reader.octet("addr_ton"), "addr_npi": reader.octet("addr_npi"),
            "address_range": reader.cstring(41, "address_range")}
    return bind


def read_submit_sm(body):
    reader = Reader(body)
    submit = {"service_type": reader.cstring(6, "service_type"), "source_addr_ton": reader.octet("source_addr_ton"),
              "source_addr_npi": reader.octet("source_addr_npi"), "source_addr": reader.cstring(21, "source_addr"),
              "dest_addr_ton": reader.octet("dest_addr_ton"), "dest_addr_npi": reader.octet("dest_addr_npi"),
              "destination_addr": reader.cstring(21, "destination_addr"), "esm_class": reader.octet("esm_class"),
              "protocol_id": reader.octet("protocol_id"), "priority_flag": reader.octet("priority_flag"),
              "schedule_delivery_time": reader.cstring(17, "schedule_delivery_time"),
              "validity_period": reader.cstring(17, "validity_period"),
              "registered_delivery": reader.octet("registered_delivery"),
              "replace_if_present_flag": reader.octet("replace_if_present_flag"),
              "data_coding": reader.octet("data_coding"), "sm_default_msg_id": reader.octet("sm_default_msg_id")}
    length = reader.octet("sm_length")
    submit["short_message"] = reader.octets(length, "short_message")
    return submit


def encode(command_id, status, sequence, body=b""):
    return HEADER.pack(HEADER.size + len(body), command_id, status, sequence) + body


def cstring(text):
    return text.encode("latin-1") + b"\x00"


def bind_resp(command_id, status, sequence, system_id):
    """bind_*_resp: the SMSC's system_id and the sc_interface_version TLV (0x0210 = 0x34) when bound."""
    body = cstring(system_id) + struct.pack(">HHB", 0x0210, 1, 0x34) if status == ROK else b""
    return encode(command_id | 0x80000000, status, sequence, body)


# GSM 03.38 default alphabet (unpacked, one octet per character) and its extension table after 0x1B.
GSM7 = ("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
        "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXT = {0x0A: "\f", 0x14: "^", 0x28: "{", 0x29: "}", 0x2F: "\\", 0x3C: "[", 0x3D: "~", 0x3E: "]", 0x40: "|",
            0x65: "€"}


def decode_text(data_coding, data):
    """The text of a short message, or None for a data coding OVH does not support (GSM 03.38 or UCS2 only)."""
    if data_coding == 0x08:
        return data.decode("utf-16-be", "replace")
    if data_coding != 0x00:
        return None
    chars, escape = [], False
    for octet in data:
        if escape:
            chars.append(GSM7_EXT.get(octet, "?"))
            escape = False
        elif octet == 0x1B:
            escape = True
        elif octet < 0x80:
            chars.append(GSM7[octet])
        else:
            return None
    return "".join(chars)
