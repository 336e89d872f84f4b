"""What every mention pass shares: the registry, a candidate, the document context.

A mention pass is a small pure function registered under a versioned id
(``kg.mentions.names.v1``). It takes the :class:`Context` of the document
and the candidates the passes before it found, and returns the candidates
after it: passes that find add to them, passes that mend reshape or drop
them. Each candidate records the id of the pass that found or last reshaped
it; the id becomes :attr:`kg.types.Mention.source` (``kgo:foundBy`` in the
RDF). Other packages add passes through the ``kg_mention_passes`` entry-point
group.

Examples
--------
>>> "kg.mentions.names.v1" in passes.get_all()
True
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

import catalogue
from spacy.tokens import Doc, Span

from kg.mentions.spans import ENTITY_LABELS
from kg.nlp import is_heading, non_prose_spans
from kg.types import DocLike, MentionKind

__all__ = [
    "Candidate",
    "Context",
    "MentionPass",
    "covered_tokens",
    "is_headline",
    "names_of",
    "passes",
    "register_pass",
    "spans_of",
]

#: The registry of mention passes (entry-point group ``kg_mention_passes``).
passes = catalogue.create("kg", "mention_passes", entry_points=True)


class Candidate(NamedTuple):
    """A stretch of the parse a pass takes for a mention.

    ``label`` is a name's NER label or a description's coarse class;
    ``source`` the id of the pass that found it or last reshaped it.
    """

    span: Span
    label: str
    source: str
    kind: MentionKind = "name"


@dataclass(frozen=True)
class Context:
    """The document the passes read, with facts computed once for all of them.

    Parameters
    ----------
    doclike
        The parsed ``Doc`` or ``Span`` whose mentions are sought.
    labels
        The NER labels kept as names (default: those kg makes nodes for).
    """

    doclike: DocLike
    labels: frozenset[str] = ENTITY_LABELS

    @property
    def doc(self) -> Doc:
        """The whole document."""
        return self.doclike.doc

    @property
    def first(self) -> int:
        """Index of the first token of ``doclike``."""
        return self.doclike.start if isinstance(self.doclike, Span) else 0

    @property
    def stop(self) -> int:
        """Index after the last token of ``doclike``."""
        return self.doclike.end if isinstance(self.doclike, Span) else len(self.doclike)

    @functools.cached_property
    def written_lower(self) -> frozenset[str]:
        """The words ``doclike`` writes in lower case ("research", "diary")."""
        return frozenset(t.lower_ for t in self.doclike if t.is_lower)

    @functools.cached_property
    def doc_written_lower(self) -> frozenset[str]:
        """The words the whole document writes in lower case."""
        if isinstance(self.doclike, Doc):
            return self.written_lower
        return frozenset(t.lower_ for t in self.doc if t.is_lower)

    @functools.cached_property
    def sentence_starts(self) -> dict[int, int]:
        """Map the first token of each sentence of the document to its index."""
        return {sent.start: i for i, sent in enumerate(self.doc.sents)}

    @functools.cached_property
    def sentence_bounds(self) -> tuple[int, ...]:
        """Map each token of the document to the first token of its sentence.

        One pass over the document, so that a rule asking for the sentence
        of many tokens of one long sentence does not walk it each time.
        """
        out: list[int] = []
        start = 0
        for token in self.doc:
            if token.is_sent_start:
                start = token.i
            out.append(start)
        return tuple(out)

    def sentence(self, i: int) -> Span:
        """Return the sentence of token ``i`` (cached per sentence)."""
        return self._sentences[self.sentence_bounds[i]]

    @functools.cached_property
    def _sentences(self) -> dict[int, Span]:
        return {sent.start: sent for sent in self.doc.sents}

    @functools.cached_property
    def non_prose(self) -> frozenset[int]:
        """The tokens of captions, credits, bylines and other page furniture.

        See :func:`kg.nlp.non_prose_spans`: names there are credits and
        labels, not entities the text speaks of.
        """
        return frozenset(
            i for a, b, _kind in non_prose_spans(self.doc) for i in range(a, b)
        )

    @functools.cached_property
    def _headlines(self) -> dict[int, bool]:
        return {}

    def headline(self, i: int) -> bool:
        """Tell whether the sentence of token ``i`` is a heading (cached)."""
        start = self.sentence_bounds[i]
        found = self._headlines.get(start)
        if found is None:
            found = self._headlines[start] = is_headline(self._sentences[start])
        return found


#: The signature of a mention pass.
MentionPass = Callable[[Context, tuple[Candidate, ...]], tuple[Candidate, ...]]


def register_pass(name: str) -> Callable[[MentionPass], MentionPass]:
    """Register a mention pass under a versioned id, e.g. ``my.names.v1``.

    A typed front to ``passes.register``; other packages may also use the
    ``kg_mention_passes`` entry-point group. A behaviour change gets a new
    version.

    Examples
    --------
    >>> @register_pass("doc.example.v1")
    ... def nothing(ctx: Context, found: tuple[Candidate, ...]):
    ...     return found
    >>> passes.get("doc.example.v1") is nothing
    True
    """
    decorator: Callable[[MentionPass], MentionPass] = passes.register(name)
    return decorator


_HEADLINE_END = frozenset(".!?")


def is_headline(sent: Span) -> bool:
    """Tell a sentence that is a heading: no final stop, short, capitalised.

    Examples
    --------
    >>> is_headline(nlp("Mayor Wins Vote")[:]), is_headline(nlp("He won.")[:])
    (True, False)
    """
    return sent.text.strip()[-1:] not in _HEADLINE_END and is_heading(sent)


def names_of(found: Iterable[Candidate]) -> list[Candidate]:
    """Return the name candidates of ``found``, in order.

    Examples
    --------
    >>> doc = nlp("Ada met Bob.")
    >>> c = Candidate(doc[0:1], "PERSON", "kg.mentions.names.v1")
    >>> [n.span.text for n in names_of([c])]
    ['Ada']
    """
    return [c for c in found if c.kind == "name"]


def spans_of(found: Iterable[Candidate]) -> set[tuple[int, int]]:
    """Return the ``(start, end)`` token bounds of the candidates.

    Examples
    --------
    >>> doc = nlp("Ada met Bob.")
    >>> spans_of([Candidate(doc[0:1], "PERSON", "x")])
    {(0, 1)}
    """
    return {(c.span.start, c.span.end) for c in found}


def covered_tokens(found: Iterable[Candidate]) -> set[int]:
    """Return the indices of the tokens the candidates cover.

    Examples
    --------
    >>> doc = nlp("Ada Byrne met Bob.")
    >>> sorted(covered_tokens([Candidate(doc[0:2], "PERSON", "x")]))
    [0, 1]
    """
    return {i for c in found for i in range(c.span.start, c.span.end)}
