"""Link rules of the second generation: pet given names, generic nouns of names.

Registered beside :mod:`kg.link.rules` (which lists them) and kept apart
from it by size:

- ``kg.link.conflict.given-name.v2`` and ``kg.link.person-variant.v2``: as
  v1, reading a pet form as the given name it stands for ("Maggie" is a
  form of "Margaret", so compatible with "Peggy");
- ``kg.link.generic-core.v1``: two names of a body or a building that are
  one once their generic nouns are set aside ("X Ford Center", "X Ford
  Treatment Center", "X Ford Clinic");
- ``kg.link.conflict.class.v2`` and ``kg.link.surname.v2``: a one-word
  name tagged as a group (a nationality) that is the surname of a person
  named in full ("Roe" beside "Ann Roe", :func:`surname_group`), a
  tagger's mistake, may name that person.
"""

from __future__ import annotations

from collections.abc import Sequence

from kg.lexicon import class_nouns, load_words
from kg.link.rules import (
    ConflictRule,
    NameRule,
    _either,
    _first,
    _given_compatible,
    _person_like,
    _without_generation,
    register_rule,
)
from kg.link.summary import EntitySummary

__all__ = ["given_compatible", "surname_group"]

_GROUP = "Group"
_PERSON = "Person"
_BODIES = frozenset({"Organization", "Facility", "Thing"})


def given_compatible(x: str, y: str) -> bool:
    """Tell given names of one person, a pet form read as its given name too.

    Examples
    --------
    >>> given_compatible("maggie", "peggy"), given_compatible("ann", "tom")
    (True, False)
    """
    if _given_compatible(x, y):
        return True
    from kg.coref.names import canonical_given

    cx, cy = canonical_given(x), canonical_given(y)
    return (cx, cy) != (x, y) and _given_compatible(cx, cy)


def _givens(x: Sequence[str], y: Sequence[str]) -> bool:
    return any(given_compatible(g, h) for g in x[:-1] for h in y[:-1])


def _same_surname(a: EntitySummary, b: EntitySummary) -> tuple[list[str], list[str]]:
    """Both people's full names without a generation mark, or empty lists."""
    if not (_person_like(a) and _person_like(b)):
        return [], []
    x, y = _without_generation(_first(a)), _without_generation(_first(b))
    if len(x) < 2 or len(y) < 2 or x[-1] != y[-1]:
        return [], []
    return x, y


@register_rule("kg.link.conflict.given-name.v2")
def make_given_name_conflict() -> ConflictRule:
    """Keep apart two people with one surname and given names of two people.

    As ``kg.link.conflict.given-name.v1``; a pet form stands for its given
    name.

    Examples
    --------
    >>> from kg.link.summary import EntitySummary as S
    >>> rule = make_given_name_conflict()
    >>> rule(S("a", "x", "Person", "Ann Roe", ("ann roe",)),
    ...      S("b", "y", "Person", "Tom Roe", ("tom roe",)))
    True
    >>> rule(S("a", "x", "Person", "Maggie Roe", ("maggie roe",)),
    ...      S("b", "y", "Person", "Peggy Roe", ("peggy roe",)))
    False
    """

    def conflict(a: EntitySummary, b: EntitySummary) -> bool:
        x, y = _same_surname(a, b)
        return bool(x) and not _givens(x, y)

    return conflict


@register_rule("kg.link.person-variant.v2")
def make_person_variant_rule() -> NameRule:
    """Score two full names of one person: one surname, compatible given names.

    As ``kg.link.person-variant.v1`` (0.8 for one given name, else 0.75);
    a pet form stands for its given name ("Bill Roe" and "William Roe").

    Examples
    --------
    >>> from kg.link.summary import EntitySummary as S
    >>> rule = make_person_variant_rule()
    >>> rule(S("a", "x", "Person", "Bill Roe", ("bill roe",)),
    ...      S("b", "y", "Person", "William Roe", ("william roe",)))
    0.75
    """

    def rule(a: EntitySummary, b: EntitySummary) -> float | None:
        x, y = _same_surname(a, b)
        if not x:
            return None
        if x[0] == y[0]:
            return 0.8
        return 0.75 if _givens(x, y) else None

    return rule


def _is_subsequence(short: Sequence[str], long: Sequence[str]) -> bool:
    it = iter(long)
    return all(w in it for w in short)


