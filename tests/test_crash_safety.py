"""Crash safety: kill -9 at random moments, graceful stops, and Datasette reading mid-crawl.

Real crawl subprocesses against the demo marketplace (Demo Bazaar, a small
catalogue on a free port). Writes are batched small (``WILDCRAWL_BATCH_SIZE=2``)
so kills land between and inside write transactions. Resuming a crawl is the
idempotent design (docs/schedule.md): the same crawl again upserts listings by
key and observations by (listing, crawl), so a re-run completes the data.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

SITE = "demo-bazaar"
KEYWORDS = "ivory,Elfenbein,pangolin,rhino horn"
KILLS_PER_LANE = 10
LANES = 2  # 2 x 10 = 20 kill points, run side by side


@pytest.fixture(scope="module")
def bazaar():
    from crawler.demo.server import DemoServer

    server = DemoServer(ports={SITE: 0}, sites=[SITE], size=150).start()
    yield server
    server.stop()


def start_crawl(db: Path, server, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "crawler.cli",
            "crawl",
            SITE,
            "--db",
            str(db),
            "-k",
            KEYWORDS,
            "--base-url",
            f"{SITE}={server.base_url(SITE)}",
            "-s",
            "WILDCRAWL_BATCH_SIZE=2",
            "-s",
            "WILDCRAWL_PROGRESS=False",
            *extra,
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(proc: subprocess.Popen) -> str:
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err[-3000:]
    return err


def query(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db, timeout=30)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def assert_sound(db: Path) -> None:
    """Integrity, no duplicates, no listing without the observation of its last crawl, and
    no evidence job marked done without its screenshot (nor one whose file is missing)."""
    assert query(db, "pragma integrity_check") == [("ok",)]
    tables = {r[0] for r in query(db, "select name from sqlite_master where type = 'table'")}
    if not {"listings", "observations"} <= tables:
        assert not tables & {"listings", "observations"}, tables  # killed while creating them
        return
    assert query(
        db, "select count(*) - count(distinct marketplace || ':' || item_id) from listings"
    ) == [(0,)]
    assert query(
        db, "select count(*) - count(distinct listing_id || '|' || crawl_id) from observations"
    ) == [(0,)]
    assert query(
        db,
        "select count(*) from listings l where not exists (select 1 from "
        "observations o where o.listing_id = l.id and o.crawl_id = l.last_crawl_id)",
    ) == [(0,)]
    if "evidence_queue" in tables:
        assert query(
            db,
            "select count(*) from evidence_queue q where done_at is not null and "
            "not exists (select 1 from evidence e where e.listing_id = q.listing_id"
            " and e.kind = 'screenshot')",
        ) == [(0,)]
        for (path,) in query(db, "select path from evidence"):
            assert (db.parent / path).is_file(), path


@pytest.fixture(scope="module")
def reference(bazaar, tmp_path_factory):
    """One uninterrupted crawl: the listings a complete crawl stores, and how long it takes
    (seconds to its crawl row, i.e. start-up; to the crawl's end; to the end of the evidence
    screenshots taken after it)."""
    folder = tmp_path_factory.mktemp("ref")
    # A first crawl fills the start-up cache (lexicon, matcher; cold on a fresh clone), so the
    # timed one below is what the lanes will take.
    finish(start_crawl(folder / "warm.db", bazaar, "-s", "WILDCRAWL_SCREENSHOTS=later"))
    db = folder / "ref.db"
    started = time.monotonic()
    proc = start_crawl(db, bazaar)
    wait_for_crawl_row(db, proc)
    startup = time.monotonic() - started
    wait_for_crawl_end(db, proc)
    crawled = time.monotonic() - started
    finish(proc)
    seconds = time.monotonic() - started
    ids = {r[0] for r in query(db, "select id from listings")}
    assert len(ids) >= 10, "the keywords find too little on the demo site to test anything"
    assert query(db, "select count(*) from evidence_queue where done_at is null") == [(0,)]
    assert query(db, "select count(*) from evidence_queue") != [(0,)]
    return ids, (startup, crawled, seconds)


def wait_for_crawl_row(db: Path, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if db.exists() and query(db, f"select 1 from crawls where pid = {proc.pid}"):
                return
        except sqlite3.OperationalError:  # no crawls table yet
            pass
        time.sleep(0.02)


def wait_for_crawl_end(db: Path, proc: subprocess.Popen, timeout: float = 120) -> None:
    """Until this process's crawl row is no longer running (its screenshots come next)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if query(db, f"select 1 from crawls where pid = {proc.pid} and status != 'running'"):
            return
        time.sleep(0.02)


def kill_lane(db: Path, server, moments: list[tuple[str, float]], killed: list[int]) -> None:
    """Each moment: ("startup", seconds after launch), ("writing", seconds after its crawl
    row) or ("capture", seconds after its crawl ended, while screenshots are taken)."""
    for phase, delay in moments:
        if phase == "capture" and db.exists():
            # Screenshots to take in this run (a re-crawl queues none of its own): the queue
            # as a crawl that queued every flagged listing would leave it.
            with (
                contextlib.suppress(sqlite3.OperationalError),
                sqlite3.connect(db, timeout=30) as conn,
            ):  # no queue yet: nothing to redo
                conn.execute("update evidence_queue set done_at = null, attempts = 0")
        proc = start_crawl(db, server)
        if phase in ("writing", "capture"):
            wait_for_crawl_row(db, proc)
        if phase == "capture":
            wait_for_crawl_end(db, proc)
        time.sleep(delay)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            killed.append(proc.pid)
        proc.communicate(timeout=60)
        if db.exists():
            assert_sound(db)


