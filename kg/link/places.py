"""Other names of one place: a state's abbreviation, a country's everyday name.

Registered beside :mod:`kg.link.rules` (which lists it):
``kg.link.place-name.v1`` matches two places whose names a lexicon gives
as names of one place: a US state and its abbreviation ("Calif." and
"California", "CA" written in capitals; ``us-state-abbreviations``), a
country's everyday and formal names ("America", "U.S." and "United States";
``coref-country-names``). :func:`place_names` gives the map step the
formal names, so an abbreviation shares the full name's block key.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from kg.lexicon import load_mapping
from kg.link.rules import ConflictRule, NameRule, register_rule
from kg.link.summary import PLACE_CLASSES, EntitySummary

__all__ = ["place_names"]


@functools.cache
def _other_names() -> tuple[dict[str, str], dict[str, str]]:
    """Return (names any case may match, codes only written in capitals) -> name."""
    anycase: dict[str, str] = {}
    capitals: dict[str, str] = {}
    for key, state in load_mapping("us-state-abbreviations").items():
        target = capitals if key.isupper() else anycase
        target[key.casefold()] = state
    for name, formal in load_mapping("coref-country-names").items():
        if name != formal:
            anycase[name] = formal
    return anycase, capitals


def place_names(forms: Iterable[str], written: Iterable[str] = ()) -> frozenset[str]:
    """Return the full names a lexicon gives for a place's name forms.

    Examples
    --------
    >>> sorted(place_names(["calif"])), sorted(place_names(["ca"]))
    (['california'], [])
    >>> sorted(place_names(["ca"], ["ca"])), sorted(place_names(["america"]))
    (['california'], ['united states'])
    """
    anycase, capitals = _other_names()
    caps = set(written)
    out = set()
    for form in forms:
        full = anycase.get(form) or (capitals.get(form) if form in caps else None)
        if full is not None:
            out.add(full)
    return frozenset(out)


@register_rule("kg.link.place-name.v1")
def make_place_name_rule() -> NameRule:
    """Score two names a lexicon gives for one place: 0.85.

    Both are places; a name form of one is the full name the lexicon gives
    for a form of the other, or both forms give one full name.

    Examples
    --------
    >>> from kg.link.summary import EntitySummary as S
    >>> rule = make_place_name_rule()
    >>> rule(S("a", "x", "Place", "Calif.", ("calif",)),
    ...      S("b", "y", "Place", "California", ("california",)))
    0.85
    >>> rule(S("a", "x", "Person", "Calif.", ("calif",)),
    ...      S("b", "y", "Place", "California", ("california",))) is None
    True
    """

    def rule(a: EntitySummary, b: EntitySummary) -> float | None:
        if a.label not in PLACE_CLASSES or b.label not in PLACE_CLASSES:
            return None
        x = place_names(a.forms, a.written) | set(a.forms)
        y = place_names(b.forms, b.written) | set(b.forms)
        return 0.85 if x & y else None

    return rule


#: Known-name classes (``kgo:knownName`` in ``ontology/places.ttl``) whose
#: names name that one thing only: a country, a nationality, a continent.
_KNOWN_PLACE_CLASSES = frozenset({"Country", "Nationality", "Continent"})


@functools.cache
def _known_class(name: str) -> str | None:
    from kg.ontology import load_ontology

    found = load_ontology().class_for_name(name)
    return found if found in _KNOWN_PLACE_CLASSES else None


@register_rule("kg.link.conflict.known-name.v1")
def make_known_name_conflict() -> ConflictRule:
    """Keep a country's, nationality's or continent's known name off other names.

    "France" is not "France Transfo", "French" not "Vivian French": a name
    the ontology knows as a country, nationality or continent is one with
    another entity only when that one's name is known too (the place-name
    and alias rules decide which) or when the other has the same name form.

    Examples
    --------
    >>> from kg.link.summary import EntitySummary as S
    >>> rule = make_known_name_conflict()
    >>> rule(S("a", "x", "Nationality", "French", ("french",)),
    ...      S("b", "y", "Person", "Ivo French", ("ivo french",)))
    True
    >>> rule(S("a", "x", "Country", "France", ("france",)),
    ...      S("b", "y", "Place", "France", ("france",)))
    False
    """

    def one_way(a: EntitySummary, b: EntitySummary) -> bool:
        if _known_class(a.name) is None or _known_class(b.name) is not None:
            return False
        return not set(a.forms) & set(b.forms)

    def conflict(a: EntitySummary, b: EntitySummary) -> bool:
        return one_way(a, b) or one_way(b, a)

    return conflict
