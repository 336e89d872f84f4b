"""The extent of a description: where a noun phrase starts and ends.

Coreference corpora mark a description as its whole noun phrase ("the
first director of the City Museum"); the parse gives its head. These
functions grow a head to the phrase, the nominal and the predicative passes
share them, and :func:`fronted_predicate_subject` is public (coreference
links a fronted predicate to its subject).
"""

from __future__ import annotations

import bisect

import numpy as np
from spacy.attrs import DEP, ENT_TYPE, IS_SPACE, POS
from spacy.symbols import NOUN, NUM, PRON, PROPN
from spacy.tokens import Doc, Span, Token

from kg.lexicon import load_words
from kg.mentions.base import Context
from kg.mentions.lexicons import nominal_class

__all__ = [
    "PhraseIndex",
    "fronted_predicate_subject",
    "group_class",
    "group_head",
    "hyphen_group",
    "nominal_span",
    "phrase_index",
    "predicate_head",
    "predicate_span",
    "ranked",
]

_NOMINAL_LEFT_DEPS = frozenset(
    {"det", "amod", "compound", "nummod", "poss", "nmod", "npadvmod", "quantmod"}
)
_NOMINAL_RIGHT_DEPS = frozenset({"prep", "acl", "relcl", "amod", "nummod"})
_NOMINAL_PREPS = frozenset({"of", "for", "to", "with"})
#: words that end a predicate phrase: a new clause or a line of its own
_PREDICATE_STOP_DEPS = frozenset({"cc", "conj", "punct"})
#: prepositions whose phrase, hung on a copula, still places its predicate noun
_PREDICATE_PREPS = frozenset({"at", "of", "for"})
_TIME_ENTS = frozenset({"DATE", "TIME", "CARDINAL"})
#: relations of a noun that is an argument or predicate, not a fronted adjunct
_FRONTED_NOT_DEPS = frozenset(
    {"nsubj", "nsubjpass", "dobj", "pobj", "conj", "appos", "attr", "oprd"}
)
#: indefinite articles
_INDEFINITES = frozenset({"a", "an"})
#: longest bracketed aside taken into a predicate phrase, in tokens
_MAX_ASIDE = 30


def copulas() -> frozenset[str]:
    """Return the copular verbs' lemmas ("be", "become", "remain")."""
    return load_words("copular-verbs")


def hyphen_group(token: Token) -> tuple[int, int]:
    """Token span of the hyphenated word ``token`` belongs to ("mom-of-four").

    Examples
    --------
    >>> doc = nlp("A mom-of-four won.")
    >>> hyphen_group(doc[1])
    (1, 6)
    """
    doc = token.doc
    start = end = token.i

    def joined(i: int) -> bool:  # doc[i] is a hyphen glued to both neighbours
        # the tagger may read the hyphen of "ex-wife", "co-worker" as a noun
        return (
            (doc[i].tag_ == "HYPH" or doc[i].text == "-")
            and not doc[i - 1].whitespace_
            and not doc[i].whitespace_
        )

    while start >= 2 and joined(start - 1):
        start -= 2
    while end + 2 < len(doc) and joined(end + 1):
        end += 2
    return start, end + 1


def group_head(doc: Doc, start: int, end: int) -> Token:
    """Return the token of ``doc[start:end]`` whose head lies outside it."""
    for token in doc[start:end]:
        if not start <= token.head.i < end or token.head.i == token.i:
            return token
    return doc[end - 1]


def noun_lemma(token: Token) -> str:
    """Return a noun's lemma; an "-ics" noun is a mass noun, its own lemma.

    The tagger reads "mechanics", "politics" as plurals of "mechanic" and
    "politic"; they name fields.
    """
    return token.lower_ if token.lower_.endswith("ics") else token.lemma_


def group_class(doc: Doc, start: int, end: int) -> str:
    """Class of a (possibly hyphenated) noun: the whole, its first or last word."""
    whole = "".join(t.lower_ for t in doc[start:end])
    cls = nominal_class(whole)
    if cls or end - start == 1:
        return cls or nominal_class(noun_lemma(doc[start]))
    if any(t.lower_ == "of" for t in doc[start:end]):
        return nominal_class(noun_lemma(doc[start]))
    return nominal_class(noun_lemma(doc[end - 1]))


def _blocks_phrase(t: Token, right: int, name_tokens: set[int]) -> bool:
    """Tell a word that ends a description before it: a noun of its own, a break."""
    return (
        t.pos_ in {"NOUN", "PRON", "NUM"}
        or (t.pos_ == "PROPN" and t.i not in name_tokens)
        or t.is_space
        or ("\n" in t.whitespace_ and t.i < right - 1)
    )


def _appositive_cut(doc: Doc, end: int, right: int) -> int:
    """Return where an appositive after a comma starts in ``[end, right)``."""
    return next(
        (
            t.left_edge.i
            for t in doc[end:right]
            if t.dep_ == "appos" and doc[t.left_edge.i - 1].text == ","
        ),
        right,
    )


class PhraseIndex:
    """Where the next appositive and the next blocking word lie, for any token.

    :func:`nominal_span` asks, for the phrase right of a head, whether a
    word of it blocks the phrase or an appositive cuts it; walking the phrase
    each time costs the length of nested phrases ("the friend of the owner
    of the ...") for every head. Sorted positions, read from the parse's
    arrays once, answer each question in logarithmic time.
    """

    def __init__(self, doc: Doc, name_tokens: set[int]) -> None:
        n = len(doc)
        pos, dep, space = doc.to_array([POS, DEP, IS_SPACE]).T
        named = np.zeros(n, dtype=bool)
        named[list(name_tokens)] = True
        block = np.isin(pos, [NOUN, PRON, NUM]) | ((pos == PROPN) & ~named)
        self.blocks = [int(i) for i in np.flatnonzero(block | (space == 1))]
        self.appos = [
            int(i)
            for i in np.flatnonzero(dep == doc.vocab.strings.add("appos"))
            if doc[doc[int(i)].left_edge.i - 1].text == ","
        ]
        self.size = n

    def appositive_cut(self, doc: Doc, end: int, right: int) -> int:
        """Return where an appositive after a comma starts in ``[end, right)``."""
        k = bisect.bisect_left(self.appos, end)
        if k < len(self.appos) and self.appos[k] < right:
            return doc[self.appos[k]].left_edge.i
        return right

    def blocked(self, end: int, right: int) -> bool:
        """Tell whether a word of ``[end, right)`` ends a description before it."""
        k = bisect.bisect_left(self.blocks, end)
        return k < len(self.blocks) and self.blocks[k] < right


def phrase_index(ctx: Context, name_tokens: set[int]) -> PhraseIndex:
    """Return the document's :class:`PhraseIndex` for these name tokens (cached)."""
    key = ("phrase-index", frozenset(name_tokens))
    return ctx.memo(key, lambda: PhraseIndex(ctx.doc, name_tokens))


def nominal_span(
    doc: Doc,
    start: int,
    end: int,
    head: Token,
    name_tokens: set[int],
    index: PhraseIndex | None = None,
) -> Span:
    """Return the phrase of a common-noun head: its modifiers and itself.

    Left modifiers, and on the right the modifiers that only name other
    entities ("the capital of Varn Province", "a fellow of the Royal
    Society"), so the phrase covers the whole noun phrase as coreference
    corpora mark it; a modifier with a common noun of its own ("the owner of
    the zoo") is left out, as the noun may be an entity of its own. A
    :class:`PhraseIndex` of the document keeps the cost constant per head.

    Examples
    --------
    >>> doc = nlp("She met the mayor of Tarnby.")
    >>> nominal_span(doc, 3, 4, doc[3], {5})
    the mayor of Tarnby
    """
    for child in head.lefts:
        if child.dep_ in _NOMINAL_LEFT_DEPS and child.i < start:
            start = min(start, child.left_edge.i)
    for child in head.rights:
        if child.dep_ not in _NOMINAL_RIGHT_DEPS or child.i < end:
            continue
        if child.dep_ == "prep" and child.lower_ not in _NOMINAL_PREPS:
            break  # "a nurse in Tarnby": a place or time may belong to the verb
        # "the head of X, Ann Lee,": an appositive after a comma is its own mention
        right = child.right_edge.i + 1
        if index is None:
            right = _appositive_cut(doc, end, right)
        else:
            right = index.appositive_cut(doc, end, right)
        while right > end and doc[right - 1].is_punct:
            right -= 1
        if index is None:
            blocked = any(_blocks_phrase(t, right, name_tokens) for t in doc[end:right])
        else:
            blocked = index.blocked(end, right)
        if blocked:
            break
        end = right
    while end > head.i + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    span = doc[start:end]
    while len(span) > 1 and (
        span[0].is_punct or span[0].is_quote or span[0].pos_ == "ADV"
    ):
        span = span[1:]
    return span


def _opens_sentence(doc: Doc, i: int) -> bool:
    """Tell a token no word of its sentence comes before (marks may)."""
    for j in range(i - 1, -1, -1):
        if doc[j + 1].is_sent_start:
            return True
        if doc[j].is_alpha:
            return False
    return True


def fronted_predicate_subject(head: Token) -> Token | None:
    """Return the subject a sentence-opening indefinite noun phrase describes.

    "A native of Tarnby, she moved ...", "An able student and a keen rower,
    he ...": a bare indefinite phrase set before its clause and closed by a
    comma is a predicate of the clause's subject (a free predicative
    adjunct), whatever the parse hung it on; only when that subject, a name
    or a pronoun, follows the comma at once.

    Examples
    --------
    >>> doc = nlp("A keen sailor, she crossed the bay.")
    >>> fronted_predicate_subject(doc[2]).text
    'she'
    """
    doc = head.doc
    if head.dep_ == "conj":
        head = head.head
    verb = head.head
    if (
        head.tag_ != "NN"
        or head.dep_ in _FRONTED_NOT_DEPS
        or verb.pos_ not in {"VERB", "AUX"}
        or verb.i < head.i
    ):
        return None
    dets = [c for c in head.lefts if c.dep_ == "det"]
    if not dets or dets[0].lower_ not in _INDEFINITES:
        return None
    if not _opens_sentence(doc, dets[0].i):
        return None  # the phrase opens its sentence
    # the phrase's conjuncts all lie in its subtree: the comma closes it
    comma = head.right_edge.i + 1
    if comma + 1 >= len(doc) or doc[comma].text != ",":
        return None
    subject = doc[comma + 1]
    if subject.pos_ == "PROPN" and subject.dep_ == "compound":
        subject = subject.head  # "Ann Lee": the name's head
    if (
        subject.dep_ not in {"nsubj", "nsubjpass"}
        or subject.head.i != verb.i
        or subject.pos_ not in {"PRON", "PROPN"}
    ):
        return None
    return subject


def predicate_head(token: Token) -> bool:
    """Whether a noun heads a phrase saying what another mention is.

    A predicate nominal ("X is a lawyer", "X became the first head of Y"),
    an object predicate ("proclaimed himself Emperor of Y"), an appositive
    ("X, a lawyer from Y,") or a predicative "as" phrase ("X served as
    President of Y"), or a conjunct of one of them.

    Examples
    --------
    >>> doc = nlp("Ada Byrne is a lawyer.")
    >>> predicate_head(doc[4]), predicate_head(doc[1])
    (True, False)
    """
    if token.dep_ == "conj" and token.head.pos_ in {"NOUN", "PROPN"}:
        token = token.head
    if token.dep_ in {"attr", "oprd"}:
        return token.head.pos_ in {"AUX", "VERB"}
    if token.dep_ == "appos":
        # "X: An Interview with Y" is a title and its subtitle, no apposition
        before = token.doc[token.left_edge.i - 1] if token.left_edge.i > 0 else None
        if before is not None and before.text in {":", "-", "–", "—"}:
            return False
        return token.head.pos_ in {"PROPN", "PRON", "NOUN"}
    if fronted_predicate_subject(token) is not None:
        return True  # "A keen rower, she ..."
    prep = token.head
    return (
        token.dep_ == "pobj"
        and prep.lower_ == "as"
        and prep.dep_ == "prep"
        # "X worked as a nurse", "his career as a lawyer"
        and prep.head.pos_ in {"VERB", "AUX", "NOUN"}
        and token.tag_ not in {"NNS", "NNPS"}
    )


def ranked(head: Token) -> bool:
    """Tell a noun ranked by an ordinal or superlative ("the first woman")."""
    words = load_words("rank-words")
    return any(
        c.dep_ == "amod" and (c.lower_ in words or c.tag_ == "JJS") for c in head.lefts
    )


def _infinitival(verb: Token) -> bool:
    """Tell a clause opened by "to" and a bare verb ("to win the cup")."""
    return verb.tag_ == "VB" and any(
        c.dep_ == "aux" and c.lower_ == "to" and c.i == verb.left_edge.i
        for c in verb.lefts
    )


def _closed_within(doc: Doc, start: int, end: int) -> bool:
    """Tell a bracket at ``start`` closed again before ``end``.

    A bracket the phrase's own subtree closes ("a son of Y (one of the
    founders of Z)") is an aside inside the noun phrase, and coreference
    corpora keep it in the phrase's extent.
    """
    closing = {"(": ")", "[": "]"}[doc[start].text]
    return any(doc[j].text == closing for j in range(start + 1, end))


def _clause_cut(doc: Doc, head: Token, end: int) -> int:
    """Cut a predicate phrase before a clause or a conjoined phrase of its own.

    A clause says more of it, and may name others; an infinitival one after
    a ranking word ("the first woman to win X") is a restrictive part of the
    phrase. A conjoined phrase with a determiner or a name of its own ("a
    linguist and Professor of Y") is a phrase of its own.
    """
    for child in head.rights:
        clause = child.dep_ in {"relcl", "acl"} and not (
            _infinitival(child) and ranked(head)
        )
        if clause or (
            child.dep_ == "conj"
            and (
                child.pos_ == "PROPN"
                or any(c.dep_ in {"det", "poss"} for c in child.lefts)
            )
        ):
            cut = child.left_edge.i
            while cut > head.i + 1 and (
                doc[cut - 1].is_punct
                if clause
                else doc[cut - 1].dep_ in _PREDICATE_STOP_DEPS
            ):
                cut -= 1
            return min(end, cut)
    return end


def _line_cut(doc: Doc, head: Token, end: int, ctx: Context | None) -> int:
    """Cut a phrase at an open bracket running past it, or at a line break."""
    if ctx is not None:
        return _line_cut_indexed(ctx, head, end)
    for i in range(head.i, end):
        if doc[i].text in {"(", "["} and i > head.i and not _closed_within(doc, i, end):
            return i  # an open bracket runs past the phrase: cut before it
        if doc[i].is_space or ("\n" in doc[i].whitespace_ and i < end - 1):
            return i if doc[i].is_space else i + 1
    return end


def _line_cut_indexed(ctx: Context, head: Token, end: int) -> int:
    """:func:`_line_cut` in logarithmic time, from positions in the document.

    The first bracket after the head that no closing mark follows before
    ``end`` opens after the last closing mark; the first break is a
    whitespace token (a token's own trailing whitespace is one space).
    """
    doc = ctx.doc
    cut = end
    for opening, closing in (("(", ")"), ("[", "]")):
        last_close = ctx.last_before(ctx.positions(closing), end)
        first = max(head.i + 1, last_close + 1)
        if first < end:
            cut = min(cut, ctx.next_at(ctx.positions(opening), first, end))
    brk = ctx.next_break(head.i)
    if brk < cut:
        return brk if doc[brk].is_space else brk + 1
    return cut


def _line_start(doc: Doc, head: Token, start: int) -> int:
    """Start a phrase after a line break and a citation mark before its head."""
    for i in range(head.i - 1, start - 1, -1):
        if doc[i].is_space or "\n" in doc[i].whitespace_:
            start = i + 1
            break
    if doc[start].text in {"(", "["}:
        # "[6] A keen rower": a citation mark closed before the phrase opens
        close = next(
            (j for j in range(start + 1, head.i) if doc[j].text in {")", "]"}), None
        )
        if close is not None:
            start = close + 1
    while start < head.i and (doc[start].is_punct or doc[start].dep_ == "cc"):
        start += 1
    return start


def predicate_span(doc: Doc, head: Token, ctx: Context | None = None) -> Span | None:
    """Return the whole noun phrase of a predicate head, as coreference corpora mark it.

    The phrase runs over the head's subtree, less a conjoined phrase with a
    determiner or a name of its own ("a linguist and Professor of Y" is two
    phrases; "a singer, actress and director" one), and is cut at a line break.
    Given the :class:`~kg.mentions.base.Context`, its indexes keep the cost
    constant per head.

    Examples
    --------
    >>> doc = nlp("Ada Byrne was a poet and the first director of the museum.")
    >>> predicate_span(doc, doc[4])
    a poet
    """
    end = _clause_cut(doc, head, head.right_edge.i + 1)
    end = _line_cut(doc, head, end, ctx)
    start = _line_start(doc, head, head.left_edge.i)
    while end > head.i + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    if doc[end - 1].is_punct and end - 1 > start:
        return None
    end = _shared_pp_end(doc, head, _verb_pp_end(doc, head, end, ctx), ctx)
    return doc[start : _bracket_end(doc, end)]


