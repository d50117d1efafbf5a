"""The relevance model on listings read by their title alone (``evaluate_model --titles-only``).

Many marketplace exports and search-result pages carry a title and nothing else. The model is
trained as always (title and description); every test listing is then scored a second time
with its description removed: the text features, the lexicon's match and so the risk the
flag rule reads all come from the title alone. Each fitted model scores both readings, so the
figures with descriptions are those of a run without ``--titles-only``, and the thresholds are
the same (chosen on the other folds' or sources' predictions with descriptions, as the
default model's are).
"""

from __future__ import annotations

from collections.abc import Sequence

from crawler.matching import train as T
from crawler.matching.matcher import Matcher
from crawler.matching.training_data import without_descriptions


def titles_view(records: Sequence[dict], matcher: Matcher) -> T.Prepared:
    """``records`` prepared as their titles alone (for scoring only: no pseudo-listings)."""
    return T.Prepared(without_descriptions(records), matcher, pseudo=False)
