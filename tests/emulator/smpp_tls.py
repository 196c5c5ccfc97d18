"""TLS for the SMPP gateway: a throwaway CA (trustme) and a server context that, like OVH's secured
endpoint, accepts TLS 1.3 only."""

import functools
import ssl

import trustme


# One CA per process and address: making keys is the slow part of starting an in-process emulator per test.
@functools.lru_cache(maxsize=None)
def gateway_tls(host="127.0.0.1"):
    """(server SSLContext, CA certificate PEM text) for a gateway reached as ``host`` or localhost."""
    authority = trustme.CA(organization_name="smppops emulator CA")
    certificate = authority.issue_cert(host, "localhost", common_name="smpp-gateway.emulator.invalid")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    certificate.configure_cert(context)
    return context, authority.cert_pem.bytes().decode("ascii")
