"""``wildcrawl status`` (same rows as Datasette's crawl_status), ``wildcrawl doctor``, and the
crawl progress display (plain log lines off a terminal, a live table on one)."""

from __future__ import annotations

import asyncio
import json
import os
import pty
import select
import sqlite3
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

import crawler.cli.doctor_cmd
import crawler.cli.status_cmd  # noqa: F401 (registers the commands on the group)
from crawler.cli import cli
from crawler.crawl.progress import Progress, update_from_stats
from tests.conftest import ROOT
from tests.test_politeness import PAGES, PER_PAGE, TinyMarket, write_config


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """One real crawl of a local marketplace with progress lines every 0.2 s, plus a schedule."""
    folder = tmp_path_factory.mktemp("status")
    with TinyMarket(latency=0.15) as market:
        config = write_config(
            folder,
            base_url=market.base_url,
            politeness="politeness:\n  download_delay: 0.2\n  concurrency: 1\n",
        )
        db = folder / "w.db"
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "crawler.cli",
                "crawl",
                str(config),
                "--db",
                str(db),
                "-k",
                "ivory,pangolin",
                "-s",
                "WILDCRAWL_EVIDENCE=False",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env={**os.environ, "WILDCRAWL_PROGRESS_INTERVAL": "0.2"},
        )
    assert result.returncode == 0, result.stderr[-2000:]
    schedule = folder / "schedule.yaml"
    schedule.write_text(
        "jobs:\n"
        f"  - name: nightly\n    cron: '15 2 * * *'\n    marketplaces: [{config}]\n"
        "  - name: weekly\n    cron: '30 3 * * 1'\n    marketplaces: [demo-jsmarket]\n",
        encoding="utf-8",
    )
    return db, config, schedule, result


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_status_shows_last_crawl_and_next_run(crawled):
    db, config, schedule, _ = crawled
    result = invoke("status", "--db", str(db), "--schedule", str(schedule), "--json")
    assert result.exit_code == 0, result.output
    rows = {r["marketplace"]: r for r in json.loads(result.output)}
    tiny = rows["tiny-market"]
    assert tiny["status"] == "finished" and tiny["listings_new"] == 2 * PAGES * PER_PAGE
    assert tiny["errors"] == 0 and tiny["started_at"].endswith("Z")
    # The schedule names the config by path; the crawl row by marketplace name.
    assert rows[str(config)]["status"] == "never crawled"
    assert rows["demo-jsmarket"]["next_run"].endswith("(weekly)")
    assert "T03:30:00" in rows["demo-jsmarket"]["next_run"]

    table = invoke("status", "--db", str(db), "--schedule", str(schedule))
    assert table.exit_code == 0
    header, *lines = table.output.strip().splitlines()
    assert header.split("\t")[0] == "marketplace"
    assert any(line.startswith("tiny-market\t") and "\tfinished\t" in line for line in lines)


def test_status_is_the_datasette_canned_query(crawled, tmp_path):
    from datasette.app import Datasette

    from crawler.publish.datasette import accounts, datasette_kwargs

    db, _, _, _ = crawled
    accounts.create_user("anna", "correct horse battery", tmp_path / "accounts")
    ds = Datasette(**datasette_kwargs(db, tmp_path / "accounts"))
    cookies = {"ds_actor": ds.sign({"a": {"id": "anna"}}, "actor")}
    response = asyncio.run(
        ds.client.get(f"/{db.stem}/crawl_status.json?_shape=array", cookies=cookies)
    )
    assert response.status_code == 200, response.text[:300]
    web = response.json()
    # status adds never-crawled marketplaces of the schedule; the crawled ones must match.
    cli_rows = [
        r for r in json.loads(invoke("status", "--db", str(db), "--json").output) if r.get("crawl")
    ]
    assert cli_rows
    assert [(r["marketplace"], r["crawl"], r["status"], r["listings_new"]) for r in web] == [
        (r["marketplace"], r["crawl"], r["status"], r["listings_new"]) for r in cli_rows
    ]


def test_status_calls_a_dead_running_crawl_interrupted(crawled, tmp_path):
    db = tmp_path / "copy.db"
    src = sqlite3.connect(crawled[0])
    dst = sqlite3.connect(db)
    src.backup(dst)
    src.close()
    dst.execute("update crawls set status = 'running', finished_at = null, pid = 999999999")
    dst.commit()
    dst.close()
    rows = {
        r["marketplace"]: r for r in json.loads(invoke("status", "--db", str(db), "--json").output)
    }
    assert rows["tiny-market"]["status"] == "interrupted"


