"""Names that end in a number the tagger left out: models, routes, reigns.

"the Varnix 2600", "Tarnby Route 12", "Queen Ada II": the small model
often tags the words and reads the number after them as a count, so the
name stops before it, and "Varnix 2600" becomes a mention of the maker
"Varnix". The number belongs to the name: the pass grows the name over it.
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from kg.mentions.base import Candidate, Context, covered_tokens, register_pass

__all__ = ["NUMBERED", "numbered_names"]

NUMBERED = "kg.mentions.names.numbered.v1"

#: A model, route or edition number: digits, maybe one letter after.
_NUMBER = re.compile(r"\d{1,4}[A-Za-z]?")
#: A model code: one or two capitals, then digits ("A330", "S9").
_CODE = re.compile(r"[A-Z]{1,2}\d{1,4}")
#: A roman numeral of a reign, a sequel or a war (I to XXXIX).
_ROMAN = re.compile(r"X{0,3}(IX|IV|V?I{0,3})")
_YEAR = re.compile(r"1[0-9]{3}|20[0-9]{2}")
#: Names a year does not end: a place or a person is not named for one.
_NO_YEAR_LABELS = frozenset({"GPE", "LOC", "PERSON", "NORP"})
#: Names whose closing number is a count, not part of the name ("Varnish 300").
_NO_NUMBER_LABELS = frozenset({"NORP"})
#: What may follow the number: it closes the name, not a count of what follows.
_AFTER_POS = frozenset({"PUNCT", "ADP", "CCONJ", "SCONJ", "NOUN", "PROPN", "PART"})


def _roman(text: str) -> bool:
    return bool(text) and _ROMAN.fullmatch(text) is not None


def _number_like(text: str) -> bool:
    return bool(
        _NUMBER.fullmatch(text)
        or _CODE.fullmatch(text)
        or (len(text) > 1 and _roman(text))
    )


def _closes_name(tok: Token, label: str, stop: int) -> bool:
    """Tell a token after a name that is the name's number."""
    text = tok.text
    after = tok.doc[tok.i + 1] if tok.i + 1 < stop else None
    if _roman(text):
        # "Queen Ada I in 1914", never "when Ada I left" (the pronoun)
        return (
            len(text) > 1
            or after is None
            or (
                after.pos_ in _AFTER_POS - {"NOUN", "PROPN"}
                and after.text not in {"'m", "’m"}
            )
        )
    code = label not in _NO_YEAR_LABELS and _CODE.fullmatch(text) is not None
    if (_NUMBER.fullmatch(text) is None and not code) or label in _NO_NUMBER_LABELS:
        return False
    if _YEAR.fullmatch(text) and label in _NO_YEAR_LABELS:
        return False
    # "Tarnby 3 - 1 Varn", "Varnix 2600 units": a score or a count
    return after is None or (
        after.pos_ in _AFTER_POS
        and after.text not in {"-", "–", ":", "/", "%"}
        and not (after.pos_ == "NOUN" and after.tag_ == "NNS")
    )


def _grown(span: Span, label: str, stop: int, covered: set[int]) -> Span | None:
    doc, end = span.doc, span.end
    if (
        end >= stop
        or not span[-1].whitespace_
        or end in covered
        or not (span[-1].is_title or span[-1].is_upper)
        or doc[end].is_sent_start
    ):
        return None
    return doc[span.start : end + 1] if _closes_name(doc[end], label, stop) else None


@register_pass(NUMBERED)
def numbered_names(ctx: Context, found: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    """Grow a name over the model, route or reign number right after it.

    Digits (with at most one letter) close a maker's, a route's, an
    event's or a work's name ("Varnix 2600", "Route 12", "Tarnby Games
    2004"), and so does a model code ("Zelvor A330"), but no place's; a
    year closes no place's or person's name, and a people's name takes no
    number. A roman numeral closes any name ("Ada II"); a lone "I" only
    before punctuation or a preposition, so the pronoun stays out. A number
    that counts or scores what follows ("3 - 1", "2600 units") stays out.

    Examples
    --------
    >>> doc = nlp("Her uncle Tomasz II died in 1914.")
    >>> found = (Candidate(doc[2:3], "PERSON", "ner"),)
    >>> [(c.span.text, c.source) for c in numbered_names(Context(doc), found)]
    [('Tomasz II', 'kg.mentions.names.numbered.v1')]
    """
    # a number the tagger took for a name of its own ("A330" as a product)
    alone = {
        c.span.start: c
        for c in found
        if c.kind == "name" and len(c.span) == 1 and _number_like(c.span[0].text)
    }
    covered = covered_tokens(c for c in found if c.span.start not in alone)
    stop = ctx.stop
    out: list[Candidate] = []
    taken: set[int] = set()
    for c in found:
        if c.span.start in alone and alone[c.span.start] is c:
            out.append(c)
            continue
        grown = _grown(c.span, c.label, stop, covered) if c.kind == "name" else None
        if grown is None:
            out.append(c)
            continue
        number = alone.get(grown.end - 1)
        label = (
            number.label
            if number is not None and number.label == "PRODUCT"
            else c.label
        )
        taken.add(grown.end - 1)
        out.append(Candidate(grown, label, NUMBERED, c.kind))
    return tuple(
        c for c in out if not (c.span.start in taken and c is alone.get(c.span.start))
    )
