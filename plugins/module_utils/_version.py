# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection version, in one place (private: may change without notice).

It must equal ``version`` in galaxy.yml; a unit test checks it. The API client sends it in its
User-Agent so OVH support can tell which release made a call.
"""

from __future__ import annotations

COLLECTION_VERSION = "0.1.0"