@register_rule("kg.link.generic-core.v1")
def make_generic_core_rule() -> NameRule:
    """Score a body's name and the same name with more generic words.

    "Arden Lake Center" and "Arden Lake Treatment Center", "Arden" and
    "Arden Treatment Center": the longer name is the shorter with generic
    nouns of organisations and facilities, or their modifiers, added
    (``link-generic-name-words``; not a building's noun: "X Store" is a
    shop of X). 0.7 when the shorter has two words or
    more, else 0.55 (as a short name). Not for places (their generic nouns
    tell places apart: "X River", "X County") or people; two different
    generic nouns ("X College", "X University") are no match.

    Examples
    --------
    >>> from kg.link.summary import EntitySummary as S
    >>> rule = make_generic_core_rule()
    >>> rule(S("a", "x", "Organization", "Arden Lake Center", ("arden lake center",)),
    ...      S("b", "y", "Organization", "Arden Lake Treatment Center",
    ...        ("arden lake treatment center",)))
    0.7
    >>> rule(S("a", "x", "Organization", "Arden College", ("arden college",)),
    ...      S("b", "y", "Organization", "Arden University", ("arden university",)))
    """

    def one_way(a: EntitySummary, b: EntitySummary) -> float | None:
        if not {a.label, b.label} <= _BODIES or _person_like(a) or _person_like(b):
            return None
        x, y = _first(a), _first(b)
        if len(x) >= len(y) or not _is_subsequence(x, y):
            return None
        generic = class_nouns("Organization") | load_words("link-generic-name-words")
        extra = list(y)
        for w in x:
            extra.remove(w)
        if not all(w in generic for w in extra):
            return None
        if y[0] != x[0]:
            return None  # the name leads both: "X Center", not "Center of X"
        return 0.7 if len(x) > 1 else 0.55

    return _either(one_way)


@register_rule("kg.link.surname.v2")
def make_surname_rule() -> NameRule:
    """Score a person called by surname only against one named in full: 0.6.

    As ``kg.link.surname.v1``; the surname may also be tagged as a group
    (:func:`surname_group`), whatever its votes.

    Examples
    --------
    >>> from kg.link.summary import EntitySummary as S
    >>> make_surname_rule()(S("a", "x", "Group", "Varnik", ("varnik",), votes=3),
    ...                     S("b", "y", "Person", "Ivo Varnik", ("ivo varnik",)))
    0.6
    """
    from kg.link.rules import make_surname_rule as v1

    first = v1()

    def rule(a: EntitySummary, b: EntitySummary) -> float | None:
        found = first(a, b)
        if found is None and (surname_group(a, b) or surname_group(b, a)):
            return 0.6
        return found

    return rule


@register_rule("kg.link.conflict.class.v2")
def make_class_conflict() -> ConflictRule:
    """Keep apart two entities whose classes cannot name one thing.

    As ``kg.link.conflict.class.v1``; a one-word name tagged as a group
    that is the surname of a person named in full (:func:`surname_group`)
    may name that person.

    Examples
    --------
    >>> from kg.link.summary import EntitySummary as S
    >>> rule = make_class_conflict()
    >>> rule(S("a", "x", "Group", "Varnik", ("varnik",), votes=3),
    ...      S("b", "y", "Person", "Ivo Varnik", ("ivo varnik",), votes=2))
    False
    >>> rule(S("a", "x", "Group", "Varnik", ("varnik",), votes=3),
    ...      S("b", "y", "Place", "Varnik", ("varnik",), votes=2))
    True
    """
    from kg.link.rules import make_class_conflict as v1

    first = v1()

    def conflict(a: EntitySummary, b: EntitySummary) -> bool:
        return first(a, b) and not (surname_group(a, b) or surname_group(b, a))

    return conflict


def surname_group(group: EntitySummary, person: EntitySummary) -> bool:
    """Tell a one-word name tagged as a group that is a person's surname.

    A tagger reads an uncommon surname as a nationality ("Roe" beside "Ann
    Roe", both in one corpus); a nationality's word has no given name
    before it in a person's name.

    Examples
    --------
    >>> from kg.link.summary import EntitySummary as S
    >>> surname_group(S("a", "x", "Group", "Varnik", ("varnik",)),
    ...               S("b", "y", "Person", "Ivo Varnik", ("ivo varnik",)))
    True
    """
    x, y = _first(group), _without_generation(_first(person))
    return (
        group.label == _GROUP
        and person.label == _PERSON
        and len(x) == 1
        and len(y) > 1
        and y[-1] == x[0]
    )
