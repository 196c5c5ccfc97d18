# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Build a python-ovh client from the common options (private: may change without notice).

Options win, then the ``OVH_*`` environment variables (applied by the argument spec), then
python-ovh's own configuration files (``./ovh.conf``, ``~/.ovh.conf``, ``/etc/ovh.conf``), which
python-ovh reads itself for any credential left unset.
"""

from __future__ import annotations

import ipaddress
import os
import sys

from urllib.parse import urlsplit

from ansible_collections.smppops.ovh.plugins.module_utils._api import OvhApi
from ansible_collections.smppops.ovh.plugins.module_utils._clock import SharedClock
from ansible_collections.smppops.ovh.plugins.module_utils._errors import ConfigurationError, DependencyError
from ansible_collections.smppops.ovh.plugins.module_utils._options import forget_empty_environment
from ansible_collections.smppops.ovh.plugins.module_utils._transport import harden
from ansible_collections.smppops.ovh.plugins.module_utils._version import COLLECTION_VERSION

try:
    import ovh
    import ovh.oauth2
    HAS_OVH = True
except ImportError:  # pragma: no cover - exercised through a subprocess test
    HAS_OVH = False

MIN_OVH_VERSION = (1, 2, 0)
USER_AGENT = "smppops.ovh/%s" % COLLECTION_VERSION


def _missing_library_message():
    return (
        "python-ovh (ovh>=1.2.0) is required but cannot be imported by %s: run '%s -m pip install \"ovh>=1.2.0\"'"
        % (sys.executable, sys.executable)
    )


def _ovh_version():
    try:
        from importlib.metadata import version
        return tuple(int(part) for part in version("ovh").split(".")[:3])
    except Exception:  # pylint: disable=broad-except
        # An unusual install without metadata: the OAuth2 check below still catches a too-old library.
        return MIN_OVH_VERSION


def require_ovh():
    """Fail with one clear line when python-ovh is absent or older than 1.2.0."""
    if not HAS_OVH:
        raise DependencyError(_missing_library_message())
    if _ovh_version() < MIN_OVH_VERSION or not hasattr(ovh.oauth2, "OAuth2"):
        raise DependencyError(
            "python-ovh %s found for %s, but 1.2.0 or newer is required: run '%s -m pip install --upgrade \"ovh>=1.2.0\"'"
            % (".".join(str(p) for p in _ovh_version()), sys.executable, sys.executable)
        )


def _is_loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


API_VERSION_SEGMENTS = ("1.0", "v1", "v2")


class Endpoint:
    """Where both API versions live for one ``endpoint`` option value.

    ``root`` is the URL under which OVH publishes ``/1.0`` (or its alias ``/v1``) and ``/v2``;
    ``v1_prefix`` is the form the user chose for the 1.0 API (OVH documents ``/v1`` today,
    python-ovh uses ``/1.0``); ``name`` is python-ovh's name for the region when it is known.
    """

    def __init__(self, root, v1_prefix, name=None):
        self.root = root
        self.v1_prefix = v1_prefix
        self.name = name

    @property
    def v1_base(self):
        return self.root + self.v1_prefix

    def target(self, path):
        """The URL of ``path``: ``/v1/...`` and ``/v2/...`` under the root, anything else under the 1.0 API."""
        if path.startswith(("/v1/", "/v2/")):
            return self.root + path
        return self.v1_base + path

    def oauth2_token_url(self):
        """python-ovh's token URL for this region; a local emulator or proxy serves its own."""
        if self.name is not None:
            return ovh.client.OAUTH2_TOKEN_URLS.get(self.name)
        parts = urlsplit(self.root)
        return "%s://%s/auth/oauth2/token" % (parts.scheme, parts.netloc)


def _known_regions():
    """python-ovh's endpoint names by API origin (``https://eu.api.ovh.com`` -> ``ovh-eu``)."""
    return {url.rsplit("/", 1)[0]: name for name, url in ovh.client.ENDPOINTS.items()}


def resolve_endpoint(endpoint):
    """Return the ``Endpoint`` of an endpoint name or a base URL.

    Accepted URLs: the API root (``https://eu.api.ovh.com/``) or a version base (``/1.0``, ``/v1``,
    ``/v2``). Plain ``http://`` is accepted only for loopback hosts (a local emulator or proxy):
    anything else would send signed requests and secrets in clear text.
    """
    if "://" not in endpoint:
        if endpoint not in ovh.client.ENDPOINTS:
            raise ConfigurationError(
                "endpoint=%s is not a known OVH endpoint; use one of %s, or a base URL such as https://eu.api.ovh.com/v1"
                % (endpoint, ", ".join(sorted(ovh.client.ENDPOINTS)))
            )
        return Endpoint(ovh.client.ENDPOINTS[endpoint].rsplit("/", 1)[0], "/1.0", endpoint)
    parts = _split_url(endpoint)
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ConfigurationError(
            "endpoint=%s uses plain http:// to a non-loopback host; use https:// (http is accepted only for 127.0.0.0/8, ::1 and localhost)"
            % endpoint
        )
    path = parts.path.rstrip("/")
    v1_prefix = "/1.0"
    last = path.rsplit("/", 1)[-1]
    if last in API_VERSION_SEGMENTS:
        path = path[:-len(last) - 1]
        if last == "v1":
            v1_prefix = "/v1"
    root = "%s://%s%s" % (parts.scheme, parts.netloc, path)
    return Endpoint(root, v1_prefix, _known_regions().get(root))


