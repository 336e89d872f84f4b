"""Close-apposition sieves: a description in one phrase with a name.

"the poet Ann Lee", "his co-star, Tom Hale" written close, "the village of
X", "[my brother] Tom", "X, which ..." (a name with its clause), "the person
Ada Byrne": the description is a mention of the name beside it, so it waits
for that name and joins its cluster when the name is read.

Examples
--------
>>> from kg.coref import resolve_entities
>>> from kg.mentions import extract_mentions
>>> doc = nlp("The poet Ann Lee read a poem. Lee left early.")
>>> [[m.text for m in e.mentions] for e in resolve_entities(doc, extract_mentions(doc))]
[['The poet', 'Ann Lee', 'Lee']]
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.coref.grammar import PERSON_LABELS, QUOTE_CHARS, span_head
from kg.coref.sieves.registry import sieve
from kg.coref.state import Discourse
from kg.coref.words import OF_NAMED_NOUNS

#: Articles and quote marks looked through between a description and a name.
_LEAD_WORDS = 5
#: Brackets that open a citation or gloss after a noun.
_OPENING_BRACKETS = frozenset({"(", "["})

__all__ = [
    "bracketed_name",
    "close_apposed_name",
    "name_extended_by",
    "place_named_of",
]


def bracketed_name(state: Discourse, span: Span) -> int | None:
    """Return the person name right after a bracketed description.

    Quotations insert a description in square brackets before a name
    ("I thank [my brother] Tom Hale"); the parse rarely links the two.
    """
    doc = state.doc
    start, end = span.start, span.end
    if start == 0 or end + 1 >= len(doc):
        return None
    if doc[start - 1].text != "[" or doc[end].text != "]":
        return None
    if span_head(span).tag_ in {"NNS", "NNPS"}:
        return None
    other = state.mention_at(end + 1)
    if other is None:
        return None
    name = state.mentions[other]
    if (
        name.kind != "name"
        or name.start_char != doc[end + 1].idx
        or name.label not in PERSON_LABELS
    ):
        return None
    return other


def name_extended_by(state: Discourse, span: Span, head: Token) -> int | None:
    """Return the name heading a longer phrase ("X, which ...", "Emir X").

    A phrase whose head word belongs to a name inside it is that name with
    more words: a clause after it, or a title the tagger left out of it.
    """
    if head.pos_ != "PROPN":
        return None
    for other in state.token_mentions.get(head.i, ()):
        name = state.spans[other]
        if (
            state.mentions[other].kind == "name"
            and name is not None
            and span.start <= name.start
            and name.end <= span.end
            # a clause after the name, or title words before it
            and (name.start == span.start or name.end == span.end)
            and len(name) < len(span)
            and name.start <= head.i < name.end
        ):
            return other
    return None


def close_apposed_name(state: Discourse, span: Span, head: Token) -> int | None:
    """Return the name a description stands right before ("the poet Ann Lee").

    In close apposition the description and the name, side by side with
    no comma, are one entity ("his co-star Ann Lee", "the thriller Dark
    Water"). The description ends in its singular head noun and the name
    follows it at once (an article or quote mark may open the name: "the
    play The Tempest"); the parse makes the noun a modifier of the name, or
    loses the link, in which case a possessive name ("gave the boy Tom's
    book") is left alone.
    """
    doc = state.doc
    last = span[-1]
    if head.tag_ in {"NNS", "NNPS"} or last.pos_ not in {"NOUN", "ADJ"}:
        return None
    if not any(t.dep_ in {"det", "poss"} for t in span):
        return None  # "novelist Ann Lee": a bare noun is part of the name
    if span.end >= len(doc) or last.whitespace_ == "" or "\n" in last.whitespace_:
        return None
    i = span.end
    stop = min(span.end + _LEAD_WORDS, len(doc) - 1)
    while i < stop and (doc[i].lower_ == "the" or doc[i].text in QUOTE_CHARS):
        i += 1
    other = next(
        (
            k
            for k in state.token_mentions.get(i, ())
            if state.mentions[k].kind == "name"
        ),
        None,
    )
    name = state.spans[other] if other is not None else None
    if other is None or name is None or name.start != i:
        return None
    linked = (
        name.start <= last.head.i < name.end
        or name.start <= head.head.i < name.end
        or name.root.head.i in range(span.start, span.end)
    )
    if not linked and (name.end < len(doc) and doc[name.end].tag_ == "POS"):
        return None
    return other


def place_named_of(state: Discourse, head: Token) -> int | None:
    """Return the place name an "of"-phrase gives a place noun ("town of X").

    "the village of X" is X, as "the capital of X" is not; a plural
    ("the towns of X and Y") names no one place.
    """
    if head.lemma_.lower() not in OF_NAMED_NOUNS or head.tag_ in {"NNS", "NNPS"}:
        return None
    for prep in head.rights:
        if prep.dep_ != "prep" or prep.lower_ != "of":
            continue
        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if pobj is None or pobj.pos_ != "PROPN":
            return None
        index = state.mention_at(pobj.i)
        if index is None:
            return None
        return index if state.mentions[index].kind == "name" else None
    return None


def _wait(state: Discourse, index: int, name: int | None, rule: str) -> bool:
    if name is None or name == index:
        return False
    state.wait_for_name(name, index, rule)
    return True


@sieve("kg.coref.name_with_clause.v1", "nominal")
def name_with_clause(state: Discourse, index: int) -> bool:
    """Link "X, which ..." or "Emir X" (a name with more words) to the name."""
    span = state.spans[index]
    if span is None:
        return False
    found = name_extended_by(state, span, span_head(span))
    if found is None:
        return False
    state.wait_for_name(found, index, "kg.coref.name_with_clause.v1")
    return True


@sieve("kg.coref.close_apposition.v1", "nominal")
def close_apposition(state: Discourse, index: int) -> bool:
    """Link a description right before a name ("the poet Ann Lee") to the name."""
    span = state.spans[index]
    if span is None:
        return False
    found = close_apposed_name(state, span, span_head(span))
    return _wait(state, index, found, "kg.coref.close_apposition.v1")


@sieve("kg.coref.bracketed_description.v1", "nominal")
def bracketed_description(state: Discourse, index: int) -> bool:
    """Link an editorial description in brackets to the name after it."""
    span = state.spans[index]
    if span is None:
        return False
    found = bracketed_name(state, span)
    if found is None:
        return False
    state.wait_for_name(found, index, "kg.coref.bracketed_description.v1")
    return True


@sieve("kg.coref.noun_before_name.v1", "nominal")
def noun_before_name(state: Discourse, index: int) -> bool:
    """Link a class noun set before a name ("the thriller X") to the name."""
    span = state.spans[index]
    if span is None:
        return False
    last = span[-1]
    if last.dep_ not in {"compound", "amod"} or last.head.i < span.end:
        return False
    following = state.mention_at(span.end)
    if (
        following is not None
        and following != index
        and state.mentions[following].kind == "name"
        and (after := state.spans[following]) is not None
        and after.start == span.end
    ):
        state.wait_for_name(following, index, "kg.coref.noun_before_name.v1")
        return True
    return False


@sieve("kg.coref.name_in_phrase.v1", "nominal")
def name_in_phrase(state: Discourse, index: int) -> bool:
    """Link a description to a name inside its phrase ("the person Ada Byrne").

    A name in brackets after the noun is a citation or a gloss ("the report
    (Byrne 2014)"), not the noun's own name.
    """
    span = state.spans[index]
    if span is None:
        return False
    head = span_head(span)
    for child in head.children:
        if (
            child.dep_ in {"compound", "appos"}
            and child.pos_ == "PROPN"
            and head.i < child.left_edge.i <= head.i + 2
            and head.tag_ not in {"NNS", "NNPS"}
            and state.doc[head.i + 1].text not in _OPENING_BRACKETS
        ):
            other = state.mention_at(child.i)
            if (
                other is not None
                and other != index
                and state.mentions[other].kind == "name"
            ):
                state.wait_for_name(other, index, "kg.coref.name_in_phrase.v1")
                return True
    return False


@sieve("kg.coref.place_of_name.v1", "nominal")
def place_of_name(state: Discourse, index: int) -> bool:
    """Link "the village of X" to the place X."""
    span = state.spans[index]
    if span is None:
        return False
    found = place_named_of(state, span_head(span))
    return _wait(state, index, found, "kg.coref.place_of_name.v1")
