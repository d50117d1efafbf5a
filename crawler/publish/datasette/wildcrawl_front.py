"""wildcrawl public release: the front page's figures and charts, a listing's matched terms.

Self-contained (imports only Datasette and MarkupSafe), like ``wildcrawl_public.py``: the
release copies it into its ``plugins/`` folder.

The charts are SVG drawn here, on the server: no script (the release's Content-Security-Policy
allows none but Datasette's own), readable without JavaScript, each with an accessible title
and description and its numbers in a table beside it. Every label comes from crawled data and
is escaped.
"""

from __future__ import annotations

import json
import math

from datasette import hookimpl
from datasette.utils import tilde_encode
from markupsafe import Markup, escape

RELEASE_TABLE = "wildcrawl_release"
# Tableau 20: twenty distinct colours, so no two of the 14 taxon groups share one.
PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
    "#a0cbe8",
    "#ffbe7d",
    "#8cd17d",
    "#ff9d9a",
    "#86bcb6",
    "#f1ce63",
    "#d4a6c8",
    "#fabfd2",
    "#d7b5a6",
    "#79706e",
)
WIDTH, HEIGHT = 560, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 36


def colours(names) -> dict[str, str]:
    """A colour per name, in order (the twenty-first name and later reuse colours)."""
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}


def _nice_max(value: float) -> int:
    if value <= 5:
        return 5
    step = 10 ** math.floor(math.log10(value))
    for m in (1, 2, 2.5, 5, 10):
        if value <= m * step:
            return int(m * step)
    return int(10 * step)


def _svg_open(chart_id: str, title: str, desc: str, height: int) -> str:
    return (
        f'<svg class="wildcrawl-chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'xmlns="http://www.w3.org/2000/svg" font-size="13" font-family="sans-serif">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
    )


def stacked_bars(chart_id: str, title: str, rows, unit: str = "flagged listings") -> dict:
    """Bars per month stacked by group, from ``[month, group, count]`` rows.

    Returns ``{"svg": Markup, "legend": [(group, colour, total)], "months": [...],
    "table": [[month, {group: count}]]}``.
    """
    months = sorted({r[0] for r in rows})
    totals: dict[str, int] = {}
    for _, group, n in rows:
        totals[group] = totals.get(group, 0) + n
    groups = sorted(totals, key=lambda g: (-totals[g], g))
    colour = colours(groups)
    per_month: dict[str, dict[str, int]] = {m: {} for m in months}
    for month, group, n in rows:
        per_month[month][group] = n
    top = _nice_max(max((sum(v.values()) for v in per_month.values()), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    desc = (
        f"Stacked bars, one per month from {months[0]} to {months[-1]}: "
        + "; ".join(f"{g} {totals[g]}" for g in groups)
        + f" {unit} in all."
        if months
        else f"No {unit}."
    )
    parts = [_svg_open(chart_id, title, desc, HEIGHT)]
    for i in range(6):  # gridlines and y labels
        value = top * i / 5
        y = TOP + plot_h - plot_h * i / 5
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#ddd" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#333">'
            f"{value:g}</text>"
        )
    if months:
        band = plot_w / len(months)
        bar = min(band * 0.7, 60)
        every = max(1, math.ceil(len(months) / 6))  # at most 6 month labels: room on a phone
        for i, month in enumerate(months):
            x = LEFT + band * i + (band - bar) / 2
            y = TOP + plot_h
            for group in groups:
                n = per_month[month].get(group, 0)
                if not n:
                    continue
                h = plot_h * n / top
                y -= h
                parts.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                    f'fill="{colour[group]}" stroke="#fff" stroke-width="0.5">'
                    f"<title>{escape(month)} - {escape(group)}: {n}</title></rect>"
                )
            if i % every == 0:
                parts.append(
                    f'<text x="{LEFT + band * i + band / 2:.1f}" y="{HEIGHT - BOTTOM + 18}" '
                    f'text-anchor="middle" fill="#333">{escape(month)}</text>'
                )
    parts.append(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" y2="{TOP + plot_h}" '
        f'stroke="#333"/></svg>'
    )
    return {
        "svg": Markup("".join(parts)),
        "legend": [(g, colour[g], totals[g]) for g in groups],
        "groups": groups,
        "table": [(m, [per_month[m].get(g, 0) for g in groups]) for m in months],
    }


def _short(label: str, most: int = 16) -> str:
    """A label cut to ``most`` characters (the whole one is in the chart's table and tooltips)."""
    return label if len(label) <= most else label[: most - 1] + "…"


