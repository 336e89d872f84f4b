"""Token tests the name passes share: quotes, name words, trimming a span."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

__all__ = [
    "extend_name",
    "is_acronym_word",
    "is_camel",
    "is_name_token",
    "is_quote",
    "trim_name",
]

_TRIM_LEFT_POS = frozenset({"DET", "PUNCT", "ADP"})
_TRIM_RIGHT_TAGS = frozenset({"POS", "''", "``", ",", ".", ":", "HYPH"})
_QUOTES = frozenset({'"', "“", "”", "«", "»", "''", "``"})
_OPENING_FILLERS = frozenset({"ADV", "CCONJ", "SCONJ", "INTJ"})
_ARTICLES = frozenset({"the", "a", "an"})


def is_quote(token: Token) -> bool:
    """Tell a double quotation mark (a single one may be an apostrophe).

    Examples
    --------
    >>> [is_quote(t) for t in nlp('Ada said "no"')]
    [False, False, True, False, True]
    """
    return token.text in _QUOTES or (
        token.is_quote and token.text not in {"'", "’", "‘"}
    )


def is_name_token(token: Token) -> bool:
    """Tell a proper noun by its part of speech or its fine tag.

    Examples
    --------
    >>> [is_name_token(t) for t in nlp("Ada met Bob.")]
    [True, False, True, False]
    """
    return token.pos_ == "PROPN" or token.tag_ in {"NNP", "NNPS"}


def is_camel(text: str) -> bool:
    """Tell a brand-style name with an inner capital ("eVarn", "iQuill").

    Examples
    --------
    >>> is_camel("eVarn"), is_camel("evarn"), is_camel("Evarn")
    (True, False, False)
    """
    return (
        len(text) > 3
        and text[:1].islower()
        and text.isalpha()
        and any(c.isupper() for c in text[1:])
    )


def is_acronym_word(token: Token) -> bool:
    """Tell an all-capital word of letters ("VU", "TSU"), an acronym.

    Examples
    --------
    >>> [is_acronym_word(t) for t in nlp("TSU and I")]
    [True, False, False]
    """
    return token.is_alpha and token.is_upper and len(token) > 1


def extend_name(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Grow ``[start, end)`` over adjacent name tokens and hyphenated parts.

    Examples
    --------
    >>> doc = nlp("Yesterday Ada Byrne-Hale left.")
    >>> extend_name(doc, 1, 2)
    (1, 5)
    """
    while (
        start > 0 and is_name_token(doc[start - 1]) and not doc[start - 1].is_sent_end
    ):
        start -= 1
    while end < len(doc) and (
        is_name_token(doc[end])
        or (
            doc[end].tag_ == "HYPH"
            and end + 1 < len(doc)
            and is_name_token(doc[end + 1])
            and not doc[end].whitespace_
        )
    ):
        end += 2 if doc[end].tag_ == "HYPH" else 1
    return start, min(end, len(doc))


def _line_end(doc: Doc, start: int, end: int) -> int:
    """Return where a span must end: at a line break or a new sentence inside it."""
    for i in range(start, end):
        if doc[i].is_space or "\n" in doc[i].whitespace_:
            return i if doc[i].is_space else i + 1
        if (doc[i].text == "(" or doc[i].is_sent_start) and i > start:
            return i
    return end


def _trim_left(doc: Doc, start: int, end: int) -> bool:
    token = doc[start]
    return (
        token.pos_ in _TRIM_LEFT_POS
        or token.is_quote
        # "a united Varnland", "ancient Tarnby": a lower-case adjective before
        # a name describes the place, it is no word of its name
        or (
            token.pos_ == "ADJ"
            and token.is_lower
            and token.is_alpha
            and token.whitespace_ != ""
            and start < end - 1
            and doc[start + 1].is_title
        )
    )


def _trim_right(token: Token) -> bool:
    return (
        token.tag_ in _TRIM_RIGHT_TAGS
        or token.is_quote
        or token.is_punct
        or token.is_currency
        or token.lower_ == "'s"
    )


def trim_name(span: Span) -> Span | None:
    """Drop leading determiners/quotes and trailing possessives/quotes/currency signs.

    A currency sign closing a span ("US $" of "US $ 8") is the amount's, not
    the name's. A span running over a line break (a heading glued to a name)
    is cut there.

    Examples
    --------
    >>> doc = nlp("He met the Varn Society's members.")
    >>> trim_name(doc[2:6])
    Varn Society
    """
    doc = span.doc
    start = span.start
    end = _line_end(doc, start, span.end)
    while start < end and _trim_left(doc, start, end):
        start += 1
    # "Later the Harbour Board": an adverb opening the sentence, then the article
    for j in range(start + 1, min(end - 1, start + 3)):
        if doc[j].lower_ in _ARTICLES and all(
            t.pos_ in _OPENING_FILLERS for t in doc[start:j]
        ):
            start = j + 1
            break
    while start < end and _trim_right(doc[end - 1]):
        end -= 1
    return doc[start:end] if start < end else None