def _split_url(endpoint):
    try:
        parts = urlsplit(endpoint)
        parts.port  # pylint: disable=pointless-statement  # raises ValueError when out of range
    except ValueError as exc:
        raise ConfigurationError("endpoint=%s is not a valid URL: %s" % (endpoint, exc))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError("endpoint=%s is not an http(s) base URL" % endpoint)
    if parts.username is not None or parts.password is not None:
        # Never echo the URL: it carries credentials.
        raise ConfigurationError("endpoint=<URL with user:password@> must not carry credentials; use the auth options")
    if parts.query or parts.fragment:
        raise ConfigurationError("endpoint=%s must not contain a query string or fragment" % endpoint)
    return parts


if HAS_OVH:
    class _Client(ovh.Client):
        """python-ovh's client with the collection's URL rule for both API versions.

        python-ovh only strips a trailing ``/1.0`` before ``/v1``/``/v2`` paths: with OVH's
        documented ``https://eu.api.ovh.com/v1`` base it would send IAM calls to ``/v1/v2/...``.
        """

        smppops_endpoint = None

        def _get_target(self, path):
            return self.smppops_endpoint.target(path)


def build_client(params):
    """Return a configured ``ovh.Client``; raise ConfigurationError/DependencyError otherwise."""
    require_ovh()
    forget_empty_environment()
    where = resolve_endpoint(params["endpoint"])
    oauth2 = bool(params.get("client_id"))
    token_url = where.oauth2_token_url() if oauth2 else None
    if oauth2 and token_url is None:
        raise ConfigurationError("endpoint=%s does not support OAuth2 client credentials (client_id/client_secret); "
                                 "use ovh-eu, ovh-ca or ovh-us" % params["endpoint"])
    try:
        client = _Client(
            endpoint=where.name or "ovh-eu",
            application_key=params.get("application_key"),
            application_secret=params.get("application_secret"),
            consumer_key=params.get("consumer_key"),
            client_id=params.get("client_id"),
            client_secret=params.get("client_secret"),
            timeout=params["api_timeout"],
        )
    except ovh.exceptions.InvalidConfiguration as exc:
        raise ConfigurationError(_explain_configuration_error(exc, params["endpoint"]))
    client.smppops_endpoint = where
    # Signatures are computed over the target URL, exactly as the server sees it.
    client._endpoint = where.v1_base  # pylint: disable=protected-access
    if client._oauth2 is not None:  # pylint: disable=protected-access
        if token_url.startswith("http://"):
            # oauthlib refuses http token URLs; resolve_endpoint only lets loopback through.
            os.environ.setdefault("OAUTHLIB_INSECURE_TRANSPORT", "1")
        client._oauth2 = ovh.oauth2.OAuth2(  # pylint: disable=protected-access
            client_id=params["client_id"], client_secret=params["client_secret"], token_url=token_url)
    client._session.headers["User-Agent"] = "%s %s" % (USER_AGENT, client._session.headers.get("User-Agent", ""))  # pylint: disable=protected-access
    return harden(client, params["api_timeout"])


def _explain_configuration_error(exc, endpoint):
    text = str(exc)
    if "Missing authentication" in text:
        return (
            "no OVH credentials found: set application_key, application_secret and consumer_key "
            "(or OVH_APPLICATION_KEY, OVH_APPLICATION_SECRET, OVH_CONSUMER_KEY), or client_id and "
            "client_secret (OVH_CLIENT_ID, OVH_CLIENT_SECRET) for an OAuth2 service account"
        )
    if "OAuth2 authentication is not compatible" in text:
        return "endpoint=%s does not support OAuth2 client credentials (client_id/client_secret); use ovh-eu, ovh-ca or ovh-us" % endpoint
    if "both application_key and application_secret" in text:
        return "application_key and application_secret must be given together (options or OVH_APPLICATION_KEY/OVH_APPLICATION_SECRET)"
    if "both client_id and client_secret" in text:
        return "client_id and client_secret must be given together (options or OVH_CLIENT_ID/OVH_CLIENT_SECRET)"
    if "Can't use both" in text:
        return "choose one auth mode: application_key/application_secret/consumer_key or client_id/client_secret, not both"
    return "invalid OVH client configuration: %s" % text


class ApiMaker:
    """``OvhApi`` objects for one task (or one inventory read), all from the same options and rules.

    ``maker()`` is the task's API; ``maker(gate)`` another one for a worker thread of ``_fleet_reads``,
    with its own client sent through ``gate``. ``calls()``: every call made through any of them.
    """

    def __init__(self, params, warn=None, client_factory=build_client, clock_dir=None, progress=None, retries=None):
        self._params = params
        self._retries = params["api_retries"] if retries is None else retries
        self._warn = warn
        self._client_factory = client_factory
        self._clock_dir = clock_dir
        self._progress = progress
        self._made = []

    def __call__(self, gate=None):
        client = self._client_factory(self._params)
        if gate is not None:
            gate.gate(client)
            self._share_clock(client)
        # The clock delta file is shared by every client of the run (see _clock.py).
        clock = SharedClock(self._clock_dir) if self._clock_dir else None
        api = OvhApi(client, retries=self._retries, warn=self._warn, clock=clock)
        api.progress = self._progress
        self._made.append(api)
        return api

    def calls(self):
        return [call for api in list(self._made) for call in api.calls]

    def may_have_changed(self):
        """Whether any write sent through these clients went through or may have (their records of sent writes)."""
        return any(api.writes.may_have_changed() for api in list(self._made))

    def _share_clock(self, client):
        """Without a clock file (a module process), give a worker's client the delta the first one measured."""
        first = self._made[0]._client if self._made else None  # pylint: disable=protected-access
        delta = getattr(first, "_time_delta", None)
        if self._clock_dir is None and isinstance(delta, int) and first is not client:
            client._time_delta = delta  # pylint: disable=protected-access
