"""``python -m tests.emulator --host 127.0.0.1 --port 8080 --state tests/emulator/seed.yml``"""

import argparse
import faulthandler
import signal
import sys

from .server import EmulatorServer


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tests.emulator", description="Local OVH API emulator (SMS/SMPP, IAM tags).")
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port; 0 picks a free one (default 8080)")
    parser.add_argument("--state", default=None, help="YAML seed file (default: the shipped seed.yml)")
    parser.add_argument("--no-smpp-gateway", dest="smpp_gateway", action="store_false",
                        help="do not run the SMPP gateway (settings.endpoints then keep the seed's values)")
    parser.add_argument("--smpp-ca-file", default=None,
                        help="write the PEM of the CA that signed the SMPP gateway's TLS certificate there")
    args = parser.parse_args(argv)
    # `kill -USR1 <pid>` prints every thread's stack: how to see where a stuck emulator waits.
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    try:
        server = EmulatorServer(seed=args.state, host=args.host, port=args.port, smpp_gateway=args.smpp_gateway)
    except ValueError as exc:
        parser.error(str(exc))
    if server.gateway is not None and args.smpp_ca_file:
        with open(args.smpp_ca_file, "w", encoding="ascii") as handle:
            handle.write(server.gateway.ca_pem)
    # The first line is the one scripts wait for (tests/tools/emulator_process.py).
    print("emulator listening on %s" % server.root_url, flush=True)
    if server.gateway is not None:
        for name, endpoint in server.gateway.endpoints.items():
            print("SMPP gateway of %s on %s (TLS) and %s (plain)" % (name, endpoint["secured"], endpoint["unsecured"]),
                  flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
