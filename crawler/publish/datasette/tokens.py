"""API tokens of the internal Datasette, for scripts (datasette-auth-tokens).

A script sends ``Authorization: Bearer <token>`` and reads what a monitor reads (``.json``,
``.csv``, SQL); it cannot record verdicts or reports (those need a login: the actor of a
token carries ``"token": true``). Tokens live beside the password hashes, outside the
repository: one file ``NAME.token`` (mode 0600) in the accounts folder, or
``$WILDCRAWL_API_TOKEN_<NAME>``. The metadata only references them (``$file`` / ``$env``).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from crawler.errors import WildcrawlError
from crawler.publish.datasette import accounts

ENV_PREFIX = "WILDCRAWL_API_TOKEN_"


def create_token(name: str, directory: Path | None = None) -> str:
    """Create (or replace) token ``name``; returns it (shown once, stored 0600)."""
    accounts.check_name(name)
    token = "wc_" + secrets.token_urlsafe(32)
    folder = directory or accounts.accounts_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(folder / f"{name}.token", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(token)  # no newline: datasette reads the whole file as the token
    except OSError as exc:
        raise WildcrawlError(f"{folder}: cannot write the token ({exc.strerror})") from None
    return token


def token_names(directory: Path | None = None) -> list[str]:
    folder = directory or accounts.accounts_dir()
    names = {p.stem for p in folder.glob("*.token")} if folder.is_dir() else set()
    names |= {k[len(ENV_PREFIX) :] for k in os.environ if k.startswith(ENV_PREFIX)}
    return sorted(names)


def plugin_config(directory: Path | None = None) -> dict:
    """datasette-auth-tokens configuration referencing the tokens, never containing them."""
    folder = directory or accounts.accounts_dir()
    tokens = []
    for name in token_names(folder):
        env = ENV_PREFIX + name
        secret = (
            {"$env": env}
            if env in os.environ
            else {"$file": str((folder / f"{name}.token").resolve())}
        )
        tokens.append({"token": secret, "actor": {"id": f"script:{name}", "token": True}})
    return {"tokens": tokens}
