"""The ingester: the one writer of the SQLite database when workers crawl through Redis.

``wildcrawl ingest --redis URL --db PATH`` reads the message list that the
workers fill (``crawler.fleet.redis_frontier.ITEMS_KEY``: normalised items and the
workers' final reports) and writes it with the store pipeline's own storage
step (``crawler.crawl.pipelines.store``: ``begin_crawl``, ``ListingStore``,
``end_crawl``). Each run (one marketplace crawl across the fleet) gets one
``crawls`` row, opened when the run appears in Redis and closed once its
frontier is drained and every worker that joined has reported or is gone.

Messages leave Redis only after their batch is committed to SQLite, so a killed
ingester loses nothing; a listing delivered twice (a worker died after sending
it, before acknowledging its request) is stored once.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import redis
import sqlite_utils

from crawler.crawl.pipelines.store import begin_crawl, end_crawl
from crawler.fleet.redis_frontier import (
    ITEMS_KEY,
    Fleet,
    RunParams,
    active_runs,
    close_run,
    run_params,
)
from crawler.store.database import ListingStore, open_database

logger = logging.getLogger(__name__)


@dataclass
class RunState:
    """What the ingester knows of one run."""

    run: str
    params: RunParams
    store: ListingStore
    stored: set[str] = field(default_factory=set)  # listing ids observed in this crawl
    reports: dict[str, dict] = field(default_factory=dict)  # worker -> its final report
    duplicates: int = 0


@dataclass(frozen=True)
class FinishedRun:
    """A run the ingester closed: its crawl row and what the fleet did."""

    run: str
    marketplace: str
    crawl_id: int
    status: str
    listings: int
    workers: int
    lost_workers: list[str]


def merge_reports(reports: list[dict]) -> dict:
    """One stats dict from the workers' reports: numbers add up, extracted ids are a union."""
    merged: dict = {}
    seen: set[str] = set()
    for report in reports:
        for key, value in report.get("stats", {}).items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                merged[key] = merged.get(key, 0) + value
            else:
                merged.setdefault(key, value)
        seen.update(report.get("seen_item_ids") or ())
    merged["wildcrawl/listings/unique"] = len(seen)
    return merged


def close_reason(reports: list[dict]) -> str:
    """A run whose frontier drained finished if any worker saw it finish."""
    reasons = [r.get("reason") or "finished" for r in reports]
    return "finished" if "finished" in reasons else reasons[0]


