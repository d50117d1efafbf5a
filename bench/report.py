"""Medians of repeated runs and the Markdown report (``output/bench.md``). Pure: no I/O.

Numbers on a shared 2-core machine are noisy, so every figure is the median of
the runs of a scenario, and comparisons are ratios between scenarios measured in
the same invocation on the same pages.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

MiB = 1024 * 1024


@dataclass
class RunRecord:
    """One measured run of one scenario."""

    scenario: str
    pages: int  # results pages + detail pages parsed
    listings: int
    details_complete: int  # detail pages whose detail-only field was extracted
    expected_pages: int
    crawl_s: float  # the crawl itself, timed inside the crawler process
    wall_s: float  # the whole process, start-up included
    cpu_s: float  # user + system CPU of the whole process tree
    peak_rss: int
    peak_pss: int
    rss_start: int | None
    rss_middle: int | None
    rss_end: int | None
    ok: bool = True
    note: str = ""
    capture_s: float = 0.0  # evidence screenshots taken after the crawl (wildcrawl only)
    screenshots: int = 0
    capture_cpu_s: float = 0.0  # of cpu_s: the tree's CPU after the crawl (the screenshots)

    @property
    def counted_pages(self) -> int:
        """Pages for rates: never more than the workload's (reading a "Load more" page as its
        JSON batches, one request each, must not count as more pages)."""
        return min(self.pages, self.expected_pages) if self.expected_pages else self.pages

    @property
    def pages_per_s(self) -> float:
        return self.counted_pages / self.crawl_s if self.crawl_s else 0.0

    @property
    def pages_per_s_with_capture(self) -> float:
        """Pages over the crawl plus the screenshots taken after it."""
        total = self.crawl_s + self.capture_s
        return self.counted_pages / total if total else 0.0

    @property
    def listings_per_s(self) -> float:
        return self.listings / self.crawl_s if self.crawl_s else 0.0

    @property
    def cpu_per_page(self) -> float | None:
        return self.cpu_s / self.pages if self.pages else None

    @property
    def cpu_per_page_crawl(self) -> float | None:
        """CPU per page without the evidence screenshots taken after the crawl (start-up and
        the crawl: what a baseline crawler, which takes none, is compared with)."""
        return (self.cpu_s - self.capture_cpu_s) / self.pages if self.pages else None


@dataclass
class Summary:
    """Medians over the successful runs of one scenario."""

    scenario: str
    label: str
    runs: int
    failed: int
    pages: int = 0
    expected_pages: int = 0
    listings: int = 0
    details_complete: int = 0
    pages_per_s: float = 0.0
    listings_per_s: float = 0.0
    cpu_per_page: float | None = None
    cpu_per_page_crawl: float | None = None
    peak_rss: int = 0
    peak_pss: int = 0
    rss_start: int | None = None
    rss_middle: int | None = None
    rss_end: int | None = None
    screenshots: int = 0
    capture_s: float = 0.0
    pages_per_s_with_capture: float = 0.0
    notes: list[str] = field(default_factory=list)


def _median(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def summarize(scenario: str, label: str, runs: list[RunRecord]) -> Summary:
    """Median figures of the runs that completed; failed runs are counted, not averaged in."""
    good = [r for r in runs if r.ok]
    summary = Summary(scenario, label, runs=len(runs), failed=len(runs) - len(good))
    summary.notes = sorted({r.note for r in runs if r.note})
    if not good:
        return summary
    summary.pages = int(_median([r.pages for r in good]))
    summary.expected_pages = good[0].expected_pages
    summary.listings = int(_median([r.listings for r in good]))
    summary.details_complete = int(_median([r.details_complete for r in good]))
    summary.pages_per_s = _median([r.pages_per_s for r in good])
    summary.listings_per_s = _median([r.listings_per_s for r in good])
    summary.cpu_per_page = _median([r.cpu_per_page for r in good])
    summary.cpu_per_page_crawl = _median([r.cpu_per_page_crawl for r in good])
    summary.screenshots = int(_median([r.screenshots for r in good]))
    summary.capture_s = _median([r.capture_s for r in good])
    summary.pages_per_s_with_capture = _median([r.pages_per_s_with_capture for r in good])
    summary.peak_rss = int(_median([r.peak_rss for r in good]))
    summary.peak_pss = int(_median([r.peak_pss for r in good]))
    for phase in ("rss_start", "rss_middle", "rss_end"):
        value = _median([getattr(r, phase) for r in good])
        setattr(summary, phase, int(value) if value is not None else None)
    return summary


@dataclass(frozen=True)
class Target:
    """One goal of issue 8, as a ratio between two scenarios or a bound on one figure."""

    name: str
    metric: str  # "pages_per_s", "peak_rss", "end_over_middle", "peak_rss_abs", "upserts"
    scenario: str
    goal: float | None  # None: a figure shown for information, no target
    baseline: str | None = None  # ratio scenario / baseline when given
    at_least: bool = True  # the figure must be >= goal (else <= goal)


def _value(summary: Summary, metric: str) -> float | None:
    if metric == "pages_per_s":
        return summary.pages_per_s or None
    if metric == "pages_per_s_with_capture":
        return summary.pages_per_s_with_capture or None
    if metric in ("cpu_per_page", "cpu_per_page_crawl"):
        return getattr(summary, metric)
    if metric == "peak_rss":
        return summary.peak_rss or None
    if metric == "peak_rss_mib":
        return summary.peak_rss / MiB if summary.peak_rss else None
    if metric == "end_over_middle":
        if summary.rss_end and summary.rss_middle:
            return summary.rss_end / summary.rss_middle
        return None
    raise ValueError(f"unknown metric {metric!r}")


def evaluate(
    target: Target, summaries: dict[str, Summary], extra: dict[str, float]
) -> float | None:
    """The figure a target is judged on (a ratio when it has a baseline), None if not measured."""
    if target.metric in extra:
        return extra[target.metric]
    mine = summaries.get(target.scenario)
    if mine is None or mine.runs == mine.failed:
        return None
    value = _value(mine, target.metric)
    if target.baseline is None or value is None:
        return value
    base = summaries.get(target.baseline)
    if base is None or base.runs == base.failed:
        return None
    base_value = _value(base, target.metric)
    return value / base_value if base_value else None


def _mib(value: int | None) -> str:
    return "–" if not value else f"{value / MiB:,.0f}"


def _num(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def scenario_table(summaries: list[Summary]) -> list[str]:
    lines = [
        (
            "| scenario | runs | pages (expected) | details complete | pages/s | listings/s "
            "| CPU s/page (incl. screenshots) | peak RSS MiB | peak PSS MiB | RSS start / middle / end MiB "
            "| evidence screenshots after the crawl | pages/s incl. screenshots |"
        ),
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in summaries:
        runs = f"{s.runs - s.failed}/{s.runs}"
        shots = f"{s.screenshots:,} in {s.capture_s:.1f} s" if s.screenshots else "–"
        with_shots = _num(s.pages_per_s_with_capture) if s.screenshots else "–"
        cpu = _num(s.cpu_per_page_crawl, 3)
        if s.screenshots:
            cpu += f" ({_num(s.cpu_per_page, 3)})"
        lines.append(
            f"| {s.label} | {runs} | {s.pages:,} ({s.expected_pages:,}) | {s.details_complete:,} "
            f"| {_num(s.pages_per_s)} | {_num(s.listings_per_s)} | {cpu} "
            f"| {_mib(s.peak_rss)} | {_mib(s.peak_pss)} | {_mib(s.rss_start)} / {_mib(s.rss_middle)} / "
            f"{_mib(s.rss_end)} | {shots} | {with_shots} |"
        )
    return lines


def target_table(
    targets: list[Target], summaries: dict[str, Summary], extra: dict[str, float]
) -> list[str]:
    lines = ["| goal (issue 8) | measured | target | met |", "|---|---|---|---|"]
    for t in targets:
        value = evaluate(t, summaries, extra)
        sign = "≥" if t.at_least else "≤"
        if t.goal is None:
            shown = "not measured" if value is None else _num(value, 2)
            lines.append(f"| {t.name} | {shown} | – (information) | – |")
            continue
        if value is None:
            shown, met = "not measured", "–"
        else:
            shown = _num(value, 2) if value < 1000 else f"{value:,.0f}"
            ok = value >= t.goal if t.at_least else value <= t.goal
            if shown == _num(t.goal, 2) and value != t.goal:
                shown = _num(value, 3)  # 1.496 is not 1.50: the digit that decides "met"
            met = "yes" if ok else "**no**"
        goal = f"{t.goal:,.0f}" if t.goal >= 1000 else f"{t.goal:g}"
        lines.append(f"| {t.name} | {shown} | {sign} {goal} | {met} |")
    return lines


def bar_chart(title: str, rows: list[tuple[str, float]], unit: str, width: int = 40) -> list[str]:
    """A text bar chart (a fenced block, so it reads the same in a terminal and on GitHub)."""
    rows = [(label, value) for label, value in rows if value and value > 0]
    if not rows:
        return []
    top = max(value for _, value in rows)
    pad = max(len(label) for label, _ in rows)
    lines = [f"{title}", "", "```"]
    for label, value in rows:
        eighths = round(value / top * width * 8)
        bar = "█" * (eighths // 8) + ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")[eighths % 8]
        lines.append(f"{label:<{pad}}  {bar} {value:,.1f} {unit}")
    lines.append("```")
    return lines


def render_markdown(
    title: str,
    context: list[str],
    summaries: list[Summary],
    targets: list[Target],
    extra: dict[str, float],
    notes: list[str],
) -> str:
    """The whole report: context lines, the scenario table, the targets and notes."""
    by_key = {s.scenario: s for s in summaries}
    out = [f"# {title}", "", *context, "", "## Scenarios (medians)", ""]
    out += scenario_table(summaries)
    done = [s for s in summaries if s.runs]
    out += [
        "",
        *bar_chart(
            "Pages per second (longer is faster):",
            [(s.scenario, s.pages_per_s) for s in done],
            "pages/s",
        ),
    ]
    out += [
        "",
        *bar_chart(
            "Peak RSS of the process tree (shorter is leaner):",
            [(s.scenario, s.peak_rss / 2**20) for s in done],
            "MiB",
        ),
    ]
    out += ["", "## Ratios and targets", ""]
    out += target_table(targets, by_key, extra)
    problems = [f"- {s.label}: {n}" for s in summaries for n in s.notes]
    if problems or notes:
        out += ["", "## Notes", "", *notes, *problems]
    return "\n".join(out) + "\n"
