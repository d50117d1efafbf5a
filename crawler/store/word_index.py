"""The internal instance's word index of listings, with CJK substrings (``listings_words``).

``listings_fts`` (trigram) finds any substring of three or more characters; Chinese,
Japanese and Korean words of one or two characters (象牙, 犀角) are too short for it.
``listings_words`` indexes words as the public release does (``crawler.normalise.cjk``):
title, description, and every run of CJK script with its substrings, so ``?_search=象牙``
finds the titles containing it. It is kept by
Python rather than triggers (a trigger would need the ``cjk_ngrams`` function in every
connection that writes listings): ``sync_word_index`` indexes the listings added or
changed since the last sync; ``ensure_schema`` and the end of every crawl call it.
"""

from __future__ import annotations

import sqlite_utils

from crawler.normalise.cjk import cjk_ngrams

WORDS = "listings_words"
STATE = "listings_words_state"  # rowid -> the indexed (title, description) digest


def _ngrams(text: str | None) -> str:
    return cjk_ngrams(text)


def create_word_index(db: sqlite_utils.Database) -> None:
    """Create the index and its bookkeeping table (idempotent, no transaction of its own)."""
    db.execute(
        f"create virtual table if not exists [{WORDS}] using fts5(title, description, cjk, "
        "tokenize='porter unicode61 remove_diacritics 2')"
    )
    db.execute(f"create table if not exists [{STATE}] (rowid integer primary key, digest text)")


_DIGEST = "coalesce(l.title, '') || char(31) || coalesce(l.description, '')"


def sync_word_index(db: sqlite_utils.Database) -> int:
    """Index listings new or changed since the last sync; return how many were (re)indexed.

    Runs inside the caller's transaction (``write_transaction``), opening none of its own.
    """
    if not db[WORDS].exists():
        create_word_index(db)
    stale = db.execute(
        f"select l.rowid, l.title, l.description, {_DIGEST}, s.rowid is not null "
        f"from listings l left join [{STATE}] s on s.rowid = l.rowid "
        f"where s.digest is null or s.digest != {_DIGEST}"
    ).fetchall()
    gone = db.execute(
        f"select rowid from [{STATE}] where rowid not in (select rowid from listings)"
    ).fetchall()
    if not stale and not gone:
        return 0
    # One executemany per statement; a listing never indexed has nothing to delete.
    indexed = [(r[0],) for r in stale if r[4]]
    db.conn.executemany(f"delete from [{WORDS}] where rowid = ?", [*gone, *indexed])
    db.conn.executemany(f"delete from [{STATE}] where rowid = ?", gone)
    db.conn.executemany(
        f"insert into [{WORDS}] (rowid, title, description, cjk) values (?, ?, ?, ?)",
        [(r[0], r[1], r[2], _ngrams(f"{r[1] or ''} {r[2] or ''}")) for r in stale],
    )
    db.conn.executemany(
        f"insert or replace into [{STATE}] (rowid, digest) values (?, ?)",
        [(r[0], r[3]) for r in stale],
    )
    return len(stale)


def drop_word_index(db: sqlite_utils.Database) -> None:
    """Drop the index and its bookkeeping (a release drops it before copying tables)."""
    db.execute(f"drop table if exists [{WORDS}]")
    db.execute(f"drop table if exists [{STATE}]")
