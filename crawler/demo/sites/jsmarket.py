"""demo-jsmarket: a JavaScript-only marketplace (English, USD).

The HTML of ``/search?q=`` and ``/item/<id>`` is an empty shell; scripts fetch
``/api/search?q=&offset=&limit=`` (24 per batch, "Load more" button) and
``/api/item/<id>`` and render the page. ``main#app`` carries ``aria-busy="false"``
once a batch is rendered, on both page kinds, so one ``wait_for`` fits all.
Removed items render ``.notice-removed`` (the API answers 404), sold ones ``.notice-sold``.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from crawler.demo import weight as page_weight
from crawler.demo.assets import (
    Response,
    asset_response,
    esc,
    html_response,
    json_response,
    not_found_text,
    png_response,
    robots_txt,
    text_response,
)
from crawler.demo.catalogue import DemoListing
from crawler.demo.state import REMOVED, SiteState
from crawler.demo.weight import LIGHT, PageWeight

BATCH = 24
MAX_LIMIT = 100

CSS = """
body{font-family:Helvetica,Arial,sans-serif;margin:0;background:#fafafa;color:#111}
header{background:#1f2a44;color:#fff;padding:.7rem 1.2rem;display:flex;gap:1rem;align-items:center}
header a{color:#fff;text-decoration:none;font-weight:700}
main{max-width:72rem;margin:1rem auto;padding:0 1rem}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:1rem}
.card{background:#fff;border:1px solid #ddd;border-radius:8px;padding:.6rem}
.card img{width:100%;height:120px;object-fit:cover;image-rendering:pixelated}
.card-title{font-size:1rem;margin:.4rem 0}
.price{font-weight:700;color:#0a7d32}
.snippet,.loc{color:#666;font-size:.85rem}
button.load-more{display:block;margin:1.5rem auto;padding:.6rem 2rem;font-size:1rem}
.description{white-space:pre-line}
.notice-removed,.notice-sold{background:#ffe9e9;padding:1rem;border-radius:8px}
"""

SEARCH_JS = r"""(function () {
  "use strict";
  var app = document.getElementById("app");
  var grid = document.getElementById("results");
  var count = document.getElementById("count");
  var q = new URLSearchParams(window.location.search).get("q") || "";
  var limit = 24, offset = 0, loading = false;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function card(item) {
    var c = el("div", "card");
    c.setAttribute("data-id", item.id);
    var link = el("a", "card-link");
    link.href = item.url;
    var img = el("img");
    img.src = item.image;
    img.alt = "";
    link.appendChild(img);
    link.appendChild(el("h3", "card-title", item.title));
    c.appendChild(link);
    c.appendChild(el("div", "price", item.price_text));
    var seller = el("a", "seller", item.seller.name);
    seller.href = item.seller.url;
    c.appendChild(seller);
    c.appendChild(el("span", "loc", item.location));
    c.appendChild(el("p", "snippet", item.snippet));
    return c;
  }

  function button() {
    var b = document.querySelector("button.load-more");
    if (!b) {
      b = el("button", "load-more", "Load more");
      b.type = "button";
      b.addEventListener("click", load);
      grid.parentNode.insertBefore(b, grid.nextSibling);
    }
    return b;
  }

  function load() {
    // The button stays enabled while a batch loads (crawlers stop at a disabled one);
    // a click during a load is ignored instead.
    if (loading) return;
    loading = true;
    app.setAttribute("aria-busy", "true");
    var params = new URLSearchParams({q: q, offset: String(offset), limit: String(limit)});
    fetch("/api/search?" + params.toString())
      .then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      })
      .then(function (data) {
        data.items.forEach(function (item) { grid.appendChild(card(item)); });
        offset += data.items.length;
        count.textContent = data.total === 0
          ? "No results for \u201c" + q + "\u201d"
          : data.total + " results for \u201c" + q + "\u201d";
        if (data.total === 0) grid.appendChild(el("p", "empty", "Nothing matched your search."));
        if (offset < data.total && data.items.length > 0) {
          button();
        } else {
          var old = document.querySelector("button.load-more");
          if (old) old.remove();
        }
        loading = false;
        app.setAttribute("aria-busy", "false");
      })
      .catch(function (err) {
        loading = false;
        count.textContent = "Something went wrong (" + err.message + "). Try again later.";
        app.setAttribute("aria-busy", "false");
      });
  }

  load();
})();
"""

ITEM_JS = r"""(function () {
  "use strict";
  var app = document.getElementById("app");
  var id = app.getAttribute("data-item-id");

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  fetch("/api/item/" + encodeURIComponent(id))
    .then(function (r) { return r.json().then(function (data) { return {status: r.status, data: data}; }); })
    .then(function (res) {
      var data = res.data;
      if (res.status === 404 && data.error === "removed") {
        app.appendChild(el("div", "notice-removed", "This listing has been removed."));
      } else if (res.status !== 200) {
        app.appendChild(el("div", "not-found", "Item not found."));
      } else {
        var art = el("article", "item");
        art.setAttribute("data-id", data.id);
        art.appendChild(el("h1", "item-title", data.title));
        if (data.status === "sold") art.appendChild(el("div", "notice-sold", "Sold"));
        art.appendChild(el("div", "price", data.price_text));
        var img = el("img", "photo");
        img.src = data.image;
        img.alt = data.title;
        art.appendChild(img);
        art.appendChild(el("div", "description", data.description));
        var seller = el("div", "seller", "Sold by ");
        var a = el("a", null, data.seller.name);
        a.href = data.seller.url;
        seller.appendChild(a);
        art.appendChild(seller);
        art.appendChild(el("div", "location", data.location));
        var t = el("time", null, "Listed " + data.posted_at);
        t.setAttribute("datetime", data.posted_at);
        art.appendChild(t);
        app.appendChild(art);
        document.title = data.title + " | Demo JS Market";
      }
      app.setAttribute("aria-busy", "false");
    })
    .catch(function (err) {
      app.appendChild(el("div", "error", "Could not load item: " + err.message));
      app.setAttribute("aria-busy", "false");
    });
})();
"""

ROBOTS = robots_txt(
    allow=("/search", "/item/", "/seller/", "/api/search", "/api/item/", "/static/", "/media/"),
    disallow=("/checkout/", "/account/", "/api/cart"),
)


def _shell(
    title: str,
    description: str,
    main: str,
    script: str | None,
    query: str = "",
    weight: PageWeight = LIGHT,
) -> str:
    script_tag = f'<script src="{script}" defer></script>\n' if script else ""
    script_tag += page_weight.head_tags(weight)
    nav, aside = page_weight.body_extras(weight)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} | Demo JS Market</title>
<meta name="description" content="{esc(description)}">
<link rel="stylesheet" href="/static/market.css">
{script_tag}</head>
<body>
<header><a href="/">Demo JS Market</a>
<form action="/search" method="get" role="search"><input type="search" name="q" value="{esc(query)}" aria-label="Search"><button>Search</button></form>
</header>
{nav}{main}
{aside}<noscript><p>Demo JS Market needs JavaScript to show listings.</p></noscript>
<footer><small>Local demo marketplace for wildcrawl. Every listing is invented.</small></footer>
</body>
</html>
"""


def _snippet(text: str, limit: int = 100) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _seller(item: DemoListing) -> dict[str, str]:
    return {"handle": item.seller_id, "name": item.seller_name, "url": f"/seller/{item.seller_id}"}


def _summary(item: DemoListing) -> dict:
    return {
        "id": item.item_id,
        "title": item.title,
        "price_text": item.price_text,
        "seller": _seller(item),
        "location": item.location,
        "url": f"/item/{item.item_id}",
        "image": item.image_url,
        "snippet": _snippet(item.description),
    }


class Site:
    """Routing and rendering of demo-jsmarket."""

    name = "demo-jsmarket"

    def __init__(self, state: SiteState, weight: PageWeight = LIGHT):
        self.state = state
        self.weight = weight  # crawler.demo.weight: what a browser loads around the listings

    def handle(self, path: str, query: dict[str, str]) -> Response:
        if path == "/robots.txt":
            return text_response(ROBOTS, "text/plain; charset=utf-8")
        if path == "/static/market.css":
            return text_response(CSS, "text/css; charset=utf-8")
        if path == "/static/search.js":
            return text_response(SEARCH_JS, "text/javascript; charset=utf-8")
        if path == "/static/item.js":
            return text_response(ITEM_JS, "text/javascript; charset=utf-8")
        if m := re.fullmatch(r"/media/([a-z0-9]+)\.png", path):
            if not self.state.get(m.group(1)):
                return not_found_text()
            return self._image(m.group(1))
        if self.weight.heavy and path.startswith("/static/w/"):
            return self._weight_asset(path.removeprefix("/static/w/"))
        if self.state.blocked:
            if path.startswith("/api/"):
                return json_response({"error": "captcha", "message": "verify you are human"}, 403)
            return self._captcha()
        if path == "/":
            return self._search_shell("")
        if path == "/search":
            return self._search_shell(query.get("q", ""))
        if path == "/api/search":
            return self._api_search(query)
        if m := re.fullmatch(r"/item/([a-z0-9]+)", path):
            return self._item_shell(m.group(1))
        if m := re.fullmatch(r"/api/item/([a-z0-9]+)", path):
            return self._api_item(m.group(1))
        if m := re.fullmatch(r"/seller/([a-z0-9_]+)", path):
            return self._seller_page(m.group(1))
        return html_response(
            _shell("Not found", "Page not found", "<main><h1>Page not found</h1></main>", None), 404
        )

    def _image(self, key: str) -> Response:
        if not self.weight.image_bytes:
            return png_response(key)
        return asset_response(page_weight.photo_png(key, self.weight.image_bytes), "image/png")

    def _weight_asset(self, name: str) -> Response:
        w = self.weight
        if (m := re.fullmatch(r"img(\d+)\.png", name)) and int(m.group(1)) < w.images:
            return self._image(f"promo{m.group(1)}")
        if (m := re.fullmatch(r"site(\d+)\.css", name)) and int(m.group(1)) < w.stylesheets:
            body = page_weight.stylesheet(int(m.group(1)), w).encode("utf-8")
            return asset_response(body, "text/css; charset=utf-8")
        if (m := re.fullmatch(r"lib(\d+)\.js", name)) and int(m.group(1)) < w.scripts:
            body = page_weight.script(int(m.group(1)), w).encode("utf-8")
            return asset_response(body, "text/javascript; charset=utf-8")
        if (m := re.fullmatch(r"font(\d+)\.woff2", name)) and int(m.group(1)) < w.fonts:
            return asset_response(page_weight.font(int(m.group(1)), w.font_bytes), "font/woff2")
        return not_found_text()

    def _captcha(self) -> Response:
        main = """<main><div id="captcha"><h1>Please verify you are a human</h1>
<p>Unusual traffic from your network. Complete the challenge to continue.</p>
<button type="button">I am not a robot</button></div></main>"""
        return html_response(f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Security check | Demo JS Market</title><meta name="description" content="Security check">
</head><body>{main}</body></html>""")

    def _search_shell(self, q: str) -> Response:
        main = f"""<main id="app" aria-busy="true" data-query="{esc(q)}">
<h1>Search</h1>
<p id="count" class="count">Loading…</p>
<div id="results" class="grid"></div>
</main>"""
        title = f"{q} for sale" if q.strip() else "Buy and sell locally"
        return html_response(
            _shell(
                title,
                "Find great deals near you on Demo JS Market.",
                main,
                "/static/search.js",
                q,
                self.weight,
            )
        )

    def _api_search(self, query: dict[str, str]) -> Response:
        try:
            offset = int(query.get("offset", "0"))
            limit = int(query.get("limit", str(BATCH)))
        except ValueError:
            return json_response(
                {"error": "bad_request", "message": "offset and limit must be integers"}, 400
            )
        if offset < 0 or not 1 <= limit <= MAX_LIMIT:
            return json_response(
                {
                    "error": "bad_request",
                    "message": f"need offset >= 0 and 1 <= limit <= {MAX_LIMIT}",
                },
                400,
            )
        found = self.state.search(query.get("q", ""))
        batch = found[offset : offset + limit]
        next_url = None
        if offset + len(batch) < len(found):
            next_url = "/api/search?" + urlencode(
                {"q": query.get("q", ""), "offset": offset + limit, "limit": limit}
            )
        return json_response(
            {
                "total": len(found),
                "offset": offset,
                "limit": limit,
                "next": next_url,
                "items": [_summary(i) for i in batch],
            }
        )

    def _item_shell(self, item_id: str) -> Response:
        item = self.state.get(item_id)
        status = 200 if item is not None else 404
        main = f'<main id="app" aria-busy="true" data-item-id="{esc(item_id)}"></main>'
        return html_response(
            _shell(
                "Item",
                "Item details on Demo JS Market.",
                main,
                "/static/item.js",
                weight=self.weight,
            ),
            status,
        )

    def _api_item(self, item_id: str) -> Response:
        item = self.state.get(item_id)
        if item is None:
            return json_response({"error": "not_found", "id": item_id}, 404)
        status = self.state.status(item_id)
        if status == REMOVED:
            return json_response({"error": "removed", "id": item_id}, 404)
        data = _summary(item)
        data.update(description=item.description, posted_at=item.posted_at, status=status)
        return json_response(data)

    def _seller_page(self, handle: str) -> Response:
        seller = self.state.sellers.get(handle)
        if seller is None:
            return html_response(
                _shell(
                    "Not found", "Seller not found", "<main><h1>Seller not found</h1></main>", None
                ),
                404,
            )
        items = self.state.seller_listings(handle)
        rows = "\n".join(
            f'<li data-id="{esc(i.item_id)}"><a href="/item/{esc(i.item_id)}">{esc(i.title)}</a> '
            f'<span class="price">{esc(i.price_text)}</span></li>'
            for i in items
        )
        main = f"""<main class="seller-profile" data-handle="{esc(handle)}">
<h1 class="seller-name">{esc(seller.name)}</h1>
<p class="handle">@{esc(handle)}</p>
<p class="location">{esc(seller.location)}</p>
<p class="member-since">Member since {esc(seller.member_since)}</p>
<h2>{len(items)} active listings</h2>
<ul class="seller-items">
{rows}
</ul>
</main>"""
        return html_response(
            _shell(f"{seller.name} (@{handle})", f"Listings by {seller.name}", main, None)
        )
