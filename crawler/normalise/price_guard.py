"""Amounts no asking price has: refused by ``crawler.normalise.prices`` (kind "impossible").

Pure; no imports beyond the standard library.
"""

from __future__ import annotations

import re
from decimal import Decimal

# Impossible amounts are refused (kind "impossible", amount None), never stored as numbers:
# an exponent (``1e308 €`` was read as 1), a negative amount (``-5 €`` was read as 5), or more
# integer digits than any asking price has (a 27-digit price was stored and summed).
MAX_INTEGER_DIGITS = 12
_EXPONENT = re.compile(r"\d\s*[eE]\s*[+-]?\s*\d")
_MINUS = re.compile(r"[-\u2212\u2796]\s*\d")


def impossible(text: str) -> bool:
    """An exponent, or a minus before the first number of the text (a range's dash comes after
    a number)."""
    if _EXPONENT.search(text):
        return True
    m = _MINUS.search(text)
    return m is not None and not re.search(r"\d", text[: m.start()])


def too_big(value: Decimal | None) -> bool:
    return value is not None and (
        not value.is_finite() or abs(value) >= Decimal(10) ** MAX_INTEGER_DIGITS
    )
