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


def count_setting(settings, name: str, default: int, unit: str, zero: str) -> int:
    """A Scrapy setting that holds a whole number >= 0 (``zero`` says what 0 means), or a
    ``ConfigError`` naming the setting."""
    raw = settings.get(name, default)
    try:
        value = int(raw)
    except (TypeError, ValueError):
        value = -1
    if value < 0 or isinstance(raw, float) and not raw.is_integer():
        raise ConfigError(
            f"expected a whole number of {unit} >= 0 ({zero}), got {raw!r}",
            path=f"setting {name}",
        )
    return value


class LexiconError(ConfigError):
    """An entry of the keyword lexicon is wrong."""


class StoreError(WildcrawlError):
    """The database cannot be opened or written (not SQLite, unwritable, ...)."""
