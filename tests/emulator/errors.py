"""OVH's error shapes (reference ovh-sms-api.md §2.4) as Flask responses."""

import secrets
import time

from flask import g, jsonify

REASONS = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 409: "Conflict",
           429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
           504: "Gateway Timeout"}
CLASSES = {400: "Client::BadRequest", 401: "Client::Unauthorized", 403: "Client::Forbidden", 404: "Client::NotFound",
           409: "Client::Conflict", 429: "Client::TooManyRequests", 500: "Server::InternalServerError",
           502: "Server::BadGateway", 503: "Server::ServiceUnavailable", 504: "Server::GatewayTimeout"}


def new_query_id():
    """A query ID in OVH's format, e.g. ``EU.ext-1.6744c1a2.12345.abcdef0123456789``."""
    return "EU.ext-1.%08x.%d.%s" % (int(time.time()), secrets.randbelow(100000), secrets.token_hex(8))


class ApiError(Exception):
    """Raised by handlers; rendered with OVH's newer ``class``/``message`` shape or the legacy one."""

    def __init__(self, status, message, error_class=None, error_code=None, details=None, headers=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.error_class = error_class
        self.error_code = error_code
        self.details = details
        self.headers = headers or {}

    def response(self):
        if self.error_code:
            # Legacy auth errors: errorCode + httpCode (a string with the reason phrase) + message.
            body = {"errorCode": self.error_code, "httpCode": "%d %s" % (self.status, REASONS.get(self.status, "")),
                    "message": self.message}
        else:
            body = {"class": self.error_class or CLASSES.get(self.status, "Client::Error"), "message": self.message}
            if self.details:
                body["details"] = self.details
        answer = jsonify(body)
        answer.status_code = self.status
        for key, value in self.headers.items():
            answer.headers[key] = value
        return answer


def bad_request(message):
    return ApiError(400, message)


def not_found(message="This service does not exist"):
    return ApiError(404, message)


def conflict(message):
    return ApiError(409, message)


def query_id():
    return getattr(g, "query_id", None) or new_query_id()
