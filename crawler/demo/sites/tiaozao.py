"""demo-tiaozao: a Chinese second-hand market (旧货集, Simplified UI, CNY prices).

Routes: ``/``, ``/search?kw=&p=N`` (20 per page, ``a.next`` 下一页),
``/goods/<id>.html`` (200 with ``.notice-removed`` 该商品已下架 once taken down,
``.notice-sold`` 已售出 when sold), ``/u/<seller_id>``, ``/pic/<id>.png``,
``/static/tz.css``, ``/robots.txt``. While blocked, pages show a ``.slide-verify`` challenge.
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
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:0;background:#f6f6f6}
.top{background:#ffda44;padding:.6rem 1rem;display:flex;gap:1rem;align-items:center}
.top .brand{font-weight:700;font-size:1.3rem;color:#333;text-decoration:none}
.wrap{max-width:64rem;margin:1rem auto;padding:0 1rem}
.goods-list{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:.8rem}
.goods-item{background:#fff;border-radius:8px;padding:.5rem}
.goods-item img{width:100%;height:140px;object-fit:cover;image-rendering:pixelated}
.goods-price,.price{color:#ff4400;font-weight:700}
.goods-loc,.goods-time{color:#999;font-size:.8rem;margin-left:.4rem}
.pager a,.pager span{margin:0 .25rem}
.desc{white-space:pre-line;background:#fff;padding:1rem}
.notice-removed,.notice-sold{background:#fff1e6;padding:1rem}
"""

ROBOTS = robots_txt(
    allow=("/search", "/goods/", "/u/", "/pic/", "/static/"),
    disallow=("/my/", "/order/", "/publish"),
)


def _page(title: str, description: str, body: str, kw: str = "") -> str:
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} - 旧货集跳蚤市场</title>
<meta name="description" content="{esc(description)}">
<meta name="keywords" content="二手,闲置,跳蚤市场,旧货集">
<link rel="stylesheet" href="/static/tz.css">
</head>
<body>
<div class="top">
<a class="brand" href="/">旧货集</a>
<form action="/search" method="get" class="search-box">
<input type="text" name="kw" value="{esc(kw)}" placeholder="搜索闲置宝贝">
<button type="submit">搜索</button>
</form>
<a href="/publish">发布闲置</a>
</div>
<div class="wrap">
{body}
</div>
<div class="foot">旧货集（Demo Tiaozao）是 wildcrawl 的本地演示市场，所有商品均为虚构。</div>
</body>
</html>
"""


def _goods_item(item: DemoListing) -> str:
    href = f"/goods/{item.item_id}.html"
    return f"""<li class="goods-item" data-id="{esc(item.item_id)}">
<a class="goods-pic" href="{href}"><img src="{esc(item.image_url)}" alt="" loading="lazy"></a>
<a class="goods-title" href="{href}" title="{esc(item.title)}">{esc(item.title)}</a>
<div class="goods-info"><span class="goods-price">{esc(item.price_text)}</span><span class="goods-loc">{esc(item.location)}</span></div>
<div class="goods-seller"><a class="nick" href="/u/{esc(item.seller_id)}">{esc(item.seller_name)}</a><span class="goods-time">{item.posted_at}</span></div>
</li>"""


class Site:
    """Routing and rendering of demo-tiaozao."""

    name = "demo-tiaozao"

    def __init__(self, state: SiteState):
        self.state = state

    def handle(self, path: str, query: dict[str, str]) -> Response:
        if path == "/robots.txt":
            return text_response(ROBOTS, "text/plain; charset=utf-8")
        if path == "/static/tz.css":
            return text_response(CSS, "text/css; charset=utf-8")
        if m := re.fullmatch(r"/pic/(\d+)\.png", path):
            return png_response(m.group(1)) if self.state.get(m.group(1)) else not_found_text()
        if self.state.blocked:
            return self._captcha()
        if path == "/":
            return self._home()
        if path == "/search":
            return self._search(query.get("kw", ""), query.get("p", "1"))
        if m := re.fullmatch(r"/goods/(\d+)\.html", path):
            return self._goods(m.group(1))
        if m := re.fullmatch(r"/u/(\d+)", path):
            return self._user(m.group(1))
        return self._not_found()

    def _captcha(self) -> Response:
        body = """<div class="slide-verify" id="nc_verify">