def _has_break(prep: Token, ctx: Context | None) -> bool:
    """Tell a line break inside the subtree of ``prep``."""
    if ctx is not None:
        return ctx.subtree_has(prep, ctx.space_positions)
    return any(_is_break(t) for t in prep.subtree)


def _is_break(t: Token) -> bool:
    return t.is_space or "\n" in t.whitespace_


def _place_phrase(prep: Token, verb: Token, ctx: Context | None) -> bool:
    """Tell a prepositional phrase on ``verb`` that names a body or place."""
    return (
        prep.dep_ == "prep"
        and prep.head.i == verb.i
        and prep.lower_ in _PREDICATE_PREPS
        and any(c.dep_ == "pobj" and c.pos_ == "PROPN" for c in prep.children)
        and not _has_break(prep, ctx)
    )


def _shared_pp_end(doc: Doc, head: Token, end: int, ctx: Context | None) -> int:
    """Return the end of a last conjunct, taking in a phrase the parse gave the first.

    "a linguist and Professor of Y at the University of Z": the parse hangs
    "at the University" on "linguist", but a phrase after the last conjunct
    is read with it, and coreference corpora mark "Professor of Y at ...".
    """
    if head.dep_ != "conj" or end >= len(doc):
        return end
    prep = doc[end]
    if not _place_phrase(prep, head.head, ctx):
        return end
    return prep.right_edge.i + 1


def _verb_pp_end(doc: Doc, head: Token, end: int, ctx: Context | None) -> int:
    """Return the end of a predicate nominal with a place phrase hung on its verb.

    "Ada was chair of the panel at the fair": the parse hangs "at the fair"
    on "was", but it says whose chair she was, and coreference corpora mark
    "chair of the panel at the fair". Only a phrase right after the noun
    phrase of a copula's attribute, naming its place or body ("a Quaker
    at a young age" is when, not what), and no time.
    """
    if head.dep_ != "attr" or head.head.lemma_ not in copulas() or end >= len(doc):
        return end
    prep = doc[end]
    if not _place_phrase(prep, head.head, ctx) or _has_time(prep, ctx):
        return end
    return prep.right_edge.i + 1


def _is_time(t: Token) -> bool:
    return t.ent_type_ in _TIME_ENTS


def _has_time(prep: Token, ctx: Context | None) -> bool:
    """Tell a date, time or number inside the subtree of ``prep``."""
    if ctx is not None:
        return ctx.subtree_has(prep, _time_positions(ctx))
    return any(_is_time(t) for t in prep.subtree)


def _time_positions(ctx: Context) -> list[int]:
    """Return the indices of the tokens of dates, times and numbers (cached)."""

    def make() -> list[int]:
        column = ctx.doc.to_array([ENT_TYPE])
        kinds = [ctx.doc.vocab.strings.add(k) for k in sorted(_TIME_ENTS)]
        return [int(i) for i in np.flatnonzero(np.isin(column, kinds))]

    return ctx.memo("time-positions", make)


def _bracket_end(doc: Doc, end: int) -> int:
    """Return the end of a phrase, taking in a bracketed aside right after it.

    "X was a son of Y (one of the founders of Z)": the parse often hangs the
    bracket on the verb, but coreference corpora keep an aside that follows
    the phrase inside its extent. The bracket must close in the same
    sentence and line; a square bracket holds a citation, not an aside.
    """
    if end >= len(doc) or doc[end].text != "(":
        return end  # "[2]" is a citation, no part of the phrase
    for j in range(end + 1, min(len(doc), end + _MAX_ASIDE)):
        if doc[j].is_sent_start:
            return end  # the bracket runs past the sentence
        if doc[j].text in {"(", "["} or "\n" in doc[j].whitespace_ or doc[j].is_space:
            return end
        if doc[j].text == ")":
            return j + 1
    return end
