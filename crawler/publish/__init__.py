"""Publishing: redaction, the immutable public release, and the Datasette side (accounts,
plugins, templates, metadata) of both the internal and the public instance.

May import ``store`` and lower; used by the CLI only.
"""
