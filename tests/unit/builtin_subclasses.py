"""Stand-ins for the subclasses of Python's types that ansible-core hands to plugins, and a way to see them.

ansible-core 2.19 tags templated values (``_AnsibleTaggedStr``, ...); earlier versions wrap strings as
``AnsibleUnsafeText``, whose ``str()`` is itself. Tests use these to check that such values do not
reach the resource logic.
"""


class Text(str):
    """Like AnsibleUnsafeText: a str subclass whose str() is itself."""

    def __str__(self):  # pylint: disable=invalid-str-returned  # a str subclass: it is a str
        return self


def exact_types(value):
    """Every type found in ``value``, containers and dictionary keys included."""
    found = {type(value)}
    if isinstance(value, dict):
        for key, item in value.items():
            found |= exact_types(key) | exact_types(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            found |= exact_types(item)
    return found
