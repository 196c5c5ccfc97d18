"""Building the python-ovh client from options: endpoints, auth modes, clear configuration errors."""

import os
import re
import subprocess
import sys

import pytest

from ansible_collections.smppops.ovh.plugins.module_utils import _connect
from ansible_collections.smppops.ovh.plugins.module_utils._errors import ConfigurationError
from ansible_collections.smppops.ovh.plugins.module_utils._version import COLLECTION_VERSION

SIGNATURE = {"application_key": "ak", "application_secret": "as", "consumer_key": "ck",
             "client_id": None, "client_secret": None, "api_timeout": 7.0}
COLLECTION_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))


def params(**extra):
    merged = dict(SIGNATURE, endpoint="ovh-eu")
    merged.update(extra)
    return merged


def test_endpoint_name():
    client = _connect.build_client(params())
    assert client._endpoint == "https://eu.api.ovh.com/1.0"
    assert client._timeout == 7.0


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/1.0/", "http://localhost:1/1.0", "http://[::1]:9/1.0",
                                 "https://proxy.example.com/1.0"])
def test_base_url_accepted(url):
    client = _connect.build_client(params(endpoint=url))
    assert client._endpoint == url.rstrip("/")


@pytest.mark.parametrize("url,needle", [
    ("http://192.0.2.10/1.0", "plain http://"),
    ("http://api.example.com/1.0", "plain http://"),
    ("ftp://127.0.0.1/1.0", "not an http(s) base URL"),
    ("ovh-mars", "not a known OVH endpoint"),
    ("https://x.example.com/1.0?a=b", "query string"),
])
def test_bad_endpoints_name_the_value(url, needle):
    with pytest.raises(ConfigurationError) as caught:
        _connect.build_client(params(endpoint=url))
    assert needle in caught.value.msg and url in caught.value.msg


def test_oauth2_on_a_base_url_uses_its_token_route(monkeypatch):
    monkeypatch.delenv("OAUTHLIB_INSECURE_TRANSPORT", raising=False)
    client = _connect.build_client(dict(params(endpoint="http://127.0.0.1:5000/1.0"), application_key=None,
                                        application_secret=None, consumer_key=None, client_id="id", client_secret="sec"))
    assert client._oauth2.token_url == "http://127.0.0.1:5000/auth/oauth2/token"
    assert os.environ["OAUTHLIB_INSECURE_TRANSPORT"] == "1"


def test_oauth2_refused_where_ovh_has_none():
    with pytest.raises(ConfigurationError) as caught:
        _connect.build_client(dict(params(endpoint="kimsufi-eu"), application_key=None, application_secret=None,
                                   consumer_key=None, client_id="id", client_secret="sec"))
    assert "kimsufi-eu" in caught.value.msg and "OAuth2" in caught.value.msg