@pytest.mark.parametrize("kind", ["missing", "not_sqlite"])
def test_status_bad_database_is_one_line(tmp_path, kind):
    db = tmp_path / "x.db"
    if kind == "not_sqlite":
        db.write_text("hello", encoding="utf-8")
    result = invoke("status", "--db", str(db))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {db}: "), result.output
    assert ("run 'wildcrawl crawl'" if kind == "missing" else "not an SQLite") in lines[0]


def test_doctor_passes_here_and_names_what_it_checked(tmp_path):
    result = invoke("doctor", "--db", str(tmp_path / "out" / "w.db"))
    assert result.exit_code == 0, result.output
    names = [line.split()[1] for line in result.output.splitlines() if line[:4] in ("ok  ", "warn")]
    assert {"python", "scrapy", "datasette", "sqlite", "browser", "output", "contact"} <= set(names)
    assert "launches and renders" in result.output


def test_doctor_fails_with_a_fix_for_each_problem(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("WILDCRAWL_CHROMIUM", str(tmp_path / "no-such-chrome"))
    monkeypatch.delenv("WILDCRAWL_CONTACT", raising=False)
    result = invoke("doctor", "--db", str(blocker / "sub" / "w.db"))
    assert result.exit_code == 1
    out = result.output.splitlines()
    failed = {line.split()[1]: i for i, line in enumerate(out) if line.startswith("FAIL")}
    assert set(failed) == {"browser", "output"}, result.output
    for i in failed.values():
        assert "fix:" in out[i + 1]
    assert out[-1] == "Error: 2 problems: browser, output"
    assert any(line.startswith("warn contact") for line in out)


def test_progress_lines_count_what_the_crawl_stored(crawled):
    db, _, _, result = crawled
    lines = [line for line in result.stderr.splitlines() if "progress tiny-market:" in line]
    assert len(lines) >= 3, result.stderr[-1500:]  # periodic lines, then the final one
    final = lines[-1]
    row = (
        sqlite3.connect(db)
        .execute("select pages, listings_seen, flagged, errors from crawls")
        .fetchone()
    )
    assert f"listings={row[1]} flagged={row[2]} errors={row[3]}" in final
    assert "state=finished" in final and "pages/min" in final
    pages = [int(line.split("pages=")[1].split()[0]) for line in lines]
    assert pages == sorted(pages) and pages[0] < pages[-1]


@pytest.mark.parametrize(
    ("stats", "expected"),
    [
        ({}, (0, 0, 0)),
        (
            {
                "downloader/response_count": 12,
                "item_scraped_count": 40,
                "downloader/response_status_count/503": 2,
                "wildcrawl/errors/blocked": 1,
                "downloader/exception_type_count/twisted.internet.error.TimeoutError": 3,
            },
            (12, 40, 6),
        ),
        ({"downloader/response_count": 3, "downloader/response_status_count/404": 1}, (3, 0, 0)),
    ],
)
def test_progress_from_scrapy_stats(stats, expected):
    progress = update_from_stats(Progress("m", started=0.0), stats)
    assert (progress.pages, progress.listings, progress.errors) == expected
    assert progress.line(now=60.0).startswith(f"progress m: pages={expected[0]} ")
    assert f"rate={expected[0]:.1f} pages/min" in progress.line(now=60.0)


def test_live_progress_table_on_a_terminal(tmp_path):
    with TinyMarket(latency=0.1) as market:
        config = write_config(
            tmp_path,
            base_url=market.base_url,
            politeness="politeness:\n  download_delay: 0.1\n  concurrency: 1\n",
        )
        leader, follower = pty.openpty()
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "crawler.cli",
                "crawl",
                str(config),
                "--db",
                str(tmp_path / "t.db"),
                "-k",
                "ivory",
                "-s",
                "LOG_LEVEL=WARNING",
                "-s",
                "WILDCRAWL_EVIDENCE=False",
            ],
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=follower,
            stderr=follower,
            env={**os.environ, "COLUMNS": "120", "TERM": "xterm"},
        )
        os.close(follower)
        output = b""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                output += chunk
            elif proc.poll() is not None:
                break
        proc.wait(timeout=30)
        os.close(leader)
    text = output.decode("utf-8", "replace")
    assert proc.returncode == 0, text[-2000:]
    assert "wildcrawl: crawling" in text and "pages/min" in text
    assert "tiny-market" in text and "finished" in text
    assert "progress tiny-market:" not in text  # no plain lines on a terminal
