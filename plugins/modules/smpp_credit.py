#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: smpp_credit
short_description: Transfer SMS credits between OVHcloud SMS accounts at most once per intent, and set automatic re-credit
version_added: 0.1.0
description:
  - Transfers credits from the account O(service_name) to O(target) - a one-off amount (O(credits)) or a top-up
    (O(target_min_credits)) that moves exactly the shortfall and nothing when the target already has enough.
  - Never takes the source below O(source_reserve); fails with both balances in the message, transferring nothing.
  - Validates before any write - positive amounts, a target that belongs to the same OVH customer (C(GET /sms/{target})
    answers it, not 404) and differs from the source, enough credits on the source.
  - Every transfer first writes its intent record on the source account (IAM tag C(smppops-credit-transfer-<key>),
    key O(transfer_key) or derived from the task), so that running the same task again after any failure never moves
    credits twice; a one-off transfer already applied is not sent again.
  - The transfer request is never repeated automatically. If it is refused or never sent, RV(transfer_outcome) is
    V(not_applied). If its answer is lost or unreadable, both balances are polled for O(settle_timeout) seconds -
    V(applied) when they show it, otherwise the task fails with V(unknown), both balances, and a record that makes
    the next run check the balances instead of transferring.
  - It holds the target for the whole transfer, and the source only while it reads the source balance, writes the
    record and sends the transfer (each a lock shared by the workers of one controller, and a lease recorded as the
    IAM tag C(smppops-lease) on the target and C(smppops-source-lease) on the source across runs; the source lease
    is handed over from one task of the controller to the next). So concurrent plays and jobs never move more than
    the shortfall or take the source below O(source_reserve). Balances are read again under the holds, and a
    reserve overrun caused by something else is reported (RV(reserve_overrun)).
  - Sets automatic re-credit (O(automatic_recredit_amount), O(automatic_recredit_threshold)) on the source account
    with a partial update of just those fields. OVH may refuse it on SMPP or ineligible accounts (it needs a validated
    SEPA direct debit and a service older than two months); the API's message is reported as is.
options:
  service_name:
    description: The source SMS account (SMPP or not), for example V(smpp-ab12345-1); re-credit settings apply to it.
    type: str
    required: true
  target:
    description: The account that receives credits. Required with O(credits) or O(target_min_credits).
    type: str
  credits:
    description:
      - Transfer this many credits (more than 0), once per O(transfer_key).
      - Mutually exclusive with O(target_min_credits).
    type: float
  transfer_key:
    description:
      - The intent of this transfer, recorded on the source account - 1 to 64 letters, digits, underscores, dots,
        colons, equal signs, plus signs, at signs and hyphens. A one-off transfer with the same key is applied once;
        give a new key to transfer again.
      - Default for O(credits) is derived from the source, the target and the amount (the same one-off transfer
        happens once); for O(target_min_credits), from the target.
    type: str
  forget_unknown_transfer:
    description:
      - An earlier run of this intent left its outcome V(unknown) and the balances do not show it; after checking
        that it was not applied, set this to take it as not applied and transfer.
    type: bool
    default: false
  settle_timeout:
    description: Seconds to poll both balances after a transfer whose answer was lost, before reporting V(unknown).
    type: int
    default: 60
  lock_timeout:
    description: Seconds to wait while another task or run transfers from or to the same accounts.
    type: int
    default: 300
  target_min_credits:
    description: Top the target up to at least this many credits; transfers nothing when it already has enough.
    type: float
  source_reserve:
    description: Never leave fewer than this many credits on the source.
    type: float
    default: 0
  automatic_recredit_amount:
    description: Credits bought automatically when the threshold is reached; V(0) disables automatic re-credit.
    type: int
    choices: [0, 100, 200, 250, 500, 1000, 5000, 10000]
  automatic_recredit_threshold:
    description: Credit level (0 or more) that triggers the automatic re-credit.
    type: float
extends_documentation_fragment:
  - smppops.ovh.api
  - smppops.ovh.api.attributes
attributes:
  check_mode:
    description: Predicts the transfer and the new balances and re-credit settings without writing.
    support: full
  diff_mode:
    description: Shows balances and re-credit settings before and after.
    support: full
author:
  - smppops.ovh maintainers (@smppops)
"""

EXAMPLES = r"""
- name: Keep the production gateway above 1000 credits, from the reserve account, keeping 200 there
  smppops.ovh.smpp_credit:
    service_name: sms-ab12345-1
    target: smpp-ab12345-1
    target_min_credits: 1000
    source_reserve: 200

- name: Move 500 credits once for the November campaign (a re-run never moves them again)
  smppops.ovh.smpp_credit:
    service_name: smpp-ab12345-1
    target: smpp-ab12345-2
    credits: 500
    transfer_key: campaign-2026-11

- name: Buy 1000 credits automatically when fewer than 100 are left
  smppops.ovh.smpp_credit:
    service_name: smpp-ab12345-1
    automatic_recredit_amount: 1000
    automatic_recredit_threshold: 100

- name: Disable automatic re-credit
  smppops.ovh.smpp_credit:
    service_name: smpp-ab12345-1
    automatic_recredit_amount: 0
"""

RETURN = r"""
transferred:
  description: Credits transferred by this task (predicted in check mode).
  returned: success, and on a failed transfer
  type: float
  sample: 250.0
transfer_outcome:
  description:
    - V(applied) (also when an earlier run of the same intent applied it), or V(not_applied) after a refused transfer;
      V(unknown) when an ambiguous failure could not be settled from the balances; null when no transfer was needed.
  returned: always
  type: str
  sample: applied
transfer_key:
  description: The intent key of a transfer that failed or was already applied.
  returned: when a transfer failed or was already applied
  type: str
  sample: campaign-2026-11
reserve_overrun:
  description: The figures when the source ended below O(source_reserve) after the transfer (something else took credits).
  returned: when it happened
  type: dict
  sample: {source_reserve: 500, credits_left: 420.0, credits_left_before: 1000.0, transferred: 500.0}
credits_left:
  description: Source balance after the task (predicted in check mode).
  returned: success, and on a failed transfer; null when it could not be read after an applied transfer
  type: float
  sample: 750.0
target_credits_left:
  description: Target balance after the task (predicted in check mode); null without O(target).
  returned: success, and on a failed transfer
  type: float
  sample: 1000.0
automatic_recredit_amount:
  description: Automatic re-credit amount after the task; null when disabled.
  returned: success
  type: int
  sample: 1000
automatic_recredit_threshold:
  description: Automatic re-credit threshold after the task.
  returned: success
  type: float
  sample: 100.0
api_calls:
  description: The API calls the task made, in order.
  returned: when O(report_api_calls=true)
  type: list
  elements: dict
error:
  description: On API failure, what OVH answered; quote C(query_id) to OVHcloud support.
  returned: failure
  type: dict
"""

from ansible_collections.smppops.ovh.plugins.module_utils import _smpp_credit as logic
from ansible_collections.smppops.ovh.plugins.module_utils._module import run_module


def main():
    run_module(logic)


if __name__ == "__main__":
    main()
