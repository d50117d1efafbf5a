"""Shared fixtures: real local servers and real SQLite files, started once per session."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def matcher():
    """The shipped lexicon's matcher, built once: the rule tests of every file read it and none
    changes it (a test that needs another lexicon builds its own ``Matcher``)."""
    from crawler.matching.matcher import Matcher

    return Matcher.from_lexicon()


def assert_config_error(path: Path, text: str, words: str, line: int | None) -> None:
    """``text`` written to ``path`` is refused by ``load_config`` in one line that starts with
    the file, says ``words`` and, when given, names ``line``."""
    from crawler.config import load_config
    from crawler.errors import ConfigError

    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(str(path))
    assert words in message
    if line:
        assert info.value.line == line, message


def crawl_stat(stderr: str, key: str) -> int:
    """A numeric Scrapy stat from the stats dump a crawl logs at its end (0 when absent)."""
    m = re.search(rf"'{re.escape(key)}': (\d+)", stderr)
    return int(m.group(1)) if m else 0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (at the moment of asking)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_server(
    command: list[str],
    port: int,
    ready: str = "/-/versions.json",
    env: dict | None = None,
    cwd: Path | None = None,
    timeout: float = 30.0,
) -> Iterator[str]:
    """A server process (Datasette) on 127.0.0.1:``port``: started, awaited until ``ready``
    answers, terminated afterwards; yields its base URL. A server that exits or does not
    answer in ``timeout`` seconds fails with the end of its stderr."""
    proc = subprocess.Popen(
        command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + timeout
        while True:
            try:
                urllib.request.urlopen(base + ready, timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    proc.kill()
                    error = proc.stderr.read().decode(errors="replace")[-2000:]
                    raise RuntimeError(f"{' '.join(command[:3])} did not start: {error}") from None
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


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
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture(scope="session")
def demo_server():
    """The three demo marketplaces on free ports, for the whole session."""
    from crawler.demo.server import DemoServer

    server = DemoServer(ports={"demo-bazaar": 0, "demo-jsmarket": 0, "demo-tiaozao": 0}).start()
    yield server
    server.stop()


DEMO_KEYWORDS = ["ivory", "pangolin", "Elfenbein", "象牙", "穿山甲"]
DEMO_SITES = ("demo-bazaar", "demo-jsmarket", "demo-tiaozao")


@pytest.fixture(scope="session")
def crawled(tmp_path_factory, demo_server):
    """One real crawl of the three demo marketplaces (the JS one in Chromium), shared."""
    db_path = tmp_path_factory.mktemp("e2e") / "demo.db"
    args = [
        "crawl",
        *DEMO_SITES,
        "--db",
        str(db_path),
        "-k",
        ",".join(DEMO_KEYWORDS),
        "--max-pages",
        "50",
    ]
    for site in DEMO_SITES:
        args += ["--base-url", f"{site}={demo_server.base_url(site)}"]
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr[-3000:]
    return db_path, result, demo_server


@pytest.fixture(scope="module")
def browser():
    """A real headless Chromium for a module's tests (skipped, saying why, where none is found)."""
    from crawler.browser.launch import find_chromium, launch_options

    if not find_chromium():
        pytest.skip("no Chromium found (install Debian's chromium or run playwright install)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(**launch_options())
        yield chromium
        chromium.close()


# --- tiers: `make test-fast` leaves out tests marked browser or slow ----------------------
# A test is marked by what it (or a fixture or test-module helper it uses) calls: a browser,
# or a subprocess (crawls, servers, the CLI). New tests are tiered without anyone
# remembering to mark them.
_BROWSER = re.compile(r"chromium|playwright|launch_browser|evidence capture|EvidenceCapture")
_SLOW = re.compile(r"run_cli|subprocess|Popen|DemoServer|serve_saved|crawl_process")


def _source_closure(func, depth: int = 3) -> str:
    import inspect

    seen, texts, todo = set(), [], [(func, 0)]
    while todo:
        f, d = todo.pop()
        f = getattr(f, "__wrapped__", f)
        if f in seen or not inspect.isfunction(f):
            continue
        seen.add(f)
        try:
            texts.append(inspect.getsource(f))
        except (OSError, TypeError):
            continue
        if d < depth:
            module_globals = f.__globals__
            for name in f.__code__.co_names:
                g = module_globals.get(name)
                if inspect.isfunction(g) and g.__module__.startswith("tests"):
                    todo.append((g, d + 1))
    return "\n".join(texts)


def pytest_collection_modifyitems(config, items):
    for item in items:
        funcs = [getattr(item, "function", None)]
        info = getattr(item, "_fixtureinfo", None)
        for name in item.fixturenames:
            for fixture in info.name2fixturedefs.get(name, ()) if info else ():
                funcs.append(fixture.func)
        text = "\n".join(_source_closure(f) for f in funcs if f is not None)
        if _BROWSER.search(text):
            item.add_marker(pytest.mark.browser)
        if _SLOW.search(text):
            item.add_marker(pytest.mark.slow)
