"""Upserts on the data model's keys in one executemany each: plain tuples, no per-row dicts
(the store's hot path)."""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.db import jsonify_if_needed

from crawler.store.tables import TABLES

_PLAIN = frozenset((str, int, float, bool, type(None), bytes))


def sql_row(row: dict, columns: list[str]) -> tuple:
    """A row's values in ``columns`` order, JSON-encoding lists and dicts as sqlite-utils does."""
    values = tuple(map(row.get, columns))
    if _PLAIN.issuperset(map(type, values)):
        return values
    return tuple(jsonify_if_needed(v) for v in values)


def plain_row(values: list) -> tuple:
    """``values`` as a row to bind, JSON-encoding lists and dicts as sqlite-utils does."""
    if _PLAIN.issuperset(map(type, values)):
        return tuple(values)
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


def stored_rows(db: sqlite_utils.Database, table: str, keys: list) -> dict:
    """The stored rows of ``keys`` (single-column key), as tuples in ``TABLES[table]`` order."""
    if not keys:
        return {}
    columns = list(TABLES[table]["columns"])
    key = columns.index(TABLES[table]["pk"])
    sql = (
        f"select {', '.join(f'[{c}]' for c in columns)} from [{table}] "
        f"where [{TABLES[table]['pk']}] in ({','.join('?' * len(keys))})"
    )
    return {row[key]: row for row in db.conn.execute(sql, keys)}


def write_changed(
    db: sqlite_utils.Database,
    table: str,
    rows: list[tuple],
    stored: dict,
    keep: tuple[str, ...] = (),
) -> None:
    """The same end state as ``upsert_many`` of ``rows`` (tuples in ``TABLES[table]`` order,
    single-column key), writing less: new rows are inserted, and a known row (``stored``, as
    ``stored_rows`` read it in this transaction) gets an UPDATE of only the columns whose value
    changed, so indexes and triggers on unchanged columns are not touched; an unchanged row is
    not written at all. A batch holding one key twice takes ``upsert_many``'s path."""
    if not rows:
        return
    columns = list(TABLES[table]["columns"])
    key = columns.index(TABLES[table]["pk"])
    kept = frozenset(columns.index(c) for c in keep) | {key}
    keys = [r[key] for r in rows]
    if len(set(keys)) != len(keys):
        db.conn.executemany(upsert_sql(table, keep), rows)
        return
    new, updates = [], {}
    positions = range(len(columns))
    for row in rows:
        old = stored.get(row[key])
        if old is None:
            new.append(row)
            continue
        if row == old:
            continue
        changed = tuple(i for i, a, b in zip(positions, row, old) if a != b and i not in kept)
        if changed:
            updates.setdefault(changed, []).append((*(row[i] for i in changed), row[key]))
    if new:
        insert_staged(db, table, new, keep)
    for changed, params in updates.items():
        sets = ", ".join(f"[{columns[i]}] = ?" for i in changed)
        db.conn.executemany(f"UPDATE [{table}] SET {sets} WHERE [{columns[key]}] = ?", params)


def insert_staged(
    db: sqlite_utils.Database, table: str, rows: list[tuple], keep: tuple[str, ...] = ()
) -> None:
    """``upsert_many`` of value tuples as one statement: the rows go to a temporary table,
    then ``INSERT ... SELECT`` moves them in, in order.

    One statement per batch rather than one per row: inside a transaction, every execution of
    a statement that fires triggers opens a statement savepoint, and at each savepoint FTS5
    writes out what it holds in memory. With the full-text trigger on ``listings``, an
    ``executemany`` of 200 inserts wrote 200 one-row index segments, then merged them
    (82 µs per listing in SQLite; 31 µs as one statement).
    """
    columns = list(TABLES[table]["columns"])
    names = ", ".join(f"[{c}]" for c in columns)
    stage = f"temp.[wildcrawl_stage_{table}]"
    db.execute(f"create temp table if not exists {stage} ({names})")
    db.conn.executemany(f"insert into {stage} values ({', '.join('?' * len(columns))})", rows)
    upsert = upsert_sql(table, keep)
    # "where true": an INSERT ... SELECT with an ON CONFLICT clause needs a WHERE (SQLite's
    # parser would read ON as a join constraint).
    select = f"select {names} from {stage} where true order by rowid"
    db.execute(upsert.replace(f"VALUES ({', '.join('?' * len(columns))})", select))
    db.execute(f"delete from {stage}")


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
