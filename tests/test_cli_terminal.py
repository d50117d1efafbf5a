"""What a person sees on a terminal: a quiet demo, a clean Ctrl-C, tables at 80 columns."""

from __future__ import annotations

import pytest

from crawler.cli.demo_cmd import DEMO_MARKETPLACES
from tests.conftest import free_port
from tests.terminal import PtyRun, screen_lines

# Every demo site on a free port, so a second suite or a running demo cannot collide.
DEMO_SITE_PORTS = [f"--site-port={name}=0" for name in DEMO_MARKETPLACES]

pytestmark = pytest.mark.slow


def test_demo_on_a_terminal_is_short_and_ctrl_c_ends_it_with_one_line(tmp_path):
    db = tmp_path / "demo.db"
    run = PtyRun(
        "demo",
        "--db",
        str(db),
        "--port",
        str(free_port()),
        *DEMO_SITE_PORTS,
        columns=100,
    )
    try:
        run.wait_for(r"Datasette: http://\S+.*Ctrl-C to stop.*\n", timeout=600)
        run.read(2.0)  # Datasette starting: it must say nothing here
        lines = screen_lines(run.text)
        url = next(i for i, line in enumerate(lines) if line.startswith("Datasette: http"))
        before = lines[:url]
        assert len(before) < 60, "\n".join(before)
        assert not [line for line in before if "INFO" in line or "Deprecat" in line], before
        log = next(line for line in before if line.startswith("log: "))
        assert (tmp_path / "logs").is_dir() and log.removeprefix("log: ").strip().endswith(".log")
        assert "Crawl summary" in "\n".join(before)
        run.interrupt()
        code = run.finish(timeout=60)
    finally:
        run.close()
    after = screen_lines(run.text)[url + 1 :]
    assert code == 0, after
    assert len(after) == 1 and after[0].startswith("Stopped"), after
    scrapy_log = next((tmp_path / "logs").glob("demo-*[0-9]Z.log")).read_text()
    assert "Overridden settings" in scrapy_log and "Dumping Scrapy stats" in scrapy_log


def test_ctrl_c_during_the_demo_crawl_records_it_and_exits_130_with_one_line(tmp_path):
    run = PtyRun(
        "demo",
        "--db",
        str(tmp_path / "demo.db"),
        "--port",
        str(free_port()),
        *DEMO_SITE_PORTS,
        columns=100,
    )
    try:
        run.wait_for(r"wildcrawl: crawling", timeout=300)
        run.read(1.0)
        run.interrupt()
        code = run.finish(timeout=120)
    finally:
        run.close()
    lines = screen_lines(run.text)
    assert code == 130, lines
    table_end = max(i for i, line in enumerate(lines) if line.startswith("└"))
    assert len(lines[table_end + 1 :]) == 1, lines
    assert lines[-1].startswith("Stopped: the demo crawl was interrupted"), lines
    assert "Traceback" not in run.text and "INFO" not in run.text


def test_ctrl_c_on_serve_stops_datasette_with_one_line(tmp_path):
    import socket
    import time

    from crawler.publish.datasette import accounts
    from tests.test_datasette_leaks import build_internal_db

    db_path = build_internal_db(tmp_path / "w.db")
    accounts.create_user("anna", "correct horse battery", tmp_path / "acc")
    port = free_port()
    env = {"WILDCRAWL_ACCOUNTS_DIR": str(tmp_path / "acc"), "WILDCRAWL_SECRET": "x" * 32}
    run = PtyRun("serve", "--db", str(db_path), "--port", str(port), env=env)
    try:
        run.wait_for(r"Datasette: http://\S+", timeout=60)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            run.read(0.2)
        run.interrupt()
        code = run.finish(timeout=60)
    finally:
        run.close()
    lines = screen_lines(run.text)
    assert code == 0, lines
    assert lines[-1] == "Stopped Datasette.", lines
    assert "Traceback" not in run.text
