"""Datasette for the internal instance: metadata, login, review queries, dashboard, limits.

The internal instance (``wildcrawl serve``, ``wildcrawl demo``) shows
everything, to logged-in monitors only: datasette-auth-passwords provides
``/-/login`` with hashes kept outside the repository (``accounts``), the
``allow`` block of ``metadata.yaml`` denies anonymous visitors and the
``plugins/`` folder sends them to the login page (scripts asking for ``.json`` or
``.csv`` get 401; they send a token of datasette-auth-tokens, ``tokens``). The
monitor's pages (home, review, reports) are in ``workbench``. Writable canned queries
record reviews and reports; ``dashboards.yaml`` is the monitor's dashboard.
The public release lives in ``crawler.publish.release``.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path

import yaml

from crawler.publish.datasette import accounts, tokens
from crawler.store.schema import column_descriptions

HERE = Path(__file__).parent
METADATA_TEMPLATE = HERE / "metadata.yaml"
DASHBOARDS = HERE / "dashboards.yaml"
PLUGINS_DIR = HERE / "plugins"
TEMPLATES_DIR = HERE / "templates"
SETTINGS = {
    "sql_time_limit_ms": 3000,
    "max_returned_rows": 2000,
    "default_page_size": 50,
    "facet_time_limit_ms": 500,
}
SECRET_ENV = ("WILDCRAWL_SECRET", "DATASETTE_SECRET")


def database_name(db_path: str | Path) -> str:
    """Datasette names a database after its file stem."""
    return Path(db_path).stem


def evidence_dir_for(db_path: str | Path) -> Path:
    """Default evidence folder of a database: ``evidence/`` beside it (as ``crawler.casework.evidence``)."""
    return Path(db_path).resolve().parent / "evidence"


def metadata_for(
    db_path: str | Path, accounts_dir: Path | None = None, evidence_dir: Path | None = None
) -> dict:
    """Internal metadata for ``db_path``: descriptions, queries, permissions, plugin config.

    Password hashes are referenced (``$file`` / ``$env``), never included.
    """
    name = database_name(db_path)
    meta = yaml.safe_load(METADATA_TEMPLATE.read_text(encoding="utf-8"))
    meta["databases"] = {name: meta["databases"]["wildcrawl"]}
    # The listings columns are described once, in the listing schema.
    meta["databases"][name]["tables"]["listings"]["columns"] = column_descriptions()
    dashboards = yaml.safe_load(DASHBOARDS.read_text(encoding="utf-8"))
    for dashboard in dashboards.values():
        for chart in dashboard["charts"].values():
            if "query" in chart:
                chart["db"] = name
    meta["plugins"] = {
        "datasette-auth-passwords": accounts.auth_plugin_config(accounts_dir),
        "datasette-auth-tokens": tokens.plugin_config(accounts_dir),
        "datasette-dashboards": dashboards,
        "wildcrawl": {
            "evidence_dir": str(evidence_dir or evidence_dir_for(db_path)),
            "base_dir": str(Path(db_path).resolve().parent),
        },
    }
    return meta


def datasette_kwargs(
    db_path: str | Path, accounts_dir: Path | None = None, evidence_dir: Path | None = None
) -> dict:
    """Keyword arguments of ``datasette.app.Datasette`` for the internal instance (tests)."""
    return {
        "files": [str(db_path)],
        "metadata": metadata_for(db_path, accounts_dir, evidence_dir),
        "settings": SETTINGS,
        "plugins_dir": str(PLUGINS_DIR),
        "template_dir": str(TEMPLATES_DIR),
    }


def write_metadata(
    db_path: str | Path,
    out: str | Path,
    accounts_dir: Path | None = None,
    evidence_dir: Path | None = None,
) -> Path:
    out = Path(out)
    meta = metadata_for(db_path, accounts_dir, evidence_dir)
    out.write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    return out


def serve_command(
    db_path: str | Path, metadata_path: str | Path, host: str, port: int
) -> list[str]:
    """The ``datasette serve`` command line of the internal instance (no secret on it)."""
    cmd = [
        sys.executable,
        "-m",
        "datasette",
        "serve",
        str(db_path),
        "--metadata",
        str(metadata_path),
        "--host",
        host,
        "--port",
        str(port),
        "--plugins-dir",
        str(PLUGINS_DIR),
        "--template-dir",
        str(TEMPLATES_DIR),
    ]
    for key, value in SETTINGS.items():
        cmd += ["--setting", key, str(value)]
    return cmd


def signing_secret() -> tuple[str, bool]:
    """The cookie-signing secret from the environment, else a new one (``generated`` True)."""
    for var in SECRET_ENV:
        if os.environ.get(var):
            return os.environ[var], False
    return secrets.token_hex(32), True


def serve(
    db_path: str | Path,
    host: str = "127.0.0.1",
    port: int = 8001,
    accounts_dir: Path | None = None,
    evidence_dir: Path | None = None,
    output=None,
) -> int:
    """Run the internal Datasette in the foreground until interrupted; returns its exit status.
    ``output``: a file for its stdout and stderr (default: this process's).

    The secret goes to Datasette through ``DATASETTE_SECRET``, never on the
    command line (where ``ps`` would show it).
    """
    meta = Path(db_path).with_suffix(".metadata.json")
    write_metadata(db_path, meta, accounts_dir, evidence_dir)
    secret, _ = signing_secret()
    env = {**os.environ, "DATASETTE_SECRET": secret}
    return run_child(serve_command(db_path, meta, host, port), env=env, output=output)


def run_child(cmd: list[str], env: dict | None = None, output=None) -> int:
    """Run ``cmd`` (a Datasette server) in the foreground and return its exit status.

    SIGTERM and SIGINT sent to this process (systemd, docker stop, Ctrl-C) are passed on to
    the child, and this returns when the child has exited, so no server is left on the port.
    The child has a process group of its own, so Ctrl-C reaches it once (through this
    process), not twice (a second SIGINT makes uvicorn print a traceback). Its output goes to
    ``output``, else to this process's stderr until a stop begins (its shutdown lines are
    dropped: the caller says in one line that it stopped).
    """
    import threading

    proc = subprocess.Popen(
        cmd,
        env=env,
        stdout=output or subprocess.PIPE,
        stderr=output or subprocess.STDOUT,
        process_group=0,
    )
    stopping = threading.Event()
    copier = None
    if output is None:

        def copy() -> None:
            for line in proc.stdout:
                if not stopping.is_set():
                    sys.stderr.buffer.write(line)
                    sys.stderr.flush()

        copier = threading.Thread(target=copy, daemon=True)
        copier.start()

    def forward(signum, _frame):
        stopping.set()
        if proc.poll() is None:
            proc.send_signal(signum)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        while True:
            try:
                return proc.wait()
            except KeyboardInterrupt:  # a handler installed before ours; pass it on too
                forward(signal.SIGINT, None)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if copier is not None:
            copier.join(timeout=5)