def test_missing_credentials_explain_options_and_env(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in ("OVH_APPLICATION_KEY", "OVH_APPLICATION_SECRET", "OVH_CONSUMER_KEY", "OVH_CLIENT_ID", "OVH_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    # python-ovh also reads /etc/ovh.conf (at import): its configuration is emptied here, so a machine-wide file
    # cannot change the outcome, and the test never turns into a skip.
    from configparser import RawConfigParser
    import ovh.config
    monkeypatch.setattr(ovh.config.config, "config", RawConfigParser())
    empty = dict(params(), application_key=None, application_secret=None, consumer_key=None)
    with pytest.raises(ConfigurationError) as caught:
        _connect.build_client(empty)
    assert "OVH_APPLICATION_KEY" in caught.value.msg and "client_id" in caught.value.msg


def test_user_agent_names_the_collection_version():
    client = _connect.build_client(params())
    assert client._session.headers["User-Agent"].startswith("smppops.ovh/%s " % COLLECTION_VERSION)


def test_version_matches_galaxy_yml():
    with open(os.path.join(COLLECTION_ROOT, "galaxy.yml"), encoding="utf-8") as handle:
        galaxy_version = re.search(r"^version:\s*(\S+)", handle.read(), re.M).group(1)
    assert galaxy_version == COLLECTION_VERSION


def test_missing_library_is_one_clear_line(tmp_path):
    # A python-ovh that cannot be imported, in a fresh interpreter.
    (tmp_path / "ovh").mkdir()
    (tmp_path / "ovh" / "__init__.py").write_text("raise ImportError('No module named ovh')\n")
    code = (
        "from ansible_collections.smppops.ovh.plugins.module_utils import _connect\n"
        "from ansible_collections.smppops.ovh.plugins.module_utils._errors import DependencyError\n"
        "try:\n    _connect.require_ovh()\nexcept DependencyError as e:\n    print(e.msg)\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path)] + sys.path))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    lines = out.strip().splitlines()
    assert len(lines) == 1
    assert sys.executable in lines[0] and "pip install" in lines[0] and "ovh>=1.2.0" in lines[0]


# Every documented endpoint form reaches both API versions -----------------------------------------
EU_1 = ("https://eu.api.ovh.com/1.0/sms/smpp-1", "https://eu.api.ovh.com/v2/iam/resource/u", "https://eu.api.ovh.com/1.0/auth/time")
EU_V1 = ("https://eu.api.ovh.com/v1/sms/smpp-1", "https://eu.api.ovh.com/v2/iam/resource/u", "https://eu.api.ovh.com/v1/auth/time")


@pytest.mark.parametrize("endpoint,targets", [
    ("ovh-eu", EU_1),
    ("https://eu.api.ovh.com/1.0", EU_1),
    ("https://eu.api.ovh.com/1.0/", EU_1),
    ("https://eu.api.ovh.com/v1", EU_V1),
    ("https://eu.api.ovh.com/v1/", EU_V1),
    ("https://eu.api.ovh.com/", EU_1),
    ("https://eu.api.ovh.com", EU_1),
    ("https://eu.api.ovh.com/v2", EU_1),
    ("https://proxy.example.com/ovh/1.0", ("https://proxy.example.com/ovh/1.0/sms/smpp-1",
                                           "https://proxy.example.com/ovh/v2/iam/resource/u",
                                           "https://proxy.example.com/ovh/1.0/auth/time")),
])
def test_every_endpoint_form_reaches_both_api_versions(endpoint, targets):
    client = _connect.build_client(params(endpoint=endpoint))
    assert (client._get_target("/sms/smpp-1"), client._get_target("/v2/iam/resource/u"),
            client._get_target("/auth/time")) == targets


@pytest.mark.parametrize("endpoint,token_url", [
    ("ovh-eu", "https://www.ovh.com/auth/oauth2/token"),
    ("https://eu.api.ovh.com/1.0", "https://www.ovh.com/auth/oauth2/token"),
    ("https://eu.api.ovh.com/v1", "https://www.ovh.com/auth/oauth2/token"),
    ("https://eu.api.ovh.com/", "https://www.ovh.com/auth/oauth2/token"),
    ("https://ca.api.ovh.com/v1", "https://ca.ovh.com/auth/oauth2/token"),
    ("https://api.us.ovhcloud.com/1.0", "https://us.ovhcloud.com/auth/oauth2/token"),
    ("https://proxy.example.com/ovh/1.0", "https://proxy.example.com/auth/oauth2/token"),
])
def test_oauth2_token_url_is_python_ovhs_for_the_region(endpoint, token_url):
    client = _connect.build_client(dict(params(endpoint=endpoint), application_key=None, application_secret=None,
                                        consumer_key=None, client_id="id", client_secret="sec"))
    assert client._oauth2.token_url == token_url


def test_oauth2_refused_on_a_url_of_a_region_without_it():
    with pytest.raises(ConfigurationError) as caught:
        _connect.build_client(dict(params(endpoint="https://eu.api.kimsufi.com/1.0"), application_key=None,
                                   application_secret=None, consumer_key=None, client_id="id", client_secret="sec"))
    assert "OAuth2" in caught.value.msg and "eu.api.kimsufi.com" in caught.value.msg


@pytest.mark.parametrize("url", ["http://[::1", "https://", "https://eu.api.ovh.com:99999/1.0", "https://user:pw@eu.api.ovh.com/1.0"])
def test_malformed_endpoint_urls_are_configuration_errors(url):
    with pytest.raises(ConfigurationError) as caught:
        _connect.build_client(params(endpoint=url))
    assert "endpoint=" in caught.value.msg
    assert "pw@" not in caught.value.msg
