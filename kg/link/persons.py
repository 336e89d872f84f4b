"""Link rules for people's names written other ways: titles, run-on, given name.

Registered beside :mod:`kg.link.rules` (which lists them), third generation
after :mod:`kg.link.variants`. A document may leave a person's class open
(``Thing``) while the tagger read the name as a person's (an NER label
``PERSON`` on a name mention): such an entity is *person-named*
(:func:`person_named`) and these rules treat it as a person.

- ``kg.link.person-variant.v3`` and ``kg.link.surname.v3``: as v2, a
  person-named entity counted as a person ("Ann Q. Roe" left a Thing in one
  document, "Ann Roe" a person in another);
- ``kg.link.titled-name.v1``: a full name with a role or office written
  before it as a title ("Coroner Ann Roe", "GM Tom Roe") and the name alone;
- ``kg.link.name-run-on.v1``: a person's full name and the same name run on
  into words that are no name (a headline's verb: "Ann Roe Returns");
- ``kg.link.given-name.v1``: a person called by given name only ("Ann")
  and one named in full ("Ann Roe"), weak: it links only when the two
  documents share context too.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from kg.lexicon import load_words
from kg.link.rules import (
    NameRule,
    _either,
    _first,
    _person_like,
    _without_generation,
    register_rule,
)
from kg.link.summary import EntitySummary
from kg.link.variants import given_compatible

__all__ = ["person_named"]

_PERSON = "Person"
_THING = "Thing"
_PERSON_LABEL = "PERSON"


def person_named(s: EntitySummary) -> bool:
    """Tell a person, or a ``Thing`` whose name the tagger read as a person's.

    Examples
    --------
    >>> from kg.link.summary import EntitySummary as S
    >>> person_named(S("a", "x", "Thing", "Ada Roe", ("ada roe",), labels=("PERSON",)))
    True
    >>> person_named(S("a", "x", "Place", "Arden", ("arden",), labels=("PERSON",)))
    False
    """
    return _person_like(s) or (s.label == _THING and _PERSON_LABEL in s.labels)


@functools.cache
def _roles() -> frozenset[str]:
    from kg.coref.words import HONORIFICS, OFFICE_TITLES
    from kg.mentions.lexicons import PERSON_NOUNS

    return HONORIFICS | OFFICE_TITLES | PERSON_NOUNS | load_words("link-name-roles")


def _is_given(word: str) -> bool:
    from kg.coref.names import is_given

    return is_given(word)


def _full(s: EntitySummary) -> list[str]:
    """Return a person-named entity's name words without a generation mark, or []."""
    if not person_named(s):
        return []
    words = _without_generation(_first(s))
    return words if len(words) >= 2 else []


def _same_person_name(x: Sequence[str], y: Sequence[str]) -> float | None:
    """Score two full names of one person: 0.8 one given name, 0.75 compatible ones."""
    if len(x) < 2 or len(y) < 2 or x[-1] != y[-1]:
        return None
    if x[0] == y[0]:
        return 0.8
    givens = any(given_compatible(g, h) for g in x[:-1] for h in y[:-1])
    return 0.75 if givens else None


@register_rule("kg.link.person-variant.v3")
def make_person_variant_rule() -> NameRule:
    """Score two full names of one person, a person-named ``Thing`` counted.

    As ``kg.link.person-variant.v2``: one surname and compatible given
    names, 0.8 when the first given names are equal, else 0.75.

    Examples
    --------
    >>> from kg.link.summary import EntitySummary as S
    >>> rule = make_person_variant_rule()
    >>> rule(S("a", "x", "Thing", "Ada Q. Roe", ("ada q roe",), labels=("PERSON",)),
    ...      S("b", "y", "Person", "Ada Roe", ("ada roe",)))
    0.8
    >>> rule(S("a", "x", "Thing", "Ada Q. Roe", ("ada q roe",)),
    ...      S("b", "y", "Person", "Ada Roe", ("ada roe",))) is None
    True
    """

    def rule(a: EntitySummary, b: EntitySummary) -> float | None:
        x, y = _full(a), _full(b)
        return _same_person_name(x, y) if x and y else None

    return rule


@register_rule("kg.link.surname.v3")
def make_surname_rule() -> NameRule:
    """Score a surname alone against a person named in full: 0.6.

    As ``kg.link.surname.v2``; the one named in full may be a
    person-named ``Thing``.

    Examples
    --------
    >>> from kg.link.summary import EntitySummary as S
    >>> make_surname_rule()(S("a", "x", "Person", "Roe", ("roe",)),
    ...                     S("b", "y", "Thing", "Ada Roe", ("ada roe",),
    ...                       labels=("PERSON",)))
    0.6
    """
    from kg.link.variants import make_surname_rule as v2

    second = v2()

    def one_way(a: EntitySummary, b: EntitySummary) -> float | None:
        found = second(a, b)
        if found is not None or b.label != _THING or len(_first(a)) != 1:
            return found
        words = _full(b)
        if words and person_named(a) and _first(a)[0] == words[-1]:
            return 0.6
        return None

    return _either(one_way)


