"""Datasette configuration for a wildcrawl database: metadata, canned queries, limits."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

METADATA_TEMPLATE = Path(__file__).with_name("metadata.yaml")
SETTINGS = {"sql_time_limit_ms": 3000, "max_returned_rows": 2000, "default_page_size": 50,
            "facet_time_limit_ms": 500}


def database_name(db_path: str | Path) -> str:
    """Datasette names a database after its file stem."""
    return Path(db_path).stem


def metadata_for(db_path: str | Path) -> dict:
    """The metadata template with its database section named after ``db_path``."""
    meta = yaml.safe_load(METADATA_TEMPLATE.read_text(encoding="utf-8"))
    meta["databases"] = {database_name(db_path): meta["databases"]["wildcrawl"]}
    return meta


def write_metadata(db_path: str | Path, out: str | Path) -> Path:
    out = Path(out)
    out.write_text(json.dumps(metadata_for(db_path), ensure_ascii=False, indent=2), encoding="utf-8")
    return out


def serve_command(db_path: str | Path, metadata_path: str | Path, host: str, port: int) -> list[str]:
    cmd = [sys.executable, "-m", "datasette", "serve", str(db_path), "--metadata", str(metadata_path),
           "--host", host, "--port", str(port)]
    for key, value in SETTINGS.items():
        cmd += ["--setting", key, str(value)]
    return cmd


def serve(db_path: str | Path, host: str = "127.0.0.1", port: int = 8001) -> int:
    """Run Datasette in the foreground until interrupted; returns its exit status."""
    meta = Path(db_path).with_suffix(".metadata.json")
    write_metadata(db_path, meta)
    env = dict(os.environ)
    proc = subprocess.Popen(serve_command(db_path, meta, host, port), env=env)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        return proc.wait()
