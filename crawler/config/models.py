"""The typed models of a marketplace config (pydantic), and their own checks.

Loading a file into them, with the line of every mistake: ``crawler.config.loading``.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Literal

import jmespath
from jmespath.exceptions import JMESPathError
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from crawler.store.schema import FIELD_NAMES


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldSpec(_Model):
    """How to read one field: a CSS or XPath selector (or JMESPath for JSON), optional regex."""

    css: str | None = None
    xpath: str | None = None
    path: str | None = None  # JMESPath, for JSON sources
    regex: str | None = None
    default: str | None = None

    @model_validator(mode="after")
    def _one_source(self) -> FieldSpec:
        if sum(x is not None for x in (self.css, self.xpath, self.path)) > 1:
            raise ValueError("give only one of css, xpath, path")
        if self.path is not None:
            _check_jmespath(self.path)
        if self.regex is not None:
            try:
                re.compile(self.regex)
            except re.error as exc:
                raise ValueError(f"regex {self.regex!r} does not compile: {exc}") from None
        return self


def _check_jmespath(expression: str) -> str:
    """A JMESPath expression that compiles, else a ValueError saying why."""
    try:
        jmespath.compile(expression)
    except JMESPathError as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        reason = reason.split(", for expression")[0].removeprefix("Invalid jmespath expression: ")
        reason = reason.rstrip(":")
        raise ValueError(f"JMESPath {expression!r} does not parse ({reason})") from None
    return expression


def _field_spec(value: Any, *, json: bool = False) -> Any:
    """A bare string is shorthand for a selector (CSS, or ``xpath:``-prefixed)."""
    if isinstance(value, str):
        if json:
            return {"path": value}
        if value.startswith("xpath:"):
            return {"xpath": value[len("xpath:") :]}
        return {"css": value}
    return value


def _check_fields(fields: dict[str, Any], *, json: bool = False) -> dict[str, Any]:
    unknown = sorted(set(fields) - set(FIELD_NAMES))
    if unknown:
        raise ValueError(f"unknown field {unknown[0]!r}; fields are: {', '.join(FIELD_NAMES)}")
    return {k: _field_spec(v, json=json) for k, v in fields.items()}


class JsonSource(_Model):
    """Listings read from JSON: an embedded script blob or the JSON response body."""

    source: str = "response"  # "response" or a selector giving JSON text
    items: str  # JMESPath to the list of items
    fields: dict[str, FieldSpec]

    @field_validator("fields", mode="before")
    @classmethod
    def _fields(cls, v: Any) -> Any:
        return _check_fields(v, json=True) if isinstance(v, dict) else v


class ListingsSpec(_Model):
    item: str | None = None
    fields: dict[str, FieldSpec] = Field(default_factory=dict)
    item_id_regex: str | None = None
    json_: JsonSource | None = Field(default=None, alias="json")

    @field_validator("fields", mode="before")
    @classmethod
    def _fields(cls, v: Any) -> Any:
        return _check_fields(v) if isinstance(v, dict) else v

    @model_validator(mode="after")
    def _complete(self) -> ListingsSpec:
        if self.json_ is None:
            if not self.item:
                raise ValueError("needs 'item' (the selector of one listing) or 'json'")
            fields = self.fields
        else:
            fields = self.json_.fields
        for required in ("url", "title"):
            if required not in fields:
                raise ValueError(f"fields must include {required!r}")
        if "item_id" not in fields and not self.item_id_regex:
            raise ValueError(
                "fields must include 'item_id', or give item_id_regex to take it from url"
            )
        if self.item_id_regex:
            try:
                if re.compile(self.item_id_regex).groups < 1:
                    raise ValueError("item_id_regex needs one (group)")
            except re.error as exc:
                raise ValueError(f"item_id_regex does not compile: {exc}") from None
        return self


class SearchSpec(_Model):
    url: str
    first_page: int = 1
    max_pages: int = Field(default=5, ge=1, le=10_000)
    next_page: str | None = None
    page_size: int | None = (
        None  # listings per page, when the site says (stops early on a short page)
    )
    until: date | None = None  # read back no further than this day (pages by posted_at)

    @field_validator("url")
    @classmethod
    def _has_keyword(cls, v: str) -> str:
        if "{keyword}" not in v:
            raise ValueError("search url template must contain {keyword}")
        try:
            v.format(keyword="x", page=1, offset=0, channel="c")
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(f"search url template has an unknown placeholder: {exc}") from None
        return v


class ChannelSpec(_Model):
    """One public channel a channel source follows (``crawler.config.channels``): its name as
    in its address (``t.me/s/<name>``) and the hints its posts are read with."""

    name: str = Field(pattern=r"^[A-Za-z0-9_]{3,64}$")
    lang: str | None = None
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")


class BrowserSpec(_Model):
    wait_for: str | None = None
    detail_wait_for: str | None = None
    load_more: str | None = None
    scroll: bool = False
    max_rounds: int = Field(default=50, ge=0, le=10_000)
    timeout_ms: int = Field(default=15_000, ge=100)
    block_resources: bool = True  # images, media, fonts, stylesheets
    skip_offscreen: bool = True  # listing cards out of view skip layout (crawler.browser.page_init)


class PageMatcher(_Model):
    status: list[int] = Field(default_factory=list)
    selector: str | None = None
    text: str | None = None


class DetailSpec(_Model):
    fields: dict[str, FieldSpec]

    @field_validator("fields", mode="before")
    @classmethod
    def _fields(cls, v: Any) -> Any:
        return _check_fields(v) if isinstance(v, dict) else v


class Politeness(_Model):
    download_delay: float = Field(default=0.5, ge=0)
    concurrency: int = Field(default=4, ge=1, le=64)
    obey_robots: bool = True
    robots_reason: str | None = None
    download_timeout: float | None = Field(default=None, gt=0)  # seconds; default DOWNLOAD_TIMEOUT
    max_page_mb: float | None = Field(default=None, gt=0)  # bigger pages are dropped, counted

    @model_validator(mode="after")
    def _reason(self) -> Politeness:
        if not self.obey_robots and not (self.robots_reason or "").strip():
            raise ValueError("obey_robots: false needs robots_reason saying why")
        return self


# --- api: read the marketplace's own JSON endpoints (render: api, or captured in the browser) ---

API_SEARCH_PLACEHOLDERS = ("keyword", "page", "offset", "limit")


def _check_template(v: str, required: str, allowed: tuple[str, ...]) -> str:
    if "{" + required + "}" not in v:
        raise ValueError(f"url template must contain {{{required}}}")
    try:
        v.format(**{name: "1" for name in allowed})
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError(
            f"url template has an unknown placeholder: {exc} (known: "
            + ", ".join("{" + a + "}" for a in allowed)
            + ")"
        ) from None
    return v


def _check_json_fields(fields: dict[str, FieldSpec]) -> dict[str, FieldSpec]:
    for name, spec in fields.items():
        if spec.css is not None or spec.xpath is not None:
            raise ValueError(f"{name!r} takes a JMESPath (path:), not css/xpath")
    return fields


def _check_regex(v: str | None) -> str | None:
    if v is not None:
        try:
            re.compile(v)
        except re.error as exc:
            raise ValueError(f"regex {v!r} does not compile: {exc}") from None
    return v


class JsonMatcher(_Model):
    """When a JSON answer means removed, sold or blocked.

    - ``status``: HTTP statuses that mean it (e.g. ``[404, 410]``);
    - ``path``: a JMESPath evaluated on the JSON body; a truthy result means it
      (e.g. ``status == 'sold'``, ``error == 'removed'``).
    Either is enough. Statuses listed here reach the spider instead of being
    dropped as HTTP errors.
    """

    status: list[int] = Field(default_factory=list)
    path: str | None = None

    @field_validator("path")
    @classmethod
    def _path(cls, v: str | None) -> str | None:
        return v and _check_jmespath(v)


class _ApiEndpoint(_Model):
    """What both endpoints share: JSON ``fields`` and a ``capture`` regex."""

    capture: str | None = None

    @field_validator("capture")
    @classmethod
    def _capture(cls, v: str | None) -> str | None:
        return _check_regex(v)

    @field_validator("fields", mode="before", check_fields=False)
    @classmethod
    def _fields(cls, v: Any) -> Any:
        return _check_fields(v, json=True) if isinstance(v, dict) else v


class ApiSearchSpec(_ApiEndpoint):
    """The search endpoint: one JSON page of listings per request.

    - ``url``: template, relative to ``base_url`` or absolute; ``{keyword}``
      (required, URL-quoted), ``{page}`` (``first_page``, +1 per request),
      ``{offset}`` (0, then +``page_size``) and ``{limit}`` (``page_size``);
    - ``page_size``: listings per request; needed by ``{offset}``/``{limit}``;
      a shorter batch ends the keyword;
    - ``items``: JMESPath of the list of listings in the body (e.g. ``items``,
      ``data.results``);
    - ``fields``: JMESPath of each listing field inside one item (a bare string
      is the path; or ``{path, regex, default}``); ``item_id`` and ``title`` are
      required, and ``url`` (the listing's page for people) unless
      ``api.listing_url`` builds it;
    - ``next``: JMESPath of the next request's URL (e.g. ``next``,
      ``links.next``); when given it alone decides paging (null/empty ends it);
    - ``total``: JMESPath of the total number of results: offset/page paging
      stops once that many were requested;
    - ``first_page``: number of the first ``{page}`` (1);
    - ``max_pages``: requests per keyword at most (``--max-pages`` overrides);
    - ``capture``: regex matched against the URLs a browser-rendered page
      fetches, to read their JSON with ``render: browser`` (default: the
      template's path, placeholders as wildcards).
    Without ``next``, and without ``{page}``/``{offset}`` in ``url``, one
    request per keyword is made.
    """

    url: str
    items: str
    fields: dict[str, FieldSpec]
    page_size: int | None = Field(default=None, ge=1)
    next: str | None = None
    total: str | None = None
    first_page: int = 1
    max_pages: int = Field(default=5, ge=1, le=10_000)

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        return _check_template(v, "keyword", API_SEARCH_PLACEHOLDERS)

    @field_validator("items", "next", "total")
    @classmethod
    def _paths(cls, v: str | None) -> str | None:
        return v and _check_jmespath(v)

    @field_validator("fields")
    @classmethod
    def _json_fields(cls, v: dict[str, FieldSpec]) -> dict[str, FieldSpec]:
        _check_json_fields(v)
        for required in ("item_id", "title"):
            if required not in v:
                raise ValueError(f"must include {required!r}")
        return v

    @model_validator(mode="after")
    def _complete(self) -> ApiSearchSpec:
        if ("{offset}" in self.url or "{limit}" in self.url) and not self.page_size:
            raise ValueError("url uses {offset} or {limit}: give page_size")
        return self


class ApiDetailSpec(_ApiEndpoint):
    """The endpoint of one listing: ``url`` template with ``{item_id}`` (e.g.
    ``/api/item/{item_id}``), ``fields`` as JMESPaths into its body (they
    overwrite what the search gave), and ``capture`` as for ``api.search``."""

    url: str
    fields: dict[str, FieldSpec] = Field(default_factory=dict)

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        return _check_template(v, "item_id", ("item_id",))

    @field_validator("fields")
    @classmethod
    def _json_fields(cls, v: dict[str, FieldSpec]) -> dict[str, FieldSpec]:
        return _check_json_fields(v)


class ApiSpec(_Model):
    """Where the marketplace's pages load their listings from (JSON), and how to read it.

    Used by ``render: api`` (the spider calls the endpoints over plain HTTP, no
    browser) and by ``render: browser``/``auto`` (the browser loads the pages for
    people; the spider reads the JSON those pages received, and falls back to
    the DOM when none was seen).

    - ``search``: the search endpoint (``ApiSearchSpec``);
    - ``detail``: the endpoint of one listing (``ApiDetailSpec``), optional;
    - ``listing_url``: template of a listing's page for people, from
      ``{item_id}`` (e.g. ``/item/{item_id}``), when the JSON has no such URL;
      the stored ``url`` is always that page, never the API's;
    - ``removed``, ``sold``, ``blocked``: ``JsonMatcher``s for answers of the
      endpoints (404/410 always mean removed).
    """

    search: ApiSearchSpec
    detail: ApiDetailSpec | None = None
    listing_url: str | None = None
    removed: JsonMatcher | None = None
    sold: JsonMatcher | None = None
    blocked: JsonMatcher | None = None

    @field_validator("listing_url")
    @classmethod
    def _listing_url(cls, v: str | None) -> str | None:
        return v and _check_template(v, "item_id", ("item_id",))

    @model_validator(mode="after")
    def _has_url(self) -> ApiSpec:
        if "url" not in self.search.fields and not self.listing_url:
            raise ValueError(
                "search.fields must include 'url' (the listing's page), or give listing_url"
            )
        return self


def render_problem(render: str, has_api: bool, has_listings: bool) -> tuple[str, str] | None:
    """(key to blame, message) when ``render`` and the sections given do not fit together."""
    if render == "http" and has_api:
        return "api", (
            "render: http never reads the 'api' section: use render: api "
            "(or browser/auto), or remove 'api'"
        )
    if render == "api" and not has_api:
        return "render", "render: api needs an 'api' section (the JSON endpoints)"
    if render != "api" and not has_listings:
        return "", "missing required key 'listings' (only render: api can do without it)"
    return None


class MarketplaceConfig(_Model):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    base_url: str = Field(pattern=r"^https?://")
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    languages: list[str] = Field(default_factory=lambda: ["en"], min_length=1)
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    locale: str | None = None
    render: Literal["http", "browser", "auto", "api"] = "http"
    encoding: str | None = None
    search: SearchSpec
    browser: BrowserSpec = Field(default_factory=BrowserSpec)
    listings: ListingsSpec | None = None  # required unless render: api
    api: ApiSpec | None = None
    detail: DetailSpec | None = None
    removed: PageMatcher | None = None
    sold: PageMatcher | None = None
    blocked: PageMatcher | None = None
    politeness: Politeness = Field(default_factory=Politeness)
    # A channel source (docs/channels.md): the channels searched, each with {channel} in
    # search.url, and the page a vanished post is re-checked on ({url}, {item_id}).
    channels: list[ChannelSpec] | None = Field(default=None, min_length=1)
    recheck_url: str | None = None
    source_file: str | None = Field(default=None, exclude=True)

    @model_validator(mode="after")
    def _render_needs(self) -> MarketplaceConfig:
        problem = render_problem(self.render, self.api is not None, self.listings is not None)
        if problem:
            raise ValueError(problem[1])
        if ("{channel}" in self.search.url) != bool(self.channels):
            raise ValueError("search.url has {channel} exactly when 'channels' lists channels")
        return self

    @property
    def language(self) -> str:
        return self.languages[0]

    def with_max_pages(self, max_pages: int) -> MarketplaceConfig:
        """The same marketplace with another page limit per keyword (search and api search)."""
        update: dict = {"search": self.search.model_copy(update={"max_pages": max_pages})}
        if self.api is not None:
            update["api"] = self.api.model_copy(
                update={"search": self.api.search.model_copy(update={"max_pages": max_pages})}
            )
        return self.model_copy(update=update)

    def with_base_url(self, base_url: str) -> MarketplaceConfig:
        """The same marketplace served elsewhere (demo ports, a saved-page server)."""
        return self.model_copy(update={"base_url": base_url.rstrip("/")})

    def search_url(self, keyword: str, page: int, channel: str = "") -> str:
        from urllib.parse import quote, urljoin

        filled = self.search.url.format(
            channel=channel,
            keyword=quote(keyword),
            page=page,
            offset=(page - self.search.first_page) * (self.search.page_size or 0),
        )
        return urljoin(self.base_url + "/", filled)
