"""Reading the dependency parse: dependency label sets, arguments, subjects."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from kg.errors import ExtractionError
from kg.types import (
    DocLike,
)

__all__: list[str] = []


_SUBJ_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass"})


_PASSIVE_DEPS = frozenset({"nsubjpass", "csubjpass", "auxpass"})


_OBJ_DEPS = frozenset({"dative", "dobj", "attr", "acomp", "oprd"})


_PREP_DEPS = frozenset({"prep", "agent"})


_REL_DEPS = frozenset({"aux", "auxpass", "neg", "prt"})


_TIME_DEPS = frozenset({"npadvmod", "tmod"})


#: Dependents cut from an argument: they are facts of their own.
_CUT_DEPS = frozenset({"relcl", "appos", "conj", "cc", "advcl", "parataxis"})


_CUT_DEPS_KEEP_CONJ = _CUT_DEPS - {"conj", "cc"}


_RELATIVISERS = frozenset({"WDT", "WP", "WP$"})


_NOT_PREDICATE_DEPS = frozenset({"aux", "auxpass", "amod", "compound"})


@dataclass(slots=True)
class _Arg:
    """An argument of a frame: its tokens in text order and its head."""

    tokens: tuple[Token, ...]
    head: Token
    prep: Token | None = None
    role: str = "obj"

    @property
    def text(self) -> str:
        return _tokens_text(self.tokens)


def _tokens_text(tokens: Sequence[Token]) -> str:
    """Text of tokens as written: contiguous runs keep the original spacing."""
    parts: list[str] = []
    for k, tok in enumerate(tokens):
        parts.append(tok.text)
        if k + 1 < len(tokens):
            parts.append(tok.whitespace_ if tokens[k + 1].i == tok.i + 1 else " ")
    return "".join(parts).strip()


#: The most tokens an argument holds (a longer one is a parse gone wrong).
_MAX_ARGUMENT = 120


def _collect(token: Token, cut: frozenset[str]) -> list[Token]:
    """Return a token and its dependents, less the subtrees of ``cut`` relations.

    Iterative, so a parse thousands of tokens deep costs no recursion; an
    argument stops at :data:`_MAX_ARGUMENT` tokens, so a sentence of
    thousands of clauses costs time linear in its length.

    Examples
    --------
    >>> [t.text for t in _collect(nlp("the old farm")[2], frozenset({"amod"}))]
    ['farm', 'the']
    """
    found: list[Token] = []
    todo = [token]
    while todo and len(found) < _MAX_ARGUMENT:
        tok = todo.pop()
        found.append(tok)
        todo.extend(c for c in reversed(list(tok.children)) if c.dep_ not in cut)
    return found


def _trim_edges(tokens: list[Token]) -> list[Token]:
    while tokens and (
        (tokens[0].is_punct and not tokens[0].is_quote) or tokens[0].dep_ == "cc"
    ):
        tokens = tokens[1:]
    while tokens and (
        (tokens[-1].is_punct and not tokens[-1].is_quote) or tokens[-1].dep_ == "cc"
    ):
        tokens = tokens[:-1]
    return tokens


def _arg(
    head: Token,
    *,
    role: str = "obj",
    prep: Token | None = None,
    cut: frozenset[str] = _CUT_DEPS,
    exclude: Token | None = None,
) -> _Arg:
    """Return the argument headed by ``head``: its subtree minus cut dependents."""
    tokens = _collect(head, cut)
    if exclude is not None:
        drop = {t.i for t in exclude.subtree}
        tokens = [t for t in tokens if t.i not in drop]
    tokens = _trim_edges(sorted(tokens, key=lambda t: t.i)) or [head]
    return _Arg(tuple(tokens), head, prep, role)


def _split_conjuncts(head: Token) -> list[Token]:
    """Return the head and its nominal conjuncts ("A, B and C" gives A, B, C)."""
    return [head, *(c for c in head.conjuncts if c.i > head.i)]


def _antecedent(verb: Token) -> Token | None:
    """Return the noun a relative clause or participle modifies.

    A predicate noun stands for its subject ("X is a player who ..." and
    "X, a player who ..." are about X).
    """
    if verb.dep_ not in {"relcl", "acl"} or verb.head.pos_ not in {
        "NOUN",
        "PROPN",
        "PRON",
        "NUM",
    }:
        return None
    noun = verb.head
    if noun.dep_ == "attr" and noun.head.lemma_ == "be":
        subjects = [c for c in noun.head.children if c.dep_ == "nsubj"]
        if subjects:
            return subjects[0]
    if noun.dep_ == "appos" and noun.pos_ == "NOUN":
        return noun.head
    return noun


def _subject_heads(verb: Token, depth: int = 0) -> tuple[list[Token], str]:
    """Find the subject tokens of ``verb``; the string tells how."""
    own = [c for c in verb.children if c.dep_ in _SUBJ_DEPS]
    if own:
        subj = own[0]
        ante = _antecedent(verb)
        if subj.tag_ in _RELATIVISERS and ante is not None:
            return [ante], "relcl"
        return [subj], "own"
    if depth > 4:
        return [], "none"
    ante = _antecedent(verb)
    if ante is not None:
        return [ante], verb.dep_
    head = verb.head
    if verb.dep_ == "conj" and head.pos_ in {"VERB", "AUX"}:
        subjects, how = _subject_heads(head, depth + 1)
        return subjects, "conj" if how == "own" else how
    if verb.dep_ == "xcomp" or (
        verb.dep_ == "ccomp"
        and any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children)
    ):
        objs = [c for c in head.children if c.dep_ in {"dobj", "dative"}]
        if objs:
            return [objs[-1]], "control"
        subjects, _ = _subject_heads(head, depth + 1)
        return subjects, "control"
    if verb.dep_ == "advcl" and verb.tag_ in {"VBG", "VBN"}:
        subjects, _ = _subject_heads(head, depth + 1)
        return subjects, "advcl"
    if (
        verb.dep_ == "pcomp"
        and verb.tag_ in {"VBG", "VBN"}
        and head.dep_ == "prep"
        and head.head.pos_ in {"VERB", "AUX"}
    ):
        # "convicted of plotting a murder", "after being held": the gerund's
        # subject is the subject of the verb the preposition hangs on
        subjects, _ = _subject_heads(head.head, depth + 1)
        return subjects, "advcl"
    return [], "none"


def _is_noun_complement(verb: Token) -> bool:
    """Tell a noun's "that" clause the parser took for a relative clause.

    In "the rumour that X killed Y" the object slot is filled, so "that" is
    no relative pronoun.
    """
    if verb.dep_ != "relcl":
        return False
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    return any(o.lower_ == "that" for o in objects) and any(
        o.tag_ not in _RELATIVISERS for o in objects
    )


def _sentences(doclike: DocLike) -> list[Span]:
    """Return the sentences of a Doc, or those a Span overlaps.

    Raises
    ------
    ExtractionError
        The text has no dependency parse to read relations from.
    """
    doc = doclike if isinstance(doclike, Doc) else doclike.doc
    if not doc.has_annotation("DEP"):
        raise ExtractionError(
            "relation extraction needs a dependency parse, but the Doc has none; "
            "parse it with a pipeline that has a parser (kg.nlp.load_pipeline())"
        )
    if isinstance(doclike, Doc):
        return list(doclike.sents)
    return [
        s for s in doclike.doc.sents if s.start < doclike.end and doclike.start < s.end
    ]
