"""Stable seller keys and normalised display names.

A seller key must not change between crawls: it comes from the id in the
seller's profile URL where the URL has one (query parameters such as ``uid``,
or the path segment after ``/user/``, ``/profile/``, ``/shop/``...), else from
the handle; both case-folded. Display names are kept as seen, only Unicode- and
whitespace-normalised; :func:`name_match_key` gives the case-insensitive form
used to compare them. Pure: no Scrapy.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import parse_qsl, unquote, urlsplit

# Query parameters that carry a seller id, most specific first.
ID_PARAMS = (
    "sellerid",
    "seller_id",
    "seller",
    "userid",
    "user_id",
    "uid",
    "memberid",
    "member_id",
    "shopid",
    "shop_id",
    "storeid",
    "store_id",
    "usrid",
    "sid",
    "mid",
    "user",
    "id",
)
# Path segments after which the next segment is the seller id.
ID_MARKERS = {
    "user",
    "users",
    "u",
    "usr",
    "profile",
    "profiles",
    "seller",
    "sellers",
    "shop",
    "shops",
    "store",
    "stores",
    "str",
    "member",
    "members",
    "people",
    "account",
    "accounts",
    "vendor",
    "vendors",
    "uzytkownik",
    "utilisateur",
    "boutique",
    "tienda",
    "loja",
    "perfil",
    "profil",
    "benutzer",
    "seller-profile",
    "sellerprofile",
    "s-usr",
    "sch",
}
# Trailing words that are not ids (``/user/123/listings``).
NON_ID_SEGMENTS = {
    "",
    "index",
    "index.html",
    "home",
    "about",
    "listings",
    "items",
    "ads",
    "feedback",
    "reviews",
    "profile",
    "shop",
    "store",
    "all",
    "page",
}
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff\u00ad]")


def normalize_display_name(name: str | None) -> str | None:
    """NFKC, invisible characters dropped, whitespace collapsed; case kept."""
    if name is None:
        return None
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", name))
    text = re.sub(r"\s+", " ", text).strip()
    return text or None


def name_match_key(name: str | None) -> str | None:
    """Case-insensitive comparison form of a display name."""
    text = normalize_display_name(name)
    return text.casefold() if text else None


def normalize_handle(handle: str | None) -> str | None:
    """A handle as a key: normalised, ``@`` dropped, case-folded, spaces removed."""
    text = normalize_display_name(handle)
    if not text:
        return None
    text = text.lstrip("@").casefold()
    return re.sub(r"\s+", "", text) or None


def id_from_profile_url(profile_url: str | None) -> str | None:
    """The seller id a profile URL carries, or None when it shows none.

    ``https://www.ebay.com/usr/ivory_king?_trksid=x`` -> ``ivory_king``;
    ``https://shop.example.cn/shop.htm?uid=123`` -> ``123``.
    """
    if not profile_url or not profile_url.strip():
        return None
    parts = urlsplit(profile_url.strip())
    params = {k.lower(): v for k, v in parse_qsl(parts.query) if v.strip()}
    for name in ID_PARAMS:
        if name in params:
            return params[name].strip()
    segments = [unquote(s) for s in parts.path.split("/")]
    segments = [s for s in segments if s]
    for i, segment in enumerate(segments[:-1]):
        if segment.lower() in ID_MARKERS and segments[i + 1].lower() not in NON_ID_SEGMENTS:
            return _strip_suffix(segments[i + 1])
    # A fragment route (``/#/user/123``) or a bare last segment (``/ivory_king``).
    if parts.fragment:
        found = id_from_profile_url("http://x/" + parts.fragment.lstrip("/#"))
        if found:
            return found
    meaningful = [s for s in segments if s.lower() not in NON_ID_SEGMENTS]
    return _strip_suffix(meaningful[-1]) if meaningful else None


def _strip_suffix(segment: str) -> str:
    return re.sub(r"\.(?:html?|php|aspx?)$", "", segment, flags=re.IGNORECASE)


def seller_key(profile_url: str | None, handle: str | None) -> str | None:
    """Stable key of a seller within one marketplace.

    The profile URL's id where there is one, else the normalised handle, else
    None; both case-folded, since marketplaces link one seller with differently
    cased ids (eBay: ``/usr/clipclopthriftshop`` and ``/str/ClipClopThriftShop``).
    """
    found = id_from_profile_url(profile_url)
    return normalize_handle(found) if found else normalize_handle(handle)


def handle_from_profile_url(profile_url: str | None) -> str | None:
    """The account handle a profile URL shows (``/usr/ivory_king`` -> ``ivory_king``), as
    written; None where it shows none or only a number (an account id, not a handle)."""
    found = id_from_profile_url(profile_url)
    if not found or found.isdigit():
        return None
    return normalize_display_name(found.lstrip("@"))
