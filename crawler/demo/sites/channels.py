"""demo-channels: public channels in the shape of Telegram's web preview (our own markup).

Routes: ``/s/<channel>?q=&before=N`` (the channel's preview: its 20 newest posts matching
``q`` before post ``N``, oldest first, with ``a.tme_messages_more[data-before]`` when older
posts exist), ``/<channel>/<post>`` and ``?embed=1`` (the post alone; a deleted post's embed
says ``Post not found`` in ``.tgme_widget_message_error``, with status 200 as on t.me),
``/<channel>`` (the channel's card), ``/img/<channel>/<post>_<n>.png``, ``/robots.txt``.
The classes are those of t.me's preview (``tgme_widget_message``, ``data-post``,
``tgme_widget_message_text``, ``..._date time[datetime]``, ``..._views``,
``..._photo_wrap`` with a ``background-image``, ``..._forwarded_from_name``).
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
from crawler.demo.channels import (
    CHANNELS,
    channel_of,
    post_extras,
    post_number,
    post_text,
)
from crawler.demo.state import REMOVED, SOLD, SiteState

PAGE_SIZE = 20
ROBOTS = robots_txt(allow=("/s/", "/img/", "/"), disallow=("/login", "/joinchat/", "/+"))
CSS = """
body{font-family:system-ui,sans-serif;background:#e7ebf0;margin:0}
.tgme_channel_info{background:#fff;padding:1rem;margin:1rem auto;max-width:40rem}
.tgme_widget_message_wrap{max-width:40rem;margin:.6rem auto}
.tgme_widget_message_bubble{background:#fff;border-radius:10px;padding:.6rem .8rem}
.tgme_widget_message_owner_name{font-weight:700;color:#2481cc;text-decoration:none}
.tgme_widget_message_forwarded_from{font-size:.85rem;color:#2481cc}
.tgme_widget_message_photo_wrap{display:block;height:180px;background-size:cover;margin:.4rem 0}
.tgme_widget_message_text{white-space:pre-line}
.tgme_widget_message_footer{color:#999;font-size:.8rem;text-align:right}
.tgme_widget_message_error{background:#fff;padding:1rem;max-width:40rem;margin:1rem auto}
.tme_messages_more{display:block;text-align:center;padding:.5rem}
"""


def _page(title: str, body: str) -> str:
    return f"""<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>{esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>{CSS}</style>
</head>
<body>
{body}
<div class="tgme_footer">Demo Channels is a local demo of wildcrawl: every channel and post is invented.</div>
</body>
</html>
"""


def post_html(item: DemoListing, sold: bool = False) -> str:
    """One post as t.me's preview shows it."""
    channel = channel_of(item)
    extras = post_extras(item)
    number = post_number(item)
    forwarded = ""
    if extras.forwarded_from:
        source, title = extras.forwarded_from
        forwarded = (
            '<div class="tgme_widget_message_forwarded_from accent_color">Forwarded from '
            f'<a class="tgme_widget_message_forwarded_from_name" href="/{source}/{number % 97 + 3}">'
            f"<span>{esc(title)}</span></a></div>"
        )
    photos = "".join(
        f'<a class="tgme_widget_message_photo_wrap" href="/{esc(item.item_id)}?single" '
        f"style=\"width:400px;background-image:url('/img/{esc(item.item_id)}_{n}.png')\">"
        '<div class="tgme_widget_message_photo"></div></a>'
        for n in range(1, extras.photos + 1)
    )
    text = esc(post_text(item)).replace("\n", "<br/>")
    if sold:
        text += "<br/><b>SOLD</b>"
    return f"""<div class="tgme_widget_message_wrap js-widget_message_wrap">
<div class="tgme_widget_message js-widget_message" data-post="{esc(item.item_id)}">
<div class="tgme_widget_message_bubble">
<div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_owner_name" href="/{channel.name}"><span dir="auto">{esc(channel.title)}</span></a></div>
{forwarded}
{photos}
<div class="tgme_widget_message_text js-message_text" dir="auto">{text}</div>
<div class="tgme_widget_message_footer compact js-message_footer">
<div class="tgme_widget_message_info short js-message_info">
<span class="tgme_widget_message_views">{extras.views}</span><span class="copyonly"> views</span><span class="tgme_widget_message_meta"><a class="tgme_widget_message_date" href="/{esc(item.item_id)}"><time datetime="{item.posted_at}" class="time">{item.posted_at[11:16]}</time></a></span>
</div>
</div>
</div>
</div>
</div>"""


class Site:
    """Routing and rendering of demo-channels."""

    name = "demo-channels"

    def __init__(self, state: SiteState):
        self.state = state
        self.channels = {c.name: c for c in CHANNELS}

    def handle(self, path: str, query: dict[str, str]) -> Response:
        if path == "/robots.txt":
            return text_response(ROBOTS, "text/plain; charset=utf-8")
        if m := re.fullmatch(r"/img/(\w+)/(\d+)_(\d+)\.png", path):
            found = self.state.get(f"{m.group(1)}/{m.group(2)}")
            return png_response(f"{m.group(1)}/{m.group(2)}") if found else not_found_text()
        if m := re.fullmatch(r"/s/(\w+)", path):
            return self._preview(m.group(1), query.get("q", ""), query.get("before", ""))
        if m := re.fullmatch(r"/(\w+)/(\d+)", path):
            return self._post(f"{m.group(1)}/{m.group(2)}")
        if m := re.fullmatch(r"/(\w+)", path):
            if m.group(1) in self.channels:
                return self._preview(m.group(1), "", "")
        return html_response(_page("Not found", "<h1>Page not found</h1>"), 404)

    def _preview(self, name: str, q: str, before: str) -> Response:
        channel = self.channels.get(name)
        if channel is None:
            return html_response(_page("Not found", "<h1>Channel not found</h1>"), 404)
        found = [i for i in self.state.search(q) if i.seller_id == name]
        found.sort(key=post_number)
        if before.isdigit():
            found = [i for i in found if post_number(i) < int(before)]
        shown = found[-PAGE_SIZE:]
        more = ""
        if len(found) > len(shown):
            first = post_number(shown[0])
            args = {"q": q, "before": first} if q else {"before": first}
            more = (
                f'<a href="/s/{name}?{esc(urlencode(args))}" '
                f'class="tme_messages_more js-messages_more" data-before="{first}"></a>'
            )
        posts = "\n".join(post_html(i, self.state.status(i.item_id) == SOLD) for i in shown)
        empty = "" if shown else '<div class="tme_no_messages_found">No posts found</div>'
        body = f"""<div class="tgme_channel_info"><div class="tgme_channel_info_header_title"><span dir="auto">{esc(channel.title)}</span></div>
<div class="tgme_channel_info_header_username"><a href="/{name}">@{name}</a></div></div>
<section class="tgme_channel_history js-message_history">
{more}
{posts}
{empty}
</section>"""
        return html_response(_page(f"{channel.title} – Telegram", body))

    def _post(self, item_id: str) -> Response:
        item = self.state.get(item_id)
        if item is None or self.state.status(item_id) == REMOVED:
            body = '<div class="tgme_widget_message_error">Post not found</div>'
            return html_response(_page("Post not found", body))
        sold = self.state.status(item_id) == SOLD
        return html_response(_page(channel_of(item).title, post_html(item, sold)))
