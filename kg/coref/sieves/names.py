"""Name sieves: a name joins the cluster it repeats, shortens or spells otherwise.

From most to least precise: the same name (its key, a hypocorism's given name,
a country's everyday name, a town without "City", a family name written
first); the same name spelt otherwise (a doubled letter, a hyphen, one inner
vowel); a plural short name ("the Varda Islands ... the Vardas"); a lone word
that is a person's surname, nickname, given name or family-name form; the
family-name part of a longer name; a body's name without its place or with an
acronym of its first words; a longer personal name whose surname and given
name agree. Then the fallbacks for a name nothing matched: a company's
short name, a company's full name after its short one, a
capitalised head noun ("the Act"), and a capitalised role that names nobody
new ("the Minister").

Each matcher is a function ``(state, name, person, text, place) -> clusters``
over the blocking tables of the state; :func:`match_name` runs them in order.

Examples
--------
>>> from kg.coref import resolve_entities
>>> from kg.mentions import extract_mentions
>>> doc = nlp("Joseph Miller baked bread. Later Joe Miller sold the bakery.")
>>> [len(e.mentions) for e in resolve_entities(doc, extract_mentions(doc))]
[2]
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Span

from kg.coref.grammar import PEOPLE_LABELS, PERSON_LABELS, PLACE_LABELS, span_head
from kg.coref.names import (
    COMPANY_SUFFIXES,
    DEFINITE_SHORT,
    MIN_SPELLING,
    Name,
    canonical_given,
    city_base,
    consonants,
    initials,
    is_acronym,
    is_given,
    is_role_word,
    spelling,
    vowel_variant,
)
from kg.coref.naming import join_name, name_info, used_as_place
from kg.coref.sieves.acronyms import acronym_matches
from kg.coref.sieves.registry import sieve
from kg.coref.state import Cluster, Discourse
from kg.coref.words import CORPORATE, COUNTRY_KEYS, HONORIFICS, PLACE_PREPS
from kg.mentions import nominal_class

__all__ = [
    "NAME_MATCHERS",
    "Matcher",
    "corporate_short",
    "match_name",
]

Matcher = Callable[[Discourse, Name, bool, str, bool], list[Cluster]]


def _found(state: Discourse, ids: list[int] | tuple[int, ...]) -> list[Cluster]:
    return [state.clusters[r] for r in dict.fromkeys(ids)]


def exact_matches(
    state: Discourse, name: Name, person: bool, text: str, place: bool
) -> list[Cluster]:
    """Return the clusters with this name's key or one of its equivalent keys."""
    found: dict[int, Cluster] = {}
    canon = " ".join([canonical_given(name.words[0]), *name.words[1:], *name.suffix])
    keys = {name.key, canon}
    if not person and name.key in COUNTRY_KEYS:
        keys.add(COUNTRY_KEYS[name.key])  # a country's everyday name
    base = city_base(name.key)
    if not person and base is not None:
        keys.add(base)  # "X Y City" of "X Y"
    for key in keys:
        for r in state.by_key.get(key, ()):
            found[r] = state.clusters[r]
    if not found and person and len(name.words) == 2 and not name.suffix:
        # the family name written first
        for r in state.by_key.get(" ".join(reversed(name.words)), ()):
            found[r] = state.clusters[r]
    return list(found.values())


def spelling_matches(
    state: Discourse, name: Name, person: bool, text: str, place: bool
) -> list[Cluster]:
    """Return the clusters of this name spelt with a letter, hyphen or vowel more."""
    if len(name.key) < MIN_SPELLING:
        return []
    found = _found(state, state.by_spelling.get(spelling(name.key), ()))
    if found:
        return found
    out: dict[int, Cluster] = {}
    block = state.keys_by_consonants.get(consonants(name.key), ())
    for key, ids in state.keys_in(block):
        if vowel_variant(name.key, key):
            for r in ids:
                out[r] = state.clusters[r]
    return list(out.values())


