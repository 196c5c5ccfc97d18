"""Success answers shaped like OVH's, and access to the state from a request."""

from flask import Response, current_app, g, jsonify


def state():
    return current_app.config["STATE"]


def body():
    """The validated JSON body of the request (set by the request pipeline)."""
    return g.get("body") or {}


def void():
    """A void operation's answer: 200 ``null`` by default; ``void_style`` switches to an empty 200 or a 204."""
    style = str(state().config["void_style"])
    if style == "204":
        return Response(status=204)
    if style == "empty":
        return Response("", status=200, content_type="application/json")
    return Response("null", status=200, content_type="application/json")


def reply(value):
    return jsonify(value)
