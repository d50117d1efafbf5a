"""How each page kind is fetched and read: the render plan, a small pure state machine.

``render`` in a marketplace config is ``http``, ``browser``, ``api`` or ``auto``. Under
``auto`` the plan learns, per page kind (``results``, ``detail``), which way gives the
listings: static HTML first, then the config's JSON endpoint (if it has one for the kind and
it was not tried), then the browser; decisions are remembered across crawls
(``crawler.crawl.render_memory``). The spider asks the plan what to do after each page and
carries out the action it returns; the plan never fetches anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("results", "detail")

# What the spider does after a static (non-browser) results page under render: auto.
READ = "read"  # read the page's listings (the plan has noted what it learnt)
BROWSER_AFTER_API_ERROR = "browser after api error"  # first page again, in the browser
BROWSER_CHECK = "browser check"  # the endpoint answered no listings: the browser's page tells
API_FALLBACK = "api fallback"  # static page had nothing: the endpoint's first page
BROWSER_FALLBACK = "browser fallback"  # static page had nothing: the same page in the browser
READ_CHECKED = "read, endpoint wrong"  # a browser check showed listings: read, and warn
RETRY = "retry"  # a detail page again, another way (see ``DetailStep.render``)


@dataclass
class DetailStep:
    action: str  # READ or RETRY
    render: str | None = None  # for RETRY: "api" or "browser"


@dataclass
class RenderPlan:
    """Per page kind: browser or not, endpoint or not; what auto decided and found."""

    render: str  # the config's: http, browser, api, auto
    api_results: bool = False  # the config's api section has a search endpoint
    api_detail: bool = False  # ... and a detail endpoint
    detail_selectors: bool = False  # the config has a detail section (DOM fields)
    browser_for: dict[str, bool] = field(default_factory=dict)
    api_for: dict[str, bool] = field(default_factory=dict)
    decisions: dict[str, tuple[str, str]] = field(default_factory=dict)  # kind -> (render, why)
    found: dict[str, dict[str, bool]] = field(default_factory=dict)  # render -> kind -> any?
    api_tried: set[str] = field(default_factory=set)  # kinds whose endpoint auto has tried

    def __post_init__(self) -> None:
        for kind in KINDS:
            self.browser_for.setdefault(kind, self.render == "browser")
            self.api_for.setdefault(kind, self.render == "api")
        for render in ("browser", "api"):
            self.found.setdefault(render, dict.fromkeys(KINDS, False))

    @classmethod
    def from_config(cls, config) -> RenderPlan:
        return cls(
            render=config.render,
            api_results=config.api is not None,
            api_detail=config.api is not None and config.api.detail is not None,
            detail_selectors=config.detail is not None,
        )

    @property
    def auto(self) -> bool:
        return self.render == "auto"

    def api_can(self, kind: str) -> bool:
        """Whether the config's ``api`` section has an endpoint for ``kind`` pages."""
        return self.api_results if kind == "results" else self.api_detail

    def recall(self, decisions: dict[str, str]) -> list[tuple[str, str]]:
        """Apply remembered decisions (kind -> render); returns those applied."""
        applied = []
        for kind, render in decisions.items():
            if render == "api" and not self.api_can(kind):
                continue  # the config's api section went away since
            self.browser_for[kind] = render == "browser"
            self.api_for[kind] = render == "api"
            applied.append((kind, render))
        return applied

    def decide(self, kind: str, render: str, reason: str, first: bool = False) -> bool:
        """Fetch ``kind`` pages by ``render`` from now on; with ``first``, only if nothing was
        decided for the kind yet. Returns whether the decision was taken."""
        if first and kind in self.decisions:
            return False
        self.browser_for[kind] = render == "browser"
        self.api_for[kind] = render == "api"
        self.decisions[kind] = (render, reason)
        return True

    def fallback(self, kind: str, reason: str) -> str:
        """A page of ``kind`` had nothing: the JSON endpoint next (if the config has one and
        it was not tried), else the browser. Returns the new render."""
        if self.api_for[kind]:
            return "api"  # an earlier page of this kind already moved to the endpoint
        render = "api" if self.api_can(kind) and kind not in self.api_tried else "browser"
        if render == "api":
            self.api_tried.add(kind)
        self.decide(kind, render, reason)
        return render

    def follows_detail(self) -> bool:
        """Whether listings go on to a detail request (else the search's fields are all)."""
        if self.api_for["detail"]:
            return self.api_detail
        return self.detail_selectors or bool(self.browser_for["detail"] and self.api_detail)

    def to_remember(self) -> dict[str, tuple[str, str]]:
        """What this crawl learnt, for the store: a switch to the JSON endpoints or to the
        browser only if it then found something (else the page was simply empty)."""
        return {
            kind: decision
            for kind, decision in self.decisions.items()
            if decision[0] == "http" or self.found[decision[0]][kind]
        }

    def after_results(
        self,
        url: str,
        *,
        static: bool,
        via_api: bool,
        problem: str | None,
        n_listings: int,
        auto_check: bool = False,
    ) -> str:
        """What to do with a results page: ``problem`` is its extraction error or a page state
        other than ok (None when fine); ``n_listings`` what it gave. Returns an action."""
        if self.auto and static:
            if via_api and problem:
                # The endpoint's answer was not what the api section describes: the browser.
                self.decide("results", "browser", f"{url}: {problem}")
                return BROWSER_AFTER_API_ERROR
            if via_api and not n_listings and not self.found["api"]["results"]:
                # No listings from the endpoint, none from it yet: an empty search, or an items
                # path that matches nothing. The browser's page of this search tells which.
                return BROWSER_CHECK
            if not via_api and not n_listings:
                render = self.fallback("results", f"static {url} had no listings")
                return API_FALLBACK if render == "api" else BROWSER_FALLBACK
            if via_api:
                self.found["api"]["results"] = True
            else:
                self.decide("results", "http", "static results pages have listings", first=True)
        elif not static and n_listings:
            self.found["browser"]["results"] = True
            if auto_check and not self.browser_for["results"]:
                self.decide(
                    "results", "browser", f"the endpoint answered no listings, {url} showed some"
                )
                return READ_CHECKED
        return READ

    def after_detail(
        self,
        url: str,
        *,
        static: bool,
        via_api: bool,
        state: str,
        filled: bool,
        rechecked: bool = False,
    ) -> DetailStep:
        """What to do with a detail page (``filled``: any detail field was read)."""
        if self.auto and static:
            wants = self.detail_selectors or (via_api and self.api_detail)
            if state == "ok" and not filled and wants and not rechecked:
                # None of the detail fields (static page or endpoint): the JSON endpoint if
                # configured and not tried, else the browser, for detail pages from now on.
                if via_api:  # the endpoint had nothing: the browser, if it can read one
                    render = "browser" if self.detail_selectors else None
                    if render:
                        self.decide("detail", render, f"{url} answered none of its fields")
                else:
                    render = self.fallback("detail", f"static {url} had none of its fields")
                    if render == "browser" and not self.detail_selectors:
                        render = None  # no selectors for a browser page: keep the search's
                if render:
                    return DetailStep(RETRY, render)
            if filled and via_api:
                self.found["api"]["detail"] = True
            elif filled:
                self.decide("detail", "http", "static detail pages have their fields", first=True)
        elif filled:
            self.found["browser"]["detail"] = True
        return DetailStep(READ)
