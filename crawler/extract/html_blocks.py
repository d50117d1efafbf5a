"""Listings in a page's HTML: the repeated block holding a link and one price, then the
title, price, URL and id selectors inside it, preferring what survives a redeploy. Pure.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from urllib.parse import parse_qsl, urljoin, urlsplit

from crawler.extract.page_signals import (
    _RARE,
    _q,
    _xq,
    id_rule,
    looks_like_date,
    looks_like_price,
    one_price,
    signature,
    stable_classes,
    text_of,
    tracking_params,
)

# --- the HTML ------------------------------------------------------------------------------


@dataclass
class HtmlGuess:
    item: str
    fields: dict[str, str]
    item_id_regex: str | None
    count: int
    notes: list[str]
    stability: str


def _links(block):
    if block.tag == "a" and block.get("href"):
        return [block]
    return [
        a
        for a in block.xpath(".//a[@href]")
        if not a.get("href").startswith(("#", "javascript", "mailto:", "tel:"))
    ]


def _candidate_blocks(tree):
    """Groups of elements sharing a signature, each copy holding a link and a price."""
    groups: dict[str, list] = defaultdict(list)
    how: dict[str, str] = {}
    seen = Counter(
        c for el in tree.iter() if isinstance(el.tag, str) for c in (el.get("class") or "").split()
    )
    _RARE.clear()
    _RARE.update(c for c, n in seen.items() if n == 1 and re.search(r"\d", c))
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in ("html", "body", "head", "script", "style"):
            continue
        sig = signature(el)
        if sig is None:
            parent = el.getparent()
            psig = signature(parent) if parent is not None and isinstance(parent.tag, str) else None
            if psig is None or el.tag not in ("li", "article", "div", "tr", "section"):
                continue
            sig = (f"{psig[0]} > {el.tag}", psig[1])
        groups[sig[0]].append(el)
        how[sig[0]] = sig[1]
        if sig[1] == "class":
            for c in stable_classes(el):
                key = f"{el.tag}.{c}"
                if key != sig[0]:
                    groups[key].append(el)
                    how[key] = "class"
        parent = el.getparent()
        if (
            el.tag != "a"
            and parent is not None
            and parent.tag == "a"
            and parent.get("href")
            and not el.xpath(".//a[@href]")
            and sig[1] in ("class", "data-attribute")
        ):
            key = "xpath://a[@href][" + _xpath_of(sig[0]) + "]"
            groups[key].append(parent)
            how[key] = sig[1]
    scored = []
    for key, els in groups.items():
        if len(els) < 3:
            continue
        with_link = sum(1 for e in els if _links(e))
        if with_link < len(els) * 0.6:
            continue
        texts = [text_of(e) for e in els]
        with_price = sum(1 for t in texts if looks_like_price(t))
        if with_price < len(els) * 0.5:
            continue
        # Nested duplicates (a block inside a block of the same group) are not blocks.
        ids = {id(e) for e in els}
        if any(id(a) in ids for e in els for a in e.iterancestors()):
            continue
        size = sum(min(len(t), 400) for t in texts) / len(els)
        hrefs = {(_links(e) or [None])[0].get("href") for e in els if _links(e)}
        distinct = len(hrefs) / len(els)
        penalty = {"hashed class": 0.8, "css-module prefix": 0.95, "data-attribute": 1.2}.get(
            how[key], 1.0
        )
        score = len(els) * (with_price / len(els)) * min(size, 400) * distinct * penalty
        scored.append((score, key, els))
    scored.sort(key=lambda s: -s[0])
    return scored, how


def _xpath_of(css: str) -> str:
    """An XPath step for a simple ``tag.c1.c2`` or ``tag[attr="v"]`` selector."""
    m = re.fullmatch(r'(\w+)\[([\w-]+)="([^"]*)"\]', css)
    if m:
        return f"{m.group(1)}[@{m.group(2)}={_xq(m.group(3))}]"
    tag, *classes = css.split(".")
    conds = "".join(
        f"[contains(concat(' ', normalize-space(@class), ' '), ' {c} ')]" for c in classes
    )
    return tag + conds


def _relative_selector(el, block) -> str | None:
    """A selector for ``el`` relative to ``block``: its own signature, else structure."""
    if el is block:
        return ""
    sig = signature(el)
    if sig and sig[1] != "hashed class":
        return sig[0]
    if el.get("itemprop"):
        return f"{el.tag}[itemprop={_q(el.get('itemprop'))}]"
    parent = el.getparent()
    step = el.tag
    if parent is not None:
        same = [c for c in parent if c.tag == el.tag]
        if len(same) > 1:  # one of several spans: say which, by position
            step += f":nth-of-type({same.index(el) + 1})"
    if parent is not None and parent is not block:
        psel = _relative_selector(parent, block)
        if psel:
            return f"{psel} > {step}"
    if el.tag in ("h1", "h2", "h3", "h4", "h5", "h6", "a", "strong", "b"):
        return el.tag
    if sig and parent is block:
        return step  # structure, not a hashed class that the next redeploy renames
    return sig[0] if sig else None


def _per_block(blocks, selector):
    from parsel import Selector

    out = []
    for b in blocks:
        sel = Selector(root=b)
        if selector.startswith("xpath:"):
            found = sel.xpath(selector[6:])
        else:
            found = sel.css(selector) if selector else [sel]
        out.append(found)
    return out


def _texts_for(blocks, selector, first: bool = False) -> list[str]:
    """Per block, the text a config field with this selector extracts (every match joined,
    as ``crawler.extract.listings.select_field`` does); ``first``: the first match only."""
    out = []
    for found in _per_block(blocks, selector):
        parts = []
        for node in found[:1] if first else found:
            parts += node.xpath(
                ".//text()[not(ancestor::script) and not(ancestor::style)]"
            ).getall()
        out.append(re.sub(r"\s+", " ", " ".join(parts)).strip())
    return out


def _title(blocks, prices: list[str], url_sel: str | None, notes: list[str]) -> str | None:
    """The shortest element in most blocks that names the item: a heading, a ``*title*`` or
    ``*name*`` element, ``itemprop=name``, the main link's text, never the whole card."""
    candidates: dict[str, int] = Counter()
    kinds: dict[str, int] = {}
    for block in blocks:
        seen = set()
        for el in block.iter():
            if not isinstance(el.tag, str) or el.tag in ("script", "style"):
                continue
            cls = " ".join(
                [el.get("class") or "", el.get("itemprop") or "", el.get("data-testid") or ""]
            ).lower()
            if el.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                kind = 0
            elif re.search(r"title|name|subject|heading|headline", cls):
                kind = 1
            elif el.tag == "a":
                kind = 2
            else:
                continue
            sel = _relative_selector(el, block)
            if sel is None or sel in seen:
                continue
            seen.add(sel)
            candidates[sel] += 1
            kinds[sel] = min(kinds.get(sel, 9), kind)
    best = None
    passing: list = []
    for sel, n in candidates.items():
        if n < len(blocks) * 0.8:
            continue
        texts = _texts_for(blocks, sel)
        whole = _texts_for(blocks, "")
        present = [t for t in texts if t]
        if len(present) < len(blocks) * 0.8:
            continue
        bad = 0
        for t, w, p in zip(texts, whole, prices, strict=False):
            if not t:
                continue
            if (p and p in t) or one_price(t) or (len(w) > 60 and len(t) > 0.7 * len(w)):
                bad += 1
            elif looks_like_price(t) and not looks_like_price(w.replace(t, "")):
                bad += 1
        if bad > len(present) * 0.2:
            continue
        if len(set(present)) < len(present) * 0.6:
            continue
        avg = sum(len(t) for t in present) / len(present)
        if avg < 4:
            continue
        key = (kinds[sel], -n, avg)
        passing.append((key, sel, texts, avg))
        if best is None or key < best[0]:
            best = (key, sel, texts)
    if best is None:
        return None
    _, sel, texts = best
    # A shorter element inside the chosen one that still names the item ("24 m² Flat"
    # heading holding a "Flat" title span): the shortest that names it wins.
    sel, texts = _inner_title(blocks, sel, texts)
    for key, other, other_texts, avg in sorted(passing, key=lambda p: p[3]):
        if other == sel or key[0] > 1 or avg < 8:
            continue
        inside = sum(1 for a, b in zip(other_texts, texts, strict=False) if a and a in b)
        if inside >= len(blocks) * 0.8 and avg < sum(len(t) for t in texts) / len(texts):
            sel, texts = other, other_texts
            break
    dated = sum(1 for t in texts if looks_like_date(t))
    if dated:
        notes.append(f"title: {dated} of {len(blocks)} titles look like they hold a date")
    return sel


