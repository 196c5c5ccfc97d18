# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Errors the collection raises (private: may change without notice).

Every error carries a one-line, human ``msg``. API failures also carry the structured ``error``
dict of DESIGN.md, so a user can quote OVH's query ID to support.
"""

from __future__ import annotations

MAX_MESSAGE = 1000  # characters: a message stays readable whatever a route or an answer holds
MAX_PATH = 200


def shortened(text, limit):
    """``text`` cut in the middle to ``limit`` characters, saying how long it was."""
    if text is None or len(text) <= limit:
        return text
    marker = "...(%d characters)..." % len(text)
    keep = max(0, limit - len(marker))
    return text[:keep // 2 + keep % 2] + marker + text[len(text) - keep // 2:]


class SmppOpsError(Exception):
    """Base class: a task failure with a message a person can act on."""

    def __init__(self, msg, **extra):
        msg = shortened(msg, MAX_MESSAGE)
        super().__init__(msg)
        self.msg = msg
        self.extra = extra

    def to_result(self):
        result = dict(self.extra)
        result["msg"] = self.msg
        return result


class ConfigurationError(SmppOpsError):
    """Bad or missing connection options; raised before any request is sent."""


class DependencyError(SmppOpsError):
    """python-ovh (or a library it needs) cannot be imported by this interpreter."""


class InputError(SmppOpsError):
    """A task option has a value the API would refuse; raised before any write."""


class OvhApiError(SmppOpsError):
    """An API call failed: HTTP error, network failure or undecodable answer.

    ``sent`` says what is known of the request: False when it never left this process (the
    connection could not be opened, a local check refused it), True when OVH answered, None when
    it may or may not have reached OVH (timeout, dropped connection).

    ``outcome_unknown`` is true when a write may have been applied although no readable success
    answer arrived (timeout, dropped connection, 5xx, unreadable 2xx, an unclassifiable failure).
    Callers that move money must re-read state rather than repeat such a write.
    """

    def __init__(self, msg, method, path, http_status=None, error_class=None, message=None,
                 query_id=None, outcome_unknown=False, retry_after=None, sent=True):
        self.sent = sent
        self.connection_failed = False
        self.method = method
        self.path = shortened(path, MAX_PATH)
        self.http_status = http_status
        self.error_class = error_class
        self.message = message
        self.query_id = query_id
        self.outcome_unknown = outcome_unknown
        self.retry_after = retry_after
        super().__init__(msg, error=self.as_dict())

    def as_dict(self):
        return {
            "http_status": self.http_status,
            "error_class": self.error_class,
            "message": self.message,
            "query_id": self.query_id,
            "method": self.method,
            "path": self.path,
        }
