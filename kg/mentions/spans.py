"""Span helpers the later stages share with the mention passes.

Coreference, relations and values map mentions back onto the parse with
these: which tokens a mention stands for, which sentence a token opens,
which tokens carry an attribute. They are public (re-exported by
:mod:`kg.mentions`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Protocol, TypeVar

import numpy as np
from spacy.tokens import Doc, Span

from kg.types import DocLike, Mention, MentionKind

__all__ = [
    "ENTITY_LABELS",
    "covered_span",
    "mention_of_span",
    "mention_tokens",
    "name_words",
    "sentence_starts",
    "token_indices",
]

#: NER labels that name entities kg makes nodes for (dates and numbers do not).
ENTITY_LABELS = frozenset(
    {
        "PERSON",
        "ORG",
        "GPE",
        "LOC",
        "FAC",
        "NORP",
        "WORK_OF_ART",
        "EVENT",
        "PRODUCT",
        "LAW",
        "LANGUAGE",
    }
)


def token_indices(doclike: DocLike, attr: int, values: Iterable[int]) -> list[int]:
    """Return the ``Doc`` indices of tokens whose attribute is one of ``values``.

    One vectorised pass over the parse, so that rules only build ``Token``
    objects for the few tokens they look at.

    Examples
    --------
    >>> from spacy.symbols import PROPN
    >>> from spacy.attrs import POS
    >>> token_indices(nlp("Ada met Bob."), POS, [PROPN])
    [0, 2]
    """
    doc = doclike.doc
    start = doclike.start if isinstance(doclike, Span) else 0
    column = doc.to_array([attr])[start : start + len(doclike)]
    hits = np.flatnonzero(np.isin(column, np.fromiter(values, dtype=column.dtype)))
    return [int(i) + start for i in hits]


class _HasMentions(Protocol):
    @property
    def mentions(self) -> tuple[Mention, ...]: ...


_M = TypeVar("_M", bound=_HasMentions)


def mention_tokens(doc: Doc, items: Iterable[_M]) -> dict[int, _M]:
    """Map each token a mention covers to the entity (or value) of the mention.

    The first item to cover a token keeps it; a description covers only its
    head and what comes before it (:func:`covered_span`).

    Examples
    --------
    >>> from kg.types import Entity
    >>> ada = Entity("ada", "Person", "Ada", (Mention("Ada", "PERSON", 0, 3, 0),))
    >>> {i: e.key for i, e in mention_tokens(nlp("Ada met Bob."), [ada]).items()}
    {0: 'ada'}
    """
    by_token: dict[int, _M] = {}
    for item in items:
        for m in item.mentions:
            span = covered_span(doc, m)
            if span is None:
                continue
            for token in span:
                by_token.setdefault(token.i, item)
    return by_token


def covered_span(doc: Doc, mention: Mention) -> Span | None:
    """Return the tokens a mention stands for: a description's ends at its head.

    A name or pronoun covers its whole span; a description its head noun and
    what comes before it, not the phrase after the head ("the owner of the
    zoo": "zoo" is not the owner).

    Examples
    --------
    >>> doc = nlp("Ada, the owner of the zoo, left.")
    >>> owner = Mention("the owner of the zoo", "PERSON", 5, 25, 0, "nominal")
    >>> covered_span(doc, owner)
    the owner
    """
    span = doc.char_span(mention.start_char, mention.end_char, alignment_mode="expand")
    if span is None or mention.kind != "nominal":
        return span
    return span[: span.root.i - span.start + 1]


def sentence_starts(doclike: DocLike) -> dict[int, int]:
    """Map the first token index of each sentence of the ``Doc`` to its index.

    Examples
    --------
    >>> sentence_starts(nlp("One. Two."))
    {0: 0, 2: 1}
    """
    return {sent.start: i for i, sent in enumerate(doclike.doc.sents)}


def mention_of_span(
    span: Span,
    label: str,
    *,
    sent_index: int,
    kind: MentionKind = "name",
    source: str = "",
) -> Mention:
    """Turn a spaCy span into a :class:`Mention` with document offsets.

    ``source`` is the id of the mention pass that found the span.

    Examples
    --------
    >>> doc = nlp("Ada Byrne wrote notes.")
    >>> mention_of_span(doc[0:2], "PERSON", sent_index=0)
    Mention(text='Ada Byrne', label='PERSON', start_char=0, end_char=9,
            sent_index=0, kind='name')
    """
    return Mention(
        text=span.text,
        label=label,
        start_char=span.start_char,
        end_char=span.end_char,
        sent_index=sent_index,
        kind=kind,
        source=source,
    )


def name_words(text: str) -> list[str]:
    """Split a name into lower-cased, accent-free words (hyphenated ones kept).

    Quotes, possessive markers and punctuation other than hyphens and
    word-internal apostrophes go.

    Examples
    --------
    >>> name_words('Joe "Ace" Müller-Smith’s')
    ['joe', 'ace', 'muller-smith']
    >>> name_words("Pierre L’Enfant")
    ['pierre', "l'enfant"]
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("’", "'")
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"\s*-\s*", "-", text)
    words = (w.strip("-'") for w in re.split(r"[^\w'-]+", text))
    return [w for w in words if w]
