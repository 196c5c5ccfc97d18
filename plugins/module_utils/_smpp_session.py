# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One SMPP client connection (TCP or TLS 1.3) with an overall deadline, standard library only (private)."""

from __future__ import annotations

import socket
import ssl
import time
from datetime import datetime, timezone

from ansible_collections.smppops.ovh.plugins.module_utils import _smpp_pdu as smpp


class Deadline:
    """The whole check gets ``seconds``; each network wait gets what is left of it."""

    def __init__(self, seconds):
        self.end = time.monotonic() + seconds

    def left(self):
        remaining = self.end - time.monotonic()
        if remaining <= 0:
            raise socket.timeout("the deadline passed")
        return remaining


def tls_context(validate_certs, ca_path):
    """TLS 1.3 at least (OVH's secured endpoint refuses anything older); certificates checked unless told not to."""
    if validate_certs:
        context = ssl.create_default_context(cafile=ca_path)
    else:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    return context


def _name(parts):
    return ", ".join("%s=%s" % item for rdn in parts or () for item in rdn)


def certificate_facts(sock):
    """Subject, issuer and expiry of the gateway's certificate (known only when it was verified)."""
    cert = sock.getpeercert()
    if not cert:
        return None
    not_after = datetime.fromtimestamp(ssl.cert_time_to_seconds(cert["notAfter"]), tz=timezone.utc)
    return {
        "subject": _name(cert.get("subject")),
        "issuer": _name(cert.get("issuer")),
        "not_after": not_after.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "days_left": int((not_after - datetime.now(timezone.utc)).total_seconds() // 86400),
    }


class Session:
    """Connects, sends requests and waits for their responses, answering what the gateway asks meanwhile."""

    def __init__(self, host, port, deadline, source_address=None, context=None):
        self.deadline = deadline
        self.sequence = 0
        self.tls = None
        raw = socket.create_connection((host, port), timeout=deadline.left(),
                                       source_address=(source_address, 0) if source_address else None)
        # Small PDUs go out at once (Nagle would hold the bind behind TLS 1.3's session tickets for an ACK).
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.local_address = raw.getsockname()[0]
        self.remote_address = raw.getpeername()[0]
        if context is None:
            self.sock = raw
            return
        try:
            raw.settimeout(deadline.left())
            self.sock = context.wrap_socket(raw, server_hostname=host)
        except Exception:
            raw.close()
            raise
        self.tls = {"version": self.sock.version(), "cipher": self.sock.cipher()[0],
                    "certificate": certificate_facts(self.sock)}

    def next_sequence(self):
        self.sequence += 1
        return self.sequence

    def _read_exact(self, size):
        data = b""
        while len(data) < size:
            self.sock.settimeout(self.deadline.left())
            chunk = self.sock.recv(size - len(data))
            if not chunk:
                raise ConnectionResetError("the gateway closed the connection")
            data += chunk
        return data

    def read_pdu(self):
        header = smpp.parse_header(self._read_exact(smpp.HEADER_SIZE))
        body = self._read_exact(header["length"] - smpp.HEADER_SIZE)
        return header, body

    def send(self, data):
        self.sock.settimeout(self.deadline.left())
        self.sock.sendall(data)

    def request(self, data):
        """Send one request PDU and return (header, body) of its response."""
        sequence = smpp.HEADER.unpack(data[:smpp.HEADER_SIZE])[3]
        self.send(data)
        while True:
            header, body = self.read_pdu()
            if header["sequence"] == sequence and header["command_id"] & smpp.RESPONSE_BIT:
                return header, body
            if header["command"] in ("enquire_link", "deliver_sm"):
                # The gateway may probe us, or deliver a receipt, while we wait (a receiver must acknowledge).
                self.send(smpp.response(header, b"\x00" if header["command"] == "deliver_sm" else b""))
            elif header["command"] == "unbind":
                self.send(smpp.response(header))
                raise ConnectionResetError("the gateway unbound the session")
            elif header["command"] == "generic_nack":
                return header, body

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass
