"""The rules that score two documents' entities as one: registered, versioned.

A pair of :class:`~kg.link.summary.EntitySummary` (from two documents,
sharing a block key) is judged in three steps, each a list of registered
rules applied in order:

1. **conflicts** (:data:`CONFLICT_RULES`): evidence that the two are
   different entities; any one keeps them apart, and keeps apart the
   corpus entities they belong to. Classes that cannot name one thing
   (``kg.link.conflict.class.v2``), a place and the same name with a
   qualifier ("South X" and "X", ``kg.link.conflict.qualifier.v1``), two
   people with one surname and different given names
   (``kg.link.conflict.given-name.v2``), father and son
   (``kg.link.conflict.generation.v1``), two numbered generations of one
   product (``kg.link.conflict.number.v1``).
2. **names** (:data:`NAME_RULES`), most precise first; the first that fires
   gives the pair its rule and base score: the same name, a name the other
   document established as an alias, an acronym, a variant of a person's
   given name, a surname, an organisation's short name, a place with its
   generic noun ("X Sea"), a body's name with more generic words ("X
   Treatment Center"). The rules of the second generation (a pet given
   name, a surname tagged as a group) live in :mod:`kg.link.variants`; those
   of people's names written other ways (a role as a title, a headline's
   verb run on, a given name alone, a person-tagged ``Thing``) in
   :mod:`kg.link.persons`; other names of one place in :mod:`kg.link.places`.
3. **context** (``kg.link.context.v1``): the entities both documents
   mention, the words around the mentions and shared dates raise the
   score; nothing in common lowers it.

:func:`judge` runs them and returns an :class:`Evidence` (rule and score in
[0, 1]) or None. Conflict and name rules read a summary's class, name forms,
acronyms written in capitals, pronoun cue and class votes only (their
verdict is memoised on these); the context rule reads the rest. Other
packages may register rules (:func:`register_rule`, or the
``kg_link_rules`` entry points) and put them in the lists.

Examples
--------
>>> from kg.link.summary import EntitySummary
>>> a = EntitySummary("a", "x", "Organization", "Acme Corp.", ("acme corp", "acme"),
...                   cooccur=("arden",))
>>> b = EntitySummary("b", "y", "Organization", "Acme", ("acme",), cooccur=("arden",))
>>> judge(a, b)
Evidence(rule='kg.link.alias.v1', score=0.75)
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import catalogue

from kg.lexicon import class_nouns, load_words
from kg.link.summary import PLACE_CLASSES, EntitySummary, acronyms_of, compact

__all__ = [
    "CONFLICT_RULES",
    "CONTEXT_RULE",
    "NAME_RULES",
    "PAIR_CONFLICT_RULES",
    "WEAK_RULES",
    "Evidence",
    "classes_agree",
    "conflicts",
    "judge",
    "link_rules",
    "name_evidence",
    "register_rule",
    "weakly_typed",
]

#: Registry of the link rules (name rules, conflict rules, context rules).
link_rules = catalogue.create("kg", "link_rules", entry_points=True)

NameRule = Callable[[EntitySummary, EntitySummary], float | None]
ConflictRule = Callable[[EntitySummary, EntitySummary], bool]
ContextRule = Callable[[EntitySummary, EntitySummary], float]
_Factory = TypeVar("_Factory", bound=Callable[[], object])


def register_rule(name: str) -> Callable[[_Factory], _Factory]:
    """Register a rule factory under a versioned id, e.g. ``my.link.nickname.v1``.

    A typed front to ``link_rules.register``; put the id in
    :data:`NAME_RULES` or :data:`CONFLICT_RULES` to use it.

    Examples
    --------
    >>> @register_rule("doc.example.v1")
    ... def make_never() -> ConflictRule:
    ...     return lambda a, b: False
    >>> link_rules.get("doc.example.v1")()(None, None)
    False
    """
    decorator: Callable[[_Factory], _Factory] = link_rules.register(name)
    return decorator


_ORG_LIKE = frozenset({"Organization", "Publication", "Group", "Facility"})
#: A class and its subclass: one may name what the other does.
_NARROWER = frozenset({frozenset({"Product", "Software"})})
_PERSON = "Person"
_THING = "Thing"
_GROUP = "Group"


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why two entities are one: the rule that matched them and the score.

    Examples
    --------
    >>> Evidence("kg.link.name.v1", 0.9).score
    0.9
    """

    rule: str
    score: float

    def __post_init__(self) -> None:
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"Evidence: score {self.score} not in [0, 1]")


