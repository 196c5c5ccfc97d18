"""The collection's AWX credential type, rendered the way AWX renders it for a job."""

import os

import jinja2.sandbox
import yaml

from ansible_cli import ROOT

AWX = os.path.join(ROOT, "extensions", "awx")


def credential_type():
    with open(os.path.join(AWX, "credential_type.yml"), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def render_injectors(inputs):
    """The environment AWX gives a job for these credential inputs (unused fields render empty)."""
    definition = credential_type()
    values = {field["id"]: inputs.get(field["id"], field.get("default", "")) for field in definition["inputs"]["fields"]}
    environment = jinja2.sandbox.ImmutableSandboxedEnvironment(undefined=jinja2.StrictUndefined)
    return {name: environment.from_string(template).render(values) for name, template in definition["injectors"]["env"].items()}
