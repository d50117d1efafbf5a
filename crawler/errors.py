"""Errors a user can cause. Each renders as one line naming what and where."""

from __future__ import annotations


class WildcrawlError(Exception):
    """Base for every error the CLI turns into one readable line and exit 1."""


class ConfigError(WildcrawlError):
    """A marketplace config (or other user file) is wrong.

    ``path`` and ``line`` (1-based, optional) say where; the message says what.
    """

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        self.message = message
        self.path = path
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return f"{where}{self.message}"


class LexiconError(ConfigError):
    """An entry of the keyword lexicon is wrong."""


class StoreError(WildcrawlError):
    """The database cannot be opened or written (not SQLite, unwritable, ...)."""
