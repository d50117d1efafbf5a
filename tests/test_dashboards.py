"""The monitor's dashboard configuration (``dashboards.yaml``): colours, labels, weeks."""

from __future__ import annotations

import yaml

from crawler.publish.datasette import DASHBOARDS

TWENTY_COLOUR_SCHEMES = {"tableau20", "category20", "category20b", "category20c"}


def _charts():
    return yaml.safe_load(DASHBOARDS.read_text(encoding="utf-8"))["monitor"]["charts"]


def _titles(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "title" and isinstance(value, str):
                yield value
            else:
                yield from _titles(value)
    elif isinstance(node, list):
        for value in node:
            yield from _titles(value)


def test_every_colour_encoding_has_twenty_distinct_colours():
    coloured = 0
    for name, chart in _charts().items():
        color = (chart.get("display") or {}).get("encoding", {}).get("color")
        if color:
            coloured += 1
            scale = color.get("scale", {})
            colours = scale.get("range") or []
            assert scale.get("scheme") in TWENTY_COLOUR_SCHEMES or (
                len(colours) >= 20 and len(set(colours)) == len(colours)
            ), name
    assert coloured == 4  # marketplaces, taxon groups, report outcomes, verdicts


def test_titles_are_whole_and_every_axis_is_named():
    charts = _charts()
    for name, chart in charts.items():
        for title in _titles(chart):
            assert title.count("(") == title.count(")"), (name, title)
        # A comma in an unquoted YAML flow mapping cut "Price (USD, log scale)" in two.
        for channel in (chart.get("display") or {}).get("encoding", {}).values():
            assert set(channel) <= {
                "field",
                "type",
                "title",
                "timeUnit",
                "axis",
                "scale",
                "sort",
                "stack",
            }, (name, channel)
    assert "Price (USD, log scale)" in _titles(charts["prices"])


def test_weekly_charts_read_well_with_a_single_week():
    for name in ("by-marketplace", "by-taxon"):
        x = _charts()[name]["display"]["encoding"]["x"]
        # Ordinal weeks: one labelled bar per week; a temporal axis repeats the date as ticks.
        assert x["type"] == "ordinal" and "timeUnit" not in x, name
