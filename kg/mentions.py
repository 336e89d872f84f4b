"""Mention detection: the stretches of text that refer to entities.

Three kinds of mention are found over the spaCy parse: proper names (from
the NER layer, trimmed of determiners and possessive markers), pronouns, and
nominal descriptions headed by a common noun ("the former zoo owner").
Coreference (:mod:`kg.coref`) later groups them into entities.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span, Token

from kg.types import DocLike, Mention, MentionKind

__all__ = [
    "ENTITY_LABELS",
    "PRONOUNS",
    "extract_mentions",
    "mention_of_span",
    "sentence_starts",
]

#: NER labels that name entities kg makes nodes for (dates and numbers do not).
ENTITY_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "WORK_OF_ART", "EVENT", "PRODUCT", "LAW"}
)
#: Third-person and first/second-person pronouns that can refer to entities.
PRONOUNS = frozenset(
    {
        "he", "him", "his", "himself", "she", "her", "hers", "herself",
        "it", "its", "itself", "they", "them", "their", "theirs", "themselves",
        "i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves",
        "you", "your", "yours", "yourself", "yourselves", "who", "whom", "whose",
    }
)  # fmt: skip
_TRIM_LEFT_POS = frozenset({"DET", "PUNCT", "ADP"})
_TRIM_RIGHT_TAGS = frozenset({"POS", "''", "``", ",", ".", ":", "HYPH"})


def _trim(span: Span) -> Span | None:
    """Drop leading determiners/quotes and trailing possessives/quotes."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].pos_ in _TRIM_LEFT_POS or doc[start].is_quote):
        start += 1
    while start < end and (
        doc[end - 1].tag_ in _TRIM_RIGHT_TAGS
        or doc[end - 1].is_quote
        or doc[end - 1].is_punct
        or doc[end - 1].lower_ == "'s"
    ):
        end -= 1
    return doc[start:end] if start < end else None


def sentence_starts(doclike: DocLike) -> dict[int, int]:
    """Map the first token index of each sentence of the ``Doc`` to its index.

    Examples
    --------
    >>> sentence_starts(nlp("One. Two."))
    {0: 0, 2: 1}
    """
    return {sent.start: i for i, sent in enumerate(doclike.doc.sents)}


def mention_of_span(
    span: Span, label: str, *, sent_index: int, kind: MentionKind = "name"
) -> Mention:
    """Turn a spaCy span into a :class:`Mention` with document offsets.

    Examples
    --------
    >>> doc = nlp("Ada Lovelace wrote notes.")
    >>> mention_of_span(doc[0:2], "PERSON", sent_index=0)
    Mention(text='Ada Lovelace', label='PERSON', start_char=0, end_char=12, sent_index=0, kind='name')
    """
    return Mention(
        text=span.text,
        label=label,
        start_char=span.start_char,
        end_char=span.end_char,
        sent_index=sent_index,
        kind=kind,
    )


def extract_mentions(
    doclike: DocLike,
    *,
    labels: frozenset[str] = ENTITY_LABELS,
    pronouns: bool = True,
) -> Iterator[Mention]:
    """Yield the name and pronoun mentions of a document, in text order.

    Parameters
    ----------
    doclike
        A parsed ``Doc`` or ``Span``.
    labels
        NER labels to keep as names.
    pronouns
        Whether to yield pronoun mentions too.

    Yields
    ------
    Mention

    Examples
    --------
    >>> doc = nlp("Ada Lovelace met Charles Babbage in London. She liked him.")
    >>> [m.text for m in extract_mentions(doc)]
    ['Ada Lovelace', 'Charles Babbage', 'London', 'She', 'him']
    """
    starts = sentence_starts(doclike)
    found: list[Mention] = []
    for ent in doclike.ents:
        if ent.label_ not in labels:
            continue
        span = _trim(ent)
        if span is not None:
            found.append(
                mention_of_span(span, ent.label_, sent_index=starts[span[0].sent.start])
            )
    if pronouns:
        for token in doclike:
            if token.lower_ in PRONOUNS and token.tag_ in {"PRP", "PRP$", "WP", "WP$"}:
                span = token.doc[token.i : token.i + 1]
                index = starts[token.sent.start]
                found.append(mention_of_span(span, "", sent_index=index, kind="pronoun"))
    yield from sorted(found, key=lambda m: (m.start_char, -m.end_char))
