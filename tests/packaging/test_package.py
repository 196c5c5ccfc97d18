"""The built collection, installed like a user installs it, works without the source tree."""

import os
import subprocess
import sys
import tarfile

import pytest

from emulator_process import ROOT, EmulatorProcess

BIN = os.path.dirname(sys.executable)


def clean_env(**extra):
    """The environment without PYTHONPATH, which would make the source tree importable."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    work = tmp_path_factory.mktemp("package")
    # Run everything from outside the source tree: inside it, Ansible would also find the tree's copy.
    os.chdir(str(work))
    subprocess.run([os.path.join(BIN, "ansible-galaxy"), "collection", "build", "--output-path", str(work), ROOT],
                   check=True, capture_output=True, env=clean_env())
    tarball = next(str(work / name) for name in os.listdir(work) if name.endswith(".tar.gz"))
    collections = work / "collections"
    subprocess.run([os.path.join(BIN, "ansible-galaxy"), "collection", "install", "--force", "-p", str(collections), tarball],
                   check=True, capture_output=True, env=clean_env(ANSIBLE_COLLECTIONS_PATH=str(collections)))
    return tarball, str(collections)


def test_tarball_ships_no_tests_or_dev_files(installed):
    with tarfile.open(installed[0]) as archive:
        names = archive.getnames()
    assert "plugins/modules/smpp_info.py" in names and "meta/runtime.yml" in names
    assert not [name for name in names if name.startswith(("tests/", "build/", ".nox", ".venv", "noxfile.py", "Makefile"))]


def test_ansible_doc_from_the_installed_copy(installed):
    env = clean_env(ANSIBLE_COLLECTIONS_PATH=installed[1])
    for module in ("smpp_info", "smpp_acl", "smpp_password", "smpp_credit", "smpp_sender", "smpp_account_state"):
        out = subprocess.run([os.path.join(BIN, "ansible-doc"), "smppops.ovh." + module], env=env, check=True,
                             capture_output=True, text=True).stdout
        assert installed[1] in out and "service_name" in out


def test_playbook_from_the_installed_copy(installed):
    with EmulatorProcess() as emulator:
        env = clean_env(ANSIBLE_COLLECTIONS_PATH=installed[1], ANSIBLE_NOCOLOR="1", **emulator.environment())
        run = subprocess.run([os.path.join(BIN, "ansible-playbook"), "-i", "localhost,",
                              os.path.join(ROOT, "tests", "demo", "smpp_info.yml")],
                             env=env, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    for account in ("smpp-ab12345-1", "smpp-ab12345-2", "smpp-ab12345-3"):
        assert "account:        %s" % account in run.stdout
    assert "sms-ab12345-1" not in run.stdout
