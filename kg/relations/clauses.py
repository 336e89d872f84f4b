"""Clause-level open information extraction (relation + argument texts)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from spacy.tokens import Span, Token

from kg.lexicon import load_words
from kg.mentions import sentence_starts
from kg.relations.parse import (
    _CUT_DEPS,
    _CUT_DEPS_KEEP_CONJ,
    _NOT_PREDICATE_DEPS,
    _OBJ_DEPS,
    _PASSIVE_DEPS,
    _PREP_DEPS,
    _REL_DEPS,
    _RELATIVISERS,
    _SUBJ_DEPS,
    _TIME_DEPS,
    _antecedent,
    _Arg,
    _arg,
    _is_noun_complement,
    _sentences,
    _split_conjuncts,
    _subject_heads,
)
from kg.relations.polarity import clause_modality
from kg.types import (
    Clause,
    DocLike,
    Modality,
)

__all__ = ["extract_clauses"]


@dataclass(slots=True)
class _Frame:
    """One relation read from the parse, before it becomes a Clause or Triple."""

    relation: str
    subject: _Arg
    args: list[_Arg]
    lemma: str
    rule: str
    confidence: float
    sent: Span
    modality: Modality = "asserted"
    negated: bool = False
    passive: bool = False
    prep: str | None = None
    verb: Token | None = None
    merged: bool = False


def _rel_tokens(verb: Token) -> list[Token]:
    """Return the relation words: auxiliaries, negation, particle, the verb.

    Single adverbs inside the verb group ("was personally involved", "do not
    weigh more heavily on") belong to the relation too.
    """
    words = [verb, *(c for c in verb.children if c.dep_ in _REL_DEPS)]
    start = min(t.i for t in words)
    for c in verb.children:
        if (
            c.dep_ == "advmod"
            and c.pos_ == "ADV"
            and c.tag_ != "WRB"
            and start < c.i <= verb.i + 3
            and all(g.pos_ == "ADV" for g in c.subtree)
        ):
            words.extend(c.subtree)
    return sorted(dict.fromkeys(words), key=lambda t: t.i)


def _is_predicate(token: Token) -> bool:
    if token.pos_ not in {"VERB", "AUX"} or token.dep_ in _NOT_PREDICATE_DEPS:
        return False
    return token.dep_ != "amod"


def _complements(verb: Token, cut: frozenset[str]) -> list[list[_Arg]]:
    """Objects, prepositional phrases, clausal complements in text order.

    Each slot lists its alternatives: one per conjunct ("A and B").
    """
    slots: list[list[_Arg]] = []
    split = "conj" in cut
    for child in verb.children:
        if child.dep_ in _OBJ_DEPS:
            if child.tag_ in _RELATIVISERS:
                continue
            heads = _split_conjuncts(child) if split else [child]
            slots.append([_arg(h, role=child.dep_, cut=cut) for h in heads])
        elif child.dep_ in _PREP_DEPS:
            objs = [g for g in child.children if g.dep_ in {"pobj", "pcomp"}]
            if not objs or objs[0].tag_ in _RELATIVISERS:
                continue
            heads = _split_conjuncts(objs[0]) if split else objs[:1]
            slots.append(
                [
                    _Arg((child, *_arg(h, cut=cut).tokens), h, child, child.dep_)
                    for h in heads
                ]
            )
        elif (
            child.dep_ == "ccomp"
            and child.pos_ in {"VERB", "AUX"}
            and not any(c.dep_ == "aux" and c.tag_ == "TO" for c in child.children)
        ):
            mark = [c for c in child.children if c.dep_ == "mark"]
            arg = _arg(child, role="ccomp", cut=frozenset({"mark"}))
            arg.prep = mark[0] if mark else None
            slots.append([arg])
        elif child.dep_ in _TIME_DEPS and child.ent_type_ in {"DATE", "TIME"}:
            slots.append([_arg(child, role="time", cut=cut)])
    return sorted(slots, key=lambda s: s[0].tokens[0].i)


def _combinations(slots: Sequence[Sequence[_Arg]], limit: int = 8) -> list[list[_Arg]]:
    """Every choice of one alternative per slot, at most ``limit`` of them."""
    combos: list[list[_Arg]] = [[]]
    for slot in slots:
        combos = [[*c, a] for c in combos for a in slot][:limit]
    return combos


def _gap_object(verb: Token) -> Token | None:
    """For a relative clause whose object is the relativiser, the antecedent."""
    ante = _antecedent(verb)
    if ante is None or verb.dep_ != "relcl" or _is_noun_complement(verb):
        return None
    for child in verb.children:
        if child.dep_ in {"dobj", "attr"} and child.tag_ in _RELATIVISERS:
            return ante
    has_subj = any(
        c.dep_ in _SUBJ_DEPS and c.tag_ not in _RELATIVISERS for c in verb.children
    )
    has_obj = any(c.dep_ in _OBJ_DEPS for c in verb.children)
    if has_subj and not has_obj and verb.pos_ == "VERB":
        return ante
    return None


def _confidence(base: float, subject: _Arg, args: Sequence[_Arg], sent: Span) -> float:
    """Score a clause from its rule's base and the parse around it.

    Long sentences and long arguments are parsed less reliably.
    """
    score = base
    for arg in (subject, *args):
        if len(arg.tokens) > 8:
            score *= 0.95
        if len(arg.tokens) > 16:
            score *= 0.9
    if len(args) > 2:
        score *= 0.95
    if len(sent) > 40:
        score *= 0.95
    return round(max(0.0, min(1.0, score)), 3)


#: How reliable each way of finding the subject is (measured on CaRB dev).
_SUBJECT_BASE = {
    "own": 0.9,
    "conj": 0.9,
    "relcl": 0.8,
    "control": 0.75,
    "advcl": 0.75,
    "acl": 0.6,
}


def _verb_slots(
    verb: Token, cut: frozenset[str]
) -> tuple[list[list[_Arg]], list[Token]]:
    """Return a verb's argument slots and its relation words."""
    slots = _complements(verb, cut)
    gap = _gap_object(verb)
    if gap is not None:
        # "the firm where he worked": the antecedent is where it happened
        where = any(
            c.dep_ == "advmod" and c.lower_ in load_words("relation-where-adverbs")
            for c in verb.children
        )
        role = "where" if where else "dobj"
        slots = [[_arg(gap, role=role, cut=cut | {"relcl"})], *slots]
    rel = _rel_tokens(verb)
    # xcomp chains: "wants to buy X" reads as one relation "wants to buy"
    xcomps = [
        c for c in verb.children if c.dep_ == "xcomp" and c.pos_ in {"VERB", "AUX"}
    ]
    if xcomps and not any(s[0].role in {"dobj", "dative"} for s in slots):
        x = xcomps[0]
        rel = sorted({*rel, *_rel_tokens(x)}, key=lambda t: t.i)
        slots = [*slots, *_complements(x, cut)]
    # "sell or merge the thrifts": a verb with no object shares its conjunct's
    if not any(s[0].role in _OBJ_DEPS for s in slots):
        for conj in verb.children:
            if conj.dep_ != "conj" or conj.pos_ != "VERB":
                continue
            shared = [s for s in _complements(conj, cut) if s[0].role == "dobj"]
            if shared and not any(c.dep_ in _SUBJ_DEPS for c in conj.children):
                slots = [*shared, *slots]
                break
    # arguments after the verb first, then those fronted before it ("In 1990, ...")
    slots = sorted(slots, key=lambda s: (s[0].tokens[0].i < verb.i, s[0].tokens[0].i))
    return slots, rel


def _is_merged(verb: Token, how: str) -> bool:
    """Tell an xcomp its head reads as one relation ("helped to raise").

    It is a clause of its own only for entity triples.
    """
    return (
        verb.dep_ == "xcomp"
        and how == "control"
        and not any(c.dep_ in {"dobj", "dative"} for c in verb.head.children)
        and next((c for c in verb.head.children if c.dep_ == "xcomp"), None) == verb
    )


def _prep_relation(
    verb: Token, rel: Sequence[Token], args: list[_Arg]
) -> tuple[str, str | None, list[_Arg]]:
    """Move a first prepositional argument's preposition into the relation.

    "wrote to the mayor" reads as ("wrote to", "the mayor").
    """
    words = [t.text for t in rel]
    first = args[0]
    if (
        first.role in _PREP_DEPS
        and first.prep is not None
        and first.prep.i > verb.i
        and not any(a.role in _OBJ_DEPS for a in args)
    ):
        words.append(first.prep.text)
        inner = tuple(t for t in first.tokens if t.i != first.prep.i) or first.tokens
        rest = [_Arg(inner, first.head, first.prep, first.role), *args[1:]]
        return " ".join(words), first.prep.lower_, rest
    if first.role == "ccomp" and first.prep is not None:
        words.append(first.prep.text)
    return " ".join(words), None, args


def _verb_frames(verb: Token, sent: Span, cut: frozenset[str]) -> Iterator[_Frame]:
    subjects, how = _subject_heads(verb)
    if not subjects:
        return
    slots, rel = _verb_slots(verb, cut)
    if not slots:
        return
    base = _SUBJECT_BASE.get(how, 0.6)
    if verb.pos_ == "AUX" and not any(s[0].role in {"attr", "acomp"} for s in slots):
        base *= 0.9
    modality = clause_modality(verb)
    # phrasal verbs keep their particle: "take over", "set up", "grow up (in)"
    lemma = " ".join(
        [verb.lemma_.lower(), *(c.lower_ for c in verb.children if c.dep_ == "prt")]
    )
    subject_args = [
        _arg(h, role="subj", cut=cut | ({"relcl"} if how != "own" else set()))
        for s in subjects
        for h in (_split_conjuncts(s) if "conj" in cut else [s])
    ]
    n_alternatives = sum(len(s) > 1 for s in slots) + (len(subject_args) > 1)
    passive = any(c.dep_ in _PASSIVE_DEPS for c in verb.children)
    merged = _is_merged(verb, how)
    for combination in _combinations(slots):
        relation, prep, args = _prep_relation(verb, rel, combination)
        for subj in subject_args:
            confidence = _confidence(base, subj, args, sent)
            if n_alternatives:
                confidence = round(confidence * 0.97, 3)
            yield _Frame(
                relation=relation,
                subject=subj,
                args=list(args),
                lemma=lemma,
                rule=f"verb:{how}",
                confidence=confidence,
                sent=sent,
                modality=modality,
                negated=modality == "negated",
                passive=passive,
                prep=prep,
                verb=verb,
                merged=merged,
            )


def _noun_frames(noun: Token, sent: Span, cut: frozenset[str]) -> Iterator[_Frame]:
    """Appositives ("X, owner of Y") and possessives ("Y's zoo")."""
    for child in noun.children:
        if child.dep_ == "appos":
            if child.pos_ == "PROPN" and any(
                c.dep_ == "cc" for t in (child, *child.conjuncts) for c in t.children
            ):
                continue  # "Burkina Faso, Mali, Kenya and Tanzania": a list
            subj = _arg(noun, role="subj", cut=cut)
            obj = _arg(child, role="attr", cut=cut)
            yield _Frame(
                "is",
                subj,
                [obj],
                "be",
                "appos",
                _confidence(0.6, subj, [obj], sent),
                sent,
            )
        elif child.dep_ == "poss" and child.tag_ not in {"PRP$", "WP$"}:
            owner = _arg(child, role="subj", cut=cut | {"case"})
            owned = _arg(noun, role="dobj", cut=cut | {"poss", "relcl", "prep", "acl"})
            yield _Frame(
                "has",
                owner,
                [owned],
                "have",
                "poss",
                _confidence(0.35, owner, [owned], sent),
                sent,
            )


def _frames(doclike: DocLike, *, split_conjuncts: bool = True) -> Iterator[_Frame]:
    cut = _CUT_DEPS if split_conjuncts else _CUT_DEPS_KEEP_CONJ
    for sent in _sentences(doclike):
        for token in sent:
            if _is_predicate(token):
                yield from _verb_frames(token, sent, cut)
            if token.pos_ in {"NOUN", "PROPN"}:
                yield from _noun_frames(token, sent, cut)


def extract_clauses(doclike: DocLike) -> Iterator[Clause]:
    """Yield the clause-level relations (open IE tuples) of a parsed text.

    Every argument is the exact text of the sentence's tokens, so scorers that
    match tokens (CaRB) can compare them; ``arguments[0]`` is the subject.
    Negated clauses are yielded with ``negated=True`` (their relation keeps
    the "not"); hedged ("may") and reported ("X claims") ones carry their
    ``modality``.

    Parameters
    ----------
    doclike
        A parsed ``Doc`` or ``Span``.

    Yields
    ------
    Clause

    Raises
    ------
    ExtractionError
        The text has no dependency parse.

    Examples
    --------
    >>> doc = nlp("Ada Lovelace sent Charles Babbage a letter.")
    >>> [(c.relation, c.arguments) for c in extract_clauses(doc)]
    [('sent', ('Ada Lovelace', 'Charles Babbage', 'a letter'))]
    """
    _sentences(doclike)  # raises ExtractionError on an unparsed text
    starts = sentence_starts(doclike)
    seen: set[tuple[str, tuple[str, ...]]] = set()
    for frame in _frames(doclike):
        if frame.merged:
            continue
        arguments = (frame.subject.text, *(a.text for a in frame.args))
        key = (frame.relation, arguments)
        if key in seen:
            continue
        seen.add(key)
        yield Clause(
            relation=frame.relation,
            arguments=arguments,
            confidence=frame.confidence,
            sent_index=starts[frame.sent.start],
            rule=frame.rule,
            modality=frame.modality,
            negated=frame.negated,
        )
