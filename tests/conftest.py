"""Shared fixtures: real local servers and real SQLite files, started once per session."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def shared_data_dir() -> Path:
    return Path(os.environ.get("WILDCRAWL_SHARED_DATA") or ROOT.parent / "shared" / "data")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = shared_data_dir()
    if not path.is_dir():
        pytest.skip(f"real-world test data not found at {path} (set WILDCRAWL_SHARED_DATA)")
    return path


def run_cli(*args: str, cwd: Path = ROOT, timeout: int = 600, env: dict | None = None):
    """Run ``wildcrawl ARGS`` in a subprocess (Scrapy's reactor runs once per process)."""
    return subprocess.run(
        [sys.executable, "-m", "crawler.cli", *args],
        cwd=cwd, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture(scope="session")
def demo_server():
    """The three demo marketplaces on free ports, for the whole session."""
    from crawler.demo.server import DemoServer

    server = DemoServer(ports={"demo-bazaar": 0, "demo-jsmarket": 0, "demo-tiaozao": 0}).start()
    yield server
    server.stop()
