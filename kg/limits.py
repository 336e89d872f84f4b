"""Bounds on what one input may cost the build.

A build must not stall on a single hostile or odd input. Three limits, each
with a default a user can change (``kg build --max-document-chars``,
``--max-sentence-tokens``, ``--max-nesting``):

* the **largest document** (characters): a longer one is skipped with a
  warning (:mod:`kg.inputs` reads with that bound);
* the **longest sentence** (tokens): a stretch of text with no sentence end
  for longer (a 100 KB line without punctuation, a list of 2,000 names) is
  cut into pieces before the parser by the ``kg_sentence_limit`` pipeline
  component (:func:`limit_sentences`), at the last sentence end, else the
  last clause break (``;``, ``:``, ``,``), else a hard cut, so every later
  stage sees sentences of bounded length;
* the **deepest nesting** of brackets and quotation marks: the characters
  nested deeper than the limit are blanked (:func:`mask_nesting`: replaced
  by spaces, so every offset stays that of the original text) and reported.

Documents longer than the pipeline's ``nlp.max_length`` (spaCy's E088) are
parsed in pieces cut at paragraph, line, sentence or word boundaries
(:func:`split_text`) and joined again with ``Doc.from_docs``, offsets
unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from kg.errors import ConfigError

__all__ = [
    "CUTS_KEY",
    "Limits",
    "SENTENCE_LIMIT",
    "SentenceLimit",
    "limit_sentences",
    "mask_nesting",
    "split_text",
]

#: Name of the pipeline component that bounds sentence length.
SENTENCE_LIMIT = "kg_sentence_limit"
#: ``Doc.user_data`` key under which the component records its hard cuts.
CUTS_KEY = "kg.limits.cuts"


@dataclass(frozen=True, slots=True)
class Limits:
    """The build's limits on one input.

    Examples
    --------
    >>> Limits().max_sentence_tokens
    200
    >>> Limits(max_nesting=0)
    Traceback (most recent call last):
    ...
    kg.errors.ConfigError: max_nesting must be 1 or more, not 0
    """

    #: largest document, in characters (a longer one is skipped)
    max_document_chars: int = 2_000_000
    #: longest sentence, in tokens (a longer stretch is cut into pieces)
    max_sentence_tokens: int = 200
    #: deepest nesting of brackets and quotation marks (deeper text is blanked)
    max_nesting: int = 30

    def __post_init__(self) -> None:
        for name in ("max_document_chars", "max_sentence_tokens", "max_nesting"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise ConfigError(f"{name} must be 1 or more, not {value!r}")


# --- nesting ---------------------------------------------------------------

_OPENERS = frozenset("([{\u201c\u2018\u00ab\u2039\u201e\u300c\u300e\uff08")
_CLOSERS = frozenset(")]}\u201d\u00bb\u203a\u300d\u300f\uff09")
#: also closes, unless a letter follows (then it is an apostrophe: don't)
_RIGHT_SINGLE = "\u2019"
_NESTING_CHARS = re.compile(
    '["()\\[\\]{}\n'
    "\u201c\u201d\u2018\u2019\u00ab\u00bb\u2039\u203a\u201e"
    "\u300c\u300d\u300e\u300f\uff08\uff09]"
)


def _straight_quote_opens(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in _OPENERS) and not after.isspace()


def _depth_change(text: str, i: int) -> int:
    char = text[i]
    if char in _OPENERS:
        return 1
    if char in _CLOSERS:
        return -1
    if char == _RIGHT_SINGLE:
        after = text[i + 1] if i + 1 < len(text) else " "
        return 0 if after.isalpha() else -1
    if char == '"':
        return 1 if _straight_quote_opens(text, i) else -1
    return 0


def mask_nesting(text: str, max_depth: int) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Blank the characters nested deeper than ``max_depth`` brackets or quotes.

    Depth counts opening brackets and quotation marks (a straight ``"``
    opens after a space and before a word, else closes) and starts again at
    each line break. Blanked characters become spaces (line breaks stay),
    so the text keeps its length and offsets. Linear in the text.

    Returns
    -------
    tuple
        The text, and the ``(start, end)`` character spans blanked.

    Examples
    --------
    >>> mask_nesting("a (b (c (d) c) b) a", 2)
    ('a (b (c     c) b) a', ((8, 11),))
    >>> mask_nesting("He said (yes).", 2)
    ('He said (yes).', ())
    """
    spans: list[tuple[int, int]] = []
    depth = 0
    start = -1
    for match in _NESTING_CHARS.finditer(text):
        i = match.start()
        if text[i] == "\n":
            depth = 0
            if start >= 0:
                spans.append((start, i))
                start = -1
            continue
        depth = max(0, depth + _depth_change(text, i))
        if depth > max_depth and start < 0:
            start = i
        elif depth <= max_depth and start >= 0:
            spans.append((start, i + 1))
            start = -1
    if start >= 0:
        spans.append((start, len(text)))
    if not spans:
        return text, ()
    pieces: list[str] = []
    end = 0
    for a, b in spans:
        pieces.append(text[end:a])
        pieces.append(re.sub(r"[^\n]", " ", text[a:b]))
        end = b
    pieces.append(text[end:])
    return "".join(pieces), tuple(spans)


# --- long documents --------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?][\"')\]\u201d\u2019]*\s+")
_SPACE = re.compile(r"\s+")


