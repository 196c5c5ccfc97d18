# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Inventory values that are plain where they can be and never templated where they could be (private).

API data must never be templated: an account description holding ``{{ lookup('pipe', ...) }}``
stays text. Wrapping every string as unsafe does that, but ``ansible-inventory --export`` then
writes each one as ``{"__ansible_unsafe": ...}``, which AWX inventory syncs cannot import. Like
community.general's inventory plugins (after its issue 8212), only strings that hold a template
delimiter character are protected; the others cannot be templated and stay plain.

ansible-core 2.19 and later invert the default: a string is untrusted (and exported with the
marker) unless tagged as trusted, so there the plain strings are the ones tagged trusted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Set

from ansible.utils.unsafe_proxy import wrap_var

try:  # ansible-core 2.19 and later: strings are untrusted unless tagged
    from ansible.template import trust_as_template
except ImportError:  # ansible-core 2.16 to 2.18: strings are trusted unless wrapped
    trust_as_template = None

TEMPLATE_CHARACTERS = re.compile("[{}]")


def protect(value):
    """``value`` with every string that could be templated made unsafe and every other string plain."""
    if isinstance(value, Mapping):
        return {protect(key): protect(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(protect(item) for item in value)
    if isinstance(value, Set):
        return {protect(item) for item in value}
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="surrogateescape")
    if isinstance(value, str):
        return _protect_text(value)
    return value


def _protect_text(text):
    if TEMPLATE_CHARACTERS.search(text):
        return wrap_var(text)
    if trust_as_template is not None:
        return trust_as_template(text)
    return text
