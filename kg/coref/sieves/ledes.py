"""Lede sieve: a text that opens on a described person names them just after.

News text often opens on a description and names the person a sentence or
two later: "The veteran actress has entered a clinic. ... Ann Lee checked in
on Tuesday." The description, subject of the headline or of the first
sentence, read before any person is named, is the one person the next
sentences name.

Examples
--------
>>> from kg.coref import resolve_entities
>>> from kg.mentions import extract_mentions
>>> doc = nlp("The veteran actress has entered a clinic. "
...           "Dora Quill checked in on Tuesday, her lawyer said.")
>>> [[m.text for m in e.mentions] for e in resolve_entities(doc, extract_mentions(doc))
...  if e.label == "Person"]
[['The veteran actress', 'Dora Quill', 'her']]
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.coref.grammar import PERSON_LABELS, span_head
from kg.coref.names import parse_name
from kg.coref.sieves.headline import RELATIONAL_NOUNS, headline_end
from kg.coref.sieves.registry import sieve
from kg.coref.state import Discourse
from kg.mentions import FEMALE_NOUNS, MALE_NOUNS
from kg.mentions.lexicons import given_name_gender

__all__ = ["LEDE_CATAPHORA", "lede_cataphora", "named_after"]

LEDE_CATAPHORA = "kg.coref.lede_cataphora.v1"
#: Sentences after the description in which its name may come.
NAME_WINDOW = 3
#: Determiners of an opening description ("The actress", "A local man").
_OPENING_DETS = frozenset({"the", "a", "an"})


def _opening(state: Discourse, head: Token) -> bool:
    """Tell a head in the text's first sentence, or the first after its headline."""
    doc = state.doc
    first = doc[0].sent if len(doc) else None
    if first is not None and head.sent.start == first.start:
        return True
    end = headline_end(doc.text)
    if end < 0:
        return False
    body = next((s for s in doc.sents if s.start_char >= end and s.text.strip()), None)
    return body is not None and head.sent.start == body.start


def _describes_one(span: Span, head: Token) -> bool:
    """Tell a singular person description that is its clause's subject."""
    dets = [c for c in head.lefts if c.dep_ == "det"]
    return (
        head.tag_ == "NN"
        and head.dep_ in {"nsubj", "nsubjpass"}
        and head.head.dep_ == "ROOT"
        and bool(dets)
        and dets[0].lower_ in _OPENING_DETS
        and head.lemma_.lower() not in RELATIONAL_NOUNS
        and not any(c.dep_ == "poss" for c in head.children)
    )


def named_after(state: Discourse, index: int, head: Token) -> int | None:
    """Return the name the next sentences give the described person, if one.

    The person names of the next ``NAME_WINDOW`` sentences must all be one
    person (one surname); a person named before the description or in its
    own sentence ("The gunman shot X": someone else), or two people named
    after it, make it no lede.
    """
    sents = list(state.doc.sents)
    at = next(i for i, s in enumerate(sents) if s.start <= head.i < s.end)
    stop = sents[min(at + NAME_WINDOW, len(sents) - 1)].end
    first: int | None = None
    surnames: set[str] = set()
    for i, m in enumerate(state.mentions):
        if m.kind != "name" or m.label not in PERSON_LABELS:
            continue
        span = state.spans[i]
        if span is None or span.start >= stop:
            continue
        if span.start < head.i:
            return None  # a person named before: no lede to resolve
        if span.start < head.sent.end:
            return None  # a clause-mate ("The gunman shot X") is someone else
        words = parse_name(m.text).words
        if words:
            surnames.add(parse_name(m.text).surname)
            first = i if first is None else first
    return first if len(surnames) == 1 else None


@sieve(LEDE_CATAPHORA, "nominal")
def lede_cataphora(state: Discourse, index: int) -> bool:
    """Join a text's opening person description to the name that follows."""
    span = state.spans[index]
    if span is None or state.mentions[index].label != "PERSON":
        return False
    head = span_head(span)
    if not _describes_one(span, head) or not _opening(state, head):
        return False
    name = named_after(state, index, head)
    if name is None:
        return False
    lemma = head.lemma_.lower()
    gender = "f" if lemma in FEMALE_NOUNS else "m" if lemma in MALE_NOUNS else None
    words = parse_name(state.mentions[name].text).words
    said, sure = given_name_gender(words[0]) if len(words) > 1 else (None, 0)
    if gender is not None and sure and said != gender:
        return False
    state.wait_for_name(name, index, LEDE_CATAPHORA)
    return True
