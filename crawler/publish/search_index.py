"""Full-text search of a public release: a word index with CJK substrings, and a trigram index.

Both indexes are contentless (they hold no copy of the redacted text, only each listing's rowid,
which in a release is its ``risk_rank``: ``release_order``). The word index has a fourth column,
``filters``: one token per facet value of the listing (``facet_token``), so that the release's
plugin finds a search filtered on facet columns in the index alone (``wildcrawl_public``).
"""

from __future__ import annotations

import sqlite_utils

from crawler.normalise.cjk import CJK_LONGEST, CJK_RUN, cjk_ngrams  # noqa: F401
from crawler.publish.datasette.wildcrawl_public import FILTER_COLUMN, facet_token
from crawler.publish.release_order import FACET_COLUMNS
from crawler.publish.release_text import SUBSTRING_FTS, WORD_FTS

# cjk_ngrams lives in crawler.normalise.cjk (the store's internal word index uses it too).


def search_indexes(db: sqlite_utils.Database) -> None:
    """The word index (with CJK substrings) Datasette searches, and the trigram index beside it.

    Both are contentless: they hold no copy of the text, only the listing's rowid.
    """
    db.conn.create_function("cjk_ngrams", 1, cjk_ngrams, deterministic=True)
    db.conn.create_function("facet_tokens", len(FACET_COLUMNS), _facet_tokens, deterministic=True)
    facets = ", ".join(f"[{c}]" for c in FACET_COLUMNS)
    with db.conn:
        db.execute(
            f"create virtual table [{WORD_FTS}] using fts5(title, description, cjk, "
            f"{FILTER_COLUMN}, content='', tokenize='porter unicode61 remove_diacritics 2')"
        )
        db.execute(
            f"insert into [{WORD_FTS}] (rowid, title, description, cjk, {FILTER_COLUMN}) "
            "select rowid, title, description, "
            "cjk_ngrams(coalesce(title, '') || ' ' || coalesce(description, '')), "
            f"facet_tokens({facets}) from listings"
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


def _facet_tokens(*values) -> str:
    """A listing's ``filters`` column: the token of each of its non-null facet values."""
    tokens = (facet_token(column, value) for column, value in zip(FACET_COLUMNS, values))
    return " ".join(t for t in tokens if t)