def _words(form: str) -> list[str]:
    return form.split()


def _first(s: EntitySummary) -> list[str]:
    return _words(s.forms[0])


def _either(
    rule: Callable[[EntitySummary, EntitySummary], float | None],
) -> NameRule:
    """Make a one-way rule symmetric: the better of both orders."""

    def both(a: EntitySummary, b: EntitySummary) -> float | None:
        one, two = rule(a, b), rule(b, a)
        if one is None:
            return two
        return one if two is None else max(one, two)

    return both


def _person_like(s: EntitySummary) -> bool:
    return s.label == _PERSON or (s.label == _THING and s.person_cue)


def weakly_typed(s: EntitySummary) -> bool:
    """Tell an entity whose class rests on at most one NER label and no pronoun.

    Examples
    --------
    >>> weakly_typed(EntitySummary("a", "x", "Organization", "Roe", ("roe",), votes=1))
    True
    """
    return s.votes <= 1 and not s.person_cue


# --- conflicts ---------------------------------------------------------------


def classes_agree(a: str, b: str) -> bool:
    """Tell two classes that may name one thing.

    Same class, any class with ``Thing`` (class unknown), places with
    places, organisations with groups and facilities, facilities with
    places.

    Examples
    --------
    >>> classes_agree("Country", "Place"), classes_agree("Person", "Place")
    (True, False)
    """
    if a == b or _THING in (a, b):
        return True
    if a in PLACE_CLASSES and b in PLACE_CLASSES:
        return True
    pair = {a, b}
    if pair <= _ORG_LIKE or pair in _NARROWER:
        return True
    return "Facility" in pair and bool(pair & PLACE_CLASSES)


def _retyped(one: EntitySummary, two: EntitySummary) -> bool:
    """Tell a weakly typed ``one`` that ``two`` names with better evidence.

    The same name of several words ("Ann Roe" tagged a place once), a
    place's name tagged as a group (nationality) where it modifies a noun,
    or a one-word name, not a place's, that is the surname of a person
    named in full ("Roe" tagged an organisation once).
    """
    if not weakly_typed(one):
        return False
    x, y = _first(one), _first(two)
    if len(x) > 1 and x == y:
        return True
    if (
        x == y
        and _GROUP in {one.label, two.label}
        and ({one.label, two.label} & PLACE_CLASSES)
    ):
        return True  # "the Arden plant": a place's name tagged as a group
    return (
        len(x) == 1
        and one.label not in PLACE_CLASSES
        and two.label == _PERSON
        and len(y) > 1
        and y[-1] == x[0]
    )


@register_rule("kg.link.conflict.class.v1")
def make_class_conflict() -> ConflictRule:
    """Keep apart two entities whose classes cannot name one thing.

    Classes agree as :func:`classes_agree` says; a weakly typed entity (one
    NER label at most, no pronoun) may still be named by an entity of
    another class with the same name of several words, or be the surname
    of a person named in full (not when it is a place: a person named like
    a city is not the city).

    Examples
    --------
    >>> from kg.link.summary import EntitySummary as S
    >>> rule = make_class_conflict()
    >>> rule(S("a", "x", "Person", "Lee Park", ("lee park",), votes=2),
    ...      S("b", "y", "Place", "Park", ("park",), labels=("GPE",), votes=1))
    True
    >>> rule(S("a", "x", "Person", "Lee Park", ("lee park",), votes=2),
    ...      S("b", "y", "Organization", "Park", ("park",), votes=1))
    False
    """

    def conflict(a: EntitySummary, b: EntitySummary) -> bool:
        if classes_agree(a.label, b.label):
            return False
        return not (_retyped(a, b) or _retyped(b, a))

    return conflict


def _qualified(short: Sequence[str], long: Sequence[str]) -> bool:
    """Tell "south sudan" of "sudan": the longer name is a qualifier + the shorter."""
    qualifiers = load_words("link-place-qualifiers")
    extra = len(long) - len(short)
    return (
        extra >= 1
        and list(long[extra:]) == list(short)
        and all(w in qualifiers for w in long[:extra])
    )


@register_rule("kg.link.conflict.qualifier.v1")
def make_qualifier_conflict() -> ConflictRule:
    """Keep apart a name and the same name after a qualifier ("West X", "X").

    "South X", "Northern X", "New X" name other places (and bodies) than
    "X", whatever else the two documents share.

    Examples
    --------
    >>> from kg.link.summary import EntitySummary as S
    >>> make_qualifier_conflict()(S("a", "x", "Place", "South Arden", ("south arden",)),
    ...                           S("b", "y", "Place", "Arden", ("arden",)))
    True
    """

    def conflict(a: EntitySummary, b: EntitySummary) -> bool:
        x, y = _first(a), _first(b)
        return _qualified(x, y) or _qualified(y, x)

    return conflict