def plural_short_name(state: Discourse, name: Name) -> list[Cluster]:
    """Return the group of places a plural name shortens, or is shortened to.

    "the Varda Islands ... the Vardas", "the Kessa Mountains ... the
    Kessas": a plural name made of the first word of a two-word plural
    name is that group of islands or mountains.
    """
    words = name.words
    if len(words) == 1 and words[0].endswith("s") and len(words[0]) > 4:
        stem = words[0][:-1]
        keys = [
            k
            for k, _ids in state.keys_in(state.keys_by_first_word.get(stem, ()))
            if (parts := k.split())
            and len(parts) == 2
            and parts[0] == stem
            and parts[1].endswith("s")
        ]
    elif len(words) == 2 and words[1].endswith("s") and not words[0].endswith("s"):
        keys = [f"{words[0]}s"]
    else:
        return []
    refs = [state.clusters[r] for k in keys for r in state.by_key.get(k, ())]
    return [r for r in refs if r.named and not r.is_person()]


def plural_short_matches(
    state: Discourse, name: Name, person: bool, text: str, place: bool
) -> list[Cluster]:
    """Return the group a lone plural word shortens ("the Vardas")."""
    if len(name.words) != 1 or person:
        return []
    return plural_short_name(state, name)


def _person_word(state: Discourse, name: Name, word: str, place: bool) -> list[Cluster]:
    """Return the people a lone word is the surname or nickname of."""
    found: dict[int, Cluster] = {}
    # a word used as a place ("in X", "X, Y") is no surname of the person
    # the place may be named after
    for table in () if place else (state.by_surname, state.by_nick):
        for r in table.get(word, ()):
            ref = state.clusters[r]
            if ref.is_person() is False and not ref.person_cues:
                # no surname of a mistagged company ("X" of "Y X, a
                # company"); a known given name or title still makes a
                # person of a quoted nickname
                continue
            if not (name.suffix and ref.suffixes and set(name.suffix) != ref.suffixes):
                found[r] = ref
    return list(found.values())


def lone_word_matches(
    state: Discourse, name: Name, person: bool, text: str, place: bool
) -> list[Cluster]:
    """Return the person a one-word name is a surname, nickname or given name of."""
    if len(name.words) != 1:
        return []
    word = name.words[0]
    found = _person_word(state, name, word, place)
    if not found:
        # a first word names a person's given name, not the first word of a
        # mistagged work or company ("X Live")
        found = [
            ref
            for ref in _found(state, state.by_given.get(canonical_given(word), ()))
            if ref.is_person() is not False
        ]
    if not found and not is_given(word):
        found = _found(state, state.by_family.get(word, ()))
    return found


def family_matches(
    state: Discourse, name: Name, person: bool, text: str, place: bool
) -> list[Cluster]:
    """Return the person whose longer name ends in (or holds) this family name."""
    if len(name.words) < 2:
        return []
    return _found(state, state.by_family.get(name.key, ()))


def placed_body(state: Discourse, name: Name) -> list[Cluster]:
    """Return the body named before with a place before this name.

    "the Ruritanian Supreme Court ... the Supreme Court": the place that opened
    the longer name is left out once the text is about it.
    """
    found: list[Cluster] = []
    tail = " " + name.key
    last = name.key.split()[-1]
    for ref in state.clusters_in(state.clusters_by_last_word.get(last, ())):
        if not ref.named or ref.is_person():
            continue
        for key in ref.keys:
            if not key.endswith(tail):
                continue
            prefix = key[: -len(tail)]
            if any(
                state.clusters[r].top_label in PLACE_LABELS
                for r in state.by_key.get(prefix, ())
            ):
                found.append(ref)
                break
    return found


