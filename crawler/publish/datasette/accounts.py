"""Accounts of the internal Datasette: password hashes kept outside the repository.

Each account is one file ``NAME.hash`` (mode 0600) in the accounts folder:
``$WILDCRAWL_ACCOUNTS_DIR``, else ``$XDG_CONFIG_HOME/wildcrawl/accounts``
(``~/.config/wildcrawl/accounts``). A hash can also come from the environment:
``WILDCRAWL_PASSWORD_HASH_<NAME>``. Datasette reads both through the
``$file`` / ``$env`` secrets of datasette-auth-passwords' plugin configuration,
so no hash is ever written into metadata.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

from crawler.errors import WildcrawlError

ENV_PREFIX = "WILDCRAWL_PASSWORD_HASH_"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-]{0,39}")


def accounts_dir() -> Path:
    """The folder holding ``NAME.hash`` files (see the module docstring)."""
    explicit = os.environ.get("WILDCRAWL_ACCOUNTS_DIR")
    if explicit:
        return Path(explicit)
    config = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(config) / "wildcrawl" / "accounts"


def check_name(name: str) -> str:
    """``name`` if it is a valid account name, else a one-line error."""
    if not _NAME.fullmatch(name or ""):
        raise WildcrawlError(
            f"{name!r}: account names are 1-40 letters, digits, '.' or '-', starting with a "
            "letter or digit"
        )
    return name


def create_user(name: str, password: str | None = None, directory: Path | None = None) -> str:
    """Create or replace account ``name``; returns its password (generated when not given)."""
    from datasette_auth_passwords.utils import hash_password

    check_name(name)
    password = password or secrets.token_urlsafe(12)
    folder = directory or accounts_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = folder / f"{name}.hash"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(hash_password(password))
    except OSError as exc:
        raise WildcrawlError(f"{folder}: cannot write the account ({exc.strerror})") from None
    return password


def users(directory: Path | None = None) -> list[str]:
    """Names of the accounts in the folder and in ``WILDCRAWL_PASSWORD_HASH_*`` variables."""
    folder = directory or accounts_dir()
    names = {p.stem for p in folder.glob("*.hash")} if folder.is_dir() else set()
    names |= {k[len(ENV_PREFIX) :] for k in os.environ if k.startswith(ENV_PREFIX)}
    return sorted(n for n in names if _NAME.fullmatch(n))


def auth_plugin_config(directory: Path | None = None) -> dict:
    """datasette-auth-passwords configuration pointing at the hashes, never containing them."""
    folder = directory or accounts_dir()
    config: dict = {}
    for name in users(folder):
        env = ENV_PREFIX + name
        if env in os.environ:
            config[f"{name}_password_hash"] = {"$env": env}
        else:
            config[f"{name}_password_hash"] = {"$file": str((folder / f"{name}.hash").resolve())}
    return config
