"""Relation extraction: triples between entities, normalised to the ontology.

Extractors come from a registry (``kg.svo.v1`` is the built-in one); other
packages plug in through the ``kg_extractors`` entry-point group. An
extractor is a callable ``(doc, entities, doc_id) -> Iterator[Triple]``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import catalogue
from spacy.tokens import Doc, Span, Token

from kg.errors import ConfigError
from kg.mentions import sentence_starts
from kg.ontology import Ontology, load_ontology
from kg.types import Clause, DocLike, Entity, Modality, Provenance, Triple

__all__ = [
    "DEFAULT_EXTRACTOR",
    "Extractor",
    "extract_clauses",
    "extract_triples",
    "extractors",
    "get_extractor",
    "normalise_relation",
]

Extractor = Callable[[DocLike, Sequence[Entity], str], Iterator[Triple]]
extractors = catalogue.create("kg", "extractors", entry_points=True)
DEFAULT_EXTRACTOR = "kg.svo.v1"

_SVO_SUBJ_DEPS = frozenset({"nsubj", "nsubjpass"})
_SVO_OBJ_DEPS = frozenset({"dobj", "dative", "attr", "oprd"})


# --- clause-level open information extraction --------------------------------

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
#: Modal auxiliaries and adverbs that hedge a statement (closed word classes).
_HEDGE_WORDS = frozenset(
    {"may", "might", "could", "would", "should", "perhaps", "possibly", "probably",
     "reportedly", "allegedly", "apparently", "likely", "maybe", "supposedly"}
)  # fmt: skip
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


def _tokens_text(tokens: Sequence[Token]) -> str:
    """Text of tokens as written: contiguous runs keep the original spacing."""
    parts: list[str] = []
    for k, tok in enumerate(tokens):
        parts.append(tok.text)
        if k + 1 < len(tokens):
            parts.append(tok.whitespace_ if tokens[k + 1].i == tok.i + 1 else " ")
    return "".join(parts).strip()


def _collect(token: Token, cut: frozenset[str]) -> list[Token]:
    found = [token]
    for child in token.children:
        if child.dep_ not in cut:
            found.extend(_collect(child, cut))
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
    """The argument headed by ``head``: its subtree minus the cut dependents."""
    tokens = _collect(head, cut)
    if exclude is not None:
        drop = {t.i for t in exclude.subtree}
        tokens = [t for t in tokens if t.i not in drop]
    tokens = _trim_edges(sorted(tokens, key=lambda t: t.i)) or [head]
    return _Arg(tuple(tokens), head, prep, role)


def _split_conjuncts(head: Token) -> list[Token]:
    """The head and its nominal conjuncts ("A, B and C" gives A, B, C)."""
    return [head, *(c for c in head.conjuncts if c.i > head.i)]


def _antecedent(verb: Token) -> Token | None:
    """The noun a relative clause or participle modifies."""
    if verb.dep_ in {"relcl", "acl"} and verb.head.pos_ in {"NOUN", "PROPN", "PRON", "NUM"}:
        return verb.head
    return None


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
        verb.dep_ == "ccomp" and any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children)
    ):
        objs = [c for c in head.children if c.dep_ in {"dobj", "dative"}]
        if objs:
            return [objs[-1]], "control"
        subjects, _ = _subject_heads(head, depth + 1)
        return subjects, "control"
    if verb.dep_ == "advcl" and verb.tag_ in {"VBG", "VBN"}:
        subjects, _ = _subject_heads(head, depth + 1)
        return subjects, "advcl"
    return [], "none"


def _modality(verb: Token) -> Modality:
    """Hedged by a modal or hedging adverb, reported under a speech frame."""
    node: Token | None = verb
    for _ in range(6):
        if node is None:
            break
        for child in node.children:
            if child.dep_ in {"aux", "advmod"} and child.lower_ in _HEDGE_WORDS:
                return "hedged"
        if node.dep_ == "conj":
            node = node.head
            continue
        break
    node = verb
    for _ in range(6):
        if node.dep_ in {"ccomp", "parataxis"} and node.head is not node:
            return "reported"
        if any(
            c.dep_ in {"ccomp", "parataxis"} and c.i > node.i
            and any(g.dep_ in _SUBJ_DEPS for g in c.children)
            and not any(g.dep_ in _OBJ_DEPS | {"ccomp"} for g in c.children)
            and any(g.is_punct for g in c.doc[node.i : c.i])
            for c in node.children
        ):
            return "reported"
        if any(c.dep_ == "prep" and c.lower_ == "according" for c in node.children):
            return "reported"
        if node.dep_ in {"conj", "xcomp", "advcl"} and node.head is not node:
            node = node.head
            continue
        break
    return "asserted"


def _is_negated(verb: Token) -> bool:
    return any(c.dep_ == "neg" for c in verb.children)


def _rel_tokens(verb: Token) -> list[Token]:
    return sorted(
        [verb, *(c for c in verb.children if c.dep_ in _REL_DEPS)], key=lambda t: t.i
    )


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
    if ante is None or verb.dep_ != "relcl":
        return None
    for child in verb.children:
        if child.dep_ in {"dobj", "attr"} and child.tag_ in _RELATIVISERS:
            return ante
    has_subj = any(c.dep_ in _SUBJ_DEPS and c.tag_ not in _RELATIVISERS for c in verb.children)
    has_obj = any(c.dep_ in _OBJ_DEPS for c in verb.children)
    if has_subj and not has_obj and verb.pos_ == "VERB":
        return ante
    return None


def _confidence(base: float, subject: _Arg, args: Sequence[_Arg], sent: Span) -> float:
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


def _verb_frames(verb: Token, sent: Span, cut: frozenset[str]) -> Iterator[_Frame]:
    subjects, how = _subject_heads(verb)
    if not subjects:
        return
    slots = _complements(verb, cut)
    gap = _gap_object(verb)
    if gap is not None:
        slots = [[_arg(gap, role="dobj", cut=cut | {"relcl"})], *slots]
    rel = _rel_tokens(verb)
    # xcomp chains: "wants to buy X" reads as one relation "wants to buy"
    xcomps = [c for c in verb.children if c.dep_ == "xcomp" and c.pos_ in {"VERB", "AUX"}]
    if xcomps and not any(s[0].role in {"dobj", "dative"} for s in slots):
        x = xcomps[0]
        rel = sorted({*rel, *_rel_tokens(x)}, key=lambda t: t.i)
        slots = [*slots, *_complements(x, cut)]
    if not slots:
        return
    passive = any(c.dep_ in _PASSIVE_DEPS for c in verb.children)
    base = {"own": 0.9, "relcl": 0.8, "conj": 0.8, "control": 0.7, "acl": 0.7,
            "advcl": 0.6}.get(how, 0.6)  # fmt: skip
    if verb.pos_ == "AUX" and not any(s[0].role in {"attr", "acomp"} for s in slots):
        base *= 0.9
    modality = _modality(verb)
    negated = _is_negated(verb)
    lemma = verb.lemma_.lower()
    subject_args = [
        _arg(h, role="subj", cut=cut | ({"relcl"} if how != "own" else set()))
        for s in subjects
        for h in (_split_conjuncts(s) if "conj" in cut else [s])
    ]
    n_alternatives = sum(len(s) > 1 for s in slots) + (len(subject_args) > 1)
    for args in _combinations(slots):
        relation_words = [t.text for t in rel]
        prep: str | None = None
        first = args[0]
        if (
            first.role in _PREP_DEPS
            and first.prep is not None
            and not any(a.role in _OBJ_DEPS for a in args)
        ):
            prep = first.prep.lower_
            relation_words.append(first.prep.text)
            inner = tuple(t for t in first.tokens if t.i != first.prep.i) or first.tokens
            args = [_Arg(inner, first.head, first.prep, first.role), *args[1:]]
        elif first.role == "ccomp" and first.prep is not None:
            relation_words.append(first.prep.text)
        for subj in subject_args:
            confidence = _confidence(base, subj, args, sent)
            if n_alternatives:
                confidence = round(confidence * 0.97, 3)
            yield _Frame(
                relation=" ".join(relation_words),
                subject=subj,
                args=list(args),
                lemma=lemma,
                rule=f"verb:{how}",
                confidence=confidence,
                sent=sent,
                modality=modality,
                negated=negated,
                passive=passive,
                prep=prep,
            )


def _noun_frames(noun: Token, sent: Span, cut: frozenset[str]) -> Iterator[_Frame]:
    """Appositives ("X, owner of Y") and possessives ("Y's zoo")."""
    for child in noun.children:
        if child.dep_ == "appos":
            subj = _arg(noun, role="subj", cut=cut)
            obj = _arg(child, role="attr", cut=cut)
            yield _Frame("is", subj, [obj], "be", "appos",
                         _confidence(0.75, subj, [obj], sent), sent)  # fmt: skip
        elif child.dep_ == "poss" and child.tag_ not in {"PRP$", "WP$"}:
            owner = _arg(child, role="subj", cut=cut | {"case"})
            owned = _arg(noun, role="dobj", cut=cut | {"poss", "relcl", "prep", "acl"})
            yield _Frame("has", owner, [owned], "have", "poss",
                         _confidence(0.5, owner, [owned], sent), sent)  # fmt: skip


def _frames(doclike: DocLike, *, split_conjuncts: bool = True) -> Iterator[_Frame]:
    cut = _CUT_DEPS if split_conjuncts else _CUT_DEPS_KEEP_CONJ
    sents = [doclike] if isinstance(doclike, Span) and doclike.start == doclike.sent.start and doclike.end == doclike.sent.end else list(doclike.sents)
    for sent in sents:
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

    Examples
    --------
    >>> doc = nlp("Ada Lovelace sent Charles Babbage a letter.")
    >>> [(c.relation, c.arguments) for c in extract_clauses(doc)]
    [('sent', ('Ada Lovelace', 'Charles Babbage', 'a letter'))]
    """
    starts = sentence_starts(doclike)
    seen: set[tuple[str, tuple[str, ...]]] = set()
    for frame in _frames(doclike):
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


