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
        f"select l.rowid, l.title, l.description, {_DIGEST} from listings l "
        f"left join [{STATE}] s on s.rowid = l.rowid "
        f"where s.digest is null or s.digest != {_DIGEST}"
    ).fetchall()
    gone = db.execute(
        f"select rowid from [{STATE}] where rowid not in (select rowid from listings)"
    ).fetchall()
    if not stale and not gone:
        return 0
    for (rowid,) in gone:
        db.execute(f"delete from [{WORDS}] where rowid = ?", [rowid])
        db.execute(f"delete from [{STATE}] where rowid = ?", [rowid])
    for rowid, title, description, digest in stale:
        db.execute(f"delete from [{WORDS}] where rowid = ?", [rowid])
        db.execute(
            f"insert into [{WORDS}] (rowid, title, description, cjk) values (?, ?, ?, ?)",
            [rowid, title, description, _ngrams(f"{title or ''} {description or ''}")],
        )
        db.execute(
            f"insert or replace into [{STATE}] (rowid, digest) values (?, ?)", [rowid, digest]
        )
    return len(stale)


def drop_word_index(db: sqlite_utils.Database) -> None:
    """Drop the index and its bookkeeping (a release drops it before copying tables)."""
    db.execute(f"drop table if exists [{WORDS}]")
    db.execute(f"drop table if exists [{STATE}]")
