"""The emulator's in-memory world, loaded from a YAML seed (format: README.md)."""

import copy
import secrets
import string
import threading
import time

import yaml

DEFAULTS = {
    "clock_offset_seconds": 0,
    "timestamp_tolerance_seconds": 180,
    "ip_update_seconds": 2.0,
    "void_style": "null",
    "token_lifetime_seconds": 3600,
    "batch_reads": True,  # false: X-Ovh-Batch ignored, as an API without the extension would (one name per path)
    # What POST /v2/iam/resource/{urn}/tag does with a key that exists: OVH does not document it, so the
    # default refuses (409) and a client must cope; "replace" overwrites the value.
    "tag_add_existing": "conflict",
    # Whether the 1.0 account shows the IAM tags (OVH documents no delay; "hidden" emulates a lag or a
    # service that leaves iam.tags empty, so the v2 resource is the only place to read them).
    "v1_iam_tags": "shown",
    # SMPP gateway (smpp_gateway.py): bind attempts per system ID per minute before ESME_RBINDTHROTTLED
    # (null: no limit), and how long the gateway takes to answer a submit_sm (windowing shows with > 0).
    "smpp_binds_per_minute": 60,
    "smpp_submit_seconds": 0.0,
    # Seconds added to every API request (not to the control API): the network and OVH's own time, so a
    # benchmark shows what a fleet run costs when each request is not instant.
    "latency_seconds": 0,
}
ACCOUNT_DEFAULTS = {
    "smpp": True,
    "description": "",
    "channel": "transactional",
    "status": "enable",
    "credits_left": 0.0,
    "automatic_recredit_amount": None,
    "credit_threshold": 0.0,
    "recredit_not_eligible": False,
    "allowed_ips": [],
    "senders": [],
    "tags": {},
    "outgoing": [],
    "incoming": [],
}
SYSTEM_TAGS = {"ovh:product": "sms"}


def load_seed(seed):
    """A seed dict from a path, a dict or None (the shipped seed.yml)."""
    if seed is None:
        import os
        seed = os.path.join(os.path.dirname(os.path.abspath(__file__)), "seed.yml")
    if isinstance(seed, dict):
        return copy.deepcopy(seed)
    with open(seed, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


class State:
    """Everything the API serves; ``lock`` guards every read-modify-write."""

    def __init__(self, seed):
        self.lock = threading.RLock()
        self.gateway_endpoints = None
        self.gateway_ca_pem = None
        self.seed = load_seed(seed)
        self.reset()

    def reset(self, seed=None):
        with self.lock:
            if seed is not None:
                self.seed = load_seed(seed)
            data = copy.deepcopy(self.seed)
            self.config = dict(DEFAULTS)
            self.config.update({key: data[key] for key in DEFAULTS if key in data})
            self.applications = {app["application_key"]: app for app in data.get("applications", [])}
            self.consumer_keys = {ck["consumer_key"]: dict({"state": "validated", "rules": []}, **ck)
                                  for ck in data.get("consumer_keys", [])}
            self.oauth2_clients = {client["client_id"]: client for client in data.get("oauth2_clients", [])}
            self.tokens = {}
            self.accounts = {}
            for raw in data.get("accounts", []):
                self.accounts[raw["service_name"]] = self._account(raw)
            self.faults = []
            self.log = []
            self.seq = 0
            self.mailbox = []
            self.smpp_log = []
            self.smpp_bind_attempts = {}
            self._point_at_gateway()

    @staticmethod
    def _account(raw):
        account = copy.deepcopy(ACCOUNT_DEFAULTS)
        account.update(copy.deepcopy(raw))
        settings = {"status": "SUCCESS", "system_id": None, "throughput": 20, "windowing": 10, "endpoints": []}
        settings.update(raw.get("settings") or {})
        account["settings"] = settings
        account["senders"] = {item["sender"]: dict({"description": "", "status": "waitingValidation", "type": "alpha",
                                                    "referer": "custom", "comment": None}, **item)
                              for item in raw.get("senders", [])}
        account["password_renewals"] = 0
        # The SMPP password: from the seed, else one OVH would have e-mailed at creation.
        account["password"] = raw.get("password") or new_password()
        account["updating_until"] = None
        return account

    # SMPP gateway and password e-mails -----------------------------------------------------------
    def attach_gateway(self, endpoints, ca_pem):
        """While the SMPP gateway runs, each SMPP account's settings.endpoints name its listeners."""
        with self.lock:
            self.gateway_endpoints = dict(endpoints) if endpoints else None
            self.gateway_ca_pem = ca_pem
            self._point_at_gateway()

    def _point_at_gateway(self):
        for name, endpoint in (self.gateway_endpoints or {}).items():
            if name in self.accounts:
                self.accounts[name]["settings"]["endpoints"] = [dict(endpoint)]

    def renew_password(self, account):
        """A new password, and OVH's e-mail with it to the account's contact (GET /_emulator/mailbox)."""
        account["password"] = new_password()
        account["password_renewals"] += 1
        self.mailbox.append({"service_name": account["service_name"], "to": "contact@%s.example" % account["service_name"],
                             "subject": "Your new SMPP password for %s" % account["service_name"],
                             "system_id": account["settings"]["system_id"], "password": account["password"],
                             "sent_at": time.time()})

    # Clock ----------------------------------------------------------------------------------
    def now(self):
        """The API's clock: real time shifted by the configured offset (to test client skew handling)."""
        return time.time() + float(self.config["clock_offset_seconds"])

    # Settings status ---------------------------------------------------------------------------
    def settings_status(self, account):
        if account["updating_until"] is not None and time.time() < account["updating_until"]:
            return "UPDATING_IP"
        account["updating_until"] = None
        base = account["settings"]["status"]
        if base == "SUCCESS" and not account["allowed_ips"]:
            return "WAITING_IP"
        return base

    def start_ip_update(self, account, seconds=None):
        seconds = float(self.config["ip_update_seconds"] if seconds is None else seconds)
        if seconds > 0:
            start = max(time.time(), account["updating_until"] or 0)
            account["updating_until"] = start + seconds

    # Views ------------------------------------------------------------------------------------
    def urn(self, name):
        return "urn:v1:eu:resource:sms:%s" % name

    def account_by_urn(self, urn):
        prefix = "urn:v1:eu:resource:sms:"
        if urn.startswith(prefix):
            return self.accounts.get(urn[len(prefix):])
        return None

    def internal_view(self, account):
        view = copy.deepcopy(account)
        # The password reaches the user only by e-mail (the mailbox), as with OVH.
        view.pop("password", None)
        view["settings"]["effective_status"] = self.settings_status(account)
        view["senders"] = sorted(view["senders"].values(), key=lambda item: item["sender"])
        return view


def new_password():
    """Eight characters: the most a bind's password field carries (SMPP 3.4, 4.1.1)."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for unused in range(8))
