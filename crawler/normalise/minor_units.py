"""Amounts written with their minor unit: ``5 euros and 50 cents``, ``3 dollars 50
cents``, ``10 $ 30 cent``, ``2 元 5 角``, ``10日元5日本銭``, ``12 zł 50 gr``.

CLDR has no names for minor units, so they are data here: a word and its share of the
major unit (a tenth for 角/毛, a hundredth for the rest). Pure.
"""

from __future__ import annotations

import re
from decimal import Decimal

__all__ = ["MINOR_UNITS", "compound_amount"]

MINOR_UNITS = {
    **dict.fromkeys(
        "cent cents centavo centavos céntimo céntimos centime centimes centesimi centesimo "
        "penny pence p ct öre øre aurar kuruş kurus kr groszy grosze grosz gr копеек "
        "копейки копейка коп kopeks kopek paise paisa sen 銭 美分 分 센트 セント".split(),
        Decimal("0.01"),
    ),
    "角": Decimal("0.1"),
    "毛": Decimal("0.1"),
}
MINOR_UNITS.pop("kr")  # "kr" is the krona itself, never its öre
_AND = r"(?:and|und|et|y|e|i|og|och|en|ve|и|és|a|和|又|零|,|&)"
_COMPOUND = re.compile(
    r"(?P<major>\d+(?:[.,\s]\d{3})*)\s*(?P<currency>[^\d\s][^\d]{0,24}?)\s*"
    rf"(?:{_AND}\s*)?(?P<minor>\d{{1,2}})\s*(?:日本)?(?P<unit>"
    + "|".join(re.escape(u) for u in sorted(MINOR_UNITS, key=len, reverse=True))
    + r")(?![^\W\d_])\.?",
    re.IGNORECASE,
)


# "15 dollars 50", "17 usd 25", "15 dollars and 50": two minor digits ending the text
# after a currency written in letters.
_TRAILING_MINOR = re.compile(
    rf"(?P<major>\d+)\s*(?P<currency>[^\W\d_]{{2,20}}\.?)\s*(?:{_AND}\s*)?(?P<minor>\d{{2}})\s*$",
    re.IGNORECASE,
)


def compound_amount(text: str) -> Decimal | None:
    """Major + minor amount when ``text`` writes both (``5 euros and 50 cents`` -> 5.50)."""
    m = _TRAILING_MINOR.search(text)
    if m and not m.group("currency").lower().startswith(("and", "et", "und")):
        from crawler.normalise.currency_names import currency_table, fold

        names, heads = currency_table()
        key = fold(m.group("currency"))
        if key in names or key in heads:
            return Decimal(m.group("major")) + Decimal(m.group("minor")) / 100
    m = _COMPOUND.search(text)
    if not m or not re.search(r"[^\W\d_]|[$€£¥₩₹]", m.group("currency")):
        return None
    major = Decimal(re.sub(r"[.,\s]", "", m.group("major")))
    share = MINOR_UNITS.get(m.group("unit").lower()) or MINOR_UNITS.get(m.group("unit"))
    return None if share is None else major + Decimal(m.group("minor")) * share