class Ingester:
    """Moves worker messages from Redis into one SQLite database."""

    def __init__(
        self,
        server: redis.Redis,
        db: str | Path | sqlite_utils.Database,
        lexicon_path: str | None = None,
        batch_size: int = 200,
        read_size: int = 500,
    ):
        self.server = server
        self.db = db if isinstance(db, sqlite_utils.Database) else open_database(db)
        self.lexicon_path = lexicon_path
        self.batch_size = batch_size
        self.read_size = read_size
        self.runs: dict[str, RunState] = {}
        self.finished: list[FinishedRun] = []
        self.unknown_messages = 0

    # --- runs --------------------------------------------------------------------------------

    def _open(self, run: str) -> RunState | None:
        state = self.runs.get(run)
        if state is not None:
            return state
        params = run_params(self.server, run)
        if params is None:
            return None
        store = ListingStore(self.db, batch_size=self.batch_size)
        key = Fleet(self.server, run).keys.info
        crawl_id = self.server.hget(key, "crawl_id")
        row = (
            self.db["crawls"].get(int(crawl_id))
            if crawl_id and self._crawl_exists(crawl_id)
            else None
        )
        state = RunState(run, params, store)
        if row:
            # A restarted ingester carries on with the run's crawl row.
            store.crawl_id = row["id"]
            for name in store.counts:
                store.counts[name] = row.get(name) or 0
            state.stored = {
                r[0]
                for r in self.db.execute(
                    "select listing_id from observations where crawl_id = ?", [row["id"]]
                )
            }
            with self.db.conn:
                self.db["crawls"].update(row["id"], {"status": "running", "message": None})
        else:
            crawl_id = begin_crawl(
                store, params.marketplace_row, self.lexicon_path, list(params.keyword_lang)
            )
            self.server.hset(key, "crawl_id", crawl_id)
            logger.info("run %s: crawl %s of %s opened", run, crawl_id, params.marketplace)
        self.runs[run] = state
        return state

    def _crawl_exists(self, crawl_id) -> bool:
        return bool(
            self.db.execute("select 1 from crawls where id = ?", [int(crawl_id)]).fetchone()
        )

    def _finish_if_done(self, state: RunState) -> FinishedRun | None:
        fleet = Fleet(self.server, state.run)
        if fleet.queued():
            return None
        workers = fleet.workers()
        lost = []
        for worker in workers:
            if worker in state.reports:
                continue
            if fleet.alive(worker):
                return None
            if fleet.inflight(worker):
                count = fleet.requeue(worker)  # for the live workers, or the next one to join
                logger.warning(
                    "run %s: worker %s is gone; %d in-flight requests re-queued",
                    state.run,
                    worker,
                    count,
                )
                return None
            lost.append(worker)
        # A worker sends its report before its heartbeat goes: an unread report is still in
        # the list, so only an empty list makes "gone without a report" mean lost.
        if not state.reports or self.server.llen(ITEMS_KEY):
            return None
        reports = list(state.reports.values())
        stats = merge_reports(reports)
        status = end_crawl(state.store, stats, close_reason(reports), state.params.base_url)
        crawl_id = state.store.crawl_id
        if lost:
            message = (
                f"{len(lost)} of {len(workers)} workers stopped without a report; their "
                "in-flight requests were re-queued and their page counts are missing"
            )
            with self.db.conn:
                self.db["crawls"].update(crawl_id, {"message": message})
        close_run(self.server, state.run)
        del self.runs[state.run]
        done = FinishedRun(
            state.run,
            state.params.marketplace,
            crawl_id,
            status,
            state.store.counts["listings_seen"],
            len(workers),
            lost,
        )
        self.finished.append(done)
        logger.info(
            "run %s: crawl %s of %s %s (%d listings, %d workers, %d duplicates skipped)",
            state.run,
            crawl_id,
            done.marketplace,
            status,
            done.listings,
            len(workers),
            state.duplicates,
        )
        return done

    # --- messages ----------------------------------------------------------------------------

    def _handle(self, message: dict) -> None:
        state = self._open(message.get("run", ""))
        if state is None:
            self.unknown_messages += 1
            logger.warning("message for unknown or closed run %r dropped", message.get("run"))
            return
        if message.get("type") == "worker_closed":
            state.reports[message["worker"]] = message
        elif message.get("type") == "item":
            item = message["item"]
            if item["id"] in state.stored:
                state.duplicates += 1
                return
            state.stored.add(item["id"])
            item["last_crawl_id"] = state.store.crawl_id
            state.store.add(item)
        else:
            self.unknown_messages += 1

    def step(self) -> int:
        """Open new runs, store one batch of messages, close finished runs; messages read."""
        for run in active_runs(self.server):
            self._open(run)
        raw = self.server.lrange(ITEMS_KEY, 0, self.read_size - 1)
        for data in raw:
            self._handle(json.loads(data))
        for state in self.runs.values():
            state.store.flush()
        if raw:
            # Only now that the batch is committed may it leave Redis.
            self.server.ltrim(ITEMS_KEY, len(raw), -1)
        for state in list(self.runs.values()):
            self._finish_if_done(state)
        return len(raw)

    def run(
        self,
        until_done: bool = False,
        poll: float = 0.2,
        on_finish: Callable[[FinishedRun], None] | None = None,
    ) -> list[FinishedRun]:
        """Ingest until stopped (Ctrl-C), or with ``until_done`` until every run has finished."""
        reported = 0
        try:
            while True:
                n = self.step()
                while on_finish and reported < len(self.finished):
                    on_finish(self.finished[reported])
                    reported += 1
                if (
                    until_done
                    and self.finished
                    and not self.runs
                    and not n
                    and not active_runs(self.server)
                ):
                    return self.finished
                if not n:
                    time.sleep(poll)
        finally:
            for state in self.runs.values():
                state.store.flush()
