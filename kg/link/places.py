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
from kg.link.rules import NameRule, register_rule
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