def variant_of(state: Discourse, name: Name) -> list[Cluster]:
    """Return the thing an earlier, differently worded name of it names.

    A name of a place, body or work is often written again with an acronym
    of its first words ("the AV Tunnel" of "Ada Vale Tunnel"), or
    capitalising the common noun it was first read with ("the Varda hills
    ... the Varda Hills": the noun is now part of the name). Names with "of"
    are left out.
    """
    words = name.words
    if "of" in words or len(words) < 2:
        return []
    found: dict[int, Cluster] = {}
    # an acronym written with dots is read letter by letter
    letters = next((n for n in range(len(words)) if len(words[n]) > 1), len(words))
    lead = 1 if letters < 2 else letters
    acronym, rest = "".join(words[:lead]), list(words[lead:])
    block = state.keys_by_last_word.get(words[-1], ())
    for key, ids in state.keys_in(block):
        other = key.split()
        if other == list(words) or "of" in other or not rest:
            continue
        cut = len(other) - len(rest)
        if (
            cut > 1
            and other[cut:] == rest
            and acronym == initials(other[:cut])
            and len(acronym) > 1
        ):
            for r in ids:
                found[r] = state.clusters[r]
    if not found:
        for r in state.by_key.get(" ".join(words[:-1]), ()):
            ref = state.clusters[r]
            if any(
                (span := state.spans[m]) is not None
                and span.end < len(state.doc)
                and state.doc[span.end].lower_ == words[-1]
                and state.doc[span.end].is_lower
                for m in ref.mentions
            ):
                found[r] = ref
    return [r for r in found.values() if r.named and not r.is_person()]


def body_variant_matches(
    state: Discourse, name: Name, person: bool, text: str, place: bool
) -> list[Cluster]:
    """Return the body, place or event a longer name words otherwise."""
    if len(name.words) < 2 or person:
        return []
    return (
        placed_body(state, name)
        or variant_of(state, name)
        or plural_short_name(state, name)
    )


def _givens_agree(name: Name, ref: Cluster) -> bool:
    """Tell a cluster whose given names (or their initials) fit this name's."""
    given = name.given or ""
    return (
        not ref.givens
        or name.given in ref.givens
        or any(
            g[0] == given[:1] and (len(g) == 1 or len(given) == 1) for g in ref.givens
        )
    )


def person_matches(
    state: Discourse, name: Name, person: bool, text: str, place: bool
) -> list[Cluster]:
    """Return the people a longer personal name names by surname and given name."""
    words = name.words
    if len(words) < 2 or not person:
        return []
    found: dict[int, Cluster] = {}
    # a rank or role before a surname ("Corporal X") is no given name
    role = len(words) == 2 and nominal_class(words[0]) == "PERSON"
    for r in state.by_surname.get(name.surname, ()):
        ref = state.clusters[r]
        if name.suffix and ref.suffixes and set(name.suffix) != ref.suffixes:
            continue
        if role or _givens_agree(name, ref):
            found[r] = ref
    # clusters so far known only by a bare word this name contains
    for word in (name.surname, *name.nick):
        for r in state.by_key.get(word, ()):
            ref = state.clusters[r]
            if not ref.givens and (ref.is_person() is not False or not ref.locative):
                found[r] = ref
    if name.nick:
        for r in state.by_key.get(" ".join([name.words[0], *name.nick]), ()):
            found[r] = state.clusters[r]
    if not found and name.given:
        for r in state.by_key.get(name.words[0], ()):
            ref = state.clusters[r]
            if not ref.surnames and ref.is_person():
                found[r] = ref
    return list(found.values())


#: The name matchers in the order the name sieves apply them.
NAME_MATCHERS: tuple[tuple[str, Matcher], ...] = (
    ("kg.coref.exact_name.v1", exact_matches),
    ("kg.coref.spelling_variant.v1", spelling_matches),
    ("kg.coref.acronym.v1", acronym_matches),
    ("kg.coref.plural_short_name.v1", plural_short_matches),
    ("kg.coref.lone_name_word.v1", lone_word_matches),
    ("kg.coref.family_name.v1", family_matches),
    ("kg.coref.body_name_variant.v1", body_variant_matches),
    ("kg.coref.personal_name.v1", person_matches),
)


def match_name(
    state: Discourse, name: Name, person: bool, text: str, *, place: bool = False
) -> list[Cluster]:
    """Return the clusters the first name matcher that finds any finds."""
    for _rule, matcher in NAME_MATCHERS:
        found = matcher(state, name, person, text, place)
        if found:
            return found
    return []