def price_ranges(chart_id: str, title: str, rows) -> dict:
    """Per product a line from the lowest to the highest asking price (log scale) and a dot at
    the median, from ``[product, listings, min, median, max]`` rows (USD)."""
    label_w, row_h = 150, 28
    height = TOP + BOTTOM + row_h * max(len(rows), 1)
    values = [v for r in rows for v in r[2:5] if v and v > 0]
    lo = 10 ** math.floor(math.log10(min(values))) if values else 1
    hi = 10 ** math.ceil(math.log10(max(values))) if values else 10
    if hi <= lo:
        hi = lo * 10
    x0, x1 = label_w, WIDTH - RIGHT - 36  # room for the last label, centred on its tick

    def x(v):
        return x0 + (x1 - x0) * (math.log10(max(v, lo)) - math.log10(lo)) / (
            math.log10(hi) - math.log10(lo)
        )

    desc = (
        "Lowest, median and highest asking price in US dollars of flagged listings, per product: "
        + "; ".join(
            f"{r[0]}: {r[1]} listings, ${r[2]:g} to ${r[4]:g}, median ${r[3]:g}" for r in rows
        )
        if rows
        else "No flagged listing with a price names a product."
    )
    parts = [_svg_open(chart_id, title, desc, height)]
    decade = lo
    while decade <= hi:
        px = x(decade)
        parts.append(
            f'<line x1="{px:.1f}" x2="{px:.1f}" y1="{TOP}" y2="{height - BOTTOM}" stroke="#ddd"/>'
            f'<text x="{px:.1f}" y="{height - BOTTOM + 18}" text-anchor="middle" fill="#333">'
            f"${decade:,.0f}</text>"
        )
        decade *= 10
    colour = colours([r[0] for r in rows])
    for i, (product, n, low, median, high) in enumerate(rows):
        y = TOP + row_h * i + row_h / 2
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 4:.1f}" text-anchor="end" fill="#222">'
            f"{escape(_short(product))} ({n})</text>"
            f'<line x1="{x(low):.1f}" x2="{x(high):.1f}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{colour[product]}" stroke-width="6" stroke-linecap="round">'
            f"<title>{escape(product)}: ${low:g} to ${high:g}</title></line>"
            f'<circle cx="{x(median):.1f}" cy="{y:.1f}" r="6" fill="#222" stroke="#fff">'
            f"<title>{escape(product)}: median ${median:g}</title></circle>"
        )
    parts.append("</svg>")
    return {"svg": Markup("".join(parts)), "rows": rows}


async def front_page(datasette) -> dict | None:
    """The release's figures and charts, from its ``wildcrawl_release`` table (None if absent)."""
    for name, db in datasette.databases.items():
        if name.startswith("_") or not await db.table_exists(RELEASE_TABLE):
            continue
        facts = {}
        for key, value in (await db.execute(f"select key, value from {RELEASE_TABLE}")).rows:
            try:
                facts[key] = json.loads(value)
            except (TypeError, ValueError):
                facts[key] = value
        figures = facts.get("front_page")
        if not isinstance(figures, dict):
            return None
        return {
            "database": name,
            "facts": facts,
            "figures": figures,
            "by_taxon_group": stacked_bars(
                "chart-taxon",
                "Flagged listings per month, by taxon group",
                figures.get("by_taxon_group", []),
            ),
            "by_marketplace": stacked_bars(
                "chart-marketplace",
                "Flagged listings per month, by marketplace",
                figures.get("by_marketplace", []),
            ),
            "prices": price_ranges(
                "chart-prices",
                "Asking prices per product (USD, log scale)",
                figures.get("prices_by_product", []),
            ),
        }
    return None


async def listing_matches(datasette, database: str, listing_id: str) -> list[dict]:
    """The lexicon terms found in a listing: term, kind, field, taxon (for its page)."""
    db = datasette.get_database(database)
    if not await db.table_exists("matches"):
        return []
    join_terms = await db.table_exists("terms")
    join_taxa = await db.table_exists("taxa")
    sql = (
        "select m.matched_text, m.kind, m.field"
        + (", t.term, t.lang" if join_terms else ", null, null")
        + (
            ", x.common_name, x.scientific_name, x.cites_appendix"
            if join_taxa
            else ", null, null, null"
        )
        + " from matches m"
        + (" left join terms t on t.id = m.term_id" if join_terms else "")
        + (" left join taxa x on x.id = m.taxon_id" if join_taxa else "")
        + " where m.listing_id = ? order by m.field, m.start limit 100"
    )
    keys = (
        "matched_text",
        "kind",
        "field",
        "term",
        "lang",
        "common_name",
        "scientific_name",
        "cites_appendix",
    )
    return [dict(zip(keys, r)) for r in (await db.execute(sql, [listing_id])).rows]


def cells_in_order(row, names) -> list:
    """The cells of a row of Datasette's table page for the columns ``names``, in that order.

    One pass over the row: the listings template's nested loop (for each column shown, every
    cell of the row) cost about a quarter of a listings page's CPU time (63 -> 47 ms).
    """
    by_column = {cell["column"]: cell for cell in row}
    return [by_column[name] for name in names if name in by_column]


@hookimpl
def prepare_jinja2_environment(env):
    env.filters.setdefault("tilde_encode", lambda value: tilde_encode(str(value)))
    env.filters.setdefault("cells_in_order", cells_in_order)


@hookimpl
def extra_template_vars(template, datasette):
    if template == "index.html":

        async def inner():
            return {"front": await front_page(datasette)}

        return inner
    if template.startswith("row"):

        async def matches(database, listing_id):
            return await listing_matches(datasette, database, listing_id)

        return {"listing_matches": matches}
    return {}
