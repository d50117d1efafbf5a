"""Crawls sharing one database file: nothing is lost, and no crawl says finished when it lost items.

Issue 20 item 1: three crawl processes on one SQLite file (WAL). A deferred transaction that
later needs the write lock got SQLITE_BUSY at once (no busy wait), the last batch was lost and
the crawl was still recorded ``finished`` with exit 0.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest

from crawler.store.database import ListingStore, open_database
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def big_demo():
    from crawler.demo.server import DemoServer

    server = DemoServer(ports={"demo-bazaar": 0, "demo-tiaozao": 0}, size=3000).start()
    yield server
    server.stop()


def _crawl(db, site, base_url):
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "crawler.cli",
            "crawl",
            site,
            "--db",
            str(db),
            "-k",
            "ivory,pangolin,Elfenbein,象牙,穿山甲,horn,tiger",
            "--max-pages",
            "30",
            "--base-url",
            f"{site}={base_url}",
            "-s",
            "WILDCRAWL_EVIDENCE=false",
            "-s",
            "WILDCRAWL_BATCH_SIZE=50",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ},
    )


@pytest.mark.slow
def test_three_crawls_on_one_file_store_everything(tmp_path, big_demo):
    db = tmp_path / "shared.db"
    sites = ["demo-bazaar", "demo-bazaar", "demo-tiaozao"]
    procs = [_crawl(db, s, big_demo.base_url(s)) for s in sites]
    outs = [p.communicate(timeout=900) for p in procs]
    conn = sqlite3.connect(db)
    crawls = conn.execute(
        "select id, status, listings_seen, message from crawls order by id"
    ).fetchall()
    assert len(crawls) == 3, crawls
    for (crawl_id, status, seen, message), p, (_, err) in zip(crawls, procs, outs, strict=False):
        stored = conn.execute(
            "select count(*) from observations where crawl_id = ?", [crawl_id]
        ).fetchone()[0]
        if status == "finished":
            assert stored == seen and seen > 0, (crawl_id, stored, seen, err[-2000:])
        else:  # refused or failed: one clear line, non-zero exit
            logs = "".join(f.read_text()[-3000:] for f in sorted((tmp_path / "logs").glob("*.log")))
            assert message and "\n" not in message, (status, message, p.returncode, logs)
    for p, (_, err) in zip(procs, outs, strict=False):
        assert "database is locked" not in err, err[-3000:]
    statuses = [c[1] for c in crawls]
    codes = [p.returncode for p in procs]
    for status, code in zip(statuses, codes, strict=False):
        assert (status == "finished") == (code == 0), (statuses, codes)


def _item(i: int, crawl_id: int) -> dict:
    return {
        "id": f"demo:{i}",
        "marketplace": "demo",
        "item_id": str(i),
        "url": f"http://x/{i}",
        "title": f"item {i}",
        "seen_at": "2026-01-01T00:00:00Z",
        "page_state": "active",
        "seller_id": f"demo:s{i}",  # sellers are written through sqlite-utils: reads first
        "seller_handle": f"s{i}",
    }


def test_a_flush_waits_for_another_writer_instead_of_failing(tmp_path):
    """Another connection holds a read snapshot and then writes: the store's batch waits for
    the write lock (BEGIN IMMEDIATE + busy timeout) rather than failing with 'locked'."""
    path = tmp_path / "w.db"
    store = ListingStore(open_database(path), batch_size=1000)
    store.start_crawl("demo", ["x"])
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    # The other writer holds the write lock for a moment, as another crawl's batch does.
    import threading
    import time

    other.execute("BEGIN IMMEDIATE")
    other.execute("update crawls set pages = 1")

    def release():
        time.sleep(1.0)
        other.execute("COMMIT")

    t = threading.Thread(target=release)
    for i in range(5):
        store.add(_item(i, store.crawl_id))
    # A read snapshot taken before the other commit: a deferred BEGIN would then need to
    # upgrade to a writer on a stale snapshot, which SQLite refuses at once (BUSY_SNAPSHOT).
    t.start()
    store.flush()
    t.join()
    assert store.db.execute("select count(*) from observations").fetchone()[0] == 5


def test_a_crawl_whose_items_were_not_stored_is_failed(tmp_path, monkeypatch):
    """When a batch cannot be written even after waiting, its items stay pending (not dropped)
    and the crawl is recorded failed with a one-line message, never finished."""
    path = tmp_path / "f.db"
    store = ListingStore(open_database(path), batch_size=1000)
    store.start_crawl("demo", ["x"])
    store.lock_wait_s = 0.2
    store.db.execute("PRAGMA busy_timeout = 50")
    other = open_database(path)
    other.conn.execute("BEGIN IMMEDIATE")  # another crawl holds the write lock throughout
    other.conn.execute("update crawls set pages = 1")
    for i in range(3):
        store.add(_item(i, store.crawl_id))
    assert store.flush() is False
    assert store.unstored == 3  # kept to retry, not dropped
    other.conn.execute("COMMIT")
    real = store._write_batch

    def locked(items):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(store, "_write_batch", locked)
    status = store.finish_crawl("finished", 3, 0, {})
    row = store.db.execute("select status, message from crawls").fetchone()
    assert status == "failed" and row[0] == "failed", row
    assert "3 listings were not stored" in row[1] and "\n" not in row[1], row
    monkeypatch.setattr(store, "_write_batch", real)
    assert store.flush() is True  # once the lock is free, everything is written
    assert store.db.execute("select count(*) from observations").fetchone()[0] == 3


def test_the_summary_says_a_crawl_that_lost_items_is_not_finished():
    import io

    from crawler.crawl.summary import print_summary

    out = io.StringIO()
    row = {"marketplace": "demo-bazaar", "status": "failed", "listings_seen": 600}
    row["message"] = "167 listings were not stored (database is locked by another process)"
    print_summary([row], file=out)
    text = out.getvalue()
    assert "A crawl whose items were not all stored must not say finished" in text
    assert "demo-bazaar: failed: 167 listings were not stored" in text


def _crawl_with_one_item(path) -> ListingStore:
    """A store with a crawl started and one listing pending."""
    store = ListingStore(open_database(path), batch_size=1000)
    store.start_crawl("demo", ["x"])
    store.add(_item(1, store.crawl_id))
    return store


def test_a_disk_error_while_storing_also_fails_the_crawl(tmp_path, monkeypatch):
    store = _crawl_with_one_item(tmp_path / "e.db")

    def full(items):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store, "_write_batch", full)
    assert store.finish_crawl("finished", 1, 0, {}) == "failed"
    message = store.db.execute("select message from crawls").fetchone()[0]
    assert message == "1 listings were not stored (database or disk is full)"


def test_a_crawl_whose_closing_raises_is_recorded_failed_not_running(tmp_path, monkeypatch):
    """Whatever goes wrong while closing a crawl, its row never stays 'running' (a signal
    handler's exception is only logged by Scrapy, and the process would exit 0)."""
    from types import SimpleNamespace

    from scrapy.utils.test import get_crawler

    from crawler.crawl.pipelines import store as store_pipeline

    store = ListingStore(open_database(tmp_path / "c.db"), batch_size=1000)
    store.start_crawl("demo", ["x"])
    pipeline = store_pipeline.StorePipeline(get_crawler(), str(tmp_path / "c.db"), 1000)
    pipeline.store = store

    def broken(*args, **kwargs):
        raise sqlite3.OperationalError("cannot commit - SQL statements in progress\nmore")

    monkeypatch.setattr(store_pipeline, "end_crawl", broken)
    spider = SimpleNamespace(name="demo", config=SimpleNamespace(name="demo", base_url="http://x"))
    pipeline.spider_closed(spider, "finished")
    row = store.db.execute("select status, message, finished_at from crawls").fetchone()
    assert row[0] == "failed" and row[2], row
    assert (
        row[1] == "not closed cleanly: OperationalError: cannot commit - SQL statements in progress"
    )


def test_derived_tables_failing_do_not_keep_a_stored_crawl_open(tmp_path, monkeypatch):
    from crawler.store import database

    store = _crawl_with_one_item(tmp_path / "d.db")

    def locked(db):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(database, "refresh_relistings", locked)
    assert store.finish_crawl("finished", 1, 0, {}) == "finished"
    assert store.db.execute("select status from crawls").fetchone()[0] == "finished"
    assert store.db.execute("select count(*) from observations").fetchone()[0] == 1
