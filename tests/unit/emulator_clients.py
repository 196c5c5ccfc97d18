"""python-ovh clients for the emulator's seeded credentials (shared by the emulator tests)."""

import ovh

APPLICATION_KEY = "demo-application-key"
APPLICATION_SECRET = "demo-application-secret"
CONSUMER_KEY = "demo-consumer-key-full"


def signed_client(server, application_secret=APPLICATION_SECRET, consumer_key=CONSUMER_KEY):
    """The unmodified python-ovh client; only its base URL is changed (it knows endpoint names only)."""
    client = ovh.Client(endpoint="ovh-eu", application_key=APPLICATION_KEY, application_secret=application_secret,
                        consumer_key=consumer_key)
    client._endpoint = server.base_url  # pylint: disable=protected-access
    return client
