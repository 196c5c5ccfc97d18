"""An in-process emulator per test, and a python-ovh client pointed at it."""

import pytest

from emulator_clients import signed_client
from tests.emulator import EmulatorServer


@pytest.fixture()
def emulator():
    with EmulatorServer(ip_update_seconds=0.3) as server:
        yield server


@pytest.fixture()
def client(emulator):
    return signed_client(emulator)
