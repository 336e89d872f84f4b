"""Description passes for nouns no class lexicon types.

A definite noun phrase can refer to a named entity with a head that says
little of its class: an age used as a noun ("the 45-year-old", a person) or
a noun for a building or site ("the facility", "the venue", a place or the
body housed there). These passes make them mentions; the description sieves
decide what they refer to.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.attrs import POS
from spacy.symbols import ADJ, NOUN
from spacy.tokens import Doc, Span, Token

from kg.lexicon import load_words
from kg.mentions.base import Candidate, Context, register_pass
from kg.mentions.phrases import nominal_span, phrase_index
from kg.mentions.predicates import name_labels
from kg.mentions.spans import token_indices

__all__ = ["age_nouns", "company_nouns", "facility_nouns"]

AGES = "kg.mentions.ages.v1"
FACILITIES = "kg.mentions.facilities.v1"
COMPANIES = "kg.mentions.companies.v1"

#: determiners of a description that points back ("the facility", "this venue")
_POINTING_DETS = frozenset({"the", "this", "that"})
#: roles a noun phrase (not a modifier) fills
_PHRASE_DEPS = frozenset(
    {"nsubj", "nsubjpass", "dobj", "pobj", "attr", "appos", "conj", "dative", "ROOT"}
)
#: units of an age ("the 45-year-old", "the six-month-old")
_AGE_UNITS = frozenset({"year", "month", "week", "day"})


def _pointing(head: Token) -> bool:
    """Tell a head with a pointing determiner ("the", "this") before it."""
    return any(c.dep_ == "det" and c.lower_ in _POINTING_DETS for c in head.lefts)


def _taken(found: tuple[Candidate, ...]) -> set[int]:
    """Return the tokens covered by earlier candidates."""
    return {t.i for c in found for t in c.span}


def age_head(token: Token) -> bool:
    """Tell "old" of "the 45-year-old" used as a noun phrase of its own.

    Examples
    --------
    >>> doc = nlp("The 45-year-old was charged.")
    >>> age_head(doc[5])
    True
    >>> doc = nlp("The 45-year-old man was charged.")
    >>> age_head(doc[5])
    False
    """
    if token.lower_ != "old" or token.dep_ not in _PHRASE_DEPS:
        return False
    doc = token.doc
    if token.i < 2 or doc[token.i - 1].text not in {"-", "–"}:
        return False
    unit = doc[token.i - 2]
    return unit.lemma_.lower() in _AGE_UNITS and _pointing(token)


@register_pass(AGES)
def age_nouns(ctx: Context, found: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    """Find an age used as a noun ("the 45-year-old"): a person.

    News text names a person and then calls them by their age ("Ann Lee ...
    the 45-year-old"); the age is a person description like "the woman".

    Examples
    --------
    >>> doc = nlp("The 45-year-old was charged.")
    >>> [(c.span.text, c.label) for c in age_nouns(Context(doc), ())]
    [('The 45-year-old', 'PERSON')]
    """
    doc: Doc = ctx.doc
    taken = _taken(found)
    new: list[Candidate] = []
    for i in token_indices(ctx.doclike, POS, [ADJ, NOUN]):
        token = doc[i]
        if i in taken or not age_head(token):
            continue
        start = min(c.left_edge.i for c in token.lefts)
        new.append(Candidate(doc[start : i + 1], "PERSON", AGES, "nominal"))
    return (*found, *new)


def _always(_head: Token) -> bool:
    return True


def _definite_nouns(
    ctx: Context,
    found: tuple[Candidate, ...],
    lexicon: str,
    label: str,
    source: str,
    *,
    also: Callable[[Token], bool] = _always,
) -> tuple[Candidate, ...]:
    """Add each pointing singular noun of ``lexicon`` heading a phrase of its own.

    The noun ("the facility", "this venue") has "the", "this" or "that",
    fills a noun phrase's role (no modifier of another noun), satisfies
    ``also`` and overlaps no earlier candidate; its phrase becomes a
    ``label`` mention found by ``source``.
    """
    doc: Doc = ctx.doc
    nouns = load_words(lexicon)
    taken = _taken(found)
    name_tokens = set(name_labels(found))
    index = phrase_index(ctx, name_tokens)
    new: list[Candidate] = []
    for i in token_indices(ctx.doclike, POS, [NOUN]):
        head = doc[i]
        if (
            i in taken
            or head.tag_ != "NN"
            or head.lemma_.lower() not in nouns
            or head.dep_ not in _PHRASE_DEPS
            or not _pointing(head)
            or not also(head)
        ):
            continue
        span: Span = nominal_span(doc, i, i + 1, head, name_tokens, index)
        if any(t.i in taken for t in span):
            continue
        new.append(Candidate(span, label, source, "nominal"))
    return (*found, *new)


@register_pass(FACILITIES)
def facility_nouns(ctx: Context, found: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    """Find a definite noun for a building or site ("the facility", "this venue").

    A singular noun of the facility-description lexicon with "the", "this" or
    "that", heading a noun phrase of its own (no modifier of another noun), is
    a description of a place the text may have named ("X Treatment Center
    ... the facility"). Its class is ``FAC``.

    Examples
    --------
    >>> doc = nlp("They left the facility at noon.")
    >>> [(c.span.text, c.label) for c in facility_nouns(Context(doc), ())]
    [('the facility', 'FAC')]
    """
    return _definite_nouns(ctx, found, "nouns-facility-description", "FAC", FACILITIES)


def _industry_noun(head: Token) -> bool:
    """Tell "giant" of "the software giant": a company noun with its industry."""
    return any(
        c.dep_ in {"compound", "amod"} and c.pos_ in {"NOUN", "PROPN", "ADJ"}
        for c in head.lefts
    )


@register_pass(COMPANIES)
def company_nouns(ctx: Context, found: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    """Find a company named by its trade ("the software giant", "the phone maker").

    A noun of the company-figure lexicon ("giant", "maker") means a company
    when its industry stands before it; with "the" or "this" it points back
    to one the text named. Its class is ``ORG``.

    Examples
    --------
    >>> doc = nlp("The software giant said so.")
    >>> [(c.span.text, c.label) for c in company_nouns(Context(doc), ())]
    [('The software giant', 'ORG')]
    """
    return _definite_nouns(
        ctx, found, "nouns-company-figure", "ORG", COMPANIES, also=_industry_noun
    )
