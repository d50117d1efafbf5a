"""The render plan (crawler.fetch.plan) as tables: what it decides after each page."""

from __future__ import annotations

import pytest

from crawler.fetch import plan as p
from crawler.fetch.plan import RenderPlan


def make(render="auto", api_results=True, api_detail=True, detail=True) -> RenderPlan:
    return RenderPlan(
        render=render, api_results=api_results, api_detail=api_detail, detail_selectors=detail
    )


@pytest.mark.parametrize(
    ("render", "browser", "api"),
    [
        ("http", False, False),
        ("browser", True, False),
        ("api", False, True),
        ("auto", False, False),
    ],
)
def test_the_configs_render_is_the_start_for_both_kinds(render, browser, api):
    plan = make(render)
    assert plan.browser_for == {"results": browser, "detail": browser}
    assert plan.api_for == {"results": api, "detail": api}
    assert plan.decisions == {} and plan.to_remember() == {}


@pytest.mark.parametrize(
    ("remembered", "api_detail", "applied", "browser_for", "api_for"),
    [
        ({"results": "browser"}, True, [("results", "browser")], (True, False), (False, False)),
        ({"results": "api", "detail": "api"}, True, [("results", "api"), ("detail", "api")], (False, False), (True, True)),
        ({"detail": "api"}, False, [], (False, False), (False, False)),  # the endpoint went away
        ({"detail": "http", "results": "browser"}, False, [("detail", "http"), ("results", "browser")], (True, False), (False, False)),
    ],
)  # fmt: skip
def test_recall(remembered, api_detail, applied, browser_for, api_for):
    plan = make(api_detail=api_detail)
    assert plan.recall(remembered) == applied
    assert (plan.browser_for["results"], plan.browser_for["detail"]) == browser_for
    assert (plan.api_for["results"], plan.api_for["detail"]) == api_for
    assert plan.decisions == {}  # remembered, not decided by this crawl


# (static, via_api, problem, n_listings, auto_check) -> action, decision for results afterwards
RESULTS = [
    # static page with listings: http, decided once
    ((True, False, None, 5, False), p.READ, ("http", "static results pages have listings")),
    # static page without: the endpoint next
    ((True, False, None, 0, False), p.API_FALLBACK, ("api", "static u had no listings")),
    # the endpoint's answer is not what the api section says: the browser
    ((True, True, "not JSON", 0, False), p.BROWSER_AFTER_API_ERROR, ("browser", "u: not JSON")),
    ((True, True, "blocked", 3, False), p.BROWSER_AFTER_API_ERROR, ("browser", "u: blocked")),
    # the endpoint answered no listings, none from it yet: the browser checks
    ((True, True, None, 0, False), p.BROWSER_CHECK, None),
    # the endpoint answered listings: read (found, nothing decided here)
    ((True, True, None, 4, False), p.READ, None),
    # a browser page (the check) showed listings: the endpoint reads wrong, the browser
    ((False, False, None, 4, True), p.READ_CHECKED, ("browser", "the endpoint answered no listings, u showed some")),
    ((False, False, None, 0, True), p.READ, None),  # the check showed none either: empty search
    ((False, False, None, 4, False), p.READ, None),
]  # fmt: skip


@pytest.mark.parametrize(("page", "action", "decision"), RESULTS)
def test_after_a_results_page(page, action, decision):
    plan = make()
    static, via_api, problem, n, check = page
    got = plan.after_results(
        "u", static=static, via_api=via_api, problem=problem, n_listings=n, auto_check=check
    )
    assert got == action
    assert plan.decisions.get("results") == decision


def test_results_fallbacks_go_static_then_api_then_browser_and_decide_once():
    plan = make()
    assert plan.after_results("a", static=True, via_api=False, problem=None, n_listings=0) == (
        p.API_FALLBACK
    )
    assert plan.api_for["results"] and not plan.browser_for["results"]
    # Another static page of a search started earlier: already on the endpoint.
    assert plan.fallback("results", "again") == "api"
    # Endpoint tried: a plan without it, or once tried and left, goes to the browser.
    plan.decide("results", "http", "back")
    assert plan.after_results("b", static=True, via_api=False, problem=None, n_listings=0) == (
        p.BROWSER_FALLBACK
    )
    assert plan.browser_for["results"] and plan.decisions["results"][0] == "browser"
    no_api = make(api_results=False, api_detail=False)
    assert no_api.fallback("results", "x") == "browser"
    # first=True keeps the first decision.
    assert not plan.decide("results", "http", "later", first=True)
    assert plan.decisions["results"][0] == "browser"