def get_extractor(name: str = DEFAULT_EXTRACTOR) -> Extractor:
    """Return the registered extractor called ``name``.

    Raises
    ------
    ConfigError
        No extractor of that name is registered.

    Examples
    --------
    >>> callable(get_extractor())
    True
    """
    try:
        factory = extractors.get(name)
    except catalogue.RegistryError as exc:
        known = ", ".join(sorted(extractors.get_all()))
        raise ConfigError(f"unknown extractor {name!r}; registered: {known}") from exc
    extractor: Extractor = factory()
    return extractor


def extract_triples(
    doclike: DocLike,
    entities: Iterable[Entity],
    *,
    doc_id: str,
    extractor: str = DEFAULT_EXTRACTOR,
) -> Iterator[Triple]:
    """Yield relation triples between the given entities of a document.

    Examples
    --------
    >>> from kg.coref import resolve_entities
    >>> from kg.mentions import extract_mentions
    >>> doc = nlp("Ada Lovelace wrote to Charles Babbage.")
    >>> ents = resolve_entities(doc, extract_mentions(doc))
    >>> [(t.subject, t.predicate, t.object) for t in extract_triples(doc, ents, doc_id="d")]
    [('ada lovelace', 'wroteTo', 'charles babbage')]
    """
    yield from get_extractor(extractor)(doclike, tuple(entities), doc_id)


