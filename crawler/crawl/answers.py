"""Reading what a page answered: the body's text, the JSON a browser page captured, an
endpoint's answer, a results page's listings, a detail page's fields and state, a
re-check's state. Counts go to the ``stats`` passed in, notes to ``logger``."""

from __future__ import annotations

import sqlite3

from crawler.browser import api_capture
from crawler.config import channels
from crawler.crawl.requests import DOM_META, link_problem
from crawler.extract.listings import PageListings, extract_detail, extract_listings, page_state
from crawler.fetch import api
from crawler.store import history

DOM_NEEDED = "dom needed"  # a detail page read from its JSON must be rendered after all


def text(config, response) -> str:
    if config.encoding:
        return response.body.decode(config.encoding, errors="replace")
    return response.text


def captured_json(config, response, kind: str, stats, logger):
    """The JSON answers a browser page of ``kind`` received from the configured endpoint,
    as (url, status, data); None (counted) when the DOM must be read instead: no
    matching answer seen, or one that failed, timed out or was not JSON."""
    if not (response.meta.get("playwright") and response.meta.get(api_capture.CAPTURE_META)):
        return None
    answers = api_capture.captured(response) or []
    docs, problem = [], None if answers else "no matching JSON answer seen"
    for answer in answers:
        if "error" in answer:
            problem = f"{answer['url']}: {answer['error']}"
            break
        data, err = api_capture.answer_json(answer)
        if err is not None:
            problem = f"{answer['url']}: {err}"
            break
        state = api.api_state(config, answer["status"], data)
        if answer["status"] >= 400 and state == "ok":
            problem = f"{answer['url']} answered {answer['status']}"
            break
        docs.append((answer["url"], answer["status"], data))
    if problem:
        stats.inc_value(f"wildcrawl/api/dom_fallback/{kind}")
        logger.info("%s: reading the DOM (%s)", response.url, problem)
        return None
    stats.inc_value(f"wildcrawl/api/captured/{kind}")
    stats.inc_value(f"wildcrawl/api/captured_answers/{kind}", len(docs))
    return docs


def results_found(config, response, body: str, stats, logger):
    """(page state, listings, JSON data of an api answer or None) of a results response."""
    if response.meta.get("api"):
        data, err = api.parse_json(body)
        if err is not None:
            state = page_state(config, response.status, body)
            return state, PageListings(error=f"{err}" if state == "ok" else None), None
        if api.api_state(config, response.status, data) == "blocked":
            return "blocked", PageListings(), data
        return "ok", api.api_listings(config, data, response.url), data
    state = page_state(config, response.status, body)
    if state == "blocked":
        return state, PageListings(), None
    # An auto check reads the DOM: it asks whether the endpoint's reading is what is wrong.
    check = response.meta.get("auto_check")
    docs = None
    if config.api and not check:
        docs = captured_json(config, response, "results", stats, logger)
    if docs is None:
        return state, extract_listings(config, body, response.url), None
    found, ids = PageListings(), set()
    for url, status, data in docs:
        if api.api_state(config, status, data) == "blocked":
            return "blocked", PageListings(), None
        batch = api.api_listings(config, data, url)
        found.error = found.error or batch.error
        for key, count in batch.missing.items():
            found.missing[key] = found.missing.get(key, 0) + count
        for raw in batch.listings:
            if raw["item_id"] not in ids:  # a batch the page fetched twice
                ids.add(raw["item_id"])
                found.listings.append(raw)
    return state, found, None