def test_not_auto_never_decides():
    for render in ("http", "browser", "api"):
        plan = make(render)
        for static, via_api in ((True, False), (True, True), (False, False)):
            got = plan.after_results("u", static=static, via_api=via_api, problem="x", n_listings=0)
            assert got == p.READ
            step = plan.after_detail("u", static=static, via_api=via_api, state="ok", filled=False)
            assert step == p.DetailStep(p.READ)
        assert plan.decisions == {}


# (plan kwargs, static, via_api, state, filled, rechecked) -> step, detail decision
DETAIL = [
    ({}, True, False, "ok", True, False, p.DetailStep(p.READ), ("http", "static detail pages have their fields")),
    ({}, True, False, "ok", False, False, p.DetailStep(p.RETRY, "api"), ("api", "static u had none of its fields")),
    ({"api_detail": False}, True, False, "ok", False, False, p.DetailStep(p.RETRY, "browser"), ("browser", "static u had none of its fields")),
    # no detail section: nothing to read on a detail page, the search's fields stay
    ({"api_detail": False, "detail": False}, True, False, "ok", False, False, p.DetailStep(p.READ), None),
    ({}, True, True, "ok", False, False, p.DetailStep(p.RETRY, "browser"), ("browser", "u answered none of its fields")),
    ({"detail": False}, True, True, "ok", False, False, p.DetailStep(p.READ), None),
    ({}, True, False, "removed", False, False, p.DetailStep(p.READ), None),  # gone: an answer
    ({}, True, False, "ok", False, True, p.DetailStep(p.READ), None),  # a re-check never moves
    ({}, True, True, "ok", True, False, p.DetailStep(p.READ), None),
    ({}, False, False, "ok", True, False, p.DetailStep(p.READ), None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("kw", "static", "via_api", "state", "filled", "re", "step", "decision"), DETAIL
)
def test_after_a_detail_page(kw, static, via_api, state, filled, re, step, decision):
    plan = make(**kw)
    got = plan.after_detail(
        "u", static=static, via_api=via_api, state=state, filled=filled, rechecked=re
    )
    assert got == step
    assert plan.decisions.get("detail") == decision


def test_only_switches_that_found_something_are_remembered():
    plan = make()
    plan.after_results("u", static=True, via_api=False, problem=None, n_listings=0)  # -> api
    plan.after_detail("u", static=True, via_api=False, state="ok", filled=True)  # -> http
    assert plan.to_remember() == {"detail": ("http", "static detail pages have their fields")}
    plan.after_results("u", static=True, via_api=True, problem=None, n_listings=3)  # api found
    assert plan.to_remember()["results"] == ("api", "static u had no listings")
    browser = make(api_results=False, api_detail=False)
    browser.after_results("u", static=True, via_api=False, problem=None, n_listings=0)
    assert browser.to_remember() == {}  # the browser found nothing (yet)
    browser.after_results("u", static=False, via_api=False, problem=None, n_listings=2)
    assert browser.to_remember()["results"][0] == "browser"


@pytest.mark.parametrize(
    ("render", "api_for_detail", "api_detail", "detail", "browser_detail", "follows"),
    [
        ("http", False, False, True, False, True),
        ("http", False, False, False, False, False),  # no detail section: the search's fields
        ("api", True, True, False, False, True),
        ("api", True, False, True, False, False),  # api render, no detail endpoint
        ("browser", False, True, False, True, True),  # the page's captured JSON
        ("browser", False, False, False, True, False),
    ],
)
def test_follows_detail(render, api_for_detail, api_detail, detail, browser_detail, follows):
    plan = make(render, api_detail=api_detail, detail=detail)
    assert plan.api_for["detail"] == api_for_detail
    assert plan.browser_for["detail"] == browser_detail
    assert plan.follows_detail() == follows
    assert plan.api_can("results") and plan.api_can("detail") == api_detail


def test_from_config():
    from crawler.config import load_marketplace

    bazaar = RenderPlan.from_config(load_marketplace("demo-bazaar"))
    assert (bazaar.render, bazaar.api_results, bazaar.detail_selectors) == ("http", False, True)
    jsmarket = RenderPlan.from_config(load_marketplace("demo-jsmarket"))
    assert jsmarket.api_results and jsmarket.browser_for["results"] == (
        jsmarket.render == "browser"
    )