<h1>安全验证</h1><p>访问过于频繁，请向右滑动完成验证</p>
<div class="slider"><span class="handle">&gt;&gt;</span></div></div>"""
        return html_response(_page("安全验证", "安全验证", body))

    def _not_found(self) -> Response:
        return html_response(_page("页面不存在", "页面不存在", "<h1>抱歉，页面不存在</h1>"), 404)

    def _home(self) -> Response:
        items = "\n".join(_goods_item(i) for i in self.state.search("")[:PAGE_SIZE])
        body = f'<h1>最新发布</h1>\n<ul class="goods-list">\n{items}\n</ul>'
        return html_response(_page("首页", "旧货集：买卖二手闲置，同城交易更放心。", body))

    def _search(self, kw: str, page_arg: str) -> Response:
        page = int(page_arg) if page_arg.isdigit() and int(page_arg) >= 1 else 1
        found = self.state.search(kw)
        pages = max(1, -(-len(found) // PAGE_SIZE))
        shown = found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        title = f"{kw}_二手{kw}转让" if kw.strip() else "全部闲置"
        if not shown:
            body = f"""<div class="empty"><p>没有找到与“{esc(kw)}”相关的宝贝</p>
<p>换个关键词试试吧</p></div>"""
            return html_response(_page(title, f"没有找到{kw}", body, kw))
        items = "\n".join(_goods_item(i) for i in shown)
        body = f"""<div class="result-count">共找到 <em>{len(found)}</em> 件相关宝贝</div>
<ul class="goods-list">
{items}
</ul>
{self._pager(kw, page, pages)}"""
        return html_response(
            _page(title, f"旧货集为您找到{len(found)}件{kw}相关闲置，第{page}页", body, kw)
        )

    @staticmethod
    def _pager(kw: str, page: int, pages: int) -> str:
        def href(n: int) -> str:
            return esc("/search?" + urlencode({"kw": kw, "p": n}))

        parts = []
        if page > 1:
            parts.append(f'<a class="prev" href="{href(page - 1)}">上一页</a>')
        for n in range(max(1, page - 2), min(pages, page + 2) + 1):
            parts.append(
                f'<span class="cur">{n}</span>' if n == page else f'<a href="{href(n)}">{n}</a>'
            )
        if page < pages:
            parts.append(f'<a class="next" href="{href(page + 1)}">下一页</a>')
        parts.append(f'<span class="total">共{pages}页</span>')
        return '<div class="pager">' + "".join(parts) + "</div>"

    def _goods(self, item_id: str) -> Response:
        item = self.state.get(item_id)
        if item is None:
            return self._not_found()
        status = self.state.status(item_id)
        if status == REMOVED:
            body = '<div class="notice-removed"><h1>该商品已下架</h1><p>卖家已删除该商品或商品违规被下架。</p></div>'
            return html_response(_page("商品已下架", "商品已下架", body))
        seller = self.state.sellers[item.seller_id]
        sold = '<div class="notice-sold">宝贝已售出</div>' if status == SOLD else ""
        body = f"""<div class="goods-detail" data-id="{esc(item.item_id)}">
<h1 class="title">{esc(item.title)}</h1>
{sold}
<div class="price-box">价格 <span class="price">{esc(item.price_text)}</span></div>
<img class="main-pic" src="{esc(item.image_url)}" alt="{esc(item.title)}">
<div class="desc">{esc(item.description)}</div>
<div class="seller-box">
<a class="nick" href="/u/{esc(seller.seller_id)}">{esc(seller.name)}</a>
<span class="area">{esc(item.location)}</span>
</div>
<div class="pub-time">发布于 <time datetime="{item.posted_at}">{item.posted_at}</time></div>
</div>"""
        return html_response(_page(item.title, " ".join(item.description.split())[:120], body))

    def _user(self, seller_id: str) -> Response:
        seller = self.state.sellers.get(seller_id)
        if seller is None:
            return self._not_found()
        items = self.state.seller_listings(seller_id)
        rows = "\n".join(_goods_item(i) for i in items)
        body = f"""<div class="user-card" data-uid="{esc(seller_id)}">
<h1 class="nick">{esc(seller.name)}</h1>
<p class="area">{esc(seller.location)}</p>
<p class="since">{seller.member_since[:4]}年加入 · 在售 {len(items)} 件</p>
</div>
<ul class="goods-list">
{rows}
</ul>"""
        return html_response(
            _page(f"{seller.name}的闲置", f"{seller.name}在旧货集发布的闲置", body)
        )
