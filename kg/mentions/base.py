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

import bisect
import functools
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar

import catalogue
import numpy as np
from spacy.attrs import HEAD, IS_SPACE, ORTH
from spacy.tokens import Doc, Span, Token

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

_T = TypeVar("_T")

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
    def _memo(self) -> dict[Hashable, Any]:
        return {}

    def memo(self, key: Hashable, make: Callable[[], _T]) -> _T:
        """Return ``make()``, computed once per document and ``key``.

        Passes share lookups built over the whole document this way (an
        index that keeps a rule linear), as the context's own properties are.
        """
        if key not in self._memo:
            self._memo[key] = make()
        found: _T = self._memo[key]
        return found

    @functools.cached_property
    def heads(self) -> list[int]:
        """The index of each token's head (one vectorised read of the parse)."""
        doc = self.doc
        offsets = doc.to_array([HEAD]).astype(np.int64)
        return [int(h) for h in offsets + np.arange(len(doc), dtype=np.int64)]

    @functools.cached_property
    def _depths(self) -> dict[int, int]:
        return {}

    def depth(self, i: int) -> int:
        """Return the number of steps from token ``i`` up to its sentence's root.

        Each step is walked once per document (depths are kept), so finding
        the roots of many spans of one deep parse costs its length, not its
        length times its depth.
        """
        heads, known = self.heads, self._depths
        path: list[int] = []
        node = i
        while node not in known and heads[node] != node and len(path) <= len(heads):
            path.append(node)
            node = heads[node]
        if node not in known:  # the sentence's root
            known[node] = 0
        base = known[node]
        for k, j in enumerate(reversed(path), 1):
            known[j] = base + k
        return known[i]

    def root(self, span: Span) -> Token:
        """Return the root of ``span`` as :attr:`spacy.tokens.Span.root` does.

        The token closest to the sentence's root (the first of equals), with
        depths kept per document (see :meth:`depth`).
        """
        doc, heads = self.doc, self.heads
        start, end = span.start, span.end
        outside = []
        for i in range(start, end):
            if heads[i] == i:
                return doc[i]
            if not start <= heads[i] < end:
                outside.append(i)
        if len(outside) == 1:
            return doc[outside[0]]
        best, best_depth = start, len(doc)
        for i in outside:
            token = doc[i]
            bare = token.n_lefts == 0 and token.n_rights == 0
            if bare and (token.is_space or token.is_punct):
                d = len(doc) - 1
            else:
                d = self.depth(i)
            if d < best_depth:
                best, best_depth = i, d
        return doc[best]

    def positions(self, text: str) -> list[int]:
        """Return the indices of the tokens spelt ``text``, in order (cached)."""

        def make() -> list[int]:
            doc = self.doc
            column = doc.to_array([ORTH])
            hits = np.flatnonzero(column == doc.vocab.strings.add(text))
            return [int(i) for i in hits]

        return self.memo(("positions", text), make)

    @functools.cached_property
    def space_positions(self) -> list[int]:
        """The indices of the whitespace tokens (line breaks), in order."""
        column = self.doc.to_array([IS_SPACE])
        return [int(i) for i in np.flatnonzero(column)]

    @staticmethod
    def next_at(positions: list[int], i: int, default: int) -> int:
        """Return the first of ``positions`` at or after ``i``, else ``default``."""
        k = bisect.bisect_left(positions, i)
        return positions[k] if k < len(positions) else default

    @staticmethod
    def last_before(positions: list[int], i: int) -> int:
        """Return the last of ``positions`` before ``i``, else ``-1``."""
        k = bisect.bisect_left(positions, i)
        return positions[k - 1] if k > 0 else -1

    def next_break(self, i: int) -> int:
        """Return the first line break (whitespace token) at or after ``i``."""
        return self.next_at(self.space_positions, i, len(self.doc))

    def is_ancestor(self, top: int, i: int) -> bool:
        """Tell whether token ``top`` is token ``i`` or one of its ancestors."""
        heads = self.heads
        target = self.depth(top)
        node, steps = i, self.depth(i) - target
        for _ in range(max(steps, 0)):
            node = heads[node]
        return node == top

    def subtree_has(self, token: Token, positions: list[int]) -> bool:
        """Tell whether one of ``positions`` lies in the subtree of ``token``.

        Only positions between the subtree's edges can; each is checked by
        walking up from it to the token's depth (kept depths make it short).
        """
        k = bisect.bisect_left(positions, token.left_edge.i)
        right = token.right_edge.i
        while k < len(positions) and positions[k] <= right:
            if self.is_ancestor(token.i, positions[k]):
                return True
            k += 1
        return False

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
