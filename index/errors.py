"""The one exception whose text is meant for users."""


class UsageError(Exception):
    """A problem the user can fix (bad option, missing model, wrong collection); shown as is."""
