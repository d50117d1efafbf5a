"""Upserts on the data model's keys in one executemany each: plain tuples, no per-row dicts
(the store's hot path)."""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.db import jsonify_if_needed

from crawler.store.tables import TABLES

_PLAIN = frozenset((str, int, float, type(None), bytes))


def sql_row(row: dict, columns: list[str]) -> tuple:
    """A row's values in ``columns`` order, JSON-encoding lists and dicts as sqlite-utils does."""
    values = tuple(map(row.get, columns))
    if _PLAIN.issuperset(map(type, values)):
        return values
    return tuple(jsonify_if_needed(v) for v in values)


def upsert_many(
    db: sqlite_utils.Database, table: str, rows: list[dict], keep: tuple[str, ...] = ()
) -> None:
    """``INSERT ... ON CONFLICT(pk) DO UPDATE`` of every column of ``TABLES[table]`` but
    the key and ``keep`` (written on insert only), one executemany for all rows."""
    if not rows:
        return
    columns = list(TABLES[table]["columns"])
    db.conn.executemany(upsert_sql(table, keep), [sql_row(r, columns) for r in rows])


def upsert_sql(table: str, keep: tuple[str, ...] = ()) -> str:
    """The upsert of ``upsert_many``: values of every column of ``TABLES[table]``, in order."""
    columns = list(TABLES[table]["columns"])
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