def _generation(words: Sequence[str]) -> str:
    marks = load_words("link-generations")
    last = words[-1] if words else ""
    if last in marks:
        return {"junior": "jr", "senior": "sr"}.get(last, last)
    return ""


def _without_generation(words: Sequence[str]) -> list[str]:
    return list(words[:-1]) if _generation(words) and len(words) > 1 else list(words)


def _edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _given_compatible(x: str, y: str) -> bool:
    """Tell given names of one person: equal, initial, short form, misspelling."""
    if x == y:
        return True
    short, long = sorted((x, y), key=len)
    if len(short) == 1:
        return long.startswith(short)
    if len(short) >= 3 and long.startswith(short):
        return True
    if len(short) >= 4 and short[:4] == long[:4]:
        return True
    return len(short) >= 4 and _edit_distance(x, y) <= 2


def _givens_compatible(x: Sequence[str], y: Sequence[str]) -> bool:
    """Tell two full names' given words compatible: some pair of them is.

    "W. Tom Roe" and "Tom Roe" (a first initial, then the name used).
    """
    return any(_given_compatible(g, h) for g in x[:-1] for h in y[:-1])


@register_rule("kg.link.conflict.given-name.v1")
def make_given_name_conflict() -> ConflictRule:
    """Keep apart two people with one surname and different given names.

    Examples
    --------
    >>> from kg.link.summary import EntitySummary as S
    >>> rule = make_given_name_conflict()
    >>> rule(S("a", "x", "Person", "Ann Roe", ("ann roe",)),
    ...      S("b", "y", "Person", "Tom Roe", ("tom roe",)))
    True
    >>> rule(S("a", "x", "Person", "Tom Roe", ("tom roe",)),
    ...      S("b", "y", "Person", "Tomas Q. Roe", ("tomas q roe",)))
    False
    """

    def conflict(a: EntitySummary, b: EntitySummary) -> bool:
        if not (_person_like(a) and _person_like(b)):
            return False
        x, y = _without_generation(_first(a)), _without_generation(_first(b))
        if len(x) < 2 or len(y) < 2 or x[-1] != y[-1]:
            return False
        return not _givens_compatible(x, y)

    return conflict


@register_rule("kg.link.conflict.generation.v1")
def make_generation_conflict() -> ConflictRule:
    """Keep apart father and son: "X Jr." and "X Sr." (or "X II" and "X III").

    Examples
    --------
    >>> from kg.link.summary import EntitySummary as S
    >>> make_generation_conflict()(S("a", "x", "Person", "Al Roe Jr.", ("al roe jr",)),
    ...                            S("b", "y", "Person", "Al Roe Sr.", ("al roe sr",)))
    True
    """

    def conflict(a: EntitySummary, b: EntitySummary) -> bool:
        x, y = _generation(_first(a)), _generation(_first(b))
        return bool(x and y and x != y)

    return conflict


def _is_number(word: str) -> bool:
    roman = set("ivxlc")
    return word.isdigit() or (len(word) <= 4 and set(word) <= roman and word != "i")


@register_rule("kg.link.conflict.number.v1")
def make_number_conflict() -> ConflictRule:
    """Keep apart names that differ in a number: two generations of one product.

    "X 4" and "X 5", "X II" and "X", "X 2" and "X" are different things.

    Examples
    --------
    >>> from kg.link.summary import EntitySummary as S
    >>> make_number_conflict()(S("a", "x", "Product", "Zephyr 4", ("zephyr 4",)),
    ...                        S("b", "y", "Product", "Zephyr 5", ("zephyr 5",)))
    True
    """

    def conflict(a: EntitySummary, b: EntitySummary) -> bool:
        x, y = _first(a), _first(b)
        if x == y:
            return False
        nx = [w for w in x if _is_number(w)]
        ny = [w for w in y if _is_number(w)]
        if nx == ny:
            return False
        rest_x = [w for w in x if not _is_number(w)]
        rest_y = [w for w in y if not _is_number(w)]
        return bool(rest_x) and rest_x == rest_y

    return conflict


# --- names -------------------------------------------------------------------


