"""Writing one SQLite file from several processes without losing a batch, and the plausible
amounts the store accepts.

``write_transaction`` takes the write lock when a transaction begins (``BEGIN IMMEDIATE``) and
retries while another process holds it, so crawls sharing a database take turns.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterator

import sqlite_utils

# How long a writer waits in all for the write lock another process holds (each BEGIN IMMEDIATE
# also waits the connection's busy timeout): crawls sharing a file take turns, never lose a batch.
LOCK_WAIT_S = 300.0

NOT_ALL_STORED = "A crawl whose items were not all stored must not say finished"


# The largest amount stored as a price (12 integer digits, as crawler.normalise.prices reads).
MAX_PLAUSIBLE_PRICE = 1e12


def plausible_price(value) -> bool:
    """A finite, non-negative amount under ``MAX_PLAUSIBLE_PRICE`` (None is not a price)."""
    return isinstance(value, int | float) and 0 <= value < MAX_PLAUSIBLE_PRICE


def guard_price(item: dict) -> dict:
    """The item with an implausible price or USD price dropped (kind ``impossible``), so the
    store never holds, and nothing ever sums, an amount such as 1e308 or -5."""
    price, usd = item.get("price"), item.get("price_usd")
    if (price is None or (type(price) is float and 0 <= price < MAX_PLAUSIBLE_PRICE)) and (
        usd is None or (type(usd) is float and 0 <= usd < MAX_PLAUSIBLE_PRICE)
    ):
        return item  # the common case, decided without the general test below
    bad = [k for k in ("price", "price_usd") if item.get(k) is not None]
    if all(plausible_price(item[k]) for k in bad):
        return item
    return {**item, "price": None, "price_usd": None, "rate_date": None, "price_kind": "impossible"}


def is_busy(exc: BaseException) -> bool:
    """SQLITE_BUSY / SQLITE_LOCKED: another connection holds the lock."""
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


@contextlib.contextmanager
def write_transaction(db: sqlite_utils.Database, wait_s: float = LOCK_WAIT_S) -> Iterator[None]:
    """One write transaction that holds the write lock from its start (``BEGIN IMMEDIATE``).

    A deferred ``BEGIN`` that reads and then writes cannot wait for the lock: SQLite answers
    BUSY at once (waiting could deadlock, or the snapshot is stale) whatever the busy timeout,
    and the batch was lost. ``BEGIN IMMEDIATE`` waits the busy timeout for the lock, and is
    retried until ``wait_s`` has passed; then ``sqlite3.OperationalError`` is raised.
    Inside an open transaction it is a savepoint of that one.
    """
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield
        return
    deadline = time.monotonic() + wait_s
    pause = 0.05
    while True:
        try:
            conn.execute("BEGIN IMMEDIATE")
            break
        except sqlite3.OperationalError as exc:
            if not is_busy(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 1.0)
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    # Code inside may have committed already (``with db.conn:`` commits an open transaction).
    if conn.in_transaction:
        try:
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
