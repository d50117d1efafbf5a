"""demo-bazaar: server-rendered European classifieds (German interface, EUR prices).

Routes: ``/``, ``/search?q=&page=N`` (20 per page, ``a[rel=next]`` pagination),
``/listing/<id>`` (410 with ``.notice-removed`` once taken down, ``.notice-sold``
when sold), ``/user/<seller_id>``, ``/img/<id>.png``, ``/static/bazaar.css``,
``/robots.txt``. While blocked, pages are a ``#captcha`` challenge.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from crawler.demo.assets import (
    Response,
    esc,
    html_response,
    not_found_text,
    png_response,
    robots_txt,
    text_response,
)
from crawler.demo.catalogue import DemoListing
from crawler.demo.state import REMOVED, SOLD, SiteState

PAGE_SIZE = 20

CSS = """
body{font-family:system-ui,sans-serif;margin:0;background:#f4f4f0;color:#222}
.site-header{display:flex;gap:1rem;align-items:center;padding:.6rem 1rem;background:#326916;color:#fff}
.site-header a.logo{color:#fff;font-weight:700;text-decoration:none;font-size:1.3rem}
main{max-width:60rem;margin:1rem auto;padding:0 1rem}
article.listing{display:grid;grid-template-columns:96px 1fr auto;gap:.8rem;background:#fff;
  margin:.5rem 0;padding:.6rem;border-radius:6px}
article.listing img{width:96px;height:72px;object-fit:cover;image-rendering:pixelated}
.price{font-weight:700;white-space:nowrap}
.meta,.snippet{color:#666;font-size:.9rem}
.pagination a,.pagination span{margin:0 .3rem}
.description{white-space:pre-line;background:#fff;padding:1rem}
.notice-removed,.notice-sold{background:#fde2e1;padding:1rem;border-radius:6px}
footer{color:#888;font-size:.8rem;text-align:center;padding:2rem}
"""

ROBOTS = robots_txt(
    allow=("/search", "/listing/", "/user/", "/img/", "/static/"),
    disallow=("/account/", "/messages/", "/anzeige-aufgeben"),
)


def _de_date(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{day}.{month}.{year}"


def _page(title: str, description: str, body: str, query: str = "") -> str:
    return f"""<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} | Demo Bazaar</title>
<meta name="description" content="{esc(description)}">
<link rel="stylesheet" href="/static/bazaar.css">
</head>
<body>
<header class="site-header">
<a class="logo" href="/">Demo Bazaar</a>
<form class="search" action="/search" method="get" role="search">
<input type="search" name="q" value="{esc(query)}" placeholder="Was suchst du?" aria-label="Suche">
<button type="submit">Finden</button>
</form>
<nav><a href="/anzeige-aufgeben" style="color:#fff">Anzeige aufgeben</a></nav>
</header>
<main>
{body}
</main>
<footer>Demo Bazaar – lokaler Demo-Marktplatz von wildcrawl. Alle Anzeigen sind erfunden.</footer>
</body>
</html>
"""


def _snippet(text: str, limit: int = 120) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _listing_block(item: DemoListing) -> str:
    href = f"/listing/{item.item_id}"
    return f"""<article class="listing" data-id="{esc(item.item_id)}">
<a class="thumb" href="{href}"><img src="{esc(item.image_url)}" alt="" width="96" height="72" loading="lazy"></a>
<div class="body">
<h2><a class="title" href="{href}">{esc(item.title)}</a></h2>
<p class="snippet">{esc(_snippet(item.description))}</p>
<div class="meta"><span class="loc">{esc(item.location)}</span> · <time datetime="{item.posted_at}">{_de_date(item.posted_at)}</time></div>
</div>
<p class="price">{esc(item.price_text)}</p>
</article>"""


class Site:
    """Routing and rendering of demo-bazaar."""

    name = "demo-bazaar"

    def __init__(self, state: SiteState):
        self.state = state

    def handle(self, path: str, query: dict[str, str]) -> Response:
        if path == "/robots.txt":
            return text_response(ROBOTS, "text/plain; charset=utf-8")
        if path == "/static/bazaar.css":
            return text_response(CSS, "text/css; charset=utf-8")
        if m := re.fullmatch(r"/img/(\d+)\.png", path):
            return png_response(m.group(1)) if self.state.get(m.group(1)) else not_found_text()
        if self.state.blocked and (
            path in ("/", "/search") or path.startswith(("/listing/", "/user/"))
        ):
            return self._captcha()
        if path == "/":
            return self._home()
        if path == "/search":
            return self._search(query.get("q", ""), query.get("page", "1"))
        if m := re.fullmatch(r"/listing/(\d+)", path):
            return self._listing(m.group(1))
        if m := re.fullmatch(r"/user/(\d+)", path):
            return self._user(m.group(1))
        return self._not_found()

    def _captcha(self) -> Response:
        body = """<div id="captcha" class="challenge">
<h1>Sicherheitsprüfung</h1>
<p>Bitte bestätige, dass du kein Roboter bist.</p>
<form method="post" action="/challenge"><label><input type="checkbox" name="human"> Ich bin kein Roboter</label>
<button type="submit">Weiter</button></form>
</div>"""
        return html_response(_page("Sicherheitsprüfung", "Sicherheitsprüfung", body))

    def _not_found(self) -> Response:
        body = "<h1>Seite nicht gefunden</h1><p>Die angeforderte Seite gibt es nicht.</p>"
        return html_response(_page("Nicht gefunden", "Seite nicht gefunden", body), 404)

    def _home(self) -> Response:
        newest = self.state.search("")[:PAGE_SIZE]
        blocks = "\n".join(_listing_block(i) for i in newest)
        body = f'<h1>Neueste Anzeigen</h1>\n<section class="results">\n{blocks}\n</section>'
        return html_response(
            _page("Kleinanzeigen", "Kostenlos kaufen und verkaufen in deiner Nähe.", body)
        )

    def _search(self, q: str, page_arg: str) -> Response:
        page = int(page_arg) if page_arg.isdigit() and int(page_arg) >= 1 else 1
        found = self.state.search(q)
        pages = max(1, -(-len(found) // PAGE_SIZE))
        shown = found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        label = f"„{q}“" if q.strip() else "alle Anzeigen"
        title = f"{q} – Kleinanzeigen" if q.strip() else "Alle Anzeigen"
        if not shown:
            body = f"""<h1>Keine Ergebnisse für {esc(label)}</h1>
<div class="no-results"><p>Leider haben wir für deine Suche keine Anzeigen gefunden.</p>
<p>Tipp: Prüfe die Schreibweise oder verwende allgemeinere Suchbegriffe.</p></div>"""
            return html_response(_page(title, f"Keine Anzeigen für {label}", body, q))
        start = (page - 1) * PAGE_SIZE + 1
        blocks = "\n".join(_listing_block(i) for i in shown)
        body = f"""<h1>{len(found)} Ergebnisse für {esc(label)}</h1>
<p class="result-range">Anzeigen {start}–{start + len(shown) - 1} von {len(found)}</p>
<section class="results">
{blocks}
</section>
{self._pagination(q, page, pages)}"""
        return html_response(
            _page(title, f"{len(found)} Anzeigen für {label} – Seite {page}", body, q)
        )

    @staticmethod
    def _pagination(q: str, page: int, pages: int) -> str:
        def href(n: int) -> str:
            return esc("/search?" + urlencode({"q": q, "page": n}))

        parts = []
        if page > 1:
            parts.append(f'<a rel="prev" href="{href(page - 1)}">‹ Zurück</a>')
        for n in range(max(1, page - 3), min(pages, page + 3) + 1):
            parts.append(
                f'<span class="current" aria-current="page">{n}</span>'
                if n == page
                else f'<a class="page" href="{href(n)}">{n}</a>'
            )
        if page < pages:
            parts.append(f'<a rel="next" href="{href(page + 1)}">Weiter ›</a>')
        return '<nav class="pagination" aria-label="Seiten">' + " ".join(parts) + "</nav>"

    def _listing(self, item_id: str) -> Response:
        item = self.state.get(item_id)
        if item is None:
            return self._not_found()
        status = self.state.status(item_id)
        if status == REMOVED:
            body = """<div class="notice-removed"><h1>Diese Anzeige ist nicht mehr verfügbar.</h1>
<p>Der Anbieter hat die Anzeige gelöscht oder sie wurde entfernt.</p></div>"""
            return html_response(_page("Anzeige nicht verfügbar", "Anzeige gelöscht", body), 410)
        seller = self.state.sellers[item.seller_id]
        sold = (
            '<div class="notice-sold">Verkauft – diese Anzeige ist reserviert bzw. verkauft.</div>'
            if status == SOLD
            else ""
        )
        body = f"""<article class="ad" data-id="{esc(item.item_id)}">
<h1 class="ad-title">{esc(item.title)}</h1>
{sold}
<p class="price">{esc(item.price_text)}</p>
<img class="photo" src="{esc(item.image_url)}" alt="{esc(item.title)}" width="320" height="240">
<h2>Beschreibung</h2>
<div class="description" itemprop="description">{esc(item.description)}</div>
<dl class="details">
<dt>Ort</dt><dd class="location">{esc(item.location)}</dd>
<dt>Erstellungsdatum</dt><dd><time datetime="{item.posted_at}">{_de_date(item.posted_at)}</time></dd>
<dt>Anzeigen-ID</dt><dd class="ad-id">{esc(item.item_id)}</dd>
</dl>
<aside class="seller">
<h2>Anbieter</h2>
<a class="seller-name" href="/user/{esc(seller.seller_id)}">{esc(seller.name)}</a>
<p class="member-since">Aktiv seit {_de_date(seller.member_since)}</p>
</aside>
</article>"""
        return html_response(_page(item.title, _snippet(item.description, 150), body))

    def _user(self, seller_id: str) -> Response:
        seller = self.state.sellers.get(seller_id)
        if seller is None:
            return self._not_found()
        items = self.state.seller_listings(seller_id)
        blocks = "\n".join(_listing_block(i) for i in items)
        body = f"""<section class="profile" data-seller-id="{esc(seller.seller_id)}">
<h1 class="profile-name">{esc(seller.name)}</h1>
<p class="location">{esc(seller.location)}</p>
<p class="member-since">Aktiv seit {_de_date(seller.member_since)}</p>
<p class="ad-count">{len(items)} Anzeigen online</p>
</section>
<section class="results">
{blocks}
</section>"""
        return html_response(
            _page(f"Anzeigen von {seller.name}", f"Profil von {seller.name}", body)
        )
