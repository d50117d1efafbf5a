"""Off-platform contacts in listing text: WeChat, WhatsApp, LINE, Telegram, QQ,
phone numbers and e-mail addresses.

Sellers move buyers off the platform ("加微信 ivory_88", "WhatsApp +234 803...").
Each contact found gets a canonical ``normalized`` form, so one contact
written three ways (``微信: Ivory_88``, ``VX ivory_88``, ``wechat:IVORY_88``;
``+86 138 0013 8000``, ``138-0013-8000``) is one contact, and a monitor can see
one seller behind several accounts. Phone numbers are parsed and validated by
``phonenumbers`` (libphonenumber) and normalised to E.164. Pure: no Scrapy.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import phonenumbers

KINDS = ("wechat", "whatsapp", "line", "telegram", "qq", "phone", "email")


@dataclass(frozen=True)
class Contact:
    """One contact in a text: ``value`` as written, ``normalized`` canonical."""

    kind: str  # wechat | whatsapp | line | telegram | qq | phone | email
    value: str
    normalized: str
    start: int
    end: int


# Labels announcing a contact of each kind (case-insensitive).
LABELS = {
    "wechat": r"微信号?|微信|薇信|威信|徽信|[vV]信|weixin|we\s?chat(?:\s?id)?|vx|wx|加v|加微|\+v",
    "whatsapp": r"whats\s?app|whatsap|wa|wsp|واتساب|واتس",
    "line": r"line(?:\s?id)?|賴|赖",
    "telegram": r"telegram|tg|电报|電報|飞机|飛機",
    "qq": r"qq号?|扣扣|企鹅|企鵝",
}
_SEP = r"[\s:：=\-–—|/.,，]*(?:id|号|號|[:：])?[\s:：=\-–—]*"
_HANDLE = r"@?[A-Za-z][A-Za-z0-9_\-.]{2,39}(?<![.\-])"
_PHONE_LIKE = r"\+?[\d(][\d\s().\-]{5,20}\d"
_LABELLED = re.compile(
    r"(?<![A-Za-z0-9])(?P<label>"
    + "|".join(f"(?P<{kind}>{pattern})" for kind, pattern in LABELS.items())
    + rf")(?![A-Za-z]){_SEP}(?P<value>{_PHONE_LIKE}|{_HANDLE})",
    re.IGNORECASE,
)
_LINKS = [
    (
        "whatsapp",
        re.compile(
            r"(?:wa\.me/|api\.whatsapp\.com/send\?phone=)(?P<value>\+?\d{6,15})", re.IGNORECASE
        ),
    ),
    (
        "telegram",
        re.compile(r"(?:t\.me|telegram\.me)/(?P<value>[A-Za-z0-9_]{4,32})", re.IGNORECASE),
    ),
    (
        "line",
        re.compile(
            r"line\.me/(?:ti/p/|R/ti/p/)?~?(?P<value>@?[A-Za-z0-9_.\-]{3,40})", re.IGNORECASE
        ),
    ),
]
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_EMAIL_OBFUSCATED = re.compile(
    r"(?<![\w.+-])(?P<user>[\w.+-]+)\s*[\[(]\s*(?:at|@)\s*[\])]\s*(?P<domain>[A-Za-z0-9-]+)"
    r"\s*[\[(]\s*(?:dot|\.)\s*[\])]\s*(?P<tld>[A-Za-z]{2,})",
    re.IGNORECASE,
)
# Words a label is often followed by that are not ids ("WhatsApp me", "Line up").
_NOT_IDS = {
    "me",
    "only",
    "number",
    "contact",
    "available",
    "us",
    "the",
    "and",
    "for",
    "ok",
    "please",
    "pls",
    "msg",
    "message",
    "chat",
    "call",
    "now",
    "add",
    "with",
}


def _e164(value: str, default_country: str | None) -> str | None:
    try:
        number = phonenumbers.parse(
            value,
            None if value.strip().startswith("+") else (default_country or "").upper() or None,
        )
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _normalize(kind: str, value: str, default_country: str | None) -> str | None:
    """Canonical form of one contact, or None when it is not one."""
    value = value.strip()
    if kind == "email":
        return value.lower()
    digits = re.sub(r"[\s().\-]", "", value)
    if kind == "qq":
        return digits if re.fullmatch(r"[1-9]\d{4,11}", digits) else None
    if kind in ("phone", "whatsapp") or re.fullmatch(r"\+?\d{7,15}", digits):
        phone = _e164(value, default_country)
        if phone:
            return phone
        if kind in ("phone", "whatsapp"):
            # A WhatsApp number without country code in a text of unknown country.
            return digits if kind == "whatsapp" and len(digits) >= 7 else None
    handle = value.lstrip("@").casefold()
    if handle in _NOT_IDS or not re.search(r"[a-z0-9]", handle):
        return None
    return handle


def find_contacts(text: str | None, default_country: str | None = None) -> list[Contact]:
    """Every off-platform contact in ``text``, in order of appearance.

    ``default_country`` (ISO 3166-1 alpha-2, the marketplace's country) lets
    local phone numbers (``0803 123 4567`` in Nigeria) be normalised to E.164.
    Offsets index the text as given (NFKC only changes full-width forms, which
    keep their length).
    """
    if not text:
        return []
    # NFKC maps full-width letters/digits one to one; keep offsets valid otherwise.
    normalized_text = unicodedata.normalize("NFKC", text)
    work = normalized_text if len(normalized_text) == len(text) else text
    found: list[Contact] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, start: int, end: int, source: str | None = None) -> None:
        """Record text[start:end]; ``source`` is what to normalise when it differs."""
        if any(start < e and s < end for s, e in taken):
            return
        norm = _normalize(kind, work[start:end] if source is None else source, default_country)
        if norm:
            found.append(Contact(kind, text[start:end], norm, start, end))
            taken.append((start, end))

    for kind, pattern in _LINKS:
        for m in pattern.finditer(work):
            # wa.me numbers are international without the "+".
            source = "+" + m["value"].lstrip("+") if kind == "whatsapp" else None
            add(kind, m.start("value"), m.end("value"), source)
    for m in _EMAIL.finditer(work):
        add("email", m.start(), m.end())
    for m in _EMAIL_OBFUSCATED.finditer(work):
        add("email", m.start(), m.end(), f"{m['user']}@{m['domain']}.{m['tld']}")
    for m in _LABELLED.finditer(work):
        kind = next(k for k in LABELS if m.group(k))
        add(kind, m.start("value"), m.end("value"))
    region = (default_country or "").upper() or None
    for match in phonenumbers.PhoneNumberMatcher(work, region or "ZZ"):
        add("phone", match.start, match.end)
    found.sort(key=lambda c: c.start)
    return found
