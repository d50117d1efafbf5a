"""Off-platform contacts in listing text: messaging ids, social handles, phones, e-mails.

Sellers move buyers off the platform ("加微信 ivory_88", "WhatsApp +234 803...") and hide
the contact from filters: ``微信lao4294``, ``name(at)gmail(dot)com``, ``w e c h a t``,
full-width ``１３８``, digits as words, ``艾特`` for @, ``点`` or ``。`` for the dot.
``find_contacts`` first *folds* the text (``fold``: NFKC, full-width forms, zero-width
characters removed, (at)/[at]/ at /艾特 -> @, (dot)/点/。 -> ., number words -> digits,
spaced letters joined), keeping for every folded character the span of the original text
it came from; then it detects contacts in the folded text and reports them with offsets
into the original. The same finder fills ``listing_contacts`` during the crawl and cuts
contacts out of a public release (``crawler.publish.redact``).

Each contact gets a canonical ``normalized`` form, so one contact written three ways
(``微信: Ivory_88``, ``VX ivory_88``, ``wechat:IVORY_88``) is one contact. Phone numbers
are parsed and validated by ``phonenumbers`` (libphonenumber) and normalised to E.164;
long digit runs that libphonenumber cannot place (a number of unknown country, a Polish
``512 345 678`` in a listing said to be German) are still phone contacts, normalised to
their digits. Pure: no Scrapy. The corpus it is tested on: tests/data/hidden_contacts.jsonl.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import phonenumbers

KINDS = (
    "wechat",
    "whatsapp",
    "line",
    "telegram",
    "qq",
    "kakaotalk",
    "skype",
    "viber",
    "instagram",
    "facebook",
    "tiktok",
    "handle",
    "phone",
    "email",
)


@dataclass(frozen=True)
class Contact:
    """One contact in a text: ``value`` as written, ``normalized`` canonical."""

    kind: str
    value: str
    normalized: str
    start: int
    end: int


# --- folding --------------------------------------------------------------------------------

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"), "")
_CHAR_MAP = {
    "。": ".",
    "｡": ".",
    "．": ".",
    "·": ".",
    "＠": "@",
    "﹫": "@",
    "〇": "0",
    "零": "0",
    "一": "1",
    "二": "2",
    "三": "3",
    "四": "4",
    "五": "5",
    "六": "6",
    "七": "7",
    "八": "8",
    "九": "9",
    "壹": "1",
    "贰": "2",
    "貳": "2",
    "叁": "3",
    "參": "3",
    "肆": "4",
    "伍": "5",
    "陆": "6",
    "陸": "6",
    "柒": "7",
    "捌": "8",
    "玖": "9",
    "⓪": "0",
}
_WORD_DIGITS = {
    w: str(i)
    for i, words in enumerate(
        [
            "zero|oh|null|zéro|cero",
            "one|eins|un|uno|jeden",
            "two|zwei|deux|dos|dwa",
            "three|drei|trois|tres|trzy",
            "four|vier|quatre|cuatro|cztery",
            "five|fünf|fuenf|cinq|cinco|pięć",
            "six|sechs|seis|sześć",
            "seven|sieben|sept|siete|siedem",
            "eight|acht|huit|ocho|osiem",
            "nine|neun|neuf|nueve|dziewięć",
        ]
    )
    for w in words.split("|")
}
# Replacements on the NFKC text, in order: (pattern, replacement).
_TLDS = (
    r"com|net|org|info|biz|edu|gov|io|co|me|ru|de|uk|fr|pl|cn|hk|tw|jp|kr|vn|th|id|my|sg|ph|in|"
    r"ng|ke|za|br|mx|ar|es|it|nl|be|ch|at|se|no|dk|fi|cz|sk|hu|ro|bg|gr|tr|ua|kz|au|nz|ca|us|eu"
)
# Top-level domains common enough that "gmail . com" may be spelt with spaces.
_SPACED_TLDS = r"com|net|org|info|ru|de|cn|pl|uk|fr|ua|vn|th|ng"
# A domain follows: "gmail dot com", "163 点 com", "qq.com" ("4oz. It comes" is no domain).
_DOMAIN_AHEAD = (
    r"(?=[A-Za-z0-9-]{2,}(?:\s*(?:[。点點.]|[\[({<]?\s*dot\b)\s*[\])}>]?\s*(?:"
    + _SPACED_TLDS
    + r")|\.(?:"
    + _TLDS
    + r"))(?![A-Za-z]))"
)
_AT = (
    r"\s*[\[({<]\s*(?:at|@|艾特)\s*[\])}>]\s*|\s*艾特\s*|\s*圈a\s*|"
    r"\s+(?:at|@)\s+" + _DOMAIN_AHEAD + r"|\s+@" + _DOMAIN_AHEAD + r"|@\s+" + _DOMAIN_AHEAD
)
_DOT = (
    r"\s*[\[({<]\s*(?:dot|\.|点|點)\s*[\])}>]\s*|\s+dot\s+|\s*[点點]\s*|"
    r"\s+\.\s*(?=(?:" + _SPACED_TLDS + r")\b)|\.\s+(?=(?:" + _SPACED_TLDS + r")\b)"
)
_NUMBER_WORD = (
    r"(?<![\w.@])(?:" + "|".join(sorted(_WORD_DIGITS, key=len, reverse=True)) + r")(?![\w@])"
)
# Two or more single letters or digits, each alone between separators: "w e c h a t", "V X".
_SPACED = (
    r"(?<![A-Za-z0-9])[A-Za-z0-9](?![A-Za-z0-9])(?:[ ·*\-.]{1,2}[A-Za-z0-9](?![A-Za-z0-9])){2,}|"
    r"(?<![A-Za-z0-9])[A-Za-z](?![A-Za-z0-9]) [A-Za-z](?![A-Za-z0-9])"
)
# Separators between two CJK characters: "微 信" -> "微信".
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
_CJK_SPACED = rf"(?<=[{_CJK}])[ \u3000·*_\-.]{{1,2}}(?=[{_CJK}])"
_FOLD_PASSES = (
    (re.compile(_AT, re.IGNORECASE), "@"),
    (re.compile(_DOT, re.IGNORECASE), "."),
    (re.compile(_NUMBER_WORD, re.IGNORECASE), None),  # -> its digit
    (re.compile(_SPACED), None),  # -> without separators
    (re.compile(_CJK_SPACED), ""),
)


# Characters known to fold to themselves (most text is made only of them): such text is
# its own folded form, found with one set operation instead of a loop over its characters.
_SAME: set[str] = set()


def _folds_to_itself(text: str) -> bool:
    new = set(text).difference(_SAME)
    for ch in new:
        mapped = _CHAR_MAP.get(ch)
        if mapped is None:
            mapped = unicodedata.normalize("NFKC", ch).translate(_ZERO_WIDTH)
        if mapped != ch:
            return False
    if len(_SAME) < 100_000:
        _SAME.update(new)
    return True


def fold(text: str) -> tuple[str, list[int], list[int]]:
    """``text`` folded for detection, with per folded character its original start and end."""
    if _folds_to_itself(text):
        folded, starts, ends = text, list(range(len(text))), list(range(1, len(text) + 1))
    else:
        chars: list[str] = []
        starts = []
        ends = []
        for i, ch in enumerate(text):
            mapped = _CHAR_MAP.get(ch)
            if mapped is None:
                mapped = unicodedata.normalize("NFKC", ch).translate(_ZERO_WIDTH)
            for out in mapped:
                chars.append(out)
                starts.append(i)
                ends.append(i + 1)
        folded = "".join(chars)
    for pattern, replacement in _FOLD_PASSES:
        if not pattern.search(folded):
            continue
        new_chars: list[str] = []
        new_starts: list[int] = []
        new_ends: list[int] = []
        pos = 0
        for m in pattern.finditer(folded):
            s, e = m.span()
            if s == e:
                continue
            new_chars += folded[pos:s]
            new_starts += starts[pos:s]
            new_ends += ends[pos:s]
            if replacement is not None:
                out = replacement
            elif pattern.pattern == _NUMBER_WORD:
                out = _WORD_DIGITS[m.group().lower()]
            else:
                out = re.sub(r"[ ·*\-.]", "", m.group())
            for ch in out:
                new_chars.append(ch)
                new_starts.append(starts[s])
                new_ends.append(ends[e - 1])
            pos = e
        new_chars += folded[pos:]
        new_starts += starts[pos:]
        new_ends += ends[pos:]
        folded, starts, ends = "".join(new_chars), new_starts, new_ends
    return folded, starts, ends


# --- detection ------------------------------------------------------------------------------

# Labels announcing a contact of each kind (case-insensitive), on folded text.
LABELS = {
    "wechat": r"微信号?|微訊|薇信|威信|徽信|維信|维信|[vV]信|weixin|we-?chat(?:\s?id)?|vx|wx|加v|加微|\+v|v:",
    "whatsapp": r"whats[\s-]?app|whatsap|watsapp|wa|wsp|watts?app|واتساب|واتس",
    "line": r"line(?:\s?id)?|賴|赖",
    "telegram": r"telegram|tg|телеграм|电报|電報|飞机|飛機",
    "qq": r"qq号?|扣扣|企鹅|企鵝",
    "kakaotalk": r"kakao\s?talk|kakao|katalk|카카오톡|카카오|카톡|kt\s?id",
    "skype": r"skype(?:\s?id)?",
    "viber": r"viber|вайбер",
    "instagram": r"instagram|insta|ig|инстаграм|インスタ",
    "facebook": r"facebook|fb|фейсбук",
    "tiktok": r"tik\s?tok|抖音",
}
_SEP = r"[\s:：=\-–—|/,，>]*(?:id(?![A-Za-z0-9])|号|號|[:：])?[\s:：=\-–—>]*"
_HANDLE = r"live:[A-Za-z0-9_.\-]{3,40}|@?[A-Za-z][A-Za-z0-9_\-.]{2,39}(?<![.\-])"
_PHONE_LIKE = r"\+?[\d(][\d\s().\-]{5,20}\d"
_LABELLED = re.compile(
    r"(?<![A-Za-z0-9])(?P<label>"
    + "|".join(f"(?P<{kind}>{pattern})" for kind, pattern in LABELS.items())
    # a Latin label must end its word ("wax" is no "wa"); a CJK label may touch the id
    + r")(?:(?<=[^\x00-\x7f])|(?![A-Za-z]))"
    + rf"(?P<sep>{_SEP})(?P<value>{_PHONE_LIKE}|{_HANDLE}|\d{{5,12}})",
    re.IGNORECASE,
)
_LINKS = [
    (
        "whatsapp",
        re.compile(
            r"(?:wa\.me/|api\.whatsapp\.com/send\?phone=|chat\.whatsapp\.com/)(?P<value>\+?\d{6,15})",
            re.IGNORECASE,
        ),
    ),
    ("telegram", re.compile(r"(?:t\.me|telegram\.me)/(?P<value>[A-Za-z0-9_]{4,32})", re.I)),
    (
        "line",
        re.compile(r"line\.me/(?:ti/p/|R/ti/p/)?~?(?P<value>@?[A-Za-z0-9_.\-]{3,40})", re.I),
    ),
    ("instagram", re.compile(r"instagram\.com/(?P<value>[A-Za-z0-9_.]{2,30})", re.I)),
    (
        "facebook",
        re.compile(
            r"(?:facebook\.com|fb\.com|fb\.me|m\.me)/(?:profile\.php\?id=)?(?P<value>[A-Za-z0-9_.\-]{3,50})",
            re.I,
        ),
    ),
    ("tiktok", re.compile(r"tiktok\.com/@(?P<value>[A-Za-z0-9_.]{2,30})", re.I)),
    ("kakaotalk", re.compile(r"open\.kakao\.com/o/(?P<value>[A-Za-z0-9]{4,20})", re.I)),
    ("skype", re.compile(r"skype:(?P<value>[A-Za-z0-9_.\-:]{3,40})\?", re.I)),
]
_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?P<tld>[A-Za-z]{2,})(?![A-Za-z])"
)
# "@handle" on its own (not an e-mail): a social account.
_BARE_HANDLE = re.compile(r"(?<![\w.@+-])@(?P<value>[A-Za-z][A-Za-z0-9_.]{2,29}(?<!\.))(?![\w@])")
# Digit runs that look like a phone number even when libphonenumber cannot place them.
_DIGIT_RUN = re.compile(r"(?<![\w.,/=#?&])\+?\d[\d\s().\-/]{5,}\d(?![\w])")
_MIN_DIGITS = 7
_GROUPED_NUMBER = re.compile(r"\d{1,3}(?:[.,\s]\d{3})+(?:[.,]\d{1,2})?")
_DATE = re.compile(
    r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\s?\d{1,2}[-./]\s?\d{4}|\d{4}\s*[-–/]\s*\d{4}"
)
_CURRENCY = re.compile(
    r"[$€£¥₹₽₩₫฿₱₦₺]|(?<![A-Za-z])(?:usd|eur|gbp|cny|rmb|jpy|hkd|idr|rp|vnd|thb|php|ngn|pln|"
    r"zł|zl|chf|inr|krw|myr|rub|sgd|aud|cad|twd|brl|mxn|kes|zar|dong|baht|naira)(?![A-Za-z])|"
    r"[元円块塊万萬]",
    re.IGNORECASE,
)
# Labels that are also ordinary words ("product line", "line your pan", "Download Telegram
# About"): their id must be announced (":", "=", "id", "@") or look like an id (a digit,
# "_" or "." in it), else the word after them is not taken for one.
_WORD_LABELS = {"line", "telegram", "facebook", "instagram", "insta", "skype", "viber", "kakao"}
_ANNOUNCED = re.compile(r"[:：=@]|id|号|號", re.IGNORECASE)
# Words a label is often followed by that are not ids ("WhatsApp me", "Line up").
_NOT_IDS = set(
    """me only number contact available us the and for ok please pls msg message chat call now
    add with or to is my your our here below above page profile account group link handle id
    text details info more price prices photo photos video videos inbox dm pm direct send sms
    ship shipping free same also via on at in of this that it them him her seller buyer store
    shop official orders order""".split()
)


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
    digits = re.sub(r"[\s().\-/]", "", value)
    if kind == "qq":
        return digits if re.fullmatch(r"[1-9]\d{4,11}", digits) else None
    if kind in ("phone", "whatsapp", "viber") or re.fullmatch(r"\+?\d{7,15}", digits):
        phone = _e164(value, default_country)
        if phone:
            return phone
        if kind in ("phone", "whatsapp", "viber"):
            # A number of unknown country: its digits.
            return digits if re.fullmatch(r"\+?\d{7,15}", digits) else None
    handle = value.lstrip("@").casefold()
    if handle in _NOT_IDS or not re.search(r"[a-z0-9]", handle):
        return None
    return handle


def _is_amount(text: str, start: int, end: int) -> bool:
    """A number that is a price, a grouped amount, a date or a range of years, not a phone."""
    run = text[start:end].strip()
    if run.startswith("+"):
        return False
    digits = sum(ch.isdigit() for ch in run)
    if _DATE.fullmatch(run):
        return True
    near = text[max(0, start - 4) : start] + " " + text[end : end + 5]
    if _CURRENCY.search(near):
        return True
    # 1.234.567 or 1,234,567: an amount when short or written with , or . groups
    return bool(_GROUPED_NUMBER.fullmatch(run)) and (digits < 9 or not re.search(r"\s", run))


def _not_a_phone_as_written(original: str, before: str) -> bool:
    """Numbers that only look like a phone once joined: a part of an address (``/listing/
    1354688152``, ``id=25860691``), or a rising series of small numbers (pages ``1 2 3 4 5 6
    7 8``, sizes ``8 8.5 9 9.5 10``)."""
    if before[-1:] in ("/", "=", "#", "?", "&", "_"):
        return True
    found = re.findall(r"\d+(?:[.,]\d+)?", unicodedata.normalize("NFKC", original))
    groups = [float(g.replace(",", ".")) for g in found]
    rising = all(b >= a for a, b in zip(groups, groups[1:], strict=False))
    return len(groups) >= 4 and max(groups) < 100 and rising


def _is_number_not_phone(text: str, start: int, end: int) -> bool:
    """A digit run too short or too long for a phone, an amount, or a bare product number
    (7 or 8 digits in one piece: "Earbuds 55032516"; a local phone is written in groups)."""
    run = text[start:end]
    digits = sum(ch.isdigit() for ch in run)
    if digits < _MIN_DIGITS or digits > 15 or _is_amount(text, start, end):
        return True
    return digits < 9 and run.isdigit()


def find_contacts(text: str | None, default_country: str | None = None) -> list[Contact]:
    """Every off-platform contact in ``text``, in order of appearance.

    ``default_country`` (ISO 3166-1 alpha-2, the marketplace's country) lets local phone
    numbers (``0803 123 4567`` in Nigeria) be normalised to E.164. Offsets index ``text``
    as given; ``value`` is the original text of the contact, however it was disguised.
    """
    if not text:
        return []
    work, starts, ends = fold(text)
    found: list[Contact] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, start: int, end: int, source: str | None = None) -> None:
        """Record work[start:end]; ``source`` is what to normalise when it differs."""
        if start >= end or any(start < e and s < end for s, e in taken):
            return
        norm = _normalize(kind, work[start:end] if source is None else source, default_country)
        s, e = starts[start], ends[end - 1]
        if norm and kind == "phone" and _not_a_phone_as_written(text[s:e], text[max(0, s - 1) : s]):
            return
        if norm:
            found.append(Contact(kind, text[s:e], norm, s, e))
            taken.append((start, end))

    for kind, pattern in _LINKS:
        for m in pattern.finditer(work):
            # wa.me numbers are international without the "+".
            source = "+" + m["value"].lstrip("+") if kind == "whatsapp" else None
            add(kind, m.start("value"), m.end("value"), source)
    for m in _EMAIL.finditer(work):
        add("email", m.start(), m.end())
    for m in _LABELLED.finditer(work):
        kind = next(k for k in LABELS if m.group(k))
        if (
            m["label"].casefold() in _WORD_LABELS
            and not _ANNOUNCED.search(m["sep"] + m["value"][:1])
            and not re.search(r"[\d_.]", m["value"])
        ):
            continue
        add(kind, m.start("value"), m.end("value"))
    for m in _BARE_HANDLE.finditer(work):
        add("handle", m.start(), m.end())
    region = (default_country or "").upper() or None
    for match in phonenumbers.PhoneNumberMatcher(work, region or "ZZ"):
        if not _is_amount(work, match.start, match.end):
            add("phone", match.start, match.end)
    for m in _DIGIT_RUN.finditer(work):
        if not _is_number_not_phone(work, m.start(), m.end()):
            add("phone", m.start(), m.end())
    found.sort(key=lambda c: c.start)
    return found


def may_hold_contact(text: str | None) -> bool:
    """Cheap test: False when ``text`` cannot hold a contact (most titles), before folding."""
    if not text:
        return False
    return _maybe().search(unicodedata.normalize("NFKC", text).translate(_ZERO_WIDTH)) is not None


@cache
def _maybe() -> re.Pattern:
    """Compiled when first used (a release's redaction), not by a crawl's import of the
    finder: ~10 ms of its warm-up for a pattern it never uses."""
    return re.compile(
        r"\d|[@＠﹫艾点點。．]|[\uff10-\uff19\uff21-\uff5a]|\b(?:at|dot)\b|\.(?:me|com)/|"
        + "|".join(f"{k}" for k in ("零", "〇", "[一二三四五六七八九壹贰叁肆伍陆柒捌玖]"))
        + "|"
        + "|".join(LABELS.values())
        + "|"
        + r"(?<![A-Za-z])[A-Za-z](?:[ ·*_\-.]{1,2}[A-Za-z])+(?![A-Za-z])|"
        + _CJK_SPACED,
        re.IGNORECASE,
    )