def _inner_title(blocks, sel: str, texts: list[str]) -> tuple[str, list[str]]:
    """A child of the title element holding the name alone, without a badge ("New
    listing") or screen-reader text ("Opens in a new window")."""
    from parsel import Selector

    first = Selector(root=blocks[0]).css(sel)
    if not first:
        return sel, texts
    avg = sum(len(t) for t in texts if t) / max(1, sum(1 for t in texts if t))
    best = None
    for el in first[0].root.iterdescendants():
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "svg"):
            continue
        inner = _relative_selector(el, blocks[0])
        if not inner or inner == sel:
            continue
        if not inner.startswith(sel):
            inner = f"{sel} {inner}"  # scoped: the same classes may sit elsewhere in the card
        inner_texts = _texts_for(blocks, inner)
        good = [
            i for i, t in zip(inner_texts, texts, strict=False) if i and t and i in t and i != t
        ]
        if len(good) < len(blocks) * 0.8:
            continue
        inner_avg = sum(len(t) for t in good) / len(good)
        if inner_avg < max(8, avg * 0.6) or looks_like_price(" ".join(good[:3])):
            continue
        if best is None or inner_avg > best[0]:
            best = (inner_avg, inner, inner_texts)
    if best:
        sel, texts = best[1], best[2]
    return _own_text(blocks, sel, texts)