def _last_boundary(window: str) -> tuple[int, bool]:
    """Where to end a piece inside ``window``: (length of the piece, clean).

    A boundary in the second half of the window: after a blank line, else a
    line break, else a sentence end, else a space; ``clean`` is False for a
    hard cut (no space in the whole half).
    """
    half = len(window) // 2
    for marker in ("\n\n", "\n"):
        at = window.rfind(marker, half)
        if at >= 0:
            return at + len(marker), True
    for pattern in (_SENTENCE_END, _SPACE):
        last = None
        for last in pattern.finditer(window, half):  # noqa: B007 - keep the last
            pass
        if last is not None:
            return last.end(), True
    return len(window), False


def split_text(text: str, max_chars: int) -> tuple[list[str], int]:
    r"""Cut ``text`` into pieces of at most ``max_chars`` characters.

    At paragraph, line, sentence or word boundaries (the whitespace ends the
    piece before it), so ``"".join(pieces) == text``. Linear in the text.

    Returns
    -------
    tuple
        The pieces, and how many cuts had no boundary to use (hard cuts).

    Examples
    --------
    >>> split_text("One two.\n\nThree four five.", 16)
    (['One two.\n\n', 'Three four five.'], 0)
    >>> split_text("abcdefgh", 3)
    (['abc', 'def', 'gh'], 2)
    """
    if max_chars < 1:
        raise ValueError(f"max_chars must be 1 or more, not {max_chars}")
    pieces: list[str] = []
    hard = 0
    start = 0
    while len(text) - start > max_chars:
        length, clean = _last_boundary(text[start : start + max_chars])
        hard += not clean
        pieces.append(text[start : start + length])
        start += length
    pieces.append(text[start:])
    return pieces, hard


# --- long sentences --------------------------------------------------------

#: tokens that end a sentence (a separate token: "U.S." and "Mr." are not)
_STRONG_ENDS = frozenset({".", "!", "?", "...", "\u2026"})
_WEAK_ENDS = frozenset({";", ":", ",", "\u2014", "--"})
#: quotation marks and brackets that may follow a sentence end
_TRAILERS = frozenset({'"', "'", ")", "]", "\u201d", "\u2019", "\u00bb"})
#: a run this many times the limit is cut at its last sentence end even
#: when it has several (the parser split none of them so far)
_RUN_FACTOR = 8


class SentenceLimit:
    """The ``kg_sentence_limit`` component (see :func:`limit_sentences`)."""

    def __init__(self, max_tokens: int) -> None:
        self.max_tokens = max_tokens

    def __call__(self, doc: Doc) -> Doc:
        """Cut the over-long stretches of ``doc``."""
        return limit_sentences(doc, max_tokens=self.max_tokens)


@Language.factory(
    SENTENCE_LIMIT,
    assigns=["token.is_sent_start"],
    default_config={"max_tokens": Limits().max_sentence_tokens},
)
def _make_sentence_limit(nlp: Language, name: str, max_tokens: int) -> SentenceLimit:
    return SentenceLimit(max_tokens)


def _next_word(doc: Doc, i: int) -> int:
    while i < len(doc) and doc[i].is_space:
        i += 1
    return i


@dataclass(slots=True)
class _Run:
    """Where the current sentence started and where it could be cut."""

    start: int = 0
    strong: int = -1  # after the last sentence end
    weak: int = -1  # after the last clause break

    def restart(self, at: int) -> None:
        self.start, self.strong, self.weak = at, -1, -1


def limit_sentences(doc: Doc, *, max_tokens: int) -> Doc:
    """Start a sentence wherever ``max_tokens`` tokens pass without a sentence end.

    Runs before the parser, which keeps the sentence starts it is given. A
    stretch of ``max_tokens`` tokens with no sentence-final mark (``.``,
    ``!``, ``?`` as tokens) is cut after its last ``;``, ``:``, ``,``, dash
    or line break, else at the limit; these cuts are counted in
    ``doc.user_data["kg.limits.cuts"]``. A run of eight times the limit is
    cut at its last sentence end. Ordinary prose is left as it is. Linear.

    Examples
    --------
    >>> import spacy
    >>> doc = limit_sentences(spacy.blank("en")("a b c , d e f g h"), max_tokens=4)
    >>> [t.text for t in doc if t.is_sent_start], doc.user_data[CUTS_KEY]
    (['a', 'd', 'h'], 2)
    >>> doc = limit_sentences(spacy.blank("en")("a b . c d . e"), max_tokens=4)
    >>> [t.text for t in doc if t.is_sent_start], CUTS_KEY in doc.user_data
    (['a'], False)
    """
    run = _Run()
    cuts = 0
    for token in doc:
        i = token.i
        if i > 0 and token.is_sent_start:
            run.restart(i)
        boundary = max(run.start, run.strong)
        cut = -1
        if i - boundary >= max_tokens:
            cut = run.weak if run.weak > boundary else i
            cuts += 1
        elif i - run.start >= _RUN_FACTOR * max_tokens and run.strong > run.start:
            cut = run.strong
        if cut >= 0:
            cut = _next_word(doc, cut)
            if cut >= len(doc):
                break
            doc[cut].is_sent_start = True
            run.restart(cut)
        text = token.text
        if text in _STRONG_ENDS or (text in _TRAILERS and run.strong == i):
            run.strong = i + 1
        elif text in _WEAK_ENDS or "\n" in text:
            run.weak = i + 1
    if cuts:
        doc.user_data[CUTS_KEY] = cuts
    return doc
