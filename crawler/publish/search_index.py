"""Full-text search of a public release: a word index with CJK substrings, and a trigram index.

Both indexes are contentless (they hold no copy of the redacted text, only each listing's rowid).
"""

from __future__ import annotations

import re

import sqlite_utils

from crawler.publish.release_text import SUBSTRING_FTS, WORD_FTS

# Runs of Chinese, Japanese and Korean script: the word tokenizer sees a run as one word, so
# the release indexes its substrings too (see ``cjk_ngrams``).
CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+")
CJK_LONGEST = 8


def cjk_ngrams(text: str | None, longest: int = CJK_LONGEST) -> str:
    """Every run of CJK script in ``text``, and its substrings of 2 to ``longest`` characters.

    >>> cjk_ngrams("Old 象牙手镯")
    '象牙手镯 象牙 象牙手 牙手 牙手镯 手镯'
    """
    grams: list[str] = []
    for run in CJK_RUN.findall(text or ""):
        grams.append(run)
        grams += [
            run[i:j]
            for i in range(len(run))
            for j in range(i + 2, min(len(run), i + longest) + 1)
            if j - i < len(run)
        ]
    return " ".join(dict.fromkeys(grams))


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