@register_rule("kg.link.name.v1")
def make_name_rule() -> NameRule:
    """Score the same name: 0.9 for several words; one word, 0.8 (0.7 a person).

    Examples
    --------
    >>> from kg.link.summary import EntitySummary as S
    >>> make_name_rule()(S("a", "x", "Place", "Arden", ("arden",)),
    ...                  S("b", "y", "Place", "ARDEN", ("arden",)))
    0.8
    """

    def rule(a: EntitySummary, b: EntitySummary) -> float | None:
        if compact(a.forms[0]) != compact(b.forms[0]):
            return None
        if len(_first(a)) > 1:
            return 0.9
        return 0.7 if _person_like(a) or _person_like(b) else 0.8

    return rule


@register_rule("kg.link.alias.v1")
def make_alias_rule() -> NameRule:
    """Score a name one document established for the entity ("X Inc." and "X").

    Any name form of one (its name, an alias, the name without a company
    suffix) equal to a form of the other: 0.85, or 0.7 when the shared form
    is one word (0.6 for a person: a surname).

    Examples
    --------
    >>> from kg.link.summary import EntitySummary as S
    >>> make_alias_rule()(S("a", "x", "Organization", "Bureau of Fish Studies",
    ...                     ("bureau of fish studies", "bofs")),
    ...                   S("b", "y", "Organization", "BOFS", ("bofs",)))
    0.7
    """

    def rule(a: EntitySummary, b: EntitySummary) -> float | None:
        shared = {compact(f): f for f in a.forms}
        best: float | None = None
        for form in b.forms:
            match = shared.get(compact(form))
            if match is None:
                continue
            if len(_words(match)) > 1 and len(_words(form)) > 1:
                score = 0.85
            elif _person_like(a) or _person_like(b):
                score = 0.6
            else:
                score = 0.7
            best = score if best is None else max(best, score)
        return best

    return rule


@register_rule("kg.link.acronym.v1")
def make_acronym_rule() -> NameRule:
    """Score an acronym written in capitals against the initials of a full name: 0.7.

    Examples
    --------
    >>> from kg.link.summary import EntitySummary as S
    >>> a = S("a", "x", "Organization", "BOFS", ("bofs",), written=("bofs",))
    >>> make_acronym_rule()(a, S("b", "y", "Organization", "Bureau of Fish Studies",
    ...                       ("bureau of fish studies",)))
    0.7
    """

    def one_way(a: EntitySummary, b: EntitySummary) -> float | None:
        if not a.written or _person_like(a) or _person_like(b):
            return None
        initials = {x for f in b.forms for x in acronyms_of(_words(f))}
        return 0.7 if initials & set(a.written) else None

    return _either(one_way)


def _surnames(words: Sequence[str]) -> set[str]:
    """Return the forms a person named in full may be called by: the last words."""
    words = _without_generation(words)
    if len(words) < 2:
        return set()
    return {" ".join(words[k:]) for k in range(1, len(words))}


@register_rule("kg.link.person-variant.v1")
def make_person_variant_rule() -> NameRule:
    """Score two full names of one person: one surname, compatible given names.

    "Tom Roe" and "Thomas Q. Roe", "T. Roe" and "Tom Roe": 0.75 (0.8 when
    the given names are equal and only a middle name differs).

    Examples
    --------
    >>> from kg.link.summary import EntitySummary as S
    >>> make_person_variant_rule()(S("a", "x", "Person", "Tom Roe", ("tom roe",)),
    ...                            S("b", "y", "Person", "Tom Q. Roe", ("tom q roe",)))
    0.8
    """

    def rule(a: EntitySummary, b: EntitySummary) -> float | None:
        if not (_person_like(a) and _person_like(b)):
            return None
        x, y = _without_generation(_first(a)), _without_generation(_first(b))
        if len(x) < 2 or len(y) < 2 or x[-1] != y[-1]:
            return None
        if x[0] == y[0]:
            return 0.8
        return 0.75 if _givens_compatible(x, y) else None

    return rule


@register_rule("kg.link.surname.v1")
def make_surname_rule() -> NameRule:
    """Score a person called by surname only against one named in full: 0.6.

    Examples
    --------
    >>> from kg.link.summary import EntitySummary as S
    >>> make_surname_rule()(S("a", "x", "Person", "Roe", ("roe",)),
    ...                     S("b", "y", "Person", "Tom Roe", ("tom roe",)))
    0.6
    """

    def one_way(a: EntitySummary, b: EntitySummary) -> float | None:
        if b.label != _PERSON or len(_first(a)) != 1:
            return None
        if not (_person_like(a) or weakly_typed(a)):
            return None
        return 0.6 if a.forms[0] in _surnames(_first(b)) else None

    return _either(one_way)