def test_kill_9_at_20_random_moments_then_recrawl_completes(bazaar, reference, tmp_path):
    ref_ids, (startup, crawled, seconds) = reference
    rng = random.Random(20261128)
    # 8 kills during start-up (config, schema, lexicon), 8 while listings are being written,
    # 4 while the evidence screenshots are taken; the moments scale with how long this
    # machine takes (start-up is cached after a run).
    writing = max(crawled - startup, 0.2)
    capture = max(seconds - crawled, 0.2)
    moments = [
        [
            ("writing", rng.uniform(0.0, 0.7) * writing)
            if k % 5 in (0, 3)
            else ("capture", rng.uniform(0.1, 0.8) * capture)
            if k % 5 == 4
            else ("startup", rng.uniform(0.15, 1.0) * startup)
            for k in range(KILLS_PER_LANE)
        ]
        for _ in range(LANES)
    ]
    dbs = [tmp_path / f"lane{i}.db" for i in range(LANES)]
    killed: list[list[int]] = [[] for _ in range(LANES)]
    errors: list[BaseException] = []

    def lane(i: int) -> None:
        try:
            kill_lane(dbs[i], bazaar, moments[i], killed[i])
            finish(start_crawl(dbs[i], bazaar))  # the same crawl again, to the end
        except BaseException as exc:  # noqa: BLE001 (re-raised below with the moments)
            errors.append(exc)

    threads = [threading.Thread(target=lane, args=(i,)) for i in range(LANES)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise AssertionError(f"kill moments {moments}") from errors[0]
    assert sum(len(k) for k in killed) >= 15, "most kills must hit a running crawl"
    interrupted = 0
    for i, db in enumerate(dbs):
        assert_sound(db)
        statuses = dict(query(db, "select pid, status from crawls"))
        last_id, last_status = query(db, "select id, status from crawls order by id desc limit 1")[
            0
        ]
        assert last_status == "finished"
        assert "running" not in statuses.values(), statuses
        for pid in killed[i]:
            # Not in the table: killed before its crawl row; finished: killed while exiting.
            assert statuses.get(pid, "interrupted") in ("interrupted", "finished"), (pid, statuses)
            interrupted += statuses.get(pid) == "interrupted"
        ids = {r[0] for r in query(db, "select id from listings")}
        assert ids == ref_ids, (sorted(ref_ids - ids)[:5], sorted(ids - ref_ids)[:5])
        seen = query(db, f"select count(*) from observations where crawl_id = {last_id}")[0][0]
        assert seen == len(ref_ids)
        # Every flagged listing's screenshot was taken in the end, however the kills fell.
        assert query(db, "select count(*) from evidence_queue where done_at is null") == [(0,)]
        assert query(db, "select count(*) from evidence_queue") == query(
            db, "select count(*) from listings where flagged"
        )
    assert interrupted >= 6, "the kills while writing must leave interrupted crawls"


def test_graceful_stop_is_interrupted_and_the_same_crawl_again_completes(
    bazaar, reference, tmp_path
):
    ref_ids, _ = reference
    db = tmp_path / "resume.db"
    proc = start_crawl(db, bazaar)
    wait_for_crawl_row(db, proc)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if query(db, "select listings_seen from crawls")[0][0]:
            break
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)  # Ctrl-C: Scrapy stops gracefully
    proc.communicate(timeout=60)
    first = query(db, "select status, listings_seen from crawls")
    assert first[0][0] == "interrupted" or first[0][1] == len(ref_ids), first
    finish(start_crawl(db, bazaar))
    assert_sound(db)
    assert {r[0] for r in query(db, "select id from listings")} == ref_ids
    assert query(db, "select status from crawls order by id desc limit 1") == [("finished",)]


def test_datasette_reads_during_a_crawl_never_locked_never_half_written(bazaar, tmp_path):
    from datasette.app import Datasette

    from crawler.store.database import ensure_schema, open_database

    db = tmp_path / "live.db"
    ensure_schema(open_database(db))
    ds = Datasette([str(db)])
    sql = (
        "select (select count(*) from listings) as n, (select count(*) from listings l "
        "where not exists (select 1 from observations o where o.listing_id = l.id "
        "and o.crawl_id = l.last_crawl_id)) as half, (select count(*) from listings l "
        "where l.seller_id is not null and not exists (select 1 from sellers s "
        "where s.id = l.seller_id)) as no_seller"
    )

    async def read_while(proc: subprocess.Popen) -> list[dict]:
        seen = []
        while proc.poll() is None:
            response = await ds.client.get("/live.json", params={"sql": sql, "_shape": "array"})
            assert response.status_code == 200, response.text[:500]
            assert "locked" not in response.text
            seen.append(response.json()[0])
            await asyncio.sleep(0.01)
        return seen

    # Its four search pages half a second apart: listings are written in several moments the
    # reader can see between (without a delay they may all arrive in one burst, once the
    # matcher has loaded in the background, and be written within one read).
    proc = start_crawl(db, bazaar, "-s", "DOWNLOAD_DELAY=0.5")
    seen = asyncio.run(read_while(proc))
    finish(proc)
    counts = [row["n"] for row in seen]
    assert len(seen) > 50 and 0 < max(counts) and len(set(counts)) > 2, counts[-5:]
    assert all(row["half"] == 0 and row["no_seller"] == 0 for row in seen)