def _own_text(blocks, sel: str, texts: list[str]) -> tuple[str, list[str]]:
    """The title element's own text (or its children's) when a badge inside it ("Neues
    Angebot", "New listing") is all that differs, in some blocks only."""
    from parsel import Selector

    for query in (f"{sel}::text", f"{sel} > *::text"):
        own = []
        for b in blocks:
            found = Selector(root=b).css(query).getall()
            own.append(re.sub(r"\s+", " ", " ".join(found)).strip())
        same = sum(1 for o, t in zip(own, texts, strict=False) if o and o == t)
        differ = [(o, t) for o, t in zip(own, texts, strict=False) if o and t and o != t]
        if not differ or same < len(blocks) * 0.3 or same + len(differ) < len(blocks) * 0.9:
            continue
        if any(len(o) < len(t) * 0.6 or o not in t for o, t in differ):
            continue
        return query, own
    return sel, texts


def _price(blocks, notes: list[str]) -> tuple[str | None, list[str]]:
    """The element whose whole text parses as one price, in most blocks."""
    counts: Counter = Counter()
    for block in blocks:
        seen = set()
        for el in block.iter():
            if not isinstance(el.tag, str) or el.tag in ("script", "style"):
                continue
            text = text_of(el)
            if not text or len(text) > 40 or not one_price(text):
                continue
            sel = _relative_selector(el, block)
            if sel is None or sel in seen:
                continue
            seen.add(sel)
            counts[sel] += 1
    if not counts:
        notes.append("price_text: no element holds one price alone; set it by hand")
        return None, ["" for _ in blocks]

    def rank(sel):
        texts = _texts_for(blocks, sel, first=True)
        ok = sum(1 for t in texts if t and one_price(t))
        return (ok, "price" in sel.lower(), -len(sel))

    best = max(counts, key=rank)
    texts = _texts_for(blocks, best, first=True)
    if any(len(found) > 1 for found in _per_block(blocks, best)):
        # The same selector also matches a unit price or an old price: the first one only.
        from cssselect import GenericTranslator

        best = "xpath:(" + GenericTranslator().css_to_xpath(best, prefix="descendant::") + ")[1]"
    ok = sum(1 for t in texts if t and one_price(t))
    if ok < len(blocks):
        notes.append(
            f"price_text: {len(blocks) - ok} of {len(blocks)} blocks show no single price "
            "there (no price, 'on request', or another layout)"
        )
    return best, texts