def _generic_nouns(label: str) -> frozenset[str]:
    if label in PLACE_CLASSES:
        return class_nouns("Place")
    return class_nouns("Organization") | class_nouns("Facility")


@register_rule("kg.link.short-name.v1")
def make_short_name_rule() -> NameRule:
    """Score an organisation's short name: last words, or the name less a generic noun.

    "Otters" of "Riverside Otters", "Arden" of "Arden University": 0.55;
    "Red Otters" of "Riverside Red Otters" (two words or more): 0.65.

    Examples
    --------
    >>> from kg.link.summary import EntitySummary as S
    >>> make_short_name_rule()(S("a", "x", "Organization", "Otters", ("otters",)),
    ...                        S("b", "y", "Organization", "Riverside Otters",
    ...                          ("riverside otters",)))
    0.55
    """

    def one_way(a: EntitySummary, b: EntitySummary) -> float | None:
        org = {a.label, b.label} <= (_ORG_LIKE | {_THING})
        if not org or _person_like(a) or _person_like(b):
            return None
        x, y = _first(a), _first(b)
        if len(x) >= len(y):
            return None
        if y[-len(x) :] == x:
            return 0.55 if len(x) == 1 else 0.65
        generic = _generic_nouns(b.label)
        if y[: len(x)] == x and all(w in generic for w in y[len(x) :]):
            return 0.55
        return None

    return _either(one_way)


@register_rule("kg.link.place-head.v1")
def make_place_head_rule() -> NameRule:
    """Score a place named with and without its generic noun ("X Sea", "X"): 0.75.

    Examples
    --------
    >>> from kg.link.summary import EntitySummary as S
    >>> make_place_head_rule()(S("a", "x", "Place", "Arden", ("arden",)),
    ...                        S("b", "y", "Place", "Arden Sea", ("arden sea",)))
    0.75
    """

    def one_way(a: EntitySummary, b: EntitySummary) -> float | None:
        if a.label not in PLACE_CLASSES and b.label not in PLACE_CLASSES:
            return None
        x, y = _first(a), _first(b)
        if len(y) != len(x) + 1 or y[: len(x)] != x:
            return None
        return 0.75 if y[-1] in class_nouns("Place") else None

    return _either(one_way)


# --- context -----------------------------------------------------------------


def _jaccard(x: Sequence[str], y: Sequence[str]) -> float:
    a, b = set(x), set(y)
    return len(a & b) / len(a | b) if a and b else 0.0


@register_rule("kg.link.context.v1")
def make_context_rule() -> ContextRule:
    """Adjust a score by context: shared entities, words, dates; nothing shared costs.

    Up to +0.15 for entities both documents mention (0.05 each), up to
    +0.15 for the overlap of the words around the mentions, +0.05 for a
    shared date; -0.15 when they share no entity and almost no word.

    Examples
    --------
    >>> from kg.link.summary import EntitySummary as S
    >>> rule = make_context_rule()
    >>> rule(S("a", "x", "Person", "Roe", ("roe",), cooccur=("arden",)),
    ...      S("b", "y", "Person", "Roe", ("roe",), cooccur=("arden",)))
    0.05
    """

    def adjust(a: EntitySummary, b: EntitySummary) -> float:
        shared = len(set(a.cooccur) & set(b.cooccur))
        words = _jaccard(a.words, b.words)
        score = min(0.15, 0.05 * shared) + min(0.15, 0.5 * words)
        if set(a.dates) & set(b.dates):
            score += 0.05
        if shared == 0 and words < 0.05:
            score -= 0.15
        return round(score, 4)

    return adjust