def normalise_relation(
    lemma: str, preposition: str | None, *, ontology: Ontology | None = None
) -> str:
    """Map a verb lemma (and preposition) to an ontology property name.

    Falls back to ``relatedTo`` when no property lists the trigger.

    Examples
    --------
    >>> normalise_relation("write", "to")
    'wroteTo'
    >>> normalise_relation("cook", None)
    'relatedTo'
    """
    onto = ontology or load_ontology()
    wanted = f"{lemma} {preposition}" if preposition else lemma
    for info in onto.properties.values():
        if wanted in info.verb_triggers:
            return info.name
    return "relatedTo"


def _token_entities(doc: Doc, entities: Sequence[Entity]) -> dict[int, str]:
    """Map each token index covered by a mention to its entity key."""
    by_token: dict[int, str] = {}
    for entity in entities:
        for m in entity.mentions:
            span = doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
            if span is None:
                continue
            for token in span:
                by_token.setdefault(token.i, entity.key)
    return by_token


def _provenance(
    doc: Doc, doc_id: str, starts: dict[int, int], a: Token, b: Token
) -> Provenance:
    sent = a.sent
    first, last = min(a.i, b.i), max(a.i, b.i)
    return Provenance(
        doc_id=doc_id,
        sent_index=starts[sent.start],
        start_char=doc[first].idx,
        end_char=doc[last].idx + len(doc[last]),
        sentence=sent.text,
    )


@extractors.register("kg.svo.v1")
def make_svo_extractor() -> Extractor:
    """Make the subject–verb–object and verb–preposition–object extractor."""

    def extract(doclike: DocLike, entities: Sequence[Entity], doc_id: str) -> Iterator[Triple]:
        doc = doclike.doc if not isinstance(doclike, Doc) else doclike
        by_token = _token_entities(doc, entities)
        starts = sentence_starts(doc)
        for verb in doclike:
            if verb.pos_ not in {"VERB", "AUX"}:
                continue
            subjects = [c for c in verb.children if c.dep_ in _SVO_SUBJ_DEPS]
            subjects += [s for c in subjects for s in c.conjuncts]
            objects: list[tuple[Token, str | None]] = [
                (c, None) for c in verb.children if c.dep_ in _SVO_OBJ_DEPS
            ]
            for prep in (c for c in verb.children if c.dep_ in _PREP_DEPS):
                objects += [(p, prep.lower_) for p in prep.children if p.dep_ == "pobj"]
            objects += [(c, p) for o, p in list(objects) for c in o.conjuncts]
            for subj in subjects:
                s_key = by_token.get(subj.i)
                if s_key is None:
                    continue
                for obj, prep in objects:
                    o_key = by_token.get(obj.i)
                    if o_key is None or o_key == s_key:
                        continue
                    predicate = normalise_relation(verb.lemma_.lower(), prep)
                    if predicate == "relatedTo" and prep is not None:
                        predicate = normalise_relation(verb.lemma_.lower(), None)
                    yield Triple(
                        subject=s_key,
                        predicate=predicate,
                        object=o_key,
                        provenance=_provenance(doc, doc_id, starts, subj, obj),
                        confidence=0.7 if prep is None else 0.6,
                        rule="kg.svo.v1:" + ("svo" if prep is None else "svpo"),
                        lemma=" ".join(filter(None, [verb.lemma_.lower(), prep])),
                    )

    return extract
