"""What an AWX/AAP administrator installs: the credential type, the playbook that creates it, the EE definition."""

import os
import subprocess
import sys
import zipfile

import pytest
import yaml

from ansible_cli import collections_path, tool
from awx_credential import AWX, render_injectors

SECRET_FIELDS = {"application_secret", "consumer_key", "client_secret"}


def _load(name):
    with open(os.path.join(AWX, name), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def test_credential_type_covers_both_auth_modes_and_hides_secrets():
    credential_type = _load("credential_type.yml")
    fields = {field["id"]: field for field in credential_type["inputs"]["fields"]}
    assert set(fields) == {"endpoint", "application_key", "application_secret", "consumer_key", "client_id", "client_secret"}
    assert {name for name, field in fields.items() if field.get("secret")} == SECRET_FIELDS
    assert credential_type["injectors"]["env"] == {"OVH_%s" % name.upper(): "{{ %s }}" % name for name in fields}
    assert render_injectors({"application_key": "ak"})["OVH_CLIENT_ID"] == ""


@pytest.fixture(scope="module")
def awx_collection(tmp_path_factory):
    """awx.awx, from the community ``ansible`` package on PyPI (Galaxy is not reachable from here)."""
    work = tmp_path_factory.mktemp("awx")
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--dest", str(work), "ansible>=11,<12"],
                   check=True, timeout=600)
    wheel = next(str(work / name) for name in os.listdir(work) if name.endswith(".whl"))
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            if name.startswith("ansible_collections/awx/awx/"):
                archive.extract(name, str(work / "collections"))
    return str(work / "collections")


def _create_credential_type(awx_collection, *args):
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    # A controller address nothing listens on: the module validates its arguments, then fails to connect.
    env.update(ANSIBLE_COLLECTIONS_PATH=os.pathsep.join([awx_collection, collections_path()]), ANSIBLE_NOCOLOR="1",
               CONTROLLER_HOST="https://127.0.0.1:9", CONTROLLER_USERNAME="admin", CONTROLLER_PASSWORD="unused",
               CONTROLLER_VERIFY_SSL="false")
    return subprocess.run([tool("ansible-playbook"), os.path.join(AWX, "create_credential_type.yml")] + list(args),
                          env=env, capture_output=True, text=True, timeout=300, check=False)


def test_create_credential_type_playbook_passes_syntax_check(awx_collection):
    answer = _create_credential_type(awx_collection, "--syntax-check")
    assert answer.returncode == 0, answer.stdout + answer.stderr


def test_create_credential_type_arguments_are_valid_for_awx_awx(awx_collection):
    answer = _create_credential_type(awx_collection)
    output = " ".join((answer.stdout + answer.stderr).split())
    assert answer.returncode != 0
    # Past argument validation (no "Unsupported parameters", no undefined {{ field }}): only the connection fails.
    assert "Connection refused" in output, output[-3000:]
    assert "Unsupported parameters" not in output and "undefined" not in output


def test_execution_environment_context_installs_the_collection_and_python_ovh(tmp_path):
    context = tmp_path / "context"
    answer = subprocess.run([tool("ansible-builder"), "create", "-f", os.path.join(AWX, "execution-environment.yml"),
                             "-c", str(context), "--output-filename", "Containerfile"],
                            capture_output=True, text=True, timeout=300, check=False)
    assert answer.returncode == 0, answer.stdout + answer.stderr
    galaxy = yaml.safe_load((context / "_build" / "requirements.yml").read_text())
    assert [item["name"] for item in galaxy["collections"]] == ["smppops.ovh"]
    containerfile = (context / "Containerfile").read_text()
    assert "ansible-galaxy collection install" in containerfile and "introspect" in containerfile
    # What the build's introspection step will find in the installed collection: python-ovh.
    introspected = subprocess.run([tool("ansible-builder"), "introspect", "--sanitize", collections_path()],
                                  capture_output=True, text=True, timeout=300, check=False)
    assert introspected.returncode == 0, introspected.stderr
    assert "ovh>=1.2.0" in introspected.stdout and "smppops.ovh" in introspected.stdout, introspected.stdout