#: Conflict rules applied to every merge of two corpus entities (between
#: any two of their members); their classes are compared by vote instead.
CONFLICT_RULES: tuple[str, ...] = (
    "kg.link.conflict.qualifier.v1",
    "kg.link.conflict.given-name.v2",
    "kg.link.conflict.generation.v1",
    "kg.link.conflict.number.v1",
)
#: Name rules, most precise first: the first that fires names the evidence.
NAME_RULES: tuple[str, ...] = (
    "kg.link.name.v1",
    "kg.link.alias.v1",
    "kg.link.place-name.v1",
    "kg.link.person-variant.v3",
    "kg.link.titled-name.v1",
    "kg.link.acronym.v1",
    "kg.link.place-head.v1",
    "kg.link.generic-core.v1",
    "kg.link.name-run-on.v1",
    "kg.link.surname.v3",
    "kg.link.short-name.v1",
    "kg.link.given-name.v1",
)
#: Name rules a name may satisfy for several different entities (ambiguous).
WEAK_RULES = frozenset(
    {
        "kg.link.surname.v1",
        "kg.link.surname.v2",
        "kg.link.surname.v3",
        "kg.link.short-name.v1",
        "kg.link.given-name.v1",
        "kg.link.name-run-on.v1",
        "kg.link.acronym.v1",
        "kg.link.generic-core.v1",
    }
)
#: Conflict rules applied to a pair before its names are compared.
PAIR_CONFLICT_RULES: tuple[str, ...] = ("kg.link.conflict.class.v2", *CONFLICT_RULES)
CONTEXT_RULE = "kg.link.context.v1"


_rule_cache: dict[str, Callable[..., object]] = {}


def _made(name: str) -> Callable[..., object]:
    """Return the rule registered as ``name``, made once."""
    rule = _rule_cache.get(name)
    if rule is None:
        rule = _rule_cache[name] = link_rules.get(name)()
    return rule


def conflicts(
    a: EntitySummary, b: EntitySummary, *, rules: Sequence[str] = CONFLICT_RULES
) -> str | None:
    """Return the id of the first conflict rule that keeps ``a`` and ``b`` apart.

    Examples
    --------
    >>> from kg.link.summary import EntitySummary as S
    >>> conflicts(S("a", "x", "Person", "Ann Roe", ("ann roe",)),
    ...           S("b", "y", "Person", "Tom Roe", ("tom roe",)))
    'kg.link.conflict.given-name.v2'
    """
    for name in rules:
        if _made(name)(a, b):
            return name
    return None


def name_evidence(
    a: EntitySummary, b: EntitySummary, *, rules: Sequence[str] = NAME_RULES
) -> Evidence | None:
    """Return the first name rule matching ``a`` and ``b`` with its base score.

    Examples
    --------
    >>> from kg.link.summary import EntitySummary as S
    >>> name_evidence(S("a", "x", "Person", "Roe", ("roe",)),
    ...               S("b", "y", "Person", "Tom Roe", ("tom roe",)))
    Evidence(rule='kg.link.surname.v3', score=0.6)
    """
    for name in rules:
        score = _made(name)(a, b)
        if score is not None:
            return Evidence(name, float(score))  # type: ignore[arg-type]
    return None


_NamePart = tuple[str, tuple[str, ...], tuple[str, ...], bool, int, tuple[str, ...]]


def _name_part(s: EntitySummary) -> _NamePart:
    """Return what the conflict and name rules read: class, names, cues, labels."""
    return (s.label, s.forms, s.written, s.person_cue, s.votes, s.labels)


@functools.lru_cache(maxsize=1 << 16)
def _names_judged(a: _NamePart, b: _NamePart) -> Evidence | None:
    """Run the pair conflict rules, then the name rules, on two name parts.

    Many pairs share their names (one person in many documents): their name
    evidence is computed once.
    """
    x, y = (
        EntitySummary(
            "a",
            "a",
            p[0],
            "a",
            p[1],
            written=p[2],
            person_cue=p[3],
            votes=p[4],
            labels=p[5],
        )
        for p in (a, b)
    )
    if conflicts(x, y, rules=PAIR_CONFLICT_RULES) is not None:
        return None
    return name_evidence(x, y)


def judge(a: EntitySummary, b: EntitySummary) -> Evidence | None:
    """Return the evidence that ``a`` and ``b`` are one entity, or None.

    None when a conflict rule keeps them apart or no name rule matches;
    else the name rule and its score adjusted by ``kg.link.context.v1``,
    clipped to [0, 1].

    Examples
    --------
    >>> from kg.link.summary import EntitySummary as S
    >>> judge(S("a", "x", "Place", "South Arden", ("south arden",)),
    ...       S("b", "y", "Place", "Arden", ("arden",))) is None
    True
    """
    found = _names_judged(_name_part(a), _name_part(b))
    if found is None:
        return None
    adjust = _made(CONTEXT_RULE)(a, b)
    score = min(1.0, max(0.0, found.score + float(adjust)))  # type: ignore[arg-type]
    return Evidence(found.rule, round(score, 4))


# the rules of the second generation (listed above) register on import
from kg.link import persons as _persons  # noqa: E402, F401
from kg.link import places as _places  # noqa: E402, F401
from kg.link import variants as _variants  # noqa: E402, F401
