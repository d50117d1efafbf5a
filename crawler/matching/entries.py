"""The entries of a lexicon: taxa and terms (``crawler.matching.lexicon`` reads them).

Their own module so that ``lexicon`` (terms per language, seeds, the cache) and ``taxa``
(``taxa.csv``) share them without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields


@dataclass(frozen=True)
class Taxon:
    """A CITES-listed taxon; ``id`` is its scientific name."""

    id: str
    scientific_name: str
    common_name: str | None
    cites_appendix: str | None
    taxon_group: str
    synonyms: tuple[str, ...]
    source: str
    rank: str = "species"
    common_names: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)

    def __reduce__(self):
        return _rebuild, (Taxon, *map(self.__getattribute__, _TAXON_FIELDS))


@dataclass(frozen=True)
class Term:
    """One lexicon entry; ``id`` is ``lang:kind:term`` and stable across versions."""

    id: str
    term: str
    lang: str
    kind: str
    taxon_id: str | None
    product: str | None
    source: str
    role: str | None = None
    weight: float | None = None
    variants: tuple[str, ...] = ()
    path: str | None = None
    line: int | None = None
    # A negative whose term names another wild species or its product ("tiger shark"
    # cancels the tiger, "mammoth ivory" the elephant): the matcher treats it as any
    # negative, but it is no example of "not wildlife" (``train.lexicon_records``).
    wild: bool = False

    def __reduce__(self):
        return _rebuild, (Term, *map(self.__getattribute__, _TERM_FIELDS))


def _rebuild(cls, *values):
    """Unpickle from the field values: ~35,000 objects of the lexicon cache load faster and
    smaller than with pickle's default (a state dict per object, kept until the load ends).
    The instance's dict is filled directly: a frozen dataclass's ``__init__`` sets each field
    through ``object.__setattr__`` (58 -> 39 ms for the whole lexicon)."""
    obj = _new_object(cls)
    obj.__dict__.update(zip(_FIELDS[cls], values))
    return obj


_new_object = object.__new__


_TAXON_FIELDS = tuple(f.name for f in fields(Taxon))
_TERM_FIELDS = tuple(f.name for f in fields(Term))
_FIELDS = {Taxon: _TAXON_FIELDS, Term: _TERM_FIELDS}
