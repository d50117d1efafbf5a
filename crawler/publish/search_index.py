"""Full-text search of a public release: a word index with CJK substrings, and a trigram index.

Both indexes are contentless (they hold no copy of the redacted text, only each listing's rowid,
which in a release is its ``risk_rank``: ``release_order``).
"""

from __future__ import annotations

import sqlite_utils

from crawler.normalise.cjk import CJK_LONGEST, CJK_RUN, cjk_ngrams  # noqa: F401
from crawler.publish.release_text import SUBSTRING_FTS, WORD_FTS

# cjk_ngrams lives in crawler.normalise.cjk (the store's internal word index uses it too).


def search_indexes(db: sqlite_utils.Database) -> None:
    """The word index (with CJK substrings) Datasette searches, and the trigram index beside it.

    Both are contentless: they hold no copy of the text, only the listing's rowid.
    """
    db.conn.create_function("cjk_ngrams", 1, cjk_ngrams, deterministic=True)
    with db.conn:
        db.execute(
            f"create virtual table [{WORD_FTS}] using fts5(title, description, cjk, "
            "content='', tokenize='porter unicode61 remove_diacritics 2')"
        )
        db.execute(
            f"insert into [{WORD_FTS}] (rowid, title, description, cjk) "
            "select rowid, title, description, "
            "cjk_ngrams(coalesce(title, '') || ' ' || coalesce(description, '')) "
            "from listings"
        )
        db.execute(
            f"create virtual table [{SUBSTRING_FTS}] using fts5(title, description, "
            "content='', tokenize='trigram')"
        )
        db.execute(
            f"insert into [{SUBSTRING_FTS}] (rowid, title, description) "
            "select rowid, title, description from listings"
        )
        for table in (WORD_FTS, SUBSTRING_FTS):
            db.execute(f"insert into [{table}] ([{table}]) values ('optimize')")
