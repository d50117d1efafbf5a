"""Upserts on the data model's keys in one statement or one executemany each: plain tuples,
no per-row dicts (the store's hot path)."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain

import sqlite_utils
from sqlite_utils.db import jsonify_if_needed

from crawler.store.tables import TABLES

# Types bound as they are; lists and dicts are stored as JSON, as sqlite-utils does.
PLAIN = frozenset((str, int, float, bool, type(None), bytes))


def sql_row(row: dict, columns: list[str]) -> tuple:
    """A row's values in ``columns`` order, JSON-encoding lists and dicts as sqlite-utils does."""
    return plain_row(tuple(map(row.get, columns)))


def plain_row(values: Sequence) -> tuple:
    """``values`` as a row to bind, JSON-encoding lists and dicts as sqlite-utils does."""
    if PLAIN.issuperset(map(type, values)):
        return tuple(values)
    return tuple(jsonify_if_needed(v) for v in values)


def upsert_sql(table: str, keep: tuple[str, ...] = (), columns: Sequence[str] = ()) -> str:
    """``INSERT ... ON CONFLICT(pk) DO UPDATE`` of every column of ``TABLES[table]`` but the
    key and ``keep`` (written on insert only); values of ``columns`` (default: every column
    of ``TABLES[table]``), in order."""
    columns = list(columns or TABLES[table]["columns"])
    pk = TABLES[table]["pk"]
    pk = (pk,) if isinstance(pk, str) else pk
    updates = ", ".join(f"[{c}] = excluded.[{c}]" for c in columns if c not in pk and c not in keep)
    return (
        f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
        f"VALUES ({', '.join('?' * len(columns))}) "
        f"ON CONFLICT({', '.join(f'[{c}]' for c in pk)}) DO UPDATE SET {updates}"
    )


def insert_many_ignore(db: sqlite_utils.Database, table: str, rows: list[tuple]) -> None:
    """``INSERT OR IGNORE`` of value tuples (every column of ``TABLES[table]``), one executemany."""
    if not rows:
        return
    columns = list(TABLES[table]["columns"])
    sql = (
        f"INSERT OR IGNORE INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
        f"VALUES ({', '.join('?' * len(columns))})"
    )
    db.conn.executemany(sql, rows)


# Why the store's writes to a table with a full-text trigger are one statement (a VALUES
# list, or an UPDATE from a staging table): inside a transaction, every execution of a
# statement that fires triggers opens a statement savepoint, and at each savepoint FTS5
# writes out what it holds in memory.
# With the trigger on ``listings``, an executemany of 200 inserts wrote 200 one-row trigram
# segments, then merged them (82 µs per listing in SQLite; 31 µs as one statement).


def _stage(db: sqlite_utils.Database, table: str, columns: Sequence[str], rows) -> str:
    """``rows`` (tuples of ``columns``) in a temporary table, emptied first; return its name."""
    stage = f"temp.[wildcrawl_stage_{table}]"
    names = ", ".join(f"[{c}]" for c in columns)
    db.conn.execute(f"create temp table if not exists {stage} ({names})")
    db.conn.execute(f"delete from {stage}")
    db.conn.executemany(f"insert into {stage} values ({', '.join('?' * len(columns))})", rows)
    return stage


def insert_values(
    db: sqlite_utils.Database,
    table: str,
    columns: Sequence[str],
    rows: list[tuple],
    keep: tuple[str, ...] = (),
    ignore: bool = False,
) -> None:
    """The upsert of ``upsert_sql`` (``ignore``: ``INSERT OR IGNORE``) of every row (tuples of
    ``columns``, every column of the table), in order, as one ``INSERT ... VALUES (...),
    (...)`` statement (chunks of at most ``_MAX_VALUES`` values). Faster than an executemany
    (~1 µs an observation), and one statement fires triggers once: a staging table to fill,
    empty and read back cost ~2 µs more a listing."""
    if not rows:
        return
    one = f"({', '.join('?' * len(columns))})"
    if ignore:
        names = ", ".join(f"[{c}]" for c in columns)
        upsert = f"INSERT OR IGNORE INTO [{table}] ({names}) VALUES {one}"
    else:
        upsert = upsert_sql(table, keep, columns)
    per = max(1, _MAX_VALUES // len(columns))
    for at in range(0, len(rows), per):
        chunk = rows[at : at + per]
        sql = upsert.replace(f"VALUES {one}", "VALUES " + ", ".join([one] * len(chunk)), 1)
        db.conn.execute(sql, list(chain.from_iterable(chunk)))


# Bound values in one statement: under SQLite's default limit since 3.32 (32,766).
_MAX_VALUES = 32_000


def update_staged(
    db: sqlite_utils.Database,
    table: str,
    columns: Sequence[str],
    changed: Sequence[str],
    rows: list[tuple],
) -> None:
    """An UPDATE of the ``changed`` columns of the rows keyed as ``rows`` (tuples of
    ``columns``, single-column key), as one statement from a staging table."""
    stage = _stage(db, table, columns, rows)
    pk = TABLES[table]["pk"]
    sets = ", ".join(f"[{c}] = s.[{c}]" for c in changed)
    db.conn.execute(f"update [{table}] set {sets} from {stage} s where [{table}].[{pk}] = s.[{pk}]")


def update_given(db: sqlite_utils.Database, table: str, rows) -> None:
    """Upsert dicts on ``TABLES[table]``'s single-column key, writing only the keys each dict
    has (others keep their stored values), one executemany per set of keys."""
    pk = TABLES[table]["pk"]
    groups: dict[tuple, list] = {}
    for row in rows:
        groups.setdefault(tuple(row), []).append(row)
    for keys, group in groups.items():
        columns = [k for k in keys if k != pk]
        if not columns:
            sql = f"INSERT OR IGNORE INTO [{table}] ([{pk}]) VALUES (?)"
            db.conn.executemany(sql, [(r[pk],) for r in group])
            continue
        sql = (
            f"INSERT INTO [{table}] ([{pk}], {', '.join(f'[{c}]' for c in columns)}) "
            f"VALUES ({', '.join('?' * (len(columns) + 1))}) ON CONFLICT([{pk}]) DO UPDATE SET "
            + ", ".join(f"[{c}] = excluded.[{c}]" for c in columns)
        )
        db.conn.executemany(sql, [sql_row(r, [pk, *columns]) for r in group])
