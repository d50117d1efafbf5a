"""The shared crawl frontier in Redis: runs, a reliable scrapy-redis queue, worker liveness.

Every crawl of one marketplace across the fleet is a *run* (``<marketplace>:<n>``).
Its requests live in a scrapy-redis priority queue and its fingerprints in a
scrapy-redis ``RFPDupeFilter`` set, both keyed by the run, so each URL is
fetched once across all workers and the next run starts from a clean frontier.

What scrapy-redis lacks is an acknowledgement: a popped request only exists in
the worker that popped it. ``ReliableQueue.pop`` therefore moves the request
atomically into that worker's *in-flight* hash; the worker acknowledges it once
its callback has run and everything the callback produced has left the worker
(items pushed to the ingester's list or dropped by a pipeline, requests in the
frontier: ``PendingAcks``), or once a redirect/retry replaced it. Workers refresh a
heartbeat key; the in-flight requests of a worker whose heartbeat expired are
put back in the queue by whoever notices first (another worker, the ingester).

Keys (prefix ``wildcrawl:``)::

    current:<marketplace>          -> run id of the marketplace's active run
    runs                           set of active run ids
    run:<run>                      hash: marketplace, keywords, base_url, max_pages, ...
    run:<run>:requests             zset, the scrapy-redis PriorityQueue
    run:<run>:dupefilter           set, the scrapy-redis RFPDupeFilter
    run:<run>:workers              set of worker ids that joined
    run:<run>:inflight:<worker>    hash token@score -> pickled request
    worker:<worker>                heartbeat, expires after the TTL
    items                          list of JSON messages (items, worker reports) for the ingester
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import redis
from scrapy_playwright.page import PageMethod
from scrapy_redis.queue import PriorityQueue

from crawler.errors import WildcrawlError
from crawler.store.clock import utcnow

logger = logging.getLogger(__name__)

PREFIX = "wildcrawl"
ITEMS_KEY = f"{PREFIX}:items"
RUNS_KEY = f"{PREFIX}:runs"
INFLIGHT_META = "wildcrawl_inflight"  # request.meta key holding the in-flight token
# On a callback's output: the in-flight token of the request that produced it (item key,
# request.meta key), so that the request is acked only once all of its output has left.
OUTPUT_OF = "wildcrawl_output_of"
DEFAULT_HEARTBEAT_TTL = 30.0

# Pop the best request and file it under the worker's in-flight hash in one step.
_POP = """
local r = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #r == 0 then return false end
redis.call('ZREM', KEYS[1], r[1])
local token = ARGV[1] .. '@' .. r[2]
redis.call('HSET', KEYS[2], token, r[1])
return {token, r[1]}
"""
# Put every in-flight request of one worker back in the queue, with its priority.
_REQUEUE = """
local e = redis.call('HGETALL', KEYS[1])
for i = 1, #e, 2 do
  local score = string.match(e[i], '@([^@]*)$')
  redis.call('ZADD', KEYS[2], score, e[i + 1])
