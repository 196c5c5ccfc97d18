"""Run the emulator on a loopback port, in a thread (tests) or in the foreground (command line)."""

import ipaddress
import threading

from werkzeug.serving import make_server

from .app import create_app
from .state import State


def check_loopback(host):
    if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
        raise ValueError("the emulator listens on loopback addresses only, not %s" % host)


class EmulatorServer:
    """``with EmulatorServer() as server:`` serves the seed on 127.0.0.1:<free port> in a background thread;
    ``smpp_gateway=True`` also starts the SMPP gateway (``server.gateway``), which settings.endpoints then name."""

    def __init__(self, seed=None, host="127.0.0.1", port=0, smpp_gateway=False, **config):
        check_loopback(host)
        self.state = State(seed)
        self.state.config.update(config)
        self.app = create_app(world=self.state)
        self._server = make_server(host, port, self.app, threaded=True)
        self._thread = None
        self.gateway = None
        if smpp_gateway:
            # Imported here: only the gateway needs trustme.
            from .smpp_gateway import SmppGateway
            from .smpp_tls import gateway_tls
            self.gateway = SmppGateway(self.state, *gateway_tls(host), host=host)

    @property
    def root_url(self):
        host, port = self._server.server_address[:2]
        return "http://%s:%d" % (host, port)

    @property
    def base_url(self):
        return self.root_url + "/1.0"

    @property
    def log(self):
        return self.state.log

    def start(self):
        if self.gateway is not None:
            self.gateway.start()
        # A short poll interval keeps stop() fast (the default waits up to 0.5 s).
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="ovh-emulator", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self):
        if self.gateway is not None:
            self.gateway.start()
        self._server.serve_forever()

    def stop(self):
        if self.gateway is not None:
            self.gateway.stop()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