def _matcher_sieve(rule: str, matcher: Matcher) -> None:
    def run(state: Discourse, index: int) -> bool:
        info = name_info(state, index)
        if info is None:
            return False
        mention = state.mentions[index]
        place = used_as_place(state, info.span, mention.label)
        found = matcher(state, info.name, info.person, mention.text, place)
        return join_name(state, index, found, rule)

    run.__name__ = run.__qualname__ = matcher.__name__.replace("_matches", "_name")
    run.__doc__ = matcher.__doc__
    sieve(rule, "name")(run)


for _rule, _matcher in NAME_MATCHERS:
    _matcher_sieve(_rule, _matcher)


# -- fallbacks for a name no matcher linked ------------------------------------


def corporate_short(state: Discourse, key: str) -> list[Cluster]:
    """Return the companies ``key`` names less a corporate suffix."""
    return [
        state.clusters[r]
        for r in state.by_short.get(key, ())
        if any(k.split()[-1] in COMPANY_SUFFIXES for k in state.clusters[r].keys)
    ]


@sieve("kg.coref.company_short_name.v1", "name")
def company_short_name(state: Discourse, index: int) -> bool:
    """Link a body's short name ("the Rovers"), or a company's less its suffix.

    A lone word, however tagged, is the company it names less a corporate
    suffix ("Acme Corporation ... Acme"); a body's name may drop its
    generic head or keep only its last word after "the".
    """
    info = name_info(state, index)
    if info is None:
        return False
    mention, name, span = state.mentions[index], info.name, info.span
    body = mention.label in {"ORG", ""}
    if not (body or len(name.words) == 1):
        return False
    keys = [name.key]
    if span.start > 0 and state.doc[span.start - 1].lower_ == "the":
        keys.append(f"{DEFINITE_SHORT}{name.key}")
    shorts = [state.clusters[r] for k in keys for r in state.by_short.get(k, ())]
    corporate = corporate_short(state, name.key)
    found = (corporate if len(name.words) == 1 else []) or (shorts if body else [])
    return join_name(
        state, index, found, "kg.coref.company_short_name.v1", matched=False
    )


@sieve("kg.coref.company_full_name.v1", "name")
def company_full_name(state: Discourse, index: int) -> bool:
    """Link a company's full name to its short name read before it."""
    info = name_info(state, index)
    if info is None or info.person or len(info.name.words) < 2:
        return False
    if info.name.words[-1] not in CORPORATE:
        return False
    short = " ".join(info.name.words[:-1])
    found = [
        state.clusters[r]
        for r in state.by_key.get(short, ())
        if not state.clusters[r].is_person()
    ]
    return join_name(
        state, index, found, "kg.coref.company_full_name.v1", matched=False
    )


def common_noun_name(state: Discourse, span: Span, word: str) -> list[Cluster]:
    """Return the known referent a capitalised common noun names ("the Court").

    A word the lexicon does not class ("the Act", "the Airport") still names
    the latest referent whose longer name it heads ("the Clean Air Act ...
    the Act"): capitalised after "the", it is that name shortened to its head
    noun.
    """
    doc = state.doc
    if span.start == 0 or doc[span.start - 1].lower_ not in {"the", "this"}:
        return []
    classed = word in HONORIFICS or bool(nominal_class(word))
    refs = [
        r
        for r in (state.clusters[r] for r in state.by_role.get(word, ()))
        if r.named
        and (
            classed or any(len(k.split()) > 1 and k.split()[-1] == word for k in r.keys)
        )
    ]
    return [max(refs, key=lambda r: (r.last_sent, r.last_token))] if refs else []


@sieve("kg.coref.capitalised_head_noun.v1", "name")
def capitalised_head_noun(state: Discourse, index: int) -> bool:
    """Link "the Court", "the Act" to the latest name it heads or a role it was."""
    info = name_info(state, index)
    if info is None or len(info.name.words) != 1:
        return False
    found = common_noun_name(state, info.span, info.name.words[0])
    return join_name(
        state, index, found, "kg.coref.capitalised_head_noun.v1", matched=False
    )