end
redis.call('DEL', KEYS[1])
return #e / 2
"""
# Forget the marketplace's current run only if it is still this one.
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class FleetError(WildcrawlError):
    """Redis cannot be reached, or a run cannot be started as asked."""


class UnpicklableRequestError(FleetError):
    """A request whose meta cannot be pickled was scheduled (it cannot enter the frontier)."""


def connect(url: str) -> redis.Redis:
    """A Redis client for ``url``, checked with a ping (``FleetError`` in one line if not)."""
    try:
        server = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=30)
        server.ping()
    except ValueError as exc:
        raise FleetError(f"--redis {url}: not a Redis URL ({exc})") from None
    except redis.RedisError as exc:
        raise FleetError(f"cannot reach Redis at {url}: {exc}") from None
    return server


def new_worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


# --- requests <-> bytes -----------------------------------------------------------------------


def _picklable_value(value):
    # scrapy-playwright stores each page method's return value (an ElementHandle for
    # wait_for_selector) on the PageMethod itself: a retried request would carry it. Send
    # fresh copies, which are plain data.
    if isinstance(value, PageMethod):
        return PageMethod(value.method, *value.args, **value.kwargs)
    if isinstance(value, list) and any(isinstance(v, PageMethod) for v in value):
        return [_picklable_value(v) for v in value]
    return value


def dumps(obj: dict) -> bytes:
    """Pickle a ``Request.to_dict()``; ``UnpicklableRequestError`` names the meta keys at fault."""
    meta = {
        k: _picklable_value(v)
        for k, v in (obj.get("meta") or {}).items()
        if k not in (INFLIGHT_META, OUTPUT_OF)
    }
    obj = {**obj, "meta": meta}
    try:
        return pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError) as exc:
        bad = []
        for key, value in meta.items():
            try:
                pickle.dumps(value)
            except Exception:  # noqa: BLE001 - any failure marks the key
                bad.append(f"{key} ({type(value).__name__})")
        where = f"meta {', '.join(bad)}" if bad else "a request attribute"
        raise UnpicklableRequestError(
            f"cannot send {obj.get('url')} through the Redis frontier: {where} cannot be "
            f"pickled ({exc}); keep request meta to plain data"
        ) from None


def loads(data: bytes) -> dict:
    return pickle.loads(data)


class RequestSerializer:
    """The scrapy-redis serializer (``loads``/``dumps``) of the frontier."""

    loads = staticmethod(loads)
    dumps = staticmethod(dumps)


# --- runs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunParams:
    """What defines one marketplace crawl across the fleet; every worker crawls with these."""

    marketplace: str
    keyword_lang: dict[str, str]
    base_url: str
    max_pages: int
    marketplace_row: dict

    def to_hash(self) -> dict[str, str]:
        return {
            "marketplace": self.marketplace,
            "keywords": json.dumps(self.keyword_lang, ensure_ascii=False),
            "base_url": self.base_url,
            "max_pages": str(self.max_pages),
            "marketplace_row": json.dumps(self.marketplace_row, ensure_ascii=False),
        }

    @classmethod
    def from_hash(cls, h: dict) -> RunParams:
        h = {_s(k): _s(v) for k, v in h.items()}
        return cls(
            marketplace=h["marketplace"],
            keyword_lang=json.loads(h["keywords"]),
            base_url=h["base_url"],
            max_pages=int(h["max_pages"]),
            marketplace_row=json.loads(h["marketplace_row"]),
        )

    def same_crawl(self, other: RunParams) -> bool:
        return (self.keyword_lang, self.base_url, self.max_pages) == (
            other.keyword_lang,
            other.base_url,
            other.max_pages,
        )


def _s(value) -> str:
    return value.decode() if isinstance(value, bytes) else value


class RunKeys:
    """The Redis keys of one run."""

    def __init__(self, run: str):
        self.run = run
        self.info = f"{PREFIX}:run:{run}"
        self.requests = f"{self.info}:requests"
        self.dupefilter = f"{self.info}:dupefilter"
        self.workers = f"{self.info}:workers"

    def inflight(self, worker: str) -> str:
        return f"{self.info}:inflight:{worker}"


def current_key(marketplace: str) -> str:
    return f"{PREFIX}:current:{marketplace}"


def heartbeat_key(worker: str) -> str:
    return f"{PREFIX}:worker:{worker}"


def open_run(server: redis.Redis, params: RunParams) -> tuple[str, RunParams, bool]:
    """Join the marketplace's active run or start one: ``(run id, its params, created)``.

    The params of an active run win over ``params`` (the caller adopts them).
    """
    current = current_key(params.marketplace)
    while True:
        run = server.get(current)
        if run is not None:
            run = _s(run)
            info = server.hgetall(RunKeys(run).info)
            if info:
                return run, RunParams.from_hash(info), False
            server.delete(current)  # a pointer left behind without its run
            continue
        number = server.incr(f"{PREFIX}:run_counter")
        run = f"{params.marketplace}:{number}"
        if server.set(current, run, nx=True):
            keys = RunKeys(run)
            server.hset(keys.info, mapping={**params.to_hash(), "started_at": utcnow()})
            server.sadd(RUNS_KEY, run)
            return run, params, True


def run_params(server: redis.Redis, run: str) -> RunParams | None:
    info = server.hgetall(RunKeys(run).info)
    return RunParams.from_hash(info) if info else None


def active_runs(server: redis.Redis) -> list[str]:
    return sorted(_s(r) for r in server.smembers(RUNS_KEY))


def close_run(server: redis.Redis, run: str) -> None:
    """Forget a finished run: no new worker joins it, and its keys go."""
    keys = RunKeys(run)
    marketplace = _s(server.hget(keys.info, "marketplace") or b"")
    if marketplace:
        server.eval(_RELEASE, 1, current_key(marketplace), run)
    workers = [_s(w) for w in server.smembers(keys.workers)]
    server.delete(
        keys.requests,
        keys.dupefilter,
        keys.workers,
        *(keys.inflight(w) for w in workers),
        keys.info,
    )
    server.srem(RUNS_KEY, run)


class PendingAcks:
    """In-flight requests whose callback output is still on its way out of this worker.

    Scrapy runs a callback's generator to its end before the item pipelines have seen
    its items (they are processed concurrently, up to ``CONCURRENT_ITEMS``) and before
    its requests are scheduled. Acknowledging at the end of the generator would lose
    an item (or a follow-up request) for good if the worker died in between: each
    output is therefore counted against its request's token (``hold``), counted off
    once handled (``settle``), and the request is acked when its callback has ended
    (``finish``) and nothing it produced is left.
    """

    def __init__(self, ack: Callable[[str], None]):
        self._ack = ack
        self._outstanding: dict[str, int] = {}
        self._finished: set[str] = set()

    def hold(self, token: str | None) -> None:
        """One more output of ``token``'s callback is on its way."""
        if token:
            self._outstanding[token] = self._outstanding.get(token, 0) + 1

    def settle(self, token: str | None) -> None:
        """One output of ``token``'s callback was handled (pushed, enqueued, filtered, dropped)."""
        if not token or token not in self._outstanding:
            return
        self._outstanding[token] -= 1
        if self._outstanding[token] <= 0:
            del self._outstanding[token]
            if token in self._finished:
                self._finished.discard(token)
                self._ack(token)

    def finish(self, token: str | None) -> None:
        """``token``'s callback has produced all of its output: ack now or when it is handled."""
        if not token:
            return
        if self._outstanding.get(token):
            self._finished.add(token)
        else:
            self._ack(token)

    def waiting(self) -> int:
        """How many finished requests still wait for some of their output."""
        return len(self._finished)

    def release_stranded(self) -> int:
        """Ack the finished requests whose output left the worker unseen; how many.

        Only for an idle engine: nothing is then in the pipelines or on its way to the
        scheduler, so an output not counted off was discarded on purpose (a spider
        middleware filtering a request), not lost. Re-queuing would repeat that forever.
        """
        stranded = sorted(self._finished)
        for token in stranded:
            self._outstanding.pop(token, None)
            self._finished.discard(token)
            self._ack(token)
        return len(stranded)