def _url(blocks, title_sel: str | None, notes: list[str]) -> tuple[str, list[str]]:
    """The item link: the link around or inside the title, else the link in most blocks."""
    from parsel import Selector

    if blocks[0].tag == "a":
        return "::attr(href)", [b.get("href") for b in blocks]
    if title_sel:
        # The title is a link, or sits in one, or holds one.
        for cand in (f"{title_sel}::attr(href)", f"{title_sel} a::attr(href)"):
            vals = [Selector(root=b).css(cand).get() for b in blocks]
            if sum(1 for v in vals if v) >= len(blocks) * 0.8:
                return cand, vals
        anc = []
        for b in blocks:
            found = Selector(root=b).css(title_sel)
            el = found[0].root if found else None
            while el is not None and el is not b and el.tag != "a":
                el = el.getparent()
            anc.append(el if el is not None and el.tag == "a" else None)
        if sum(1 for a in anc if a is not None) >= len(blocks) * 0.8:
            sel = _relative_selector(anc[0] if anc[0] is not None else blocks[0], blocks[0])
            if sel:
                vals = [Selector(root=b).css(f"{sel}::attr(href)").get() for b in blocks]
                if sum(1 for v in vals if v) >= len(blocks) * 0.8:
                    return f"{sel}::attr(href)", vals
    counts: Counter = Counter()
    lens: Counter = Counter()
    for block in blocks:
        seen = set()
        for a in _links(block):
            sel = _relative_selector(a, block) or "a"
            if sel in seen:
                continue
            seen.add(sel)
            counts[sel] += 1
            lens[sel] += len(text_of(a))
    best = max(counts, key=lambda s: (counts[s], lens[s]))
    vals = [Selector(root=b).css(f"{best}::attr(href)").get() for b in blocks]
    notes.append(f"url: the link in most blocks ({best}); check it is the listing, not the seller")
    return f"{best}::attr(href)", vals


def _first_only(blocks, sel: str) -> str:
    """``sel`` as XPath taking the first match when it matches twice in some block (the
    image link and the title link both carry the URL: joined, they make no URL)."""
    if sel.startswith("xpath:") or not sel.endswith("::attr(href)") or sel == "::attr(href)":
        return sel
    base = sel[: -len("::attr(href)")].strip()
    if not any(len(found) > 1 for found in _per_block(blocks, base)):
        return sel
    from cssselect import GenericTranslator

    return "xpath:(" + GenericTranslator().css_to_xpath(base, prefix="descendant::") + ")[1]/@href"


def guess_html(tree, page_url: str) -> HtmlGuess | None:
    scored, how = _candidate_blocks(tree)
    for _, key, blocks in scored[:6]:
        notes: list[str] = []
        price_sel, price_texts = _price(blocks, notes)
        title_sel = _title(blocks, price_texts, None, notes)
        if title_sel is None:
            continue
        url_sel, urls = _url(blocks, title_sel.split("::")[0].removesuffix(" > *"), notes)
        url_sel = _first_only(blocks, url_sel)
        id_sel, id_attr_regex, url_regex = id_rule(blocks, urls, page_url, notes)
        fields = {}
        if id_sel:
            fields["item_id"] = id_sel
        fields["url"] = url_sel
        full = [urljoin(page_url, u) for u in urls if u]
        with_query = [u for u in full if urlsplit(u).query]
        bare = {u.split("?")[0].split("#")[0] for u in full}
        only_tracking = all(
            len(tracking_params(u)) == len(parse_qsl(urlsplit(u).query, keep_blank_values=True))
            for u in with_query
        )
        if full and with_query and only_tracking and len(bare) == len(full):
            fields["url"] = {"css": url_sel, "regex": r"^([^?#]+)"}
            names = sorted({k for u in with_query for k in tracking_params(u)})
            notes.append(
                "url: the query string is cut (the path alone names each listing"
                + (f"; tracking parameters {', '.join(names[:4])}" if names else "")
                + ")"
            )
        fields["title"] = title_sel
        if price_sel:
            fields["price_text"] = price_sel
        stability = how.get(key) or how.get(key.split(" > ", 1)[-1], "class")
        item = key
        if stability == "hashed class":
            notes.insert(
                0,
                f"item: only hashed class names mark the listing block ({key}); "
                "they change on the next redeploy",
            )
        guess = HtmlGuess(item, fields, url_regex, len(blocks), notes, stability)
        guess.id_attr_regex = id_attr_regex  # type: ignore[attr-defined]
        return guess
    return None
