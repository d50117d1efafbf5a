"""What the matcher returns (``Matcher.match``, ``Matcher.score``): ``MatchResult`` and its
fast constructor, the result of a listing with no lexicon term, the explanation's labels of
what raised a term's weight, and the risk rounded as the explanation writes it (cached: risks
take few distinct values). Part of the matcher's cache key."""

from __future__ import annotations

from dataclasses import dataclass

from crawler.matching.finder import TermMatch
from crawler.matching.words import DEFAULT_WEIGHT


@dataclass(frozen=True)
class MatchResult:
    """Everything found in one listing, the risk score and why."""

    matches: tuple[TermMatch, ...]
    taxa: tuple[str, ...]
    negatives: tuple[TermMatch, ...]
    legality: tuple[TermMatch, ...]
    risk: float
    flagged: bool
    explanation: str


# Setting the instance __dict__ at once gives an object equal to the frozen dataclass's own.
_new_object = object.__new__
_set_dict = MatchResult.__dict__["__dict__"].__set__


def make_result(fields: dict) -> MatchResult:
    made = _new_object(MatchResult)
    _set_dict(made, fields)
    return made


KIND_LABEL = {kind: kind.replace("_", " ") for kind in DEFAULT_WEIGHT}
RAISED = {"part": " + part '{}'", "live": " + live animal '{}'", "context": " + '{}'"}
# Risks take few distinct values (weights, bonuses, factors): round and format each once.
ROUNDED: dict[float, tuple[float, str]] = {}


def round_risk(risk: float) -> tuple[float, str]:
    rounded = round(risk, 3)
    if len(ROUNDED) < 10_000:
        ROUNDED[risk] = (rounded, f"risk {rounded:.2f}")
    return rounded, f"risk {rounded:.2f}"


NOTHING = MatchResult((), (), (), (), 0.0, False, "risk 0.00: no lexicon terms found")
