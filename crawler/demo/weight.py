"""Page weight of the demo JS market: its light pages, or the median web page's resources.

The demo pages are light: one stylesheet, one script, 16×12 thumbnails. Real marketplace
pages are not, and a browser crawl's speed depends on what it has to load: the saved
marketplace pages in ``../shared/data/real-pages`` reference 6-99 images, 0-6 stylesheets
and 6-39 external scripts each (``tests/test_demo_weight.py`` counts them). ``ALMANAC_2024``
gives every page of demo-jsmarket the resources of the median desktop page of the HTTP
Archive's Web Almanac 2024 ("Page Weight" chapter, October 2024 crawl,
https://almanac.httparchive.org/en/2024/page-weight): 18 images (1,054 KB), 24 scripts
(613 KB), 131 KB of fonts, 78 KB of CSS, 18 KB of HTML.

Served by ``python -m crawler.demo.server --weight web-almanac-2024`` and by the benchmark's
``js-heavy*`` scenarios (``bench/run.py``). The listings, the API and every selector are the
same at either weight: only what a browser loads around them changes. The assets are
generated, deterministic and cached (the server must not be what a crawler waits for):
images are stored PNGs of the median size, fonts are bytes of the median size that the
browser downloads and rejects (as it does a font it cannot decode), scripts are ordinary
code that defines functions and runs a small start-up, as analytics and widget bundles do.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass

from crawler.demo.assets import png_bytes


@dataclass(frozen=True)
class PageWeight:
    """What a page loads besides its HTML shell, its own script and its JSON."""

    name: str
    images: int = 0  # extra images per page (banners, gallery, "similar items")
    image_bytes: int = 0  # size of every image, listing photos included (0: tiny thumbnails)
    scripts: int = 0  # extra external scripts per page (async, like analytics and widgets)
    script_bytes: int = 0
    stylesheets: int = 0  # extra stylesheets, render-blocking in <head>
    stylesheet_bytes: int = 0
    fonts: int = 0  # web fonts declared in the first extra stylesheet and used by the body
    font_bytes: int = 0
    html_bytes: int = 0  # the HTML is padded (site navigation) to about this size

    @property
    def heavy(self) -> bool:
        return self != LIGHT


LIGHT = PageWeight("light")
# The median desktop page, Web Almanac 2024: 18 images in 1,054 KB; 24 scripts in 613 KB (the
# page's own script is one of them); fonts 131 KB (two files); CSS 78 KB (three files: the
# saved marketplace pages' median); HTML 18 KB. An item page has its photo and 17 extra
# images (18 in all); a results page has 17 extra images besides its cards' photos.
ALMANAC_2024 = PageWeight(
    "web-almanac-2024",
    images=17,
    image_bytes=1_054_000 // 18,
    scripts=23,
    script_bytes=613_000 // 24,
    stylesheets=3,
    stylesheet_bytes=78_000 // 3,
    fonts=2,
    font_bytes=131_000 // 2,
    html_bytes=18_000,
)
WEIGHTS = {w.name: w for w in (LIGHT, ALMANAC_2024)}


def weight_named(name: str) -> PageWeight:
    try:
        return WEIGHTS[name]
    except KeyError:
        raise ValueError(
            f"unknown page weight {name!r}; weights are: {', '.join(WEIGHTS)}"
        ) from None


def head_tags(weight: PageWeight) -> str:
    """Stylesheets and scripts for a page's <head>."""
    css = "".join(
        f'<link rel="stylesheet" href="/static/w/site{i}.css">\n' for i in range(weight.stylesheets)
    )
    js = "".join(
        f'<script src="/static/w/lib{i}.js" async></script>\n' for i in range(weight.scripts)
    )
    return css + js


@functools.lru_cache(maxsize=8)
def body_extras(weight: PageWeight) -> tuple[str, str]:
    """(navigation before <main>, images and links after it); the same for every page."""
    if not weight.heavy:
        return "", ""
    images = "".join(
        f'<img src="/static/w/img{i}.png" alt="" width="160" height="120">'
        for i in range(weight.images)
    )
    aside = f'<aside class="promo">{images}</aside>\n'
    links, size = [], 0
    nav_budget = max(weight.html_bytes - 3_000, 0)
    while size < nav_budget:
        links.append(
            f'<li><a href="/search?q=category+{len(links)}">Category {len(links)}</a></li>'
        )
        size += len(links[-1])
    nav = f'<nav class="site-nav"><ul>{"".join(links)}</ul></nav>\n' if links else ""
    return nav, aside


def _noise(key: str, size: int) -> bytes:
    out, counter = bytearray(), 0
    while len(out) < size:
        out += hashlib.sha256(f"{key}:{counter}".encode()).digest()
        counter += 1
    return bytes(out[:size])


@functools.lru_cache(maxsize=4096)
def photo_png(key: str, size: int) -> bytes:
    """A deterministic PNG of about ``size`` bytes (a photo does not compress much either)."""
    width = 200
    height = max(1, size // (width * 3 + 1))
    pixels = _noise(key, width * 3 * height)
    rows = b"".join(b"\x00" + pixels[y * width * 3 : (y + 1) * width * 3] for y in range(height))
    return png_bytes(width, height, rows, level=1)


@functools.lru_cache(maxsize=64)
def stylesheet(index: int, weight: PageWeight) -> str:
    parts = []
    if index == 0:
        for f in range(weight.fonts):
            parts.append(
                f'@font-face{{font-family:"Market{f}";'
                f'src:url("/static/w/font{f}.woff2") format("woff2");font-display:swap}}'
            )
        if weight.fonts:
            parts.append(
                'body{font-family:"Market0",Helvetica,Arial,sans-serif}'
                'h1,h3{font-family:"Market1",Helvetica,Arial,sans-serif}'
            )
        parts.append(
            ".promo img{display:inline-block;margin:4px}"
            ".site-nav ul{display:flex;flex-wrap:wrap;list-style:none;padding:0}"
            ".site-nav li{margin:0 .5rem;font-size:.8rem}"
        )
    n = 0
    while sum(len(p) for p in parts) < weight.stylesheet_bytes:
        parts.append(
            f".w{index}-c{n}{{margin:{n % 7}px {n % 5}px;padding:{n % 3}px;"
            f"color:#{(n * 2654435761) % 0xFFFFFF:06x};border-radius:{n % 9}px}}\n"
        )
        n += 1
    return "".join(parts)


@functools.lru_cache(maxsize=64)
def script(index: int, weight: PageWeight) -> str:
    """An analytics/widget-like bundle: many functions, a small start-up that uses some."""
    parts = [f'(function(){{"use strict";var M{index}={{}};']
    n = 0
    while sum(len(p) for p in parts) < weight.script_bytes - 400:
        parts.append(
            f"M{index}.f{n}=function(a,b){{var r=[];for(var i=0;i<(a||3);i++)"
            f"{{r.push({{k:'k{n}_'+i,v:(b||{n})*i%97}});}}"
            f"return r.filter(function(x){{return x.v%2===0;}}).map(function(x){{return x.k;}});}};\n"
        )
        n += 1
    parts.append(
        f"var out=0;for(var j=0;j<{n};j+=7){{out+=M{index}['f'+j](5,j).length;}}"
        f"window.__widgets=(window.__widgets||0)+1;"
        f"document.addEventListener('click',function(){{M{index}.clicked=true;}});"
        f"window['__w{index}']=out;}})();\n"
    )
    return "".join(parts)


@functools.lru_cache(maxsize=8)
def font(index: int, size: int) -> bytes:
    return b"wOF2" + _noise(f"font{index}", size - 4)