def _untitled(words: Sequence[str]) -> list[str]:
    """Take role words written as titles off the front of a name of 3+ words."""
    roles = _roles()
    k = 0
    while len(words) - k > 2 and words[k].rstrip(".") in roles:
        k += 1
    return list(words[k:]) if k else []


@register_rule("kg.link.titled-name.v1")
def make_titled_name_rule() -> NameRule:
    """Score a person's full name with a role written as a title, and without.

    "Coroner Ada Roe" (a ``Thing`` the tagger read as a person, or whose
    name goes on with a known given name) and "Ada Roe": the role words
    (honorifics, titles of office, person nouns, ``link-name-roles``)
    before a name of two words or more are set aside;
    the rest is the other name (0.85) or another full name of that person
    (as ``kg.link.person-variant.v3``).

    Examples
    --------
    >>> from kg.link.summary import EntitySummary as S
    >>> rule = make_titled_name_rule()
    >>> rule(S("a", "x", "Thing", "Coroner Ada Roe", ("coroner ada roe",),
    ...        labels=("PERSON",)),
    ...      S("b", "y", "Person", "Ada Roe", ("ada roe",)))
    0.85
    >>> rule(S("a", "x", "Thing", "Arden Ada Roe", ("arden ada roe",),
    ...        labels=("PERSON",)),
    ...      S("b", "y", "Person", "Ada Roe", ("ada roe",))) is None
    True
    """

    def one_way(a: EntitySummary, b: EntitySummary) -> float | None:
        y = _full(b)
        if not y or a.label not in {_PERSON, _THING}:
            return None
        bare = _untitled(_without_generation(_first(a)))
        if not bare or not (person_named(a) or _is_given(bare[0])):
            return None
        if bare == _untitled(y) or bare == y:
            return 0.85
        return _same_person_name(bare, _untitled(y) or y)

    return _either(one_way)


@register_rule("kg.link.name-run-on.v1")
def make_name_run_on_rule() -> NameRule:
    """Score a person's full name and the name run on into words that are no name.

    "Ada Roe" and "Ada Roe Returns" (a headline's verb read into the name):
    the shorter opens with a known given name and is two or three words;
    the longer adds one or two words, none a given name, a role word or a
    generation mark, and both are person-named. 0.65.

    Examples
    --------
    >>> from kg.link.summary import EntitySummary as S
    >>> rule = make_name_run_on_rule()
    >>> rule(S("a", "x", "Person", "Ada Roe", ("ada roe",)),
    ...      S("b", "y", "Person", "Ada Roe Returns", ("ada roe returns",)))
    0.65
    >>> rule(S("a", "x", "Person", "Ada Roe", ("ada roe",)),
    ...      S("b", "y", "Person", "Ada Roe Tom", ("ada roe tom",))) is None
    True
    """

    def one_way(a: EntitySummary, b: EntitySummary) -> float | None:
        if not (person_named(a) and person_named(b)):
            return None
        x, y = _first(a), _first(b)
        if not 2 <= len(x) <= 3 or not 1 <= len(y) - len(x) <= 2:
            return None
        if y[: len(x)] != x or not _is_given(x[0]) or _is_given(x[-1]):
            return None
        extra = y[len(x) :]
        roles = _roles()
        if any(
            _is_given(w) or w in roles or not w.isalpha() or len(w) < 3 for w in extra
        ):
            return None
        if _without_generation(y) != y:
            return None
        return 0.65

    return _either(one_way)


@register_rule("kg.link.given-name.v1")
def make_given_name_rule() -> NameRule:
    """Score a person called by a given name alone against one named in full: 0.5.

    "Ada" and "Ada Roe" (or "Addie" and "Adelaide Roe"): the one word is a
    known given name and the full name's first word is that given name.
    Weak: below the threshold on its own, it links when context (shared
    entities, words, dates) adds to it.

    Examples
    --------
    >>> from kg.link.summary import EntitySummary as S
    >>> rule = make_given_name_rule()
    >>> rule(S("a", "x", "Person", "Ada", ("ada",)),
    ...      S("b", "y", "Person", "Ada Roe", ("ada roe",)))
    0.5
    >>> rule(S("a", "x", "Person", "Roe", ("roe",)),
    ...      S("b", "y", "Person", "Ada Roe", ("ada roe",))) is None
    True
    """

    def one_way(a: EntitySummary, b: EntitySummary) -> float | None:
        x, y = _first(a), _full(b)
        if len(x) != 1 or not y or not person_named(a) or b.label != _PERSON:
            return None
        if not _is_given(x[0]) or not given_compatible(x[0], y[0]):
            return None
        return 0.5

    return _either(one_way)
