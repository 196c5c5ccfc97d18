"""A local, high-fidelity stand-in for the OVHcloud API (SMS/SMPP routes, IAM v2 tags, auth). See README.md."""

from .app import create_app
from .server import EmulatorServer
from .state import State, load_seed

__all__ = ["EmulatorServer", "State", "create_app", "load_seed"]
