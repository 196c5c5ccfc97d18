# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shape of every API answer the collection reads, checked before it is used (private).

Each shape lists only the fields the collection reads, with the types OVH's published schema gives
them (``None`` allowed where the schema says the field can be null or the code tolerates its
absence). An answer of another shape is a clean failure naming the route, OVH's query ID and what
was wrong, never a traceback deep in the resource logic.
"""

from __future__ import annotations

from ansible_collections.smppops.ovh.plugins.module_utils._errors import OvhApiError

NUMBER = (int, float)
TEXT = (str,)
NULL = (type(None),)

# Field -> accepted types. A field the answer leaves out is tolerated (the code reads it as None) unless
# it is in REQUIRED; a field present with another type is always a problem.
ACCOUNT = {
    "name": TEXT + NULL,
    "smpp": (bool,) + NULL,
    "status": TEXT + NULL,
    "description": TEXT + NULL,
    "channel": TEXT + NULL,
    "creditsLeft": NUMBER,
    "automaticRecreditAmount": (int,) + NULL,
    "creditThresholdForAutomaticRecredit": NUMBER + NULL,
    "iam": (dict,) + NULL,
}
IAM = {"urn": TEXT + NULL, "tags": (dict,) + NULL}
SETTINGS = {
    "status": TEXT,
    "systemID": TEXT + NULL,
    "endpoints": (list,) + NULL,
    "throughput": NUMBER + NULL,
    "windowing": NUMBER + NULL,
}
ENDPOINT = {"secured": TEXT + NULL, "unsecured": TEXT + NULL}
SENDER = {
    "sender": TEXT,
    "status": TEXT + NULL,
    "description": TEXT + NULL,
    "type": TEXT + NULL,
    "referer": TEXT + NULL,
    "comment": TEXT + NULL,
}
REQUIRED = {"account": ("smpp",), "settings": ("status",), "sender": ("sender",)}
SHOWN = 80  # characters of a wrong value quoted in a message


def _kind(value):
    if value is None:
        return "null"
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), "a number" if isinstance(value, NUMBER) else type(value).__name__)


def _names(types):
    return " or ".join(sorted({_kind(kind()) for kind in types}))  # NoneType() is None: "null"


def _object_problem(value, fields, where):
    if not isinstance(value, dict):
        return "%s should be an object, got %s" % (where, _kind(value))
    required = REQUIRED.get(where.rsplit(" ", 1)[-1], ())
    for field, types in fields.items():
        if field not in value:
            if field in required:
                return "%s has no %s field" % (where, field)
            continue
        item = value.get(field)
        if isinstance(item, bool) and bool not in types:
            return "%s.%s should be %s, got %s" % (where, field, _names(types), _shown(item))
        if not isinstance(item, types):
            if item is None and type(None) not in types:
                return "%s.%s is missing or null" % (where, field)
            return "%s.%s should be %s, got %s" % (where, field, _names(types), _shown(item))
    return None


def _shown(value):
    text = repr(value)
    return "%s %s" % (_kind(value), text if len(text) <= SHOWN else text[:SHOWN] + "...")


def _list_problem(value, item_types, where):
    if not isinstance(value, list):
        return "%s should be a list, got %s" % (where, _kind(value))
    for index, item in enumerate(value):
        if isinstance(item, bool) or not isinstance(item, item_types):
            return "%s[%d] should be %s, got %s" % (where, index, _names(item_types), _shown(item))
    return None


def account_problem(value):
    return _object_problem(value, ACCOUNT, "the account") or (
        _object_problem(value["iam"], IAM, "the account's iam") if value.get("iam") is not None else None) or (
        _object_problem(value["iam"]["tags"], {}, "the account's iam.tags")
        if (value.get("iam") or {}).get("tags") is not None else None)


def settings_problem(value):
    problem = _object_problem(value, SETTINGS, "the settings")
    if problem:
        return problem
    for index, item in enumerate(value.get("endpoints") or []):
        problem = _object_problem(item, ENDPOINT, "the settings' endpoints[%d]" % index)
        if problem:
            return problem
    return None


def sender_problem(value):
    return _object_problem(value, SENDER, "the sender")


def names_problem(value):
    return _list_problem(value, TEXT, "the answer")


def ids_problem(value):
    return _list_problem(value, (int,), "the answer")


def item_problem(value):
    return _object_problem(value, {}, "the answer")


def checked(api, method, path, value, problem_of):
    """``value`` when ``problem_of(value)`` finds nothing; otherwise a failure naming route, query ID and problem."""
    problem = problem_of(value)
    if problem is None:
        return value
    route = path.split("?", 1)[0]
    query_id = getattr(api, "last_query_id", None)
    text = "%s %s: the API answered in a shape the collection cannot use: %s" % (method, route, problem)
    if query_id:
        text += " (OVH query ID %s)" % query_id
    raise OvhApiError(text, method=method, path=route, http_status=200, error_class="UnexpectedAnswer",
                      message=problem, query_id=query_id)
