"""Request-body validation against OVH's published OpenAPI schemas (copied into schema/).

OpenAPI 3.0 is turned into plain JSON Schema once: ``nullable`` becomes a ``null`` type, objects
refuse unknown properties (as OVH does), read-only properties are accepted and ignored, and
``format`` is not enforced (OVH's ``ip`` type says ipv4 but takes IPv6 too; handlers check IPs).
Routes are matched against the schema's path templates, which also gives each route's IAM action.
"""

import copy
import json
import os
import re

import jsonschema

SCHEMA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schema")
# Partial updates are accepted on these PUTs (the Control Panel sends partial bodies): no required fields.
PARTIAL_PUTS = {"/sms/{serviceName}", "/sms/{serviceName}/senders/{sender}", "/iam/resource/{resourceURN}"}


def _convert(node):
    if isinstance(node, list):
        return [_convert(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {}
    for key, value in node.items():
        if key == "properties":
            # Property *names* may be "description", "format"...: only their schemas are converted.
            converted[key] = {name: _convert(schema) for name, schema in value.items()}
        elif key not in ("example", "examples", "description", "format"):
            converted[key] = _convert(value)
    node = converted
    if "$ref" in node:
        node["$ref"] = node["$ref"].replace("#/components/schemas/", "#/definitions/")
    if node.pop("nullable", False):
        node = {"anyOf": [node, {"type": "null"}]}
        return node
    if node.get("type") == "object" and "properties" in node:
        node.setdefault("additionalProperties", False)
    return node


class Operation:
    def __init__(self, api, template, method, spec, definitions):
        self.api = api
        self.template = template
        self.method = method
        actions = spec.get("x-iam-actions") or []
        self.iam_actions = [action["name"] for action in actions if action.get("required", True)]
        body = (((spec.get("requestBody") or {}).get("content") or {}).get("application/json") or {}).get("schema")
        self.body_schema = None
        if body is not None:
            schema = _convert(copy.deepcopy(body))
            if method == "PUT" and template in PARTIAL_PUTS:
                schema.pop("required", None)
                definitions = _without_required(definitions)
            self.body_schema = dict(schema, definitions=definitions)

    def validate(self, body):
        """Return an OVH-style error message, or None when the body is valid."""
        if self.body_schema is None:
            return None
        validator = jsonschema.Draft7Validator(self.body_schema)
        errors = sorted(validator.iter_errors(body), key=lambda error: list(error.absolute_path))
        if not errors:
            return None
        error = errors[0]
        field = ".".join(str(part) for part in error.absolute_path) or "body"
        if error.validator == "additionalProperties":
            unknown = sorted(set(error.instance) - set(error.schema.get("properties", {})))
            return "Invalid body: unknown field(s) %s" % ", ".join(unknown)
        if error.validator in ("anyOf", "allOf"):
            best = jsonschema.exceptions.best_match(errors)
            return "Invalid value for %s: %s" % (field, best.message)
        return "Invalid value for %s: %s" % (field, error.message)


def _without_required(definitions):
    stripped = copy.deepcopy(definitions)
    for definition in stripped.values():
        if isinstance(definition, dict):
            definition.pop("required", None)
    return stripped


class Catalogue:
    """Every operation of the schemas, found by method and request path."""

    def __init__(self):
        self.routes = []
        for api, filename, prefix in (("1.0", "sms.json", ""), ("v2", "iam-v2.json", "/v2")):
            with open(os.path.join(SCHEMA_DIR, filename), encoding="utf-8") as handle:
                document = json.load(handle)
            definitions = {name: _convert(value) for name, value in document["components"]["schemas"].items()}
            for template, methods in document["paths"].items():
                pattern = re.compile("^" + prefix + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$")
                for method, spec in methods.items():
                    if method.upper() in ("GET", "POST", "PUT", "DELETE"):
                        self.routes.append((pattern, Operation(api, template, method.upper(), spec, definitions)))

    def find(self, method, path):
        """``path`` is relative to the version root: ``/sms/x`` for 1.0, ``/v2/iam/...`` for v2."""
        for pattern, operation in self.routes:
            if operation.method == method and pattern.match(path):
                return operation
        return None
