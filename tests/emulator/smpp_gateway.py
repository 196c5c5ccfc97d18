"""The emulator as OVH's SMPP gateway (SMSC): SMPP 3.4 over TCP and over TLS 1.3, on loopback.

Each SMPP account of the seed gets its own plain and TLS listeners (its settings.endpoints), which know
only that account's system ID (ESME_RINVSYSID for any other). A bind succeeds only with the account's
*current* password (a renewal through the API changes it, see state.renew_password), from a source
address in the allowed-IP list, with the settings status SUCCESS, and within the bind rate
(ESME_RBINDTHROTTLED). submit_sm is limited by throughput (per second, per connection) and windowing
(unanswered submit_sm per connection), and lands in the outgoing history with credits debited.
"""

import ipaddress
import queue
import socket
import socketserver
import ssl
import threading
import time
import uuid
from datetime import datetime, timezone

from . import smpp_codec as wire

SMSC_SYSTEM_ID = "OVHSMSC"


def _utc(moment):
    return datetime.fromtimestamp(moment, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Connection(socketserver.BaseRequestHandler):
    """One ESME connection: PDUs are read in order; submit_sm answers may be delayed (windowing)."""

    def setup(self):
        self.gateway = self.server.gateway
        self.world = self.gateway.state
        self.source = self.client_address[0]
        self.account_name = None
        self.mode = None
        self.send_lock = threading.Lock()
        self.window_lock = threading.Lock()
        self.submits = []          # times of accepted submit_sm, for throughput
        self.unanswered = 0        # submit_sm not yet answered, for windowing
        self.answers = queue.Queue()
        self.closed = False
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.server.tls_context is not None:
            self.request.settimeout(10)
            self.request = self.server.tls_context.wrap_socket(self.request, server_side=True)
        self.request.settimeout(None)
        threading.Thread(target=self._answer_later, daemon=True).start()

    def handle(self):
        try:
            while True:
                header = self._read(wire.HEADER.size)
                if header is None:
                    return
                length, command_id, unused_status, sequence = wire.HEADER.unpack(header)
                if length < wire.HEADER.size or length > 65536:
                    self._send(wire.encode(wire.GENERIC_NACK, wire.RINVCMDLEN, sequence))
                    return
                body = self._read(length - wire.HEADER.size)
                if body is None:
                    return
                if not self._dispatch(command_id, sequence, body):
                    return
        except (OSError, ssl.SSLError):
            return

    def finish(self):
        self.closed = True
        self.answers.put(None)
        self.gateway.record(self.account_name, "closed", self.source, self.mode)

    # Transport ------------------------------------------------------------------------------
    def _read(self, size):
        data = b""
        while len(data) < size:
            chunk = self.request.recv(size - len(data))
            if not chunk:
                return None
            data += chunk
        return data

    def _send(self, data):
        with self.send_lock:
            self.request.sendall(data)

    def _answer_later(self):
        """Sends delayed submit_sm answers in order (the gateway's processing time)."""
        while True:
            item = self.answers.get()
            if item is None:
                return
            due, data = item
            time.sleep(max(0.0, due - time.monotonic()))
            with self.window_lock:
                self.unanswered -= 1
            if not self.closed:
                try:
                    self._send(data)
                except OSError:
                    return

    # PDUs --------------------------------------------------------------------------------------
    def _dispatch(self, command_id, sequence, body):
        """Answer one PDU; False ends the connection."""
        if command_id in wire.BIND_MODES:
            return self._bind(command_id, sequence, body)
        if command_id == wire.ENQUIRE_LINK:
            self._send(wire.encode(wire.ENQUIRE_LINK_RESP, wire.ROK, sequence))
            return True
        if command_id == wire.UNBIND:
            self._send(wire.encode(wire.UNBIND_RESP, wire.ROK, sequence))
            return False
        if command_id == wire.SUBMIT_SM:
            self._submit(sequence, body)
            return True
        if command_id in (wire.DELIVER_SM_RESP, wire.ENQUIRE_LINK_RESP, wire.GENERIC_NACK):
            return True
        self._send(wire.encode(command_id | 0x80000000 if command_id in wire.UNSUPPORTED else wire.GENERIC_NACK,
                               wire.RINVCMDID, sequence))
        return True

    def _bind(self, command_id, sequence, body):
        if self.mode is not None:
            self._send(wire.bind_resp(command_id, wire.RALYBND, sequence, SMSC_SYSTEM_ID))
            return True
        try:
            bind = wire.read_bind(body)
        except wire.Malformed as error:
            self._send(wire.bind_resp(command_id, error.status, sequence, SMSC_SYSTEM_ID))
            return False
        status, name = self.gateway.authenticate(bind, self.source, self.server.account_name)
        self.gateway.record(name, "bind", self.source, wire.BIND_MODES[command_id], status=status,
                            system_id=bind["system_id"])
        self._send(wire.bind_resp(command_id, status, sequence, SMSC_SYSTEM_ID))
        if status != wire.ROK:
            return False  # OVH closes the connection after a refused bind
        self.account_name, self.mode = name, wire.BIND_MODES[command_id]
        return True

    def _submit(self, sequence, body):
        def answer(status, message_id=""):
            return wire.encode(0x80000004, status, sequence, wire.cstring(message_id) if status == wire.ROK else b"")

        if self.mode not in ("transmitter", "transceiver"):
            self._send(answer(wire.RINVBNDSTS))
            return
        try:
            submit = wire.read_submit_sm(body)
        except wire.Malformed as error:
            self._send(answer(error.status))
            return
        settings = self.world.accounts[self.account_name]["settings"]
        now = time.monotonic()
        self.submits = [moment for moment in self.submits if now - moment < 1.0]
        with self.window_lock:
            throttled = self.unanswered >= int(settings["windowing"]) or len(self.submits) >= int(settings["throughput"])
            if not throttled:
                self.unanswered += 1
        if throttled:
            self._send(answer(wire.RTHROTTLED))
            return
        self.submits.append(now)
        status, message_id = self.gateway.accept_message(self.account_name, submit)
        self.answers.put((now + float(self.world.config["smpp_submit_seconds"]), answer(status, message_id)))


class _Listener(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, gateway, tls_context, account_name):
        self.gateway = gateway
        self.tls_context = tls_context
        self.account_name = account_name
        socketserver.ThreadingTCPServer.__init__(self, address, Connection)

    @property
    def address(self):
        return "%s:%d" % self.server_address[:2]

    def handle_error(self, request, client_address):
        """A client that hangs up mid-handshake is not the gateway's problem: no traceback on stderr."""


class SmppGateway:
    """``SmppGateway(state, tls_context, ca_pem).start()``; ``endpoints[service_name]`` is what that account's
    settings.endpoints then show."""

    def __init__(self, state, tls_context, ca_pem, host="127.0.0.1"):
        if not ipaddress.ip_address(host).is_loopback:
            raise ValueError("the SMPP gateway listens on loopback addresses only, not %s" % host)
        self.state = state
        self.ca_pem = ca_pem
        self.host = host
        self.listeners = {}
        for name, account in sorted(state.accounts.items()):
            if account["smpp"]:
                self.listeners[name] = {"unsecured": _Listener((host, 0), self, None, name),
                                        "secured": _Listener((host, 0), self, tls_context, name)}
        self.threads = []
        # The sockets already listen (connections wait in the backlog until start()).
        self.state.attach_gateway(self.endpoints, self.ca_pem)

    @property
    def endpoints(self):
        return {name: {kind: listener.address for kind, listener in pair.items()}
                for name, pair in self.listeners.items()}

    def _all_listeners(self):
        return [listener for pair in self.listeners.values() for listener in pair.values()]

    def start(self):
        for listener in self._all_listeners():
            thread = threading.Thread(target=listener.serve_forever, kwargs={"poll_interval": 0.05},
                                      name="smpp-gateway", daemon=True)
            thread.start()
            self.threads.append(thread)
        return self

    def stop(self):
        self.state.attach_gateway(None, None)
        # All at once: each shutdown() waits up to one poll interval.
        stoppers = [threading.Thread(target=listener.shutdown) for listener in self._all_listeners()]
        for stopper in stoppers:
            stopper.start()
        for stopper in stoppers:
            stopper.join(5)
        for listener in self._all_listeners():
            listener.server_close()

    # Rules -----------------------------------------------------------------------------------
    def authenticate(self, bind, source, served):
        """(command_status, account name or None) of a bind from ``source`` on the endpoint of account ``served``."""
        world = self.state
        with world.lock:
            account = world.accounts.get(served)
            if account is not None and account["settings"]["system_id"] != bind["system_id"]:
                account = None
            name = account["service_name"] if account else None
            if self._bind_rate_exceeded(bind["system_id"]):
                return wire.RBINDTHROTTLED, name
            if account is None:
                return wire.RINVSYSID, None
            if bind["password"] != account["password"]:
                return wire.RINVPASWD, name
            if world.settings_status(account) != "SUCCESS":
                return wire.RBINDFAIL, name
            if not _allowed(source, account["allowed_ips"]):
                return wire.RBINDFAIL, name
            return wire.ROK, name

    def _bind_rate_exceeded(self, system_id):
        limit = self.state.config["smpp_binds_per_minute"]
        now = time.monotonic()
        attempts = [moment for moment in self.state.smpp_bind_attempts.get(system_id, []) if now - moment < 60]
        attempts.append(now)
        self.state.smpp_bind_attempts[system_id] = attempts
        return limit is not None and len(attempts) > int(limit)

    def accept_message(self, name, submit):
        """(command_status, message_id): the message in the outgoing history, one credit debited."""
        text = wire.decode_text(submit["data_coding"], submit["short_message"])
        if text is None:
            return wire.RUNSDATACODING, ""
        if submit["dest_addr_ton"] != 1:
            return wire.RINVDSTTON, ""
        if submit["dest_addr_npi"] != 1:
            return wire.RINVDSTNPI, ""
        if not submit["destination_addr"].isdigit():
            return wire.RINVDSTADR, ""
        world = self.state
        with world.lock:
            account = world.accounts[name]
            if float(account["credits_left"]) < 1:
                return wire.RSUBMITFAIL, ""
            account["credits_left"] = float(account["credits_left"]) - 1
            now = world.now()
            message_id = str(uuid.uuid4())
            outgoing = account["outgoing"]
            outgoing.append({
                "id": max([item["id"] for item in outgoing] + [0]) + 1, "creationDatetime": _utc(now),
                "sender": submit["source_addr"], "receiver": "+" + submit["destination_addr"], "message": text,
                "credits": 1, "numberOfSms": 1, "messageLength": len(text), "ptt": 0,
                "deliveryReceipt": submit["registered_delivery"] & 0x03, "differedDelivery": 0, "tag": "",
                "tariffCode": "", "messageID": message_id, "sentAt": _utc(now), "deliveredAt": _utc(now),
                "batchID": None})
        self.record(name, "submit_sm", None, None, message_id=message_id)
        return wire.ROK, message_id

    def record(self, name, event, source, mode, **details):
        with self.state.lock:
            self.state.smpp_log.append(dict({"time": time.time(), "service_name": name, "event": event,
                                             "source": source, "bind_type": mode}, **details))


def _allowed(source, allowed_ips):
    address = ipaddress.ip_address(source)
    if getattr(address, "ipv4_mapped", None):
        address = address.ipv4_mapped
    return any(ipaddress.ip_address(item) == address for item in allowed_ips)