def detail_answer(config, response, body: str, stats, logger, count: bool = True):
    """(page state, detail fields) of a detail page, endpoint answer or captured JSON;
    the state is :data:`DOM_NEEDED` when the page must be fetched again, its DOM awaited."""
    if response.meta.get("api"):
        data, err = api.parse_json(body)
        if err is None:
            return (
                api.api_state(config, response.status, data),
                api.api_detail(config, data, response.url),
            )
        state = page_state(config, response.status, body)
        if state == "ok" and count:
            stats.inc_value("wildcrawl/errors/extraction")
            logger.warning("%s: %s", response.url, err)
        return state, {}
    state = page_state(config, response.status, body)
    if state != "blocked" and config.api and count:
        docs = captured_json(config, response, "detail", stats, logger)
        if docs:
            url, status, data = docs[-1]
            json_state = api.api_state(config, status, data)
            fields = api.api_detail(config, data, url)
            if json_state != "ok" or any(fields.values()):
                return json_state, fields
            # The answer was read but the section's paths found nothing: the DOM.
            if api_capture.SERVED_FLAG in response.flags and not response.meta.get(DOM_META):
                # Not rendered (api_capture.answers_first): the page again, DOM awaited.
                stats.inc_value("wildcrawl/api/dom_refetch/detail")
                return DOM_NEEDED, {}
            stats.inc_value("wildcrawl/api/dom_fallback/detail")
            logger.info("%s: reading the DOM (the api detail fields found nothing)", response.url)
    return state, extract_detail(config, body, response.url)


def recheck_state(config, response, stats, logger) -> str:
    """The state of a listing the searches no longer show, from its re-check's answer."""
    body = text(config, response)
    if response.meta.get("api") or not response.meta.get(api_capture.CAPTURE_META):
        return detail_answer(config, response, body, stats, logger, count=False)[0]
    state = page_state(config, response.status, body)
    if state == "blocked":
        return state
    answers = api_capture.captured(response) or []
    for answer in reversed(answers):  # the page's own answer, if it was read
        if "error" not in answer:
            data, err = api_capture.answer_json(answer)
            if err is None:
                return api.api_state(config, answer["status"], data)
    return state


def listing(config, raw: dict, keyword: str, lang: str, seen_at: str) -> dict:
    """A listing item: what a page gave, with the crawl's and the marketplace's hints (a
    channel source's post: its channel's)."""
    found = {
        **raw,
        "marketplace": config.name,
        "keyword": keyword,
        "lang": lang,
        "seen_at": seen_at,
        "currency_hint": config.currency,
        "locale": config.locale,
        "country_hint": config.country,
    }
    return channels.hints(config, found)


def recheck_rows(
    db_path, config, keywords, crawl_id, seen_ids, stats, links: bool = True
) -> tuple[str | None, list]:
    """(broken-crawl reason, listings to re-check) once the searches are done: the guard of
    ``crawler.store.history`` first (no re-checks when it speaks). With ``links`` (re-checks
    follow each listing's link), listings stored with a link that cannot be followed are
    skipped and counted as bad links."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    try:
        previous = history.previous_counts(conn, config.name, keywords, crawl_id)
        reason = history.broken_reason(
            len(seen_ids),
            previous,
            stats.get_value("wildcrawl/errors/blocked", 0),
            redirect_loops=stats.get_value("wildcrawl/redirect_loop/results", 0),
        )
        if reason:
            return reason, []
        rows = history.recheck_candidates(conn, config.name, keywords, seen_ids)
    finally:
        conn.close()
    if links:
        bad = [row for row in rows if link_problem(row.get("url"), "")]
        if bad:
            stats.inc_value("wildcrawl/errors/bad_link", len(bad))
            rows = [row for row in rows if row not in bad]
    return None, rows


def check_link(listing: dict, page_url: str, stats, logger) -> str | None:
    """Why ``listing``'s link cannot be followed (counted, logged), or None. Such a listing
    is kept with the results page as its url: never a script URL, which Datasette would
    render as a link."""
    problem = link_problem(listing.get("url"), page_url)
    if problem:
        stats.inc_value("wildcrawl/errors/bad_link")
        logger.warning(
            "%s: listing %s has %s (%r): kept as the results page showed it",
            *(page_url, listing.get("item_id"), problem, listing.get("url")),
        )
        listing["url"] = page_url
    return problem
