# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""IP address normalisation for the SMPP allowed-IP list (private).

OVH's list holds single host addresses, IPv4 or IPv6 (its type is ``ip``, not ``ipBlock``). A
``/32`` or ``/128`` is the same host and is accepted; any other prefix is a network and refused.
IPv6 is compared in canonical (compressed, lower-case) form so ``2001:DB8::1`` equals
``2001:db8:0:0::1``. An IPv4-mapped IPv6 address (``::ffff:203.0.113.10``) is the IPv4 client it
maps, so it becomes that IPv4 address. A scoped address (``fe80::1%eth0``) names one link of one
machine, which OVH can never see: it is refused.
"""

from __future__ import annotations

import ipaddress

from ansible_collections.smppops.ovh.plugins.module_utils._errors import InputError

MAX_ALLOWED_IPS = 10

# Addresses OVH can never see as the source of an SMPP bind from the internet.
_UNREACHABLE_NETWORKS = [ipaddress.ip_network(net) for net in (
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16",
    "fc00::/7", "fe80::/10",
)]


def canonical(value, option="ips"):
    """The canonical text of one host address; InputError naming the value otherwise."""
    text = "" if value is None else str(value).strip()
    if not text:
        raise InputError("%s: an empty value is not an IP address" % option)
    if "%" in text:
        raise InputError("%s: %r is a scoped IPv6 address (a zone after %%), local to one network link; OVH never "
                         "sees it, give the client's public address" % (option, text))
    if "/" in text:
        try:
            network = ipaddress.ip_network(text, strict=False)
        except ValueError:
            raise InputError("%s: %r is not an IP address" % (option, text))
        if network.prefixlen != network.max_prefixlen:
            raise InputError(
                "%s: %s is a network (CIDR); OVH allows single host addresses only (a /%d is accepted)"
                % (option, text, network.max_prefixlen))
        return _unmapped(network.network_address)
    try:
        return _unmapped(ipaddress.ip_address(text))
    except ValueError:
        raise InputError("%s: %r is not an IPv4 or IPv6 address (host names are not accepted)" % (option, text))


def _unmapped(ip):
    mapped = getattr(ip, "ipv4_mapped", None)
    return (mapped or ip).compressed


def canonical_list(values, option="ips"):
    """Canonical addresses in input order; duplicates after normalisation are refused."""
    seen = {}
    for value in values or []:
        address = canonical(value, option)
        if address in seen:
            raise InputError("%s: %s and %s are the same address" % (option, seen[address], value))
        seen[address] = value
    return list(seen)


def unreachable_reason(address):
    """Why OVH cannot see this address as an SMPP client, or None."""
    ip = ipaddress.ip_address(address)
    ip = getattr(ip, "ipv4_mapped", None) or ip
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if ip.is_multicast:
        return "multicast"
    if any(ip.version == net.version and ip in net for net in _UNREACHABLE_NETWORKS):
        return "private or link-local"
    if ip.is_reserved or getattr(ip, "is_site_local", False):
        return "reserved"
    return None


def reachable(addresses):
    """The addresses an SMPP client on the Internet could bind from."""
    return [address for address in addresses if unreachable_reason(address) is None]


def sort_key(address):
    """IPv4 before IPv6, numerically; unparsable text (never expected from OVH) last."""
    try:
        ip = ipaddress.ip_address(address)
        return (ip.version, int(ip), address)
    except ValueError:
        return (9, 0, address)


def sorted_ips(addresses):
    return sorted(addresses, key=sort_key)
