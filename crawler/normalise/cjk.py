"""Runs of Chinese, Japanese and Korean script and their substrings, for word indexes.

A word tokenizer (FTS5 ``unicode61``) sees a run of CJK script as one word, and a trigram
index needs three characters, so 象牙 (ivory, two characters) is found by neither. The
public release (``crawler.publish.search_index``) and the internal instance's word index
(``crawler.store.word_index``) index each run's substrings too.
"""

from __future__ import annotations

import re

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
