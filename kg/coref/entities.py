"""Entities out of the clusters, and the phrases that join them last.

:func:`build_entities` turns the named clusters of a finished discourse into
:class:`~kg.types.Entity` values, each mention carrying the id of the sieve
that linked it (``Mention.link``). Two passes then give an entity the whole
phrase it is named in: a place with its container ("Lyon, France") and a
possessor with its determiner and clitic ("the Navy's").

Examples
--------
>>> from kg.coref import resolve_entities
>>> from kg.mentions import extract_mentions
>>> doc = nlp("She was born in Lyon, France, in 1950.")
>>> lyon = [e for e in resolve_entities(doc, extract_mentions(doc)) if e.name == "Lyon"]
>>> [(m.text, m.link) for m in lyon[0].mentions]
[('Lyon', ''), ('Lyon, France', 'kg.coref.place_container.v1')]
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Doc, Span

from kg.coref.names import name_key, parse_name, plain_name, role_led
from kg.coref.state import Discourse
from kg.ontology import load_ontology
from kg.types import DocLike, Entity, Mention

__all__ = [
    "CONTAINER_RULE",
    "POSSESSOR_RULE",
    "build_entities",
    "with_containers",
    "with_possessives",
]

#: the link of a place's phrase with its container ("Lyon, France")
CONTAINER_RULE = "kg.coref.place_container.v1"
#: the link of a possessor's whole phrase ("the Navy's")
POSSESSOR_RULE = "kg.coref.possessor_phrase.v1"


def _linked(state: Discourse, index: int) -> Mention:
    """Return mention ``index`` with the id of the sieve that linked it."""
    mention = state.mentions[index]
    rule = state.links.get(index, "")
    return replace(mention, link=rule) if rule != mention.link else mention


def build_entities(state: Discourse) -> tuple[Entity, ...]:
    """Return the named clusters as entities, each mention with its link rule.

    Only clusters with a proper name become entities; their class is a vote
    over their mentions' tags and cues, their name the fullest proper name
    (an office title dropped), their other names its aliases.
    """
    onto = load_ontology()
    out: list[Entity] = []
    used: Counter[str] = Counter()
    for ref in state.clusters:
        if not ref.named:
            continue
        mentions = sorted(
            (_linked(state, i) for i in ref.mentions),
            key=lambda m: (m.start_char, m.end_char),
        )
        names = [m for m in mentions if m.kind == "name"]
        if not names:
            continue
        votes = Counter(ref.label_votes)
        if ref.person is True:
            votes["PERSON"] += 1
        label = "Thing"
        for ner, _n in votes.most_common():
            cls = onto.class_for_ner_label(ner)
            if cls is not None:
                label = cls
                break
        best = max(
            names,
            key=lambda m: (
                not role_led(m.text),
                len(parse_name(m.text).words),
                onto.class_for_ner_label(m.label) == label,
                len(m.text),
                -m.start_char,
            ),
        )
        key = parse_name(best.text).key or name_key(best.text) or best.text
        used[key] += 1
        if used[key] > 1:
            key = f"{key} {used[key]}"
        best_key = name_key(best.text)
        aliases = sorted(
            {
                m.text: None
                for m in names
                if name_key(m.text) != best_key and m.text != best.text
            }
        )
        out.append(
            Entity(
                key=key,
                label=label,
                name=plain_name(best.text),
                mentions=tuple(dict.fromkeys(mentions)),
                aliases=tuple(dict.fromkeys(aliases)),
            )
        )
    return tuple(out)


# labels of a name that a following ", Country" places (a city, a body)
_CONTAINED_LABELS = frozenset({"GPE", "LOC", "ORG", "FAC"})
# labels of the place that contains it
_CONTAINER_LABELS = frozenset({"GPE", "LOC"})
# what may join a name to its container: "Lyon, in France"
_CONTAINER_LINK = re.compile(r", (?:in )?(?:the )?")


def _container_of(doc: Doc, name: Span, place: Span) -> bool:
    """Whether ``place`` follows ``name`` as the place containing it.

    "Lyon, France" and "Lyon, in France": the place hangs on the
    name (apposition, or "in" attached to it); a list "Paris, London and
    Rome" coordinates them instead.
    """
    if place.start <= name.end:
        return False
    if place.root.dep_ == "conj":
        # "Lyon, Nantes and Rome" is a list; "born in Lyon, France, and
        # later..." a lone "conj" with no coordinator of its own is not
        joined = (name.root, place.root)
        if any(
            c.dep_ in ("cc", "conj")
            for t in joined
            for c in t.children
            if c.i != place.root.i
        ):
            return False
    nxt = doc[place.end] if place.end < len(doc) else None
    if nxt is not None and nxt.lower_ in ("and", "or"):
        return False
    head = place.root.head
    if head.lower_ == "in" and head.i == name.end + 1:
        # "moved to Lyon, in France": the parser hangs "in" on the verb
        return True
    return name.start <= head.i < name.end


def _with_extra_mentions(entity: Entity, extra: Sequence[Mention]) -> Entity:
    """Return ``entity`` with the ``extra`` mentions added in text order."""
    if not extra:
        return entity
    mentions = sorted((*entity.mentions, *extra), key=lambda x: x.start_char)
    return replace(entity, mentions=tuple(mentions))


def with_containers(
    doclike: DocLike, entities: tuple[Entity, ...]
) -> tuple[Entity, ...]:
    """Give a place or body named with its container one more, whole mention.

    "Lyon, France" names Lyon: besides the name "Lyon" (and "France" of its
    own entity) Lyon gets the whole phrase as a description-kind mention,
    so the phrase is found as a mention of Lyon, not of France.

    Examples
    --------
    >>> from kg.coref import resolve_entities
    >>> from kg.mentions import extract_mentions
    >>> doc = nlp("She was born in Lyon, France, in 1950.")
    >>> ents = resolve_entities(doc, extract_mentions(doc))
    >>> {e.name: [m.text for m in e.mentions] for e in ents}["Lyon"]
    ['Lyon', 'Lyon, France']
    """
    doc = doclike.doc if isinstance(doclike, Span) else doclike
    doc_text = doc.text  # built anew from the tokens on each access
    places: dict[int, tuple[Mention, Entity]] = {}
    for entity in entities:
        for m in entity.mentions:
            if m.kind == "name" and m.label in _CONTAINER_LABELS:
                places[m.start_char] = (m, entity)
    out: list[Entity] = []
    for entity in entities:
        extra: list[Mention] = []
        for m in entity.mentions:
            if m.kind != "name" or m.label not in _CONTAINED_LABELS:
                continue
            link = _CONTAINER_LINK.match(doc_text, m.end_char)
            found = places.get(link.end()) if link else None
            if found is None or found[1] is entity:
                continue
            place = found[0]
            name = doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
            span = doc.char_span(
                place.start_char, place.end_char, alignment_mode="expand"
            )
            if name is None or span is None or not _container_of(doc, name, span):
                continue
            text = doc_text[m.start_char : place.end_char]
            extra.append(
                Mention(
                    text,
                    m.label,
                    m.start_char,
                    place.end_char,
                    m.sent_index,
                    "nominal",
                    source=CONTAINER_RULE,
                    link=CONTAINER_RULE,
                )
            )
        out.append(_with_extra_mentions(entity, extra))
    return tuple(out)


# the clitic that marks a possessor: "the Regent's", "the Smiths'"
_POSSESSIVE_CLITICS = frozenset({"'s", "'", "\u2019s", "\u2019"})


def _possessor_start(doc: Doc, left: int, name_start: int) -> int | None:
    """Where the possessor phrase before a name starts, or None if unclear.

    The words before the name within the possessor are kept when they are
    its determiner or modifiers ("the", "advice columnist"); a focus adverb
    ("only Ada's") is left out. Punctuation, coordination, clauses or a
    pronoun ("my") mean the parse or the phrase is not a plain possessor.
    """
    while left < name_start and doc[left].dep_ in ("advmod", "cc", "preconj"):
        left += 1
    for tok in doc[left:name_start]:
        if (
            tok.dep_ not in ("det", "compound", "amod", "nmod", "appos", "nummod")
            or tok.is_punct
            or tok.pos_ in ("PRON", "VERB", "AUX")
        ):
            return None
    return left


def with_possessives(
    doclike: DocLike, entities: tuple[Entity, ...]
) -> tuple[Entity, ...]:
    """Give a name used as a possessor its whole possessive phrase too.

    In "the Regent's service" the noun phrase that refers to the Regent is the
    possessor "the Regent's", determiner and clitic included; the name
    mention "Regent" is only its head. The whole possessor (the subtree of
    the name's head, ending in the clitic) is added as one more,
    description-kind mention of the same entity, so the phrase is found as
    a mention of the Regent and not of the larger "the Regent's service".
    The name mention and its matching keys are left as they are.

    Examples
    --------
    >>> from kg.coref import resolve_entities
    >>> from kg.mentions import extract_mentions
    >>> doc = nlp("She joined the Navy's staff. The Navy paid her.")
    >>> ents = resolve_entities(doc, extract_mentions(doc))
    >>> [m.text for m in ents[0].mentions]
    ["the Navy's", 'Navy', 'Navy']
    """
    doc = doclike.doc if isinstance(doclike, Span) else doclike
    out: list[Entity] = []
    for entity in entities:
        have = {(m.start_char, m.end_char) for m in entity.mentions}
        extra: list[Mention] = []
        for m in entity.mentions:
            if m.kind != "name":
                continue
            name = doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
            if name is None or name.end >= len(doc):
                continue
            head, clitic = name.root, doc[name.end]
            if (
                head.dep_ != "poss"
                or clitic.lower_ not in _POSSESSIVE_CLITICS
                or clitic.head.i != head.i
                or head.right_edge.i != clitic.i
            ):
                continue
            first = _possessor_start(doc, head.left_edge.i, name.start)
            if first is None:
                continue
            phrase = doc[first : clitic.i + 1]
            start, end = phrase.start_char, phrase.end_char
            if (start, end) in have:
                continue
            have.add((start, end))
            extra.append(
                Mention(
                    phrase.text,
                    m.label,
                    start,
                    end,
                    m.sent_index,
                    "nominal",
                    source=POSSESSOR_RULE,
                    link=POSSESSOR_RULE,
                )
            )
        out.append(_with_extra_mentions(entity, extra))
    return tuple(out)