@sieve("kg.coref.role_as_name.v1", "name")
def role_as_name(state: Discourse, index: int) -> bool:
    """Keep a capitalised role alone ("the Minister") from naming anyone new.

    It starts a cluster of a described person (no name), which a pronoun may
    still take up.
    """
    info = name_info(state, index)
    if info is None or len(info.name.words) != 1:
        return False
    if not is_role_word(info.name.words[0]):
        return False
    cluster = state.new_cluster("nominal")
    cluster.person = True
    state.add_role(cluster, info.name.words[0])
    state.add(cluster, index, state.mentions[index].sent_index, span_head(info.span))
    return True


def named_as_place(state: Discourse, span: Span) -> bool:
    """Tell a name the syntax makes a place: "in X", "County of X", "P, X".

    "X, P" and "P, X" pair the name with a place name, as addresses do. A
    name tagged as a place closes an address after any name before its
    comma: the tagger often mislabels the town, but a town's state or
    country follows it.
    """
    head = span_head(span)
    prep = head.head if head.dep_ == "pobj" else None
    if prep is not None and prep.lower_ in PLACE_PREPS:
        return True
    if (
        prep is not None
        and prep.lower_ == "of"
        and nominal_class(prep.head.lemma_.lower()) == "GPE"
    ):
        return True
    doc = state.doc
    own = state.mention_at(span.start)
    place = own is not None and state.mentions[own].label in PLACE_LABELS
    for comma, other in ((span.start - 1, span.start - 2), (span.end, span.end + 1)):
        if 0 <= other < len(doc) and doc[comma].text == ",":
            index = state.mention_at(other)
            if doc[other].ent_type_ in PLACE_LABELS or (
                index is not None and state.mentions[index].label in PLACE_LABELS
            ):
                return True
            if (
                place
                and other < span.start
                and index is not None
                and state.mentions[index].kind == "name"
            ):
                return True
    return False


def body_named_by_part(state: Discourse, name: Name) -> Cluster | None:
    """Return the body a lone name so far read only inside its name names.

    "Ashby University ... at Ashby", "the University of Ashby ... Ashby's":
    the distinctive part of a body's name, used on its own before the text
    ever names the place alone, is the body's short name. The part opens the
    name, or closes it after "of" and a body noun.
    """
    n = len(name.words)
    found: Cluster | None = None
    ids = [
        *state.clusters_by_first_word.get(name.words[0], ()),
        *state.clusters_by_last_word.get(name.words[-1], ()),
    ]
    for ref in state.clusters_in(ids):
        if not ref.named or ref.is_person():
            continue
        if ref.top_label not in {"ORG", "NORP", "FAC"}:
            continue
        for key in ref.keys:
            words = key.split()
            if len(words) <= n:
                continue
            opens = tuple(words[:n]) == name.words and nominal_class(words[n]) == "ORG"
            closes = (
                len(words) > n + 1
                and words[-n - 1 : -n] == ["of"]
                and tuple(words[-n:]) == name.words
                and nominal_class(words[-n - 2]) == "ORG"
            )
            if opens or closes:
                if found is None or ref.last_token > found.last_token:
                    found = ref
                break
    return found


@sieve("kg.coref.body_part_name.v1", "name")
def body_part_name(state: Discourse, index: int) -> bool:
    """Link a name read so far only inside a body's name to that body.

    Not for a person's name, a people, an acronym, a name used as a place,
    nor when the name is already a referent of its own.
    """
    info = name_info(state, index)
    if info is None or info.nested:
        return False
    mention = state.mentions[index]
    if mention.label in PERSON_LABELS | PEOPLE_LABELS or is_acronym(mention.text):
        return False
    place = used_as_place(state, info.span, mention.label)
    known = exact_matches(state, info.name, info.person, mention.text, place)
    if any(r.id in state.standalone or r.is_person() for r in known):
        return False
    if named_as_place(state, info.span):
        return False
    body = body_named_by_part(state, info.name)
    return body is not None and join_name(
        state, index, [body], "kg.coref.body_part_name.v1", matched=False
    )