# --- the fleet as seen from one run ---------------------------------------------------------------


class Fleet:
    """One run's frontier, workers and message list, from one worker's (or the ingester's) side."""

    def __init__(
        self,
        server: redis.Redis,
        run: str,
        worker: str | None = None,
        heartbeat_ttl: float = DEFAULT_HEARTBEAT_TTL,
    ):
        self.server = server
        self.run = run
        self.keys = RunKeys(run)
        self.worker = worker
        self.heartbeat_ttl = heartbeat_ttl
        self._pop = server.register_script(_POP)
        self._requeue = server.register_script(_REQUEUE)
        self.outputs = PendingAcks(self.ack)

    # worker liveness
    def join(self) -> None:
        self.beat()
        self.server.sadd(self.keys.workers, self.worker)

    def beat(self) -> None:
        self.server.set(heartbeat_key(self.worker), utcnow(), px=int(self.heartbeat_ttl * 1000))

    def leave(self) -> None:
        self.server.delete(heartbeat_key(self.worker))

    def keep_beating(self) -> threading.Event:
        """Refresh the heartbeat from a thread until the returned event is set.

        A thread, not the reactor: a worker busy for longer than the TTL (a browser
        starting, a big page parsing) is slow, not dead.
        """
        stop = threading.Event()

        def beat() -> None:
            while not stop.wait(max(self.heartbeat_ttl / 3, 0.05)):
                try:
                    self.beat()
                except redis.RedisError as exc:
                    logger.warning("heartbeat of %s failed: %s", self.worker, exc)

        threading.Thread(target=beat, name=f"heartbeat-{self.worker}", daemon=True).start()
        return stop

    def workers(self) -> list[str]:
        return sorted(_s(w) for w in self.server.smembers(self.keys.workers))

    def alive(self, worker: str) -> bool:
        return bool(self.server.exists(heartbeat_key(worker)))

    # the queue
    def queued(self) -> int:
        return self.server.zcard(self.keys.requests)

    def pop(self) -> tuple[str, bytes] | None:
        """The best queued request, now in this worker's in-flight hash: ``(token, data)``."""
        found = self._pop(
            keys=[self.keys.requests, self.keys.inflight(self.worker)], args=[uuid.uuid4().hex]
        )
        if not found:
            return None
        token, data = found
        return _s(token), data

    def ack(self, token: str | None) -> None:
        """The request behind ``token`` is done: its outcome is in the frontier or the items."""
        if token:
            self.server.hdel(self.keys.inflight(self.worker), token)

    def inflight(self, worker: str | None = None) -> int:
        return self.server.hlen(self.keys.inflight(worker or self.worker))

    def requeue(self, worker: str) -> int:
        """Put ``worker``'s in-flight requests back in the queue; how many there were."""
        return int(self._requeue(keys=[self.keys.inflight(worker), self.keys.requests]))

    def requeue_dead(self) -> dict[str, int]:
        """Requeue the in-flight requests of every worker whose heartbeat expired."""
        moved = {}
        for worker in self.workers():
            if worker != self.worker and not self.alive(worker) and self.inflight(worker):
                count = self.requeue(worker)
                if count:
                    moved[worker] = count
                    logger.warning(
                        "worker %s of run %s is gone: %d in-flight requests re-queued",
                        worker,
                        self.run,
                        count,
                    )
        return moved

    def others_busy(self) -> bool:
        """Whether work remains that this worker does not hold: queued or in another's hands."""
        if self.queued():
            return True
        return any(self.inflight(w) for w in self.workers() if w != self.worker and self.alive(w))

    # messages to the ingester
    def send_item(self, item: dict) -> None:
        self.server.rpush(
            ITEMS_KEY, encode_message({"type": "item", "run": self.run, "item": item})
        )

    def send_report(self, reason: str, stats: dict, seen_item_ids=()) -> None:
        """The worker is done with the run (items already sent precede this in the list)."""
        self.server.rpush(
            ITEMS_KEY,
            encode_message(
                {
                    "type": "worker_closed",
                    "run": self.run,
                    "worker": self.worker,
                    "reason": reason,
                    "stats": stats,
                    "seen_item_ids": sorted(seen_item_ids),
                }
            ),
        )


def encode_message(message: dict) -> bytes:
    return json.dumps(message, ensure_ascii=False, default=str).encode("utf-8")


class ReliableQueue(PriorityQueue):
    """scrapy-redis's priority queue whose ``pop`` keeps the request in flight until acked."""

    def __init__(self, server, spider, key, serializer=None, fleet: Fleet | None = None):
        super().__init__(server, spider, key, serializer=serializer or RequestSerializer)
        self.fleet = fleet

    def pop(self, timeout=0):
        popped = self.fleet.pop()
        if popped is None:
            return None
        token, data = popped
        request = self._decode_request(data)
        request.meta[INFLIGHT_META] = token
        return request
