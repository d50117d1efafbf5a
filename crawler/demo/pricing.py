"""Asking prices as each demo marketplace shows them, with the value they mean.

The text is what the page shows (``VB 120 €``, ``US $45.99``, ``¥1.2万``); the
``Decimal`` beside it is the ground truth a price normaliser should recover.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from decimal import Decimal

FIXED = "fixed"
ON_REQUEST = "on_request"
FREE = "free"
RANGE = "range"

# Rough US-dollar exchange rates, only to make asking prices look local.
_PER_USD = {"EUR": 0.92, "USD": 1.0, "CNY": 7.2}


@dataclass(frozen=True)
class ShownPrice:
    """A price as displayed plus its meaning (``price`` is the lower bound of a range)."""

    text: str
    price: Decimal | None
    currency: str | None
    kind: str
    price_max: Decimal | None = None


def _nice(amount: float) -> int:
    """Round an amount the way sellers do: 7, 45, 120, 350, 1200, 15000."""
    if amount < 20:
        return max(1, round(amount))
    if amount < 200:
        return int(round(amount / 5) * 5)
    if amount < 2000:
        return int(round(amount / 10) * 10)
    if amount < 20000:
        return int(round(amount / 100) * 100)
    return int(round(amount / 1000) * 1000)


def _draw_amount(rng: random.Random, usd: tuple[int, int], currency: str) -> int:
    low, high = (math.log(v * _PER_USD[currency]) for v in usd)
    return _nice(math.exp(rng.uniform(low, high)))


def _eu(value: Decimal, decimals: bool) -> str:
    """1234.5 -> '1.234,50' (German/French classifieds style)."""
    text = f"{value:,.2f}" if decimals else f"{value:,.0f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _kind(rng: random.Random, category: str, range_ok: bool) -> str:
    roll = rng.random()
    on_request = 0.15 if category in ("wildlife", "code_word") else 0.05
    free = 0.05 if category in ("decoy", "ordinary") else 0.0
    if roll < on_request:
        return ON_REQUEST
    if roll < on_request + free:
        return FREE
    if range_ok and roll < on_request + free + 0.07:
        return RANGE
    return FIXED


def bazaar_price(rng: random.Random, usd: tuple[int, int], category: str) -> ShownPrice:
    """demo-bazaar: ``1.234,50 €``, ``45 €``, ``VB 120 €``, ``Zu verschenken``, ``Preis auf Anfrage``."""
    kind = _kind(rng, category, range_ok=False)
    if kind == ON_REQUEST:
        return ShownPrice("Preis auf Anfrage", None, None, ON_REQUEST)
    if kind == FREE:
        return ShownPrice("Zu verschenken", Decimal(0), "EUR", FREE)
    amount = Decimal(_draw_amount(rng, usd, "EUR"))
    style = rng.random()
    if style < 0.2 and amount < 2000:
        amount -= Decimal(rng.choice(("0.50", "0.01", "0.10")))
        return ShownPrice(f"{_eu(amount, True)} €", amount, "EUR", FIXED)
    if style < 0.45:
        return ShownPrice(f"VB {_eu(amount, False)} €", amount, "EUR", FIXED)
    return ShownPrice(f"{_eu(amount, False)} €", amount, "EUR", FIXED)


def jsmarket_price(rng: random.Random, usd: tuple[int, int], category: str) -> ShownPrice:
    """demo-jsmarket: ``$1,250.00``, ``$80``, ``US $45.99``, ``$100 - $200``, ``Make an offer``."""
    kind = _kind(rng, category, range_ok=True)
    if kind == ON_REQUEST:
        return ShownPrice("Make an offer", None, None, ON_REQUEST)
    if kind == FREE:
        return ShownPrice("Free", Decimal(0), "USD", FREE)
    amount = Decimal(_draw_amount(rng, usd, "USD"))
    if kind == RANGE:
        high = Decimal(_nice(float(amount) * rng.uniform(1.5, 3.0)))
        if high <= amount:
            high = amount * 2
        return ShownPrice(f"${amount:,.0f} - ${high:,.0f}", amount, "USD", RANGE, high)
    style = rng.random()
    if style < 0.2 and amount < 1000:
        amount -= Decimal("0.01")
        return ShownPrice(f"US ${amount:,.2f}", amount, "USD", FIXED)
    if style < 0.5:
        return ShownPrice(f"${amount:,.2f}", amount, "USD", FIXED)
    return ShownPrice(f"${amount:,.0f}", amount, "USD", FIXED)


def tiaozao_price(
    rng: random.Random, usd: tuple[int, int], category: str, traditional: bool
) -> ShownPrice:
    """demo-tiaozao: ``¥1.2万``, ``800元``, ``￥350``, ``3千元``, ``¥99``, ``面议`` / ``議價``."""
    kind = _kind(rng, category, range_ok=False)
    if kind == ON_REQUEST:
        return ShownPrice("議價" if traditional else "面议", None, None, ON_REQUEST)
    if kind == FREE:
        return ShownPrice("免費送" if traditional else "免费送", Decimal(0), "CNY", FREE)
    amount = _draw_amount(rng, usd, "CNY")
    if amount >= 10000:
        amount = round(amount / 1000) * 1000
        wan = Decimal(amount) / 10000
        text = f"¥{wan.normalize():f}万" if rng.random() < 0.7 else f"{amount}元"
        return ShownPrice(text, Decimal(amount), "CNY", FIXED)
    if amount >= 1000 and rng.random() < 0.4:
        amount = max(1, round(amount / 1000)) * 1000
        return ShownPrice(f"{amount // 1000}千元", Decimal(amount), "CNY", FIXED)
    template = rng.choice(("{}元", "￥{}", "¥{}"))
    return ShownPrice(template.format(amount), Decimal(amount), "CNY", FIXED)
