# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""IAM v2 resource tags as the collection's durable records on an account (private).

The collection remembers what it did where OVH keeps it, so that a later run, another AWX job or
another controller sees it: the password renewal time, a credit transfer's intent, a transfer lease.
Tags are written only through the documented v2 routes (``POST .../tag``, ``PUT`` of the resource,
``DELETE .../tag/{key}``) and always read back from v2, which is authoritative (the 1.0 account's
``iam.tags`` may be empty or lag).

OVH does not document what ``POST .../tag`` does with a key that exists. An overwrite therefore does
not delete the key first: when the POST is refused, the whole map is replaced in one ``PUT`` built from
a fresh read, which either applies (new value present) or not (old value still there). Only when the
PUT itself is refused (a key without the PUT rule, an API without the route) is the key removed and
added again, and the old value put back if the new one cannot be added. Every write is verified by
reading the tag back.
"""

from __future__ import annotations

from ansible_collections.smppops.ovh.plugins.module_utils._api import segment
from ansible_collections.smppops.ovh.plugins.module_utils._errors import OvhApiError, SmppOpsError

SYSTEM_PREFIX = "ovh:"
# Answers OVH may give to an add on an existing key (not documented: conflict or bad request).
REFUSED_ADD = (400, 409)
ACCESS_RULES = ("the credentials need the access rules GET, POST, PUT and DELETE /v2/iam/resource/* (OAuth2: actions "
                "account:apiovh:iam/resource/tag/add, /tag/remove and /edit, and sms:apiovh:iam/resource/tag/add and /remove)")


class TagError(SmppOpsError):
    """A record could not be read, written or verified; ``error`` says what OVH answered, when it did."""


class TagNotWritten(TagError):
    """A record could not be written or verified."""


def urn_of(account, service_name):
    """The account's IAM URN, read from the 1.0 account rather than built (its format is OVH's)."""
    urn = (account.get("iam") or {}).get("urn")
    if not urn or not isinstance(urn, str):
        raise TagNotWritten("the account %s has no IAM URN (iam.urn is empty), so nothing can be recorded on it"
                            % service_name)
    return urn


class ResourceTags:
    """The custom tags of one IAM resource."""

    def __init__(self, api, urn):
        self._api = api
        self.path = "/v2/iam/resource/%s" % segment(urn)

    def read(self):
        """Every tag, OVH's own included, from the authoritative v2 resource."""
        try:
            resource = self._api.get(self.path)
        except OvhApiError as exc:
            raise _failed("the IAM tags", exc, "could not be read")
        tags = resource.get("tags") if isinstance(resource, dict) else None
        if tags is None:
            return {}
        if not isinstance(tags, dict):
            raise TagError("GET %s answered tags of type %s where an object was expected" % (self.path, type(tags).__name__))
        return dict(tags)

    def set(self, key, value):
        """End with ``key`` = ``value`` on the resource, verified; raise TagNotWritten otherwise.

        On failure the previous value is still in place (no write deletes the key).
        """
        self.write(key, value)
        self.verify(key, value)

    def add(self, key, value):
        """Write ``key`` = ``value`` where the caller knows the key is absent; read back only when the answer is no proof.

        OVH's IAM v2 schema declares ``200`` for ``POST .../tag`` and the v2 resource is the authoritative
        store (only the 1.0 copy may lag), so a 2xx to the add of an absent key is the tag being stored:
        reading it back would prove nothing more. A lost answer is settled by reading it back; an add
        refused because the key exists after all is replaced as in ``write``, then read back.
        """
        try:
            self._api.post(self.path + "/tag", {"key": key, "value": value})
            return
        except OvhApiError as exc:
            if exc.http_status in REFUSED_ADD:
                self._replace(key, value, exc)
            elif not exc.outcome_unknown:
                raise _not_written(key, exc)
        self.verify(key, value)

    def write(self, key, value):
        """Send ``key`` = ``value`` without reading it back (the caller decides when to check)."""
        try:
            self._api.post(self.path + "/tag", {"key": key, "value": value})
        except OvhApiError as exc:
            if exc.http_status in REFUSED_ADD:
                self._replace(key, value, exc)
            elif not exc.outcome_unknown:
                raise _not_written(key, exc)
            # An add whose answer was lost: reading it back tells whether it applied.

    def _replace(self, key, value, refusal):
        tags = self.read()
        if key not in tags:
            # The add was refused for another reason than an existing key: report that reason.
            raise _not_written(key, refusal)
        custom = {name: text for name, text in tags.items() if not name.startswith(SYSTEM_PREFIX)}
        custom[key] = value
        try:
            self._api.put(self.path, {"tags": custom})
        except OvhApiError as exc:
            if exc.outcome_unknown:
                return  # the read-back tells
            # No PUT (not granted, or not offered): remove and add again, putting the old value back on failure.
            self._remove_then_add(key, value, tags[key], exc)

    def _remove_then_add(self, key, value, old, put_refusal):
        try:
            self.remove(key)
        except TagError:
            raise _not_written(key, put_refusal)  # the old value is still there
        try:
            self._api.post(self.path + "/tag", {"key": key, "value": value})
            return
        except OvhApiError as exc:
            if exc.outcome_unknown and self.read().get(key) == value:
                return
            failure = exc
        try:
            self._api.post(self.path + "/tag", {"key": key, "value": old})
        except OvhApiError:
            if self.read().get(key) != old:
                raise TagNotWritten("the IAM tag %s could not be written (%s) and its previous value %r could not be put "
                                    "back: the tag is missing now" % (key, failure.msg, old), error=failure.as_dict())
        raise _not_written(key, failure)

    def verify(self, key, value):
        found = self.read().get(key)
        if found != value:
            raise TagNotWritten("the IAM tag %s could not be written: reading it back gives %r instead of %r"
                                % (key, found, value))

    def remove(self, key):
        """Remove ``key``; a key that is already gone counts as removed."""
        try:
            self._api.delete("%s/tag/%s" % (self.path, segment(key)))
        except OvhApiError as exc:
            if exc.http_status != 404:
                raise _not_written(key, exc, "could not be removed")


def _not_written(key, exc, what="could not be written"):
    return _failed("the IAM tag %s" % key, exc, what, TagNotWritten)


def _failed(subject, exc, what, kind=TagError):
    hint = ACCESS_RULES if exc.http_status in (401, 403) else "the API answered: %s" % exc.msg
    return kind("%s %s: %s" % (subject, what, hint), error=exc.as_dict())
