"""Quotations no reporting verb attributes: "according to X", and the topic before.

``kg.coref.quote_speaker.v1`` reads a quotation's speaker off its reporting
verb ("X said"). News attributes many quotations without one:

- "according to": '"I never left," according to Ada Byrne.' -- the object of
  "according to" in the quotation's sentence speaks it;
- a quotation opening its sentence right after a sentence about a named
  person, with no speaker of its own: 'Ada Byrne was elated. "I cannot
  believe it."' -- the subject of the sentence before speaks it (Lee et al.
  2013, and the journalistic convention of introducing a quote by its
  speaker).

The "I", "me", "my" of such a quotation are its speaker
(``kg.coref.unreported_quote.v1``).

Examples
--------
>>> from kg.coref import resolve_entities
>>> from kg.mentions import extract_mentions
>>> doc = nlp('Ada Byrne was elated. "I cannot believe it."')
>>> [[m.text for m in e.mentions] for e in resolve_entities(doc, extract_mentions(doc))]
[['Ada Byrne', 'I']]
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.coref.dialogue import Quote
from kg.coref.grammar import NOMINAL_SUBJ_DEPS
from kg.coref.sieves.registry import sieve
from kg.coref.state import Discourse
from kg.coref.words import FIRST

__all__ = ["unreported_speaker"]

UNREPORTED_QUOTE = "kg.coref.unreported_quote.v1"

#: Tokens between a quotation and the sentence before it (marks, spaces).
_GAP = 3


def _according_to(state: Discourse, quote: Quote) -> int | None:
    """Return the object of "according to" in the sentences the quotation touches."""
    doc = state.doc
    first = doc[quote.start].sent
    last = doc[max(quote.end - 1, quote.start)].sent
    for token in doc[first.start : last.end]:
        if quote.start <= token.i < quote.end or token.lower_ != "according":
            continue
        nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if nxt is None or nxt.lower_ != "to":
            continue
        for prep in (token, nxt):
            for child in prep.children:
                if child.dep_ == "pobj" and not quote.start <= child.i < quote.end:
                    return child.i
    return None


def _topic_before(state: Discourse, quote: Quote) -> int | None:
    """Return the named person the sentence before a quotation is about.

    The quotation opens its sentence; the sentence before, outside any
    quotation, has a person's name (or a pronoun resolved to a named
    person) as its subject.
    """
    doc = state.doc
    sent = doc[quote.start].sent
    if quote.start - sent.start > _GAP or quote.start < 2:
        return None
    before = doc[sent.start - 1].sent if sent.start > 0 else None
    if before is None or any(
        i in state.quote_of for i in (before.start, before.end - 1)
    ):
        return None
    subjects = [
        t for t in before if t.dep_ in NOMINAL_SUBJ_DEPS and t.head.i == before.root.i
    ]
    if len(subjects) != 1:
        return None
    ref = state.cluster_at(subjects[0].i)
    if ref is None or not ref.named or ref.is_person() is not True:
        return None
    return subjects[0].i


def unreported_speaker(state: Discourse, quote: Quote) -> int | None:
    """Return the token of who speaks a quotation no reporting verb attributes."""
    if quote.speaker is not None:
        return None
    found = _according_to(state, quote)
    return found if found is not None else _topic_before(state, quote)


def _speaker_of(state: Discourse, token: Token) -> int | None:
    quote = state.quote_of.get(token.i)
    if quote is None or token.lower_ not in FIRST:
        return None
    return unreported_speaker(state, quote)


@sieve(UNREPORTED_QUOTE, "speech")
def unreported_quote(state: Discourse, index: int) -> bool:
    """Link the "I" of a quotation with no reporting verb to its speaker."""
    span = state.spans[index]
    if span is None:
        return False
    speaker = _speaker_of(state, span.root)
    if speaker is None:
        return False
    ref = state.cluster_at(speaker)
    if ref is None:
        return state.wait(index)
    sent = state.mentions[index].sent_index
    state.add(ref, index, sent, span.root, True, rule=UNREPORTED_QUOTE)
    return True
