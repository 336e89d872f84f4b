"""Relation extraction: clauses, and entity triples normalised to the ontology.

Two layers:

* :func:`extract_clauses` reads open-domain clauses (relation + argument
  texts, as OpenIE systems do) from the dependency parse.
* Extractors turn the same reading into :class:`~kg.types.Triple` objects
  between entities. They come from a registry (``kg.clauses.v1`` is the
  default, ``kg.svo.v1`` the older subject-verb-object one); other packages
  plug in through the ``kg_extractors`` entry-point group. An extractor is a
  callable ``(doc, entities, doc_id) -> Iterator[Triple | Entity]``: the
  entities it yields are described, unnamed things ("the zoo") that take
  part in a fact.

Relation words live in the ontology as data (``kgo:verbTrigger``,
``kgo:nounTrigger``, ``kgo:prepTrigger``, ``kgo:modifierTrigger``,
``kgo:structureTrigger``, and ``kgo:knownName`` for countries, continents and
nationalities); this module holds only grammar.

What ``kg.clauses.v1`` reads, and how sure it is
------------------------------------------------
* Clauses: subject (own, shared by a conjoined verb, the antecedent of a
  relative clause or participle, the controller of "asks X to do Y", the
  clause subject of a gerund) against each object, indirect object,
  prepositional object (a passive's "by" agent swaps the roles) and names
  nested in them. Confidence starts from how the subject was found (0.9 for
  its own subject down to 0.6 for a participle) and drops for long
  arguments and long sentences.
* Predicate nouns ("X is the owner of Y", "X, a town in Y", "her father,
  Z", "American singer Z"), possessives ("Y's zoo"), "X in Y" and place
  chains ("Vancouver, British Columbia, Canada").
* Light verbs read with their noun ("showed interest in Y", "filed a
  lawsuit against Y"), a nested phrase's last preposition ("plotted a
  campaign of lies against Y"), a role noun apposed to a possessive name
  ("in her father, Z's footsteps"), a work's name before a role noun
  ("Some Show star Z", also in a headline's loose parse).
* Weak defaults, marked by their rule and a low confidence: names anywhere
  in a clause (``clause-scope``), the one country a sentence or a text names
  (``sentence-country``, ``document-country``), locations through chains
  (``transitive``), a sub-property's parent, also through an inverse
  (``+entailed``: performer(W, P) gives notableWork(P, W)), and a generic
  fact typed by its arguments' classes where the ontology lists a
  ``default`` structure trigger (``+class-default``: a person and an event
  give participantIn).
* Guesses from the document context, which no sentence states, only with
  the ``kg.clauses.v1+context`` extractor (they are right 22-40% of the
  time on Re-DocRED): the country named last before an unplaced place or
  body (``recent-country``), the one nation a text names for a person
  (``recent-nation``).
* Kinship lists: the people a plural kinship noun lists are siblings ("his
  sons A and B"); the two parents of "the son of A and B" are spouses.
* Reciprocal clauses: conjoined subjects of a verb the ontology marks
  ``reciprocal`` and used without object ("A and B clashed", "A and B met")
  or of a plural relational noun ("A and B are friends") relate each other.
* A possessed noun no property takes still links its bearer to the
  possessor under ``relatedTo`` ("his lawyer, X": ``relational-noun``); a
  person noun joined to a body by at/with/for is employment ("a detective
  with Y": ``occupation``).
* Described things ("her husband") are told apart by their possessor, and
  a possessive states ownership only of a noun of an ownable class (a
  pronoun owns only places and things: "my zoo", not "his team").
* A clause under a verb of asking or wanting ("asked Y to help Z") is
  hedged.
* Negated clauses give no triple; hedged and reported ones keep their
  :data:`~kg.types.Modality`. A generic ``relatedTo`` triple is dropped where
  a specific property links the same pair in that sentence, and a described
  thing becomes a node only where it carries a fact.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace

import catalogue
from spacy.tokens import Doc, Span, Token

from kg.errors import ConfigError, ExtractionError
from kg.mentions import covered_span, mention_tokens, sentence_starts
from kg.ontology import Ontology, PropertyInfo, TriggerKind, load_ontology
from kg.types import (
    Clause,
    DocLike,
    Entity,
    Mention,
    Modality,
    Provenance,
    Triple,
    Value,
)

__all__ = [
    "DEFAULT_EXTRACTOR",
    "Extractor",
    "extract_clauses",
    "extract_relations",
    "extract_triples",
    "extract_value_facts",
    "extractors",
    "get_extractor",
    "normalise_relation",
    "register_extractor",
]

#: ``(doc, entities, doc_id)`` to triples, and any new described entities.
Extractor = Callable[[DocLike, Sequence[Entity], str], Iterator[Triple | Entity]]
extractors = catalogue.create("kg", "extractors", entry_points=True)
ExtractorFactory = Callable[[], Extractor]


def register_extractor(name: str) -> Callable[[ExtractorFactory], ExtractorFactory]:
    """Register an extractor factory under a versioned name, e.g. ``my.rules.v1``.

    A typed front to ``extractors.register``; other packages may also use the
    ``kg_extractors`` entry-point group.

    Examples
    --------
    >>> @register_extractor("doc.example.v1")
    ... def make_nothing() -> Extractor:
    ...     return lambda doclike, entities, doc_id: iter(())
    >>> get_extractor("doc.example.v1")(None, (), "d")  # doctest: +ELLIPSIS
    <tuple_iterator object at ...>
    """
    decorator: Callable[[ExtractorFactory], ExtractorFactory] = extractors.register(
        name
    )
    return decorator


DEFAULT_EXTRACTOR = "kg.clauses.v1"

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
    {
        "may",
        "might",
        "could",
        "would",
        "should",
        "perhaps",
        "possibly",
        "probably",
        "reportedly",
        "allegedly",
        "apparently",
        "likely",
        "maybe",
        "supposedly",
    }
)
_NOT_PREDICATE_DEPS = frozenset({"aux", "auxpass", "amod", "compound"})
#: Verbs of asking, wanting and trying: "asks X to help Y" does not state that
#: X helps Y (a closed class of control verbs).
_IRREALIS_VERBS = frozenset(
    {
        "ask",
        "urge",
        "beg",
        "request",
        "implore",
        "want",
        "wish",
        "hope",
        "try",
        "attempt",
        "plan",
        "intend",
        "seek",
        "expect",
        "encourage",
        "persuade",
        "invite",
        "advise",
        "order",
        "demand",
        "threaten",
        "offer",
        "promise",
        "propose",
        "agree",
        "aim",
        "vow",
        "pledge",
        "prepare",
        "consider",
        "decide",
        "need",
    }
)
#: Verbs whose complement did not happen: "refused to pay Y" (negative
#: implicatives, a closed class).
_NEGATIVE_VERBS = frozenset({"refuse", "decline", "fail", "neglect", "forget", "avoid"})


def _inflections(lemmas: frozenset[str]) -> frozenset[str]:
    """Regular inflected forms of verb lemmas.

    The small pipeline's lemmatiser misreads some forms ("hopes" as "hop"),
    so a closed verb class is matched on the word form too.

    Examples
    --------
    >>> sorted(_inflections(frozenset({"hope", "try"})))[:4]
    ['hope', 'hoped', 'hopes', 'hoping']
    """
    forms = set(lemmas)
    for w in lemmas:
        stem = w[:-1] if w.endswith("e") else w
        forms.update({w + "s", stem + "ed", stem + "ing"})
        if w.endswith("y"):
            forms.update({w[:-1] + "ies", w[:-1] + "ied"})
    return frozenset(forms)


_IRREALIS_FORMS = _inflections(_IRREALIS_VERBS)
_NEGATIVE_FORMS = _inflections(_NEGATIVE_VERBS)


def _head_verb_in(verb: Token, lemmas: frozenset[str], forms: frozenset[str]) -> bool:
    """Tell whether a to-infinitive hangs on a verb of a closed class."""
    head = verb.head
    return (
        verb.dep_ in {"xcomp", "ccomp", "advcl"}
        and head.i != verb.i
        and (head.lemma_.lower() in lemmas or head.lower_ in forms)
        and any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children)
    )


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
    verb: Token | None = None
    merged: bool = False


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
        if _head_verb_in(node, _IRREALIS_VERBS, _IRREALIS_FORMS):
            return "hedged"  # "asked you to help me": asked for, not stated
        if node.dep_ in {"ccomp", "parataxis"} and node.head.i != node.i:
            return "reported"
        if any(
            c.dep_ in {"ccomp", "parataxis"}
            and c.i > node.i
            and any(g.dep_ in _SUBJ_DEPS for g in c.children)
            and not any(g.dep_ in _OBJ_DEPS | {"ccomp"} for g in c.children)
            and any(g.is_punct for g in c.doc[node.i : c.i])
            for c in node.children
        ):
            return "reported"
        if any(c.dep_ == "prep" and c.lower_ == "according" for c in node.children):
            return "reported"
        if (
            node.dep_ in {"acl", "ccomp"} and node.head.pos_ == "NOUN"
        ) or _is_noun_complement(node):
            return "reported"  # "their belief that X", "the claim that X"
        if node.dep_ in {"conj", "xcomp", "advcl"} and node.head.i != node.i:
            node = node.head
            continue
        break
    return "asserted"


def _is_negated(verb: Token) -> bool:
    return any(c.dep_ == "neg" for c in verb.children)


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


def _verb_frames(verb: Token, sent: Span, cut: frozenset[str]) -> Iterator[_Frame]:
    subjects, how = _subject_heads(verb)
    if not subjects:
        return
    slots = _complements(verb, cut)
    gap = _gap_object(verb)
    if gap is not None:
        # "the firm where he worked": the antecedent is where it happened
        where = any(
            c.dep_ == "advmod" and c.lower_ in {"where", "wherein"}
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
            if conj.dep_ == "conj" and conj.pos_ == "VERB":
                shared = [s for s in _complements(conj, cut) if s[0].role == "dobj"]
                if shared and not any(c.dep_ in _SUBJ_DEPS for c in conj.children):
                    slots = [*shared, *slots]
                    break
    if not slots:
        return
    # arguments after the verb first, then those fronted before it ("In 1990, ...")
    slots = sorted(slots, key=lambda s: (s[0].tokens[0].i < verb.i, s[0].tokens[0].i))
    passive = any(c.dep_ in _PASSIVE_DEPS for c in verb.children)
    # an xcomp whose head reads it as one relation ("helped to raise") is a
    # clause of its own only for entity triples
    merged = (
        verb.dep_ == "xcomp"
        and how == "control"
        and not any(c.dep_ in {"dobj", "dative"} for c in verb.head.children)
        and next((c for c in verb.head.children if c.dep_ == "xcomp"), None) == verb
    )
    # how reliable each way of finding the subject is (measured on CaRB dev)
    base = {
        "own": 0.9,
        "conj": 0.9,
        "relcl": 0.8,
        "control": 0.75,
        "advcl": 0.75,
        "acl": 0.6,
    }.get(how, 0.6)
    if verb.pos_ == "AUX" and not any(s[0].role in {"attr", "acomp"} for s in slots):
        base *= 0.9
    modality = _modality(verb)
    negated = _is_negated(verb) or _head_verb_in(verb, _NEGATIVE_VERBS, _NEGATIVE_FORMS)
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
    for args in _combinations(slots):
        relation_words = [t.text for t in rel]
        prep: str | None = None
        first = args[0]
        if (
            first.role in _PREP_DEPS
            and first.prep is not None
            and first.prep.i > verb.i
            and not any(a.role in _OBJ_DEPS for a in args)
        ):
            prep = first.prep.lower_
            relation_words.append(first.prep.text)
            inner = (
                tuple(t for t in first.tokens if t.i != first.prep.i) or first.tokens
            )
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


# --- entity triples -------------------------------------------------------------

_KIND_RANK = {"name": 0, "nominal": 1, "pronoun": 2}
#: Classes an untyped described thing ("the governor", "the zoo") may stand for.
_LENIENT_CLASSES = frozenset({"Entity", "Thing", "Agent", "Person", "Organization"})
#: Rules whose generic facts are too weak to make a described thing a node.
_WEAK_RULES = frozenset({"verb-inner", "verb-noun-prep", "clause-scope"})
#: Prepositions joining a relational noun to its relatum ("owner of", "album by").
_ROLE_PREPS = frozenset({"of", "for", "at", "with", "to", "by", "from"})
#: Modifiers that make a role another one: a vice president is no president.
_SUBORDINATE_MODS = frozenset({"vice", "deputy", "assistant", "associate", "under"})
#: Prepositions a relative "where" stands for ("the firm where he worked").
_WHERE_PREPS = ("at", "in", "for", "on")
#: Prepositions joining an occupation to the body one works for ("a nurse at Y").
_OCCUPATION_PREPS = frozenset({"at", "with", "for"})
_NOMINAL_POS = frozenset({"NOUN"})
_NOMINAL_CORE_DEPS = frozenset({"amod", "compound", "nummod", "nmod"})
#: Possessive determiners stand for an entity only through coreference.
_PRONOUN_TAGS = frozenset({"PRP", "PRP$", "WP", "WP$"})


@dataclass(frozen=True, slots=True)
class _Node:
    """An argument resolved to an entity (or to a new described thing)."""

    key: str
    cls: str
    named: bool
    start: int
    end: int
    pronoun: bool = False


@dataclass(slots=True)
class _Context:
    """Per-document state of the triple extractor: who each token refers to."""

    doc: Doc
    doc_id: str
    onto: Ontology
    by_token: dict[int, Entity]
    starts: dict[int, int]
    new_entities: dict[str, Entity]
    pending: dict[str, Entity]
    classes: dict[str, str] = field(default_factory=dict)
    retyped: dict[str, str] = field(default_factory=dict)
    modalities: dict[int, Modality] = field(default_factory=dict)
    firsts: list[tuple[_Node, Span]] | None = None


def _retype(ctx: _Context, sents: Sequence[Span]) -> None:
    """Type names by the noun the text gives them: "X is a village", "X, an album".

    The NER label stays where it agrees with the noun; where it does not (a
    village tagged as a person, an album as an organisation), the noun wins.
    """
    onto = ctx.onto
    for sent in sents:
        for noun in sent:
            if noun.pos_ != "NOUN":
                continue
            name: Token | None = None
            if noun.dep_ == "attr" and noun.head.lemma_ == "be":
                name = next((c for c in noun.head.children if c.dep_ == "nsubj"), None)
            elif noun.dep_ == "appos" or (
                noun.dep_ == "compound" and noun.head.pos_ == "PROPN"
            ):
                name = noun.head
            entity = ctx.by_token.get(name.i) if name is not None else None
            if entity is None or not entity.named:
                continue
            classes = onto.classes_for_noun(_role_lemma(noun)) or onto.classes_for_noun(
                noun.lemma_
            )
            if len(classes) != 1:
                continue
            cls = classes[0]
            current = ctx.retyped.get(entity.key, entity.label)
            if not (onto.is_a(current, cls) or onto.is_a(cls, current)):
                ctx.retyped[entity.key] = cls


def _entity_index(doc: Doc, entities: Sequence[Entity]) -> dict[int, Entity]:
    """Map each token covered by a mention to its entity (names win)."""
    best: dict[int, tuple[tuple[bool, int, int], Entity]] = {}
    for entity in entities:
        for m in entity.mentions:
            span = covered_span(doc, m)
            if span is None:
                continue
            # a name's tokens are the name's ("the Some Show star"); otherwise
            # the shortest mention wins ("her" inside "her best friend")
            rank = (m.kind != "name", len(span), _KIND_RANK.get(m.kind, 3))
            for token in span:
                if token.i not in best or rank < best[token.i][0]:
                    best[token.i] = (rank, entity)
    return {i: e for i, (_, e) in best.items()}


def _nominal_core(head: Token) -> list[Token]:
    """Return the noun and its close modifiers ("the former zoo"), no clauses."""
    tokens = [head]
    for child in head.children:
        if child.dep_ in _NOMINAL_CORE_DEPS and child.tag_ not in _PRONOUN_TAGS:
            tokens.extend(child.subtree)
    return sorted(tokens, key=lambda t: t.i)


def _entity_node(ctx: _Context, entity: Entity, head: Token) -> _Node:
    """Make the node of a known entity; a listed place name refines its class."""
    cls = ctx.retyped.get(entity.key, entity.label)
    known = ctx.onto.class_for_name(entity.name) if entity.named else None
    if known is not None and ctx.onto.is_a(known, cls):
        cls = known
    ctx.classes[entity.key] = cls
    pronoun = head.tag_ in _PRONOUN_TAGS
    return _Node(entity.key, cls, entity.named, head.idx, head.idx + len(head), pronoun)


def _entity_at(by_token: Mapping[int, Entity], head: Token) -> Entity | None:
    """Return the entity of a token's mention; a name falls back on its parts."""
    entity = by_token.get(head.i)
    if entity is None and head.pos_ == "PROPN":
        entity = next(
            (
                by_token[c.i]
                for c in head.children
                if c.dep_ in {"compound", "flat"} and c.i in by_token
            ),
            None,
        )
    return entity


def _node(ctx: _Context, head: Token) -> _Node | None:
    """Resolve an argument head to an entity, or describe it as a new Thing."""
    entity = _entity_at(ctx.by_token, head)
    if entity is not None:
        return _entity_node(ctx, entity, head)
    if head.pos_ not in _NOMINAL_POS or head.ent_type_:
        return None
    core = [t for t in _nominal_core(head) if t.i not in ctx.by_token] or [head]
    name = _tokens_text(core)
    # "my dad" and "my father" are one person: the key takes the usual noun
    lemmas = (ctx.onto.canonical_noun(t.lemma_.lower()) for t in core)
    key = f"{ctx.doc_id}#{' '.join(lemmas)}"
    # "her husband" and "my husband" are two people: a possessed thing is
    # told apart by its possessor
    poss = next(
        (c for c in head.children if c.dep_ == "poss" and c.i in ctx.by_token), None
    )
    if poss is not None:
        owner = ctx.by_token[poss.i]
        key = f"{key} of {owner.key}"
        # a node's label must say who it is: "husband of Z", not a bare noun
        name = f"{name} of {owner.name}"
    start, end = core[0].idx, core[-1].idx + len(core[-1])
    mention = Mention(name, "", start, end, ctx.starts[head.sent.start], kind="nominal")
    known = ctx.pending.get(key) or ctx.new_entities.get(key)
    if known is None:
        # yielded only once a triple uses it (see _emit)
        ctx.pending[key] = Entity(key, "Thing", name, (mention,), named=False)
    elif mention not in known.mentions:
        merged = replace(known, mentions=(*known.mentions, mention))
        (ctx.pending if key in ctx.pending else ctx.new_entities)[key] = merged
    return _Node(key, "Thing", False, start, end)


def _fits(
    onto: Ontology,
    info: PropertyInfo,
    s: _Node,
    o: _Node,
    *,
    lenient: bool,
    domain: bool = True,
) -> bool:
    """Check domain and range; an untyped Thing passes only a lenient check."""

    def ok(cls: str, wanted: str) -> bool:
        if onto.is_a(cls, wanted):
            return True
        # an untyped description may be a person or a body, not a place or a work
        return lenient and cls == "Thing" and wanted in _LENIENT_CLASSES

    return (not domain or ok(s.cls, info.domain)) and ok(o.cls, info.range)


def _choose(
    onto: Ontology,
    kind: TriggerKind,
    trigger: str,
    s: _Node,
    o: _Node,
    *,
    lenient: bool,
    domain: bool = True,
) -> PropertyInfo | None:
    """Pick the most specific property listing the trigger whose domain/range fit."""
    fitting = [
        p
        for p in onto.properties_for(kind, trigger)
        if _fits(onto, p, s, o, lenient=lenient, domain=domain)
    ]
    # the most specific property: a parent gives way to its fitting sub-property
    parents = {parent for p in fitting for parent in p.parents}
    fitting = [p for p in fitting if p.name not in parents]
    if not fitting:
        return None
    depth = onto.superclasses
    return max(
        fitting,
        key=lambda p: (
            len(depth.get(p.domain, ())) + len(depth.get(p.range, ())),
            p.name,
        ),
    )


def _emit(
    ctx: _Context,
    s: _Node,
    o: _Node,
    info: PropertyInfo | None,
    *,
    lemma: str,
    confidence: float,
    rule: str,
    sent: Span,
    modality: Modality,
) -> Iterator[Triple | Entity]:
    if s.key == o.key or not (s.named or o.named):
        return
    if info is None and not (s.named and o.named) and rule in _WEAK_RULES:
        return  # a described thing is a node only where it carries a fact
    for node in (s, o):
        if node.key in ctx.pending:
            ctx.new_entities[node.key] = ctx.pending.pop(node.key)
    score = confidence * (1.0 if info is not None else 0.85)
    score *= 0.9 if (s.pronoun or o.pronoun) else 1.0
    score *= 0.9 if not (s.named and o.named) else 1.0
    start, end = min(s.start, o.start), max(s.end, o.end)
    yield Triple(
        subject=s.key,
        predicate=info.name if info is not None else "relatedTo",
        object=o.key,
        provenance=Provenance(
            doc_id=ctx.doc_id,
            sent_index=ctx.starts[sent.start],
            start_char=start,
            end_char=end,
            sentence=sent.text,
        ),
        confidence=round(max(0.0, min(1.0, score)), 3),
        rule=f"kg.clauses.v1:{rule}",
        lemma=lemma,
        modality=modality,
    )


def _prep_objects(noun: Token, depth: int = 0) -> Iterator[tuple[Token, Token]]:
    """(preposition, object) pairs under a noun, through non-name objects."""
    for prep, _, obj in _prep_paths(noun, depth):
        yield prep, obj


def _prep_paths(noun: Token, depth: int = 0) -> Iterator[tuple[Token, Token, Token]]:
    """(first preposition, last preposition, object) under a noun.

    The path goes through objects that are no names: "a village in the
    district of Y" gives ("in", "of", Y).
    """
    if depth > 3:
        return
    for prep in noun.children:
        if prep.dep_ != "prep":
            continue
        for pobj in prep.children:
            if pobj.dep_ != "pobj":
                continue
            for obj in _split_conjuncts(pobj):
                yield prep, prep, obj
                if not obj.ent_type_:
                    for _, last, deeper in _prep_paths(obj, depth + 1):
                        yield prep, last, deeper


def _role_lemma(noun: Token) -> str:
    """Return a relational noun with its adjective ("best friend")."""
    mods = [c for c in noun.children if c.dep_ in {"amod", "compound"} and c.i < noun.i]
    if mods:
        return f"{mods[-1].lemma_.lower()} {noun.lemma_.lower()}"
    return noun.lemma_.lower()


def _noun_facts(
    ctx: _Context,
    bearer: _Node,
    noun: Token,
    sent: Span,
    *,
    base: float,
    modality: Modality,
    extra_poss: Sequence[Token] = (),
) -> Iterator[Triple | Entity]:
    """Facts a predicate noun states of its bearer: "X is/, the owner of Y"."""
    onto = ctx.onto
    # relational nouns: "owner of Y", "Y's owner", "her father", "Y spokesman"
    related: list[Token] = list(extra_poss)
    for child in noun.children:
        if child.dep_ == "poss" or (
            child.dep_ in {"compound", "amod"} and child.ent_type_
        ):
            related.append(child)
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ in _ROLE_PREPS:
            related.extend(
                o
                for p in prep.children
                if p.dep_ == "pobj"
                for o in _split_conjuncts(p)
            )
    found_role = False
    lemmas = [_role_lemma(noun), noun.lemma_.lower()]
    if any(
        c.lower_ in _SUBORDINATE_MODS
        for c in noun.children
        if c.dep_ in {"amod", "compound"} and c.i < noun.i
    ):
        lemmas = lemmas[:1]  # a vice president is no president
    for lemma in dict.fromkeys(lemmas):
        if not onto.properties_for("noun", lemma):
            continue
        for tok in related:
            other = _node(ctx, tok)
            if other is None:
                continue
            # the noun types its bearer ("an album by Y"): only the range is checked
            info = _choose(
                onto, "noun", lemma, bearer, other, lenient=True, domain=False
            )
            if info is None and other.cls == "Nationality":
                # "the Armenian president": the country the text names for it
                country = _country_of(ctx, other)
                if country is not None:
                    info = _choose(
                        onto, "noun", lemma, bearer, country, lenient=True, domain=False
                    )
                    other = country
            if info is None:
                continue
            found_role = True
            yield from _emit(
                ctx,
                bearer,
                other,
                info,
                lemma=lemma,
                confidence=base,
                rule="role",
                sent=sent,
                modality=modality,
            )
        if found_role:
            break
    if not found_role:
        # "his lawyer, X", "its largest employer, X": a noun no property
        # takes still says how its bearer stands to the possessor
        for tok in related:
            if tok.dep_ != "poss":
                continue
            other = _node(ctx, tok)
            if other is None or not (other.named or other.pronoun):
                continue
            yield from _emit(
                ctx,
                bearer,
                other,
                None,
                lemma=f"be {_role_lemma(noun)} of",
                confidence=base * 0.8,
                rule="relational-noun",
                sent=sent,
                modality=modality,
            )
    # modifiers: "an American actor"
    for child in noun.children:
        if child.dep_ in {"amod", "compound", "nmod"} and child.ent_type_:
            yield from _modifier_fact(
                ctx,
                bearer,
                child,
                lemma=f"{child.text} {noun.text}",
                confidence=base * 0.9,
                rule="modifier",
                sent=sent,
                modality=modality,
            )
    if found_role:
        return
    # an occupation at a body: "a teacher at Y", "a detective with Y"
    occupation = "Person" in onto.classes_for_noun(noun.lemma_.lower())
    # locations: "a town in Y", "a village in the district of Y"
    for prep, obj in _prep_objects(noun):
        other = _node(ctx, obj)
        if other is None or not other.named:
            continue
        info, rule = None, "predicate-noun"
        if noun.tag_ in {"VBN", "JJ"} and prep.head.i == noun.i:
            # "is married to Y", "is based in Y": the participle's verb trigger
            info = next(
                (
                    found
                    for verb in _participle_verbs(noun)
                    if (
                        found := _choose(
                            onto,
                            "verb",
                            f"{verb} {prep.lower_}",
                            bearer,
                            other,
                            lenient=True,
                        )
                    )
                    is not None
                ),
                None,
            )
        if (
            info is None
            and occupation
            and prep.lower_ in _OCCUPATION_PREPS
            and prep.head.i == noun.i
        ):
            info = _choose(
                onto, "structure", "occupation", bearer, other, lenient=False
            )
            rule = "occupation"
        if info is None:
            info, rule = (
                _choose(onto, "prep", prep.lower_, bearer, other, lenient=False),
                "predicate-noun",
            )
        elif rule == "predicate-noun":
            rule = "participle"
        yield from _emit(
            ctx,
            bearer,
            other,
            info,
            lemma=f"be {noun.lemma_.lower()} {prep.lower_}",
            confidence=base * 0.85,
            rule=rule,
            sent=sent,
            modality=modality,
        )


def _modifier_fact(
    ctx: _Context,
    bearer: _Node,
    modifier: Token,
    *,
    lemma: str,
    confidence: float,
    rule: str,
    sent: Span,
    modality: Modality,
) -> Iterator[Triple | Entity]:
    """Yield the fact a named modifier states of its bearer ("an American actor")."""
    other = _node(ctx, modifier)
    if other is None or other.key == bearer.key:
        return
    info = _choose(
        ctx.onto, "modifier", modifier.ent_type_, bearer, other, lenient=False
    )
    if info is not None:
        yield from _emit(
            ctx,
            bearer,
            other,
            info,
            lemma=lemma,
            confidence=confidence,
            rule=rule,
            sent=sent,
            modality=modality,
        )


def _name_before(ctx: _Context, noun: Token, bearer: _Node) -> list[Token]:
    """Return the name just before a role noun ("Some Show star Z"), however parsed.

    Quotes around a title are skipped; the name must be another entity's.
    """
    i = noun.i - 1
    while i >= noun.sent.start and ctx.doc[i].is_quote:
        i -= 1
    if i < noun.sent.start:
        return []
    tok = ctx.doc[i]
    entity = ctx.by_token.get(tok.i)
    if entity is None or not entity.named or entity.key == bearer.key:
        return []
    if not tok.ent_type_:
        return []
    return [tok]


def _scope_facts(
    ctx: _Context, frame: _Frame, subject: _Node
) -> Iterator[Triple | Entity]:
    """Names anywhere in the clause the subject governs: weak, generic facts."""
    if not subject.named or frame.rule in {"verb:advcl"}:
        return
    verb = frame.verb
    if verb is None:
        return
    skip = {t.i for t in frame.subject.head.subtree}
    seen = {subject.key}
    for tok in verb.subtree:
        if tok.i in skip or tok.ent_iob_ != "B" or tok.i not in ctx.by_token:
            continue
        other = _node(ctx, tok)
        if other is None or not other.named or other.key in seen:
            continue
        seen.add(other.key)
        yield from _emit(
            ctx,
            subject,
            other,
            None,
            lemma=frame.lemma,
            confidence=frame.confidence * 0.35,
            rule="clause-scope",
            sent=frame.sent,
            modality=frame.modality,
        )


def _verb_facts(ctx: _Context, frame: _Frame) -> Iterator[Triple | Entity]:
    """Triples of one verb frame: subject against each argument."""
    onto = ctx.onto
    if frame.negated or not frame.rule.startswith("verb"):
        return
    subject = _node(ctx, frame.subject.head)
    if subject is None:
        return
    copula = frame.lemma == "be"
    yield from _scope_facts(ctx, frame, subject)
    for arg in frame.args:
        if arg.role in {"ccomp", "time"}:
            continue
        if copula and arg.role in {"attr", "acomp"}:
            if _node(ctx, arg.head) is None or arg.head.pos_ == "NOUN":
                yield from _noun_facts(
                    ctx,
                    subject,
                    arg.head,
                    frame.sent,
                    base=frame.confidence,
                    modality=frame.modality,
                )
            continue
        prep = (
            arg.prep.lower_ if arg.role in _PREP_DEPS and arg.prep is not None else None
        )
        obj = _node(ctx, arg.head)
        if obj is None:
            continue
        s, o = subject, obj
        if (
            frame.passive
            and arg.role == "agent"
            # "released by a label", "employed by Y": a trigger that names
            # "by" keeps the grammatical subject as the subject
            and not _choose(onto, "verb", f"{frame.lemma} by", s, o, lenient=True)
        ):
            s, o, trigger = obj, subject, frame.lemma
        else:
            trigger = f"{frame.lemma} {prep}" if prep else frame.lemma
        if arg.role == "where":
            # "the firm where he worked" reads as "worked at/in the firm"
            trigger = next(
                (
                    f"{frame.lemma} {p}"
                    for p in _WHERE_PREPS
                    if _choose(onto, "verb", f"{frame.lemma} {p}", s, o, lenient=True)
                ),
                f"{frame.lemma} in",
            )
            prep = trigger.rsplit(" ", 1)[1]
        info = _choose(onto, "verb", trigger, s, o, lenient=prep is not None)
        if info is None and prep is not None:
            # "filed a lawsuit against Y": the object noun is part of the trigger
            for other in frame.args:
                if other.role == "dobj" and other.head.pos_ == "NOUN":
                    light = f"{frame.lemma} {other.head.lemma_.lower()} {prep}"
                    info = _choose(onto, "verb", light, s, o, lenient=True)
                    if info is not None:
                        trigger = light
                        break
        if info is None and copula and prep is not None:
            info = _choose(onto, "prep", prep, s, o, lenient=False)
        if frame.verb is not None and arg.role not in {"attr", "acomp"}:
            # "joined Y as a vice president", "hired by Y as an engineer"
            role = _as_occupation(onto, frame.verb)
            if role is not None:
                for a, b in ((s, o), (o, s)):
                    work = _choose(onto, "structure", "occupation", a, b, lenient=False)
                    if work is not None:
                        s, o, info, trigger = a, b, work, f"{trigger} as {role}"
                        break
        if info is not None or obj.named or prep is None:
            # an unnamed thing behind a preposition ("in efforts") is no fact
            yield from _emit(
                ctx,
                s,
                o,
                info,
                lemma=trigger,
                confidence=frame.confidence,
                rule=frame.rule,
                sent=frame.sent,
                modality=frame.modality,
            )
        # other names inside the argument: "led the Canadian team", "a film by Y"
        linked = {obj.key}
        for tok in arg.tokens:
            if tok.i == arg.head.i or tok.i not in ctx.by_token or tok.ent_iob_ != "B":
                continue
            inner = _node(ctx, tok)
            if inner is None or not inner.named or inner.key in linked:
                continue
            linked.add(inner.key)
            # "showed interest in the fans of Y": a trigger of verb, noun and
            # the preposition the name hangs under
            info, lemma = None, trigger
            under = next((a for a in tok.ancestors if a.head.i == arg.head.i), tok)
            if under.dep_ == "prep" and not obj.named:
                lemma = f"{trigger} {arg.head.lemma_.lower()} {under.lower_}"
                info = _choose(onto, "verb", lemma, subject, inner, lenient=True)
                if info is None:
                    lemma = trigger
            yield from _emit(
                ctx,
                subject,
                inner,
                info,
                lemma=lemma,
                confidence=frame.confidence * 0.5,
                rule="verb-inner",
                sent=frame.sent,
                modality=frame.modality,
            )
        # "wrote a letter to Y", "won a medal at Y": the preposition hangs on the noun
        if not obj.named:
            for nprep, last, nobj in _prep_paths(arg.head):
                target = _node(ctx, nobj)
                if target is None or not target.named:
                    continue
                # "showed interest in Y", "took part in Y" (the noun is part of
                # the trigger); "plotted a murder for hire against Y" (the last
                # preposition); "wrote a letter to Y"
                info, trig = None, f"{frame.lemma} {nprep.lower_}"
                for cand in dict.fromkeys(
                    (
                        f"{frame.lemma} {arg.head.lemma_.lower()} {nprep.lower_}",
                        trig,
                        f"{frame.lemma} {last.lower_}",
                    )
                ):
                    info = _choose(onto, "verb", cand, subject, target, lenient=True)
                    if info is not None:
                        trig = cand
                        break
                lemma = (
                    trig
                    if info is not None
                    else " ".join(
                        filter(
                            None,
                            (frame.lemma, prep, arg.head.lemma_.lower(), nprep.lower_),
                        )
                    )
                )
                yield from _emit(
                    ctx,
                    subject,
                    target,
                    info,
                    lemma=lemma,
                    confidence=frame.confidence * 0.8,
                    rule="verb-noun-prep",
                    sent=frame.sent,
                    modality=frame.modality,
                )


def _structure_facts(
    ctx: _Context, token: Token, sent: Span
) -> Iterator[Triple | Entity]:
    """Facts of noun structures: appositions, possessives, compounds, "X in Y"."""
    if (
        token.pos_ not in {"NOUN", "PROPN"}
        and not token.ent_type_
        and not any(c.dep_ == "appos" for c in token.children)
    ):
        return  # no rule below reads such a token
    onto = ctx.onto
    modality: Modality = "asserted"
    if token.dep_ != "ROOT":
        modality = ctx.modalities.get(token.head.i) or ctx.modalities.setdefault(
            token.head.i, _modality(token.head)
        )
    for child in token.children:
        if child.dep_ == "appos":
            left, right = _node(ctx, token), _node(ctx, child)
            if (
                left is not None
                and right is not None
                and left.named
                and right.named
                and left.key != right.key
            ):
                listed = any(
                    c.dep_ == "cc"
                    for t in (child, *child.conjuncts)
                    for c in t.children
                )
                if listed or (left.cls == "Country" and right.cls != "Continent"):
                    # "Burkina Faso, Mali, Kenya and Tanzania": a list, no nesting
                    continue
                info = _choose(
                    onto, "structure", "apposition", left, right, lenient=False
                )
                if info is not None:
                    yield from _emit(
                        ctx,
                        left,
                        right,
                        info,
                        lemma="apposition",
                        confidence=0.6,
                        rule="apposition",
                        sent=sent,
                        modality=modality,
                    )
                continue
            # "X, owner of Y", "her father, Z", "Z, her father", "X, owner of Y and Z"
            pairs = [(token, child), (child, token)]
            pairs += [(token, c) for c in child.conjuncts if c.pos_ == "NOUN"]
            # "in her father, Z's footsteps": the parser hangs the name's noun
            # on the role noun; the possessive name is the apposition
            if child.pos_ == "NOUN" and child.i not in ctx.by_token:
                pairs += [
                    (g, token)
                    for g in child.children
                    if g.dep_ == "poss" and g.pos_ == "PROPN" and g.i > token.i
                ]
            for bearer_tok, noun in pairs:
                bearer = _node(ctx, bearer_tok)
                if bearer is None or not bearer.named or noun.pos_ != "NOUN":
                    continue
                yield from _noun_facts(
                    ctx, bearer, noun, sent, base=0.8, modality=modality
                )
        elif child.dep_ == "poss" and token.pos_ in {"NOUN", "PROPN"}:
            owner = _node(ctx, child)
            if owner is None or not owner.named:
                continue
            if onto.properties_for("noun", _role_lemma(token)) or onto.properties_for(
                "noun", token.lemma_.lower()
            ):
                # "her husband" with no name beside it: the described person
                if (
                    token.pos_ == "NOUN"
                    and not any(
                        c.dep_ == "appos"
                        for c in (*token.children, *token.head.children)
                    )
                    and token.dep_ != "appos"
                    and token.dep_ != "compound"
                ):
                    described = _node(ctx, token)
                    if described is not None and not described.named:
                        yield from _noun_facts(
                            ctx, described, token, sent, base=0.6, modality=modality
                        )
                continue  # "her father, Z": a role, read with the name beside it
            if token.tag_ != "NN":
                continue  # "Y's footsteps": not one thing Y owns
            # "his team" and "her party" are memberships: a pronoun owns
            # only places and things ("my zoo", "her car")
            ownable = _OWNABLE_CLASSES[:-1] if owner.pronoun else _OWNABLE_CLASSES
            if not any(
                onto.is_a(cls, owned_cls)
                for cls in onto.classes_for_noun(token.lemma_)
                for owned_cls in ownable
            ):
                continue  # "Y's death", "Y's request": nothing one owns
            owned = _node(ctx, token)
            if owned is None:
                continue
            info = _choose(onto, "structure", "possessive", owner, owned, lenient=True)
            if info is not None:
                yield from _emit(
                    ctx,
                    owner,
                    owned,
                    info,
                    lemma="possessive",
                    confidence=0.55,
                    rule="possessive",
                    sent=sent,
                    modality=modality,
                )
        elif (
            child.dep_ == "compound"
            and token.ent_type_
            and (
                child.pos_ == "NOUN"
                # a capitalised role noun in a headline: "'Some Show' Star Z"
                or (
                    child.pos_ == "PROPN"
                    and not child.ent_type_
                    and onto.properties_for("noun", child.lemma_.lower())
                )
            )
        ):
            # "zoo owner Z", "White House spokesman Z", "best friend Z"
            bearer = _node(ctx, token)
            if child.pos_ == "PROPN":
                # a headline's parse is loose: the bearer is the name right after
                after = ctx.doc[child.i + 1] if child.i + 1 < sent.end else None
                bearer = (
                    _node(ctx, after)
                    if after is not None and after.i in ctx.by_token
                    else None
                )
            if bearer is not None and bearer.named:
                yield from _noun_facts(
                    ctx,
                    bearer,
                    child,
                    sent,
                    base=0.7,
                    modality=modality,
                    extra_poss=[
                        *(c for c in token.children if c.dep_ == "poss"),
                        *_name_before(ctx, child, bearer),
                    ],
                )
    # "the show's star", "her father": a role noun coreference put on a name
    holder_entity = ctx.by_token.get(token.i)
    if (
        token.pos_ == "NOUN"
        and holder_entity is not None
        and holder_entity.named
        and token.dep_ not in {"appos", "compound"}
        and not any(c.dep_ == "appos" for c in token.children)
        and (
            onto.properties_for("noun", _role_lemma(token))
            or onto.properties_for("noun", token.lemma_.lower())
        )
    ):
        bearer = _node(ctx, token)
        if bearer is not None:
            yield from _noun_facts(
                ctx, bearer, token, sent, base=0.6, modality=modality
            )
    # "American singer-songwriter Y", "the Tunisian politician Y"
    entity = ctx.by_token.get(token.i)
    if (
        entity is not None
        and entity.named
        and ctx.by_token.get(token.head.i) is not entity
    ):
        bearer = _node(ctx, token)
        for modifier in token.lefts:
            for tok in modifier.subtree:
                if tok.ent_iob_ != "B" or tok.ent_type_ not in {"NORP", "GPE"}:
                    continue
                if bearer is not None:
                    yield from _modifier_fact(
                        ctx,
                        bearer,
                        tok,
                        lemma=tok.text,
                        confidence=0.6,
                        rule="name-modifier",
                        sent=sent,
                        modality=modality,
                    )
    # "the zoo in Y", "Acme Rescue in Y" (a role noun's "of" is read by _noun_facts)
    if (
        token.pos_ in {"NOUN", "PROPN"}
        and token.dep_ not in {"compound", "attr"}
        and not onto.properties_for("noun", token.lemma_.lower())
    ):
        holder = None
        for prep, obj in _prep_objects(token):
            if obj.head.i != prep.i:
                continue
            other = _node(ctx, obj)
            if other is None or not other.named:
                continue
            if holder is None:
                holder = _node(ctx, token)
                if holder is None:
                    return
            info = _choose(onto, "prep", prep.lower_, holder, other, lenient=False)
            if info is not None:
                yield from _emit(
                    ctx,
                    holder,
                    other,
                    info,
                    lemma=prep.lower_,
                    confidence=0.55,
                    rule="noun-prep",
                    sent=sent,
                    modality=modality,
                )


def _listed_people(ctx: _Context, noun: Token) -> list[_Node]:
    """Named people listed beside a noun: "children: A, B and C", "his sons A and B"."""
    found: dict[str, _Node] = {}
    todo = [c for c in noun.children if c.dep_ == "appos"]
    while todo:
        tok = todo.pop()
        node = _node(ctx, tok)
        if node is not None and node.named and ctx.onto.is_a(node.cls, "Person"):
            found.setdefault(node.key, node)
        todo.extend(c for c in tok.children if c.dep_ in {"appos", "conj"})
    return list(found.values())


def _country_of(ctx: _Context, nation: _Node) -> _Node | None:
    """Return the country the text names for a nationality ("Armenian": Armenia).

    The demonym must start with the country's name less its last letter
    ("armeni-an", "german", "japan-ese"); where it does not ("French") there is
    no match, never a wrong one ("Australian" is not "Austria").
    """
    for index, entity in ctx.by_token.items():
        stem = entity.key[:-1]
        if entity.key != nation.key and len(stem) >= 3 and nation.key.startswith(stem):
            node = _entity_node(ctx, entity, ctx.doc[index])
            if node.cls == "Country":
                return node
    return None


def _participle_verbs(word: Token) -> list[str]:
    """Verb lemmas a participle or participial adjective may come from.

    The tagger often reads "married" in "is married to" as an adjective whose
    lemma is "married".

    Examples
    --------
    >>> "marry" in _participle_verbs(nlp("He is married to her.")[2])
    True
    """
    text = word.lower_
    found = [word.lemma_.lower()]
    if text.endswith("ed"):
        found += [text[:-2], text[:-1]]
        if text.endswith("ied"):
            found.append(text[:-3] + "y")
    return list(dict.fromkeys(found))


def _as_occupation(onto: Ontology, verb: Token) -> str | None:
    """Return the occupation of a verb's "as" phrase ("joined Y as an engineer")."""
    for prep in verb.children:
        if prep.dep_ != "prep" or prep.lower_ != "as":
            continue
        for noun in prep.children:
            lemma = noun.lemma_.lower()
            if noun.dep_ == "pobj" and (
                "Person" in onto.classes_for_noun(lemma)
                or any(p.name == "employer" for p in onto.properties_for("noun", lemma))
            ):
                return lemma
    return None


def _reciprocal_facts(ctx: _Context, sent: Span) -> Iterator[Triple | Entity]:
    """Facts between the conjoined subjects of a reciprocal clause.

    "A and B clashed", "A and B met in Paris": a verb the ontology lists with
    a ``reciprocal <verb>`` structure trigger, used without a direct object,
    relates its conjoined subjects to each other. "A and B are friends": a
    plural predicate noun that triggers a symmetric property does the same.
    """
    onto = ctx.onto
    for verb in sent:
        if verb.pos_ not in {"VERB", "AUX"} or _is_negated(verb):
            continue
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is None or not subject.conjuncts:
            continue
        nodes: dict[str, _Node] = {}
        for tok in (subject, *subject.conjuncts):
            node = _node(ctx, tok)
            if node is not None and (node.named or node.pronoun):
                nodes.setdefault(node.key, node)
        if len(nodes) < 2:
            continue
        infos: list[PropertyInfo]
        if verb.lemma_ == "be":
            attr = next(
                (c for c in verb.children if c.dep_ == "attr" and c.tag_ == "NNS"),
                None,
            )
            if attr is None:
                continue
            lemma = _role_lemma(attr)
            infos = [
                p
                for word in dict.fromkeys((lemma, attr.lemma_.lower()))
                for p in onto.properties_for("noun", word)
                if p.symmetric
            ]
            lemma = f"be {lemma}"
        else:
            if any(c.dep_ in {"dobj", "attr"} for c in verb.children):
                continue
            lemma = verb.lemma_.lower()
            infos = list(onto.properties_for("structure", f"reciprocal {lemma}"))
        if not infos:
            continue
        modality = ctx.modalities.get(verb.i) or ctx.modalities.setdefault(
            verb.i, _modality(verb)
        )
        people = list(nodes.values())
        for k, a in enumerate(people):
            for b in people[k + 1 :]:
                info = next(
                    (p for p in infos if _fits(onto, p, a, b, lenient=True)), None
                )
                if info is None and verb.lemma_ == "be":
                    continue
                generic = info is None or info.name == "relatedTo"
                pairs = (
                    [(a, b)]
                    if info is not None and info.symmetric
                    else [(a, b), (b, a)]
                )
                for s, o in pairs:
                    yield from _emit(
                        ctx,
                        s,
                        o,
                        None if generic else info,
                        lemma=lemma,
                        confidence=0.75,
                        rule="reciprocal",
                        sent=sent,
                        modality=modality,
                    )


def _kin_facts(ctx: _Context, noun: Token, sent: Span) -> Iterator[Triple | Entity]:
    """Facts between the people a kinship noun lists.

    The children or siblings a plural noun lists are siblings ("his sons A
    and B", "four children: A, B, C"); the two parents of "the son of A and
    B" are spouses. Which nouns are kinship nouns comes from the ontology
    (the noun triggers of ``parent`` and ``sibling``).
    """
    onto = ctx.onto
    kinds = {p.name for p in onto.properties_for("noun", noun.lemma_.lower())}
    if not kinds & {"parent", "sibling"}:
        return
    modality = ctx.modalities.get(noun.head.i) or ctx.modalities.setdefault(
        noun.head.i, _modality(noun.head)
    )
    sibling = onto.properties.get("sibling")
    if noun.tag_ == "NNS" and sibling is not None:
        people = _listed_people(ctx, noun)
        for k, a in enumerate(people):
            for b in people[k + 1 :]:
                yield from _emit(
                    ctx,
                    a,
                    b,
                    sibling,
                    lemma=f"{noun.lemma_.lower()} listed together",
                    confidence=0.55,
                    rule="kin-list",
                    sent=sent,
                    modality=modality,
                )
    spouse = onto.properties.get("spouse")
    if "parent" in kinds and spouse is not None:
        for prep in noun.children:
            if prep.dep_ != "prep" or prep.lower_ != "of":
                continue
            parents = [
                node
                for pobj in prep.children
                if pobj.dep_ == "pobj"
                for tok in _split_conjuncts(pobj)
                if (node := _node(ctx, tok)) is not None
                and node.named
                and onto.is_a(node.cls, "Person")
            ]
            if len(parents) == 2:
                yield from _emit(
                    ctx,
                    parents[0],
                    parents[1],
                    spouse,
                    lemma=f"both parents of a {noun.lemma_.lower()}",
                    confidence=0.45,
                    rule="kin-parents",
                    sent=sent,
                    modality=modality,
                )


_LOCATION_PROPERTIES = frozenset({"locatedIn", "country", "continent"})
#: Classes whose nouns name things one owns ("Y's zoo", "Y's company", "Y's car").
_OWNABLE_CLASSES = ("Facility", "Product", "Organization")


def _place_chain_facts(ctx: _Context, sent: Span) -> Iterator[Triple | Entity]:
    """Read place chains: "Vancouver, British Columbia, Canada" (each in the next)."""
    ents = list(sent.ents)
    for a, b in zip(ents, ents[1:], strict=False):
        if (
            b.start != a.end + 1
            or sent.doc[a.end].text != ","
            or b.label_ not in {"GPE", "LOC"}
        ):
            continue
        if b.root.i in {c.i for c in a.root.conjuncts} and any(
            c.dep_ == "cc" for t in (a.root, *a.root.conjuncts) for c in t.children
        ):
            # "France, Germany and Italy": a list of places, not a chain; the
            # parser also coordinates a chain with commas only ("Alameda
            # County, California, United States")
            continue
        left = _node(ctx, a.root)
        right = _node(ctx, b.root)
        if left is None or right is None or not (left.named and right.named):
            continue
        if left.cls == "Country" and right.cls != "Continent":
            continue
        info = _choose(ctx.onto, "structure", "apposition", left, right, lenient=False)
        if info is not None:
            yield from _emit(
                ctx,
                left,
                right,
                info,
                lemma="apposition",
                confidence=0.7,
                rule="place-chain",
                sent=sent,
                modality="asserted",
            )


def _name_place_facts(ctx: _Context, sent: Span) -> Iterator[Triple | Entity]:
    """Place a body named after a place the text names: "the Supreme Court of Y".

    A named organisation, facility or event whose name ends in "of Y", where
    Y is the name or an alias of a place the text mentions on its own, lies
    in Y.
    """
    places: dict[str, Entity] | None = None
    for tok in _name_starts(ctx, sent):
        entity = ctx.by_token[tok.i]
        mention = next((m for m in entity.mentions if m.start_char == tok.idx), None)
        if mention is None or " of " not in mention.text:
            continue
        bearer = _node(ctx, tok)
        if bearer is None or not any(
            ctx.onto.is_a(bearer.cls, c) for c in ("Organization", "Facility", "Event")
        ):
            continue
        if places is None:
            places = {
                name.lower(): e
                for e in dict.fromkeys(ctx.by_token.values())
                if e.named
                for name in (e.name, *e.aliases)
            }
        tail = mention.text.rsplit(" of ", 1)[1].removeprefix("the ").lower()
        place = places.get(tail)
        if place is None or place.key == entity.key:
            continue
        first = place.mentions[0]
        span = ctx.doc.char_span(first.start_char, first.end_char, "expand")
        other = _node(ctx, span.root) if span is not None else None
        if other is None or not ctx.onto.is_a(other.cls, "Place"):
            continue
        info = _choose(
            ctx.onto, "structure", "apposition", bearer, other, lenient=False
        )
        if info is not None:
            yield from _emit(
                ctx,
                bearer,
                other,
                info,
                lemma=f"named of {place.name}",
                confidence=0.6,
                rule="name-of-place",
                sent=sent,
                modality="asserted",
            )


def _sentence_country_facts(ctx: _Context, sent: Span) -> Iterator[Triple | Entity]:
    """Place a sentence's places and bodies in the one country it names (weak).

    A person of that sentence is read as its citizen, a work as coming from
    it (as weakly).
    """
    nodes: dict[str, _Node] = {}
    owned: set[str] = set()  # "the Japanese company X": the nation is X's alone
    for tok in _name_starts(ctx, sent):
        node = _node(ctx, tok)
        if node is not None and node.named:
            nodes.setdefault(node.key, node)
            if tok.dep_ in _OWNED_DEPS and tok.head.i in ctx.by_token:
                owned.add(node.key)
    countries = [n for n in nodes.values() if n.cls == "Country"]
    if not countries:
        countries = [
            n for n in nodes.values() if n.cls == "Nationality" and n.key not in owned
        ]
    if len(countries) != 1:
        return
    country = countries[0]
    for node in nodes.values():
        if node.key == country.key or node.cls in {
            "Country",
            "Continent",
            "Nationality",
        }:
            continue
        if _conjoined_with(ctx, node, country):
            continue
        if node.cls in dict(_NATION_PROPERTIES):
            # a person (a work) and the one nation of their sentence
            nation = ctx.onto.properties[dict(_NATION_PROPERTIES)[node.cls]]
            if not _fits(ctx.onto, nation, node, country, lenient=False):
                continue
            info: PropertyInfo | None = nation
        elif any(
            ctx.onto.is_a(node.cls, c) for c in ("Place", "Organization", "Event")
        ):
            info = _choose(
                ctx.onto, "structure", "apposition", node, country, lenient=False
            )
        else:
            continue
        if info is not None:
            yield from _emit(
                ctx,
                node,
                country,
                info,
                lemma="in the same sentence",
                confidence=0.3,
                rule="sentence-country",
                sent=sent,
                modality="asserted",
            )


def _document_country_facts(
    ctx: _Context, doclike: DocLike
) -> Iterator[Triple | Entity]:
    """Place a text's places and bodies in the one country it names (weak).

    The fact is read at the entity's first mention, with a low confidence.
    """
    firsts = {node.key: (node, sent) for node, sent in _first_mentions(ctx, doclike)}
    countries = [n for n, _ in firsts.values() if n.cls == "Country"]
    nationalities = [n for n, _ in firsts.values() if n.cls == "Nationality"]
    if not countries:
        # "the Japanese company X" gives X's nation, the text's only where X
        # is what the text is about (named first)
        topic = next(iter(firsts), "")
        countries = [n for n in nationalities if not _owned_nation(ctx, n, topic)]
        nationalities = []
    if len(countries) != 1:
        return
    country = countries[0]
    others = {n.key for n in nationalities if not _same_stem(n.key, country.key)}
    for node, sent in firsts.values():
        if others and any(ctx.by_token.get(t.i, node).key in others for t in sent):
            continue  # "a Japanese company based in Tokyo": another country is in play
        if node.cls in {"Country", "Continent", "Nationality"}:
            continue
        if not any(
            ctx.onto.is_a(node.cls, c) for c in ("Place", "Organization", "Event")
        ):
            continue
        if _conjoined_with(ctx, node, country):
            continue  # "regulators in the United States and the European Union"
        info = _choose(
            ctx.onto, "structure", "apposition", node, country, lenient=False
        )
        if info is not None:
            yield from _emit(
                ctx,
                node,
                country,
                info,
                lemma="in the only country named",
                confidence=0.2,
                rule="document-country",
                sent=sent,
                modality="asserted",
            )


def _owned_nation(ctx: _Context, nation: _Node, topic: str) -> bool:
    """Tell whether a nationality only ever modifies the name of a side entity.

    ``topic`` is the key of the entity the text names first.
    """
    tokens = [ctx.doc[i] for i, e in ctx.by_token.items() if e.key == nation.key]
    return bool(tokens) and all(
        t.dep_ in _OWNED_DEPS
        and t.head.i in ctx.by_token
        and ctx.by_token[t.head.i].key != topic
        for t in tokens
    )


def _conjoined_with(ctx: _Context, node: _Node, other: _Node) -> bool:
    """Tell whether a node's mention is a conjunct of a mention of ``other``."""
    span = ctx.doc.char_span(node.start, node.end, alignment_mode="expand")
    if span is None:
        return False

    def key(t: Token) -> str | None:
        entity = ctx.by_token.get(t.i)
        return entity.key if entity is not None else None

    head = span.root
    while head.head.i != head.i and key(head.head) == node.key:
        head = head.head  # from "European" up to "Union"
    return any(key(c) == other.key for c in head.conjuncts)


def _recent_country_facts(
    ctx: _Context, doclike: DocLike, found: Iterable[Triple]
) -> Iterator[Triple | Entity]:
    """Place an unplaced place or body in the country the text last named (weak).

    Where a text names several countries, a place or organisation no fact
    places yet is read as lying in the country named last before its first
    mention (or, before any, the first one named after it), with a low
    confidence.
    """
    placed = {t.subject for t in found if t.predicate in _LOCATION_PROPERTIES}
    order = _first_mentions(ctx, doclike)
    countries = {n.key for n, _ in order if n.cls == "Country"}
    if len(countries) < 2:
        return  # one country: _document_country_facts
    last: _Node | None = None
    waiting: list[tuple[_Node, Span]] = []
    for node, sent in order:
        if node.key in countries:
            last = node
            for early, early_sent in waiting:
                yield from _recent_country(ctx, early, node, early_sent)
            waiting = []
            continue
        if node.key in placed or node.cls in {"Continent", "Nationality"}:
            continue
        if not any(ctx.onto.is_a(node.cls, c) for c in ("Place", "Organization")):
            continue
        if last is None:
            waiting.append((node, sent))
        else:
            yield from _recent_country(ctx, node, last, sent)


def _name_starts(ctx: _Context, sent: Span) -> Iterator[Token]:
    """Yield the first token of each entity mention inside a named-entity span.

    "the United States" is an NER span whose mention starts at "United".
    """
    for tok in sent:
        if tok.ent_iob_ not in {"B", "I"} or tok.i not in ctx.by_token:
            continue
        before = ctx.by_token.get(tok.i - 1)
        if before is None or before != ctx.by_token[tok.i]:
            yield tok


def _first_mentions(ctx: _Context, doclike: DocLike) -> list[tuple[_Node, Span]]:
    """Each named entity at its first mention, in text order (computed once)."""
    if ctx.firsts is None:
        ctx.firsts = []
        seen: set[str] = set()
        for sent in _sentences(doclike):
            for tok in _name_starts(ctx, sent):
                node = _node(ctx, tok)
                if node is not None and node.named and node.key not in seen:
                    seen.add(node.key)
                    ctx.firsts.append((node, sent))
    return ctx.firsts


#: A nationality under these relations modifies a name: "the Japanese company X".
_OWNED_DEPS = frozenset({"amod", "compound", "nmod"})
#: Whose nation the one nation a text names is, and by which property.
_NATION_PROPERTIES = (("Person", "citizenOf"), ("CreativeWork", "countryOfOrigin"))


def _recent_nation_facts(
    ctx: _Context, doclike: DocLike, found: Iterable[Triple]
) -> Iterator[Triple | Entity]:
    """Give a person (a work) the one nation a text names, where no fact states theirs.

    The fact is weak: citizenship of a person, the country of origin of a
    work.

    The nation is a country or a nationality; "Canada" and "Canadian" count
    as one (same stem). The fact is read at the person's first mention, or at
    the nation's first mention when the person comes first.
    """
    wanted = dict(_NATION_PROPERTIES)
    known = {t.subject for t in found if t.predicate in wanted.values()}
    order = _first_mentions(ctx, doclike)
    nations = {n.key[:4] for n, _ in order if n.cls in {"Country", "Nationality"}}
    if len(nations) != 1:
        return
    last: _Node | None = None
    waiting: list[tuple[_Node, Span]] = []
    for node, sent in order:
        if node.cls in {"Country", "Nationality"}:
            last = node
            for early, early_sent in waiting:
                yield from _recent_nation(ctx, early, node, early_sent)
            waiting = []
        elif node.cls in wanted and node.key not in known:
            if last is None:
                waiting.append((node, sent))
            else:
                yield from _recent_nation(ctx, node, last, sent)


def _recent_nation(
    ctx: _Context, node: _Node, nation: _Node, sent: Span
) -> Iterator[Triple | Entity]:
    info = ctx.onto.properties[dict(_NATION_PROPERTIES)[node.cls]]
    if _fits(ctx.onto, info, node, nation, lenient=False):
        yield from _emit(
            ctx,
            node,
            nation,
            info,
            lemma="of the nation named last",
            confidence=0.15,
            rule="recent-nation",
            sent=sent,
            modality="asserted",
        )


def _recent_country(
    ctx: _Context, node: _Node, country: _Node, sent: Span
) -> Iterator[Triple | Entity]:
    info = _choose(ctx.onto, "structure", "apposition", node, country, lenient=False)
    if info is not None:
        yield from _emit(
            ctx,
            node,
            country,
            info,
            lemma="in the country named last",
            confidence=0.15,
            rule="recent-country",
            sent=sent,
            modality="asserted",
        )


def _same_stem(a: str, b: str) -> bool:
    """Tell whether two names share their first four letters ("canadian", "canada")."""
    return a[:4] == b[:4]


def _transitive_places(ctx: _Context, triples: Iterable[Triple]) -> Iterator[Triple]:
    """Locations through chains: in X, X in Y gives in Y (country when Y is one)."""
    located: dict[str, list[Triple]] = {}
    for t in triples:
        if t.predicate in _LOCATION_PROPERTIES and t.modality == "asserted":
            located.setdefault(t.subject, []).append(t)
    onto = ctx.onto
    for start, firsts in located.items():
        if start not in ctx.classes or onto.is_a(ctx.classes[start], "Person"):
            continue  # described things and people are not placed by chains
        seen = {start, *(t.object for t in firsts)}
        frontier = [(t, t.confidence) for t in firsts]
        for _ in range(3):
            reached: list[tuple[Triple, float]] = []
            for link, score in frontier:
                for nxt in located.get(link.object, ()):
                    if nxt.object in seen:
                        continue
                    seen.add(nxt.object)
                    cls = ctx.classes.get(nxt.object, "Place")
                    predicate = {
                        "Country": "country",
                        "Nationality": "country",
                        "Continent": "continent",
                    }.get(cls, "locatedIn")
                    info = onto.properties[predicate]
                    if not onto.is_a(ctx.classes.get(start, "Thing"), info.domain):
                        predicate = "locatedIn"
                    confidence = round(score * nxt.confidence * 0.9, 3)
                    yield replace(
                        nxt,
                        subject=start,
                        predicate=predicate,
                        confidence=confidence,
                        rule="kg.clauses.v1:transitive",
                        lemma="located in",
                        provenance=link.provenance,
                    )
                    reached.append((nxt, score * nxt.confidence))
            frontier = reached


def _entity_facts(
    doclike: DocLike,
    entities: Sequence[Entity],
    doc_id: str,
    *,
    ontology: Ontology | None = None,
    context_guesses: bool = False,
) -> Iterator[Triple | Entity]:
    doc = doclike.doc if isinstance(doclike, Span) else doclike
    _sentences(doclike)  # raises ExtractionError on an unparsed text
    ctx = _Context(
        doc=doc,
        doc_id=doc_id,
        onto=ontology or load_ontology(),
        by_token=_entity_index(doc, entities),
        starts=sentence_starts(doc),
        new_entities={},
        pending={},
    )
    _retype(ctx, _sentences(doclike))
    best: dict[tuple[str, str, str, int], Triple] = {}
    for frame in _frames(doclike):
        for item in _verb_facts(ctx, frame):
            if isinstance(item, Entity):
                yield item
            else:
                _keep_best(best, item)
    for sent in _sentences(doclike):
        for item in _place_chain_facts(ctx, sent):
            if isinstance(item, Triple):
                _keep_best(best, item)
        for item in _sentence_country_facts(ctx, sent):
            if isinstance(item, Triple):
                _keep_best(best, item)
        for item in _reciprocal_facts(ctx, sent):
            if isinstance(item, Triple):
                _keep_best(best, item)
        for item in _name_place_facts(ctx, sent):
            if isinstance(item, Triple):
                _keep_best(best, item)
        for token in sent:
            if token.pos_ == "NOUN":
                for item in _kin_facts(ctx, token, sent):
                    if isinstance(item, Triple):
                        _keep_best(best, item)
            for item in _structure_facts(ctx, token, sent):
                if isinstance(item, Entity):
                    yield item
                else:
                    _keep_best(best, item)
    for item in _document_country_facts(ctx, doclike):
        if isinstance(item, Triple):
            _keep_best(best, item)
    if context_guesses:
        for item in _recent_country_facts(ctx, doclike, best.values()):
            if isinstance(item, Triple):
                _keep_best(best, item)
        for item in _recent_nation_facts(ctx, doclike, best.values()):
            if isinstance(item, Triple):
                _keep_best(best, item)
    for derived in list(_transitive_places(ctx, best.values())):
        _keep_best(best, derived)
    for key, triple in list(best.items()):
        typed = _class_default(ctx, triple)
        if typed is not None:
            del best[key]
            _keep_best(best, typed)
    for triple in list(best.values()):
        # a sub-property entails its parents: country(X, Y) is locatedIn(X, Y) too
        info = ctx.onto.properties.get(triple.predicate)
        for parent in info.parents if info is not None else ():
            # only where the parent's range holds: a nationality is no place
            wanted = ctx.onto.properties[parent].range
            if ctx.onto.is_a(ctx.classes.get(triple.object, "Thing"), wanted):
                entailed = replace(
                    triple, predicate=parent, rule=triple.rule + "+entailed"
                )
                _keep_best(best, entailed)
        # and through its inverse: director(W, P) is directed(P, W), so
        # notableWork(P, W) too
        inverse = ctx.onto.properties.get(info.inverse or "") if info else None
        for parent in inverse.parents if inverse is not None else ():
            wanted = ctx.onto.properties[parent].range
            if parent != "relatedTo" and ctx.onto.is_a(
                ctx.classes.get(triple.subject, "Thing"), wanted
            ):
                entailed = replace(
                    triple,
                    subject=triple.object,
                    predicate=parent,
                    object=triple.subject,
                    rule=triple.rule + "+entailed",
                )
                _keep_best(best, entailed)
    specific = {
        (t.provenance.sent_index, *sorted((t.subject, t.object)))
        for t in best.values()
        if t.predicate != "relatedTo"
    }
    kept = [
        t
        for t in best.values()
        if t.predicate != "relatedTo"
        or (t.provenance.sent_index, *sorted((t.subject, t.object))) not in specific
    ]
    kept = _carrying_facts(kept, set(ctx.new_entities))
    used = {k for t in kept for k in (t.subject, t.object)}
    yield from (e for key, e in ctx.new_entities.items() if key in used)
    # names the text typed more precisely ("X is an album", "Canada") are
    # yielded again under their key with the refined class
    for entity in entities:
        refined = ctx.classes.get(entity.key)
        if entity.named and refined not in (None, entity.label):
            yield replace(entity, label=refined)
    yield from kept


def _class_default(ctx: _Context, triple: Triple) -> Triple | None:
    """Type a generic fact by its arguments' classes, where the ontology says how.

    A clause that ties a person to a named event ("X fought at Y") without a
    trigger word most often tells that X took part in Y, and a copular or
    birth clause that ties a person to a country ("X, a writer who was born
    in 1950, ... France") tells X's nationality. Properties listing the
    structure trigger ``default`` (any clause), ``default <verb lemma>`` or
    ``default <subject class>`` give the reading, with half the confidence.
    """
    if triple.predicate != "relatedTo" or triple.modality != "asserted":
        return None
    classes = ctx.classes
    if triple.subject not in classes or triple.object not in classes:
        return None
    s = _Node(triple.subject, classes[triple.subject], True, 0, 0)
    o = _Node(triple.object, classes[triple.object], True, 0, 0)
    verb = triple.lemma.split(" ", 1)[0]
    for trigger in (f"default {verb}", f"default {s.cls}", "default"):
        info = _choose(ctx.onto, "structure", trigger, s, o, lenient=False)
        if info is not None:
            break
    else:
        return None
    return replace(
        triple,
        predicate=info.name,
        confidence=round(triple.confidence * 0.5, 3),
        rule=triple.rule + "+class-default",
    )


def _carrying_facts(triples: Sequence[Triple], described: set[str]) -> list[Triple]:
    """Keep a described thing only where it carries a fact.

    That is, where a clause or a possessive links it by an ontology property
    ("X bought the zoo", "Y's zoo"), or where it ties two or more other
    entities together ("X requested a pardon" and "Y signs the pardon"; "the
    zoo in Texas" that "X founded"). Where it is only placed somewhere ("the
    factory in Ohio"), it is no node of its own.
    """
    specific: set[str] = set()
    neighbours: dict[str, set[str]] = {}
    for t in triples:
        for this, other in ((t.subject, t.object), (t.object, t.subject)):
            if this in described:
                neighbours.setdefault(this, set()).add(other)
                if t.predicate != "relatedTo" and not t.rule.endswith("noun-prep"):
                    specific.add(this)
    keep = specific | {k for k, ns in neighbours.items() if len(ns) >= 2}
    return [
        t
        for t in triples
        if (t.subject not in described or t.subject in keep)
        and (t.object not in described or t.object in keep)
    ]


def _keep_best(best: dict[tuple[str, str, str, int], Triple], triple: Triple) -> None:
    key = (
        triple.subject,
        triple.predicate,
        triple.object,
        triple.provenance.sent_index,
    )
    if key not in best or best[key].confidence < triple.confidence:
        best[key] = triple


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
    return _extractor(name)


@functools.cache
def _extractor(name: str) -> Extractor:
    # looked up once per process: catalogue reads the entry points on each get
    try:
        factory = extractors.get(name)
    except catalogue.RegistryError as exc:
        known = ", ".join(sorted(extractors.get_all()))
        raise ConfigError(f"unknown extractor {name!r}; registered: {known}") from exc
    extractor: Extractor = factory()
    return extractor


def extract_relations(
    doclike: DocLike,
    entities: Iterable[Entity],
    *,
    doc_id: str,
    extractor: str = DEFAULT_EXTRACTOR,
) -> tuple[tuple[Entity, ...], tuple[Triple, ...]]:
    """Run an extractor: the new (described, unnamed) entities and the triples.

    An extractor may yield :class:`Entity` objects besides triples: things
    the text describes without naming them ("the zoo", "a letter") that take
    part in a fact, with ``named=False`` and keys unique to ``doc_id``; and
    given entities again, under their key, with a class the text made more
    precise ("X is an album" types X as a work). The caller replaces an
    entity by a yielded one of the same key.

    Examples
    --------
    >>> from kg.coref import resolve_entities
    >>> from kg.mentions import extract_mentions
    >>> doc = nlp("Ada Lovelace bought a small farm.")
    >>> ents = resolve_entities(doc, extract_mentions(doc))
    >>> new, triples = extract_relations(doc, ents, doc_id="d")
    >>> [(e.name, e.named) for e in new]
    [('small farm', False)]
    >>> [(t.subject, t.predicate) for t in triples]
    [('ada lovelace', 'owns')]
    """
    new: list[Entity] = []
    triples: list[Triple] = []
    for item in get_extractor(extractor)(doclike, tuple(entities), doc_id):
        if isinstance(item, Triple):
            triples.append(item)
        else:
            new.append(item)
    return tuple(new), tuple(triples)


def extract_triples(
    doclike: DocLike,
    entities: Iterable[Entity],
    *,
    doc_id: str,
    extractor: str = DEFAULT_EXTRACTOR,
) -> Iterator[Triple]:
    """Yield relation triples between the given entities of a document.

    Triples may also name described things the extractor adds as entities;
    use :func:`extract_relations` to get those too.

    Examples
    --------
    >>> from kg.coref import resolve_entities
    >>> from kg.mentions import extract_mentions
    >>> doc = nlp("Ada Lovelace wrote to Charles Babbage.")
    >>> ents = resolve_entities(doc, extract_mentions(doc))
    >>> found = extract_triples(doc, ents, doc_id="d")
    >>> [(t.subject, t.predicate, t.object) for t in found]
    [('ada lovelace', 'wroteTo', 'charles babbage')]
    """
    for item in get_extractor(extractor)(doclike, tuple(entities), doc_id):
        if isinstance(item, Triple):
            yield item


def normalise_relation(
    lemma: str,
    preposition: str | None = None,
    *,
    kind: TriggerKind = "verb",
    ontology: Ontology | None = None,
) -> str:
    """Map a trigger (verb lemma and preposition, relational noun...) to a property.

    Without entity classes to check domain and range against, the most
    general property listing the trigger wins (a parent before its
    sub-properties, then the widest domain and range); ``relatedTo`` when
    none does.

    Examples
    --------
    >>> normalise_relation("write", "to")
    'wroteTo'
    >>> normalise_relation("husband", kind="noun")
    'spouse'
    >>> normalise_relation("cook", None)
    'relatedTo'
    """
    onto = ontology or load_ontology()
    wanted = f"{lemma} {preposition}" if preposition else lemma
    found = onto.properties_for(kind, wanted)
    if not found:
        return "relatedTo"
    parents = {parent for p in found for parent in p.parents}
    depth = onto.superclasses
    return min(
        found,
        key=lambda p: (
            p.name not in parents,
            len(depth.get(p.domain, ())) + len(depth.get(p.range, ())),
            p.name,
        ),
    ).name


@register_extractor("kg.clauses.v1")
def make_clause_extractor() -> Extractor:
    """Make the clause extractor normalised to the ontology (the default).

    Reads clauses (active, passive, prepositional, relative, conjoined,
    controlled), predicate nouns, appositions, possessives, compounds and
    "X in Y" phrases; maps arguments onto entities by mention offsets (so a
    pronoun lands on its antecedent), picks properties by their triggers and
    domain/range, and keeps the rest under ``relatedTo``. Negated clauses
    give no triple.
    """

    def extract(
        doclike: DocLike, entities: Sequence[Entity], doc_id: str
    ) -> Iterator[Triple | Entity]:
        yield from _entity_facts(doclike, entities, doc_id)

    return extract


@register_extractor("kg.clauses.v1+context")
def make_context_extractor() -> Extractor:
    """Make ``kg.clauses.v1`` plus guesses from the document context.

    Adds facts no sentence states, read from where things are named: a place
    or body no fact places lies in the country named last before it
    (``recent-country``); a person (a work) of a text that names one nation is
    of that nation (``recent-nation``). They raise recall on encyclopaedic
    text but are right only 22-40% of the time, so they carry confidence
    0.15 and are off by default.
    """

    def extract(
        doclike: DocLike, entities: Sequence[Entity], doc_id: str
    ) -> Iterator[Triple | Entity]:
        yield from _entity_facts(doclike, entities, doc_id, context_guesses=True)

    return extract


def _token_entities(doc: Doc, entities: Sequence[Entity]) -> dict[int, str]:
    """Map each token index covered by a mention to its entity key."""
    return {i: e.key for i, e in mention_tokens(doc, entities).items()}


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


@register_extractor("kg.svo.v1")
def make_svo_extractor() -> Extractor:
    """Make the subject–verb–object and verb–preposition–object extractor."""

    def extract(
        doclike: DocLike, entities: Sequence[Entity], doc_id: str
    ) -> Iterator[Triple]:
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
            for prep_tok in (c for c in verb.children if c.dep_ in _PREP_DEPS):
                objects += [
                    (p, prep_tok.lower_) for p in prep_tok.children if p.dep_ == "pobj"
                ]
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


# --- relations to values: dates a text states ------------------------------------

#: Words before a date in parentheses after a name: "(born 1946)", "(d. 2010)".
_LIFE_WORDS = {"born": "bear", "b.": "bear", "died": "die", "d.": "die"}
_RANGE_TOKENS = frozenset({"–", "-", "—", "to"})
_PAREN_WINDOW = 40
_VALUE_RULE = "kg.values.v1"
#: The shortest life "X (YEAR - YEAR)" reads as: shorter spans are terms of
#: office or years at a school ("Y (1986 - 1993)").
_MIN_LIFE_YEARS = 12
#: Plain-text dates that still say when: a year or a century in their words.
_DATED_WORDS = frozenset({"century", "centuries", "millennium"})
_PRECISE_DATATYPES = frozenset({"date", "gYearMonth", "gYear"})
#: Prepositions that date an event ("in 1990", "on 3 May"); "since", "until",
#: "by" or "after 1990" date a state or a bound, not the event itself.
_EVENT_DATE_PREPS = frozenset(
    {"in", "on", "at", "during", "around", "circa", "c.", "about", "of"}
)


@dataclass(slots=True)
class _ValueContext:
    """Per-document state of the value-fact rules."""

    doc: Doc
    doc_id: str
    onto: Ontology
    by_token: dict[int, Entity]
    starts: dict[int, int]
    classes: dict[str, str]
    best: dict[tuple[str, str, str], Triple] = field(default_factory=dict)
    #: tokens inside a proper name ("the 2010 Winter Olympics")
    in_names: frozenset[int] = frozenset()


def _says_when(value: Value) -> bool:
    """Tell whether a date is precise enough for a fact (not "annual", "age 36")."""
    if value.datatype in _PRECISE_DATATYPES:
        return True
    words = value.lexical.lower().replace("-", " ").split()
    return any(
        w.strip("s'").isdigit() and len(w.strip("s'")) in {3, 4} or w in _DATED_WORDS
        for w in words
    )


def _year_of(value: Value) -> int | None:
    head = value.lexical[:4]
    return (
        int(head) if value.datatype in _PRECISE_DATATYPES and head.isdigit() else None
    )


def _value_fits(onto: Ontology, cls: str, domain: str) -> bool:
    """Domain check of a value property; a person takes only Person properties."""
    if not onto.is_a(cls, domain) and not (cls == "Thing" and domain != "Person"):
        return False
    return domain == "Person" or not onto.is_a(cls, "Person")


def _pick_value_property(
    onto: Ontology, props: Iterable[PropertyInfo], cls: str
) -> PropertyInfo | None:
    fitting = [p for p in props if _value_fits(onto, cls, p.domain)]
    if not fitting:
        return None
    depth = onto.superclasses
    return max(fitting, key=lambda p: (len(depth.get(p.domain, ())), p.name))


def _bearer(ctx: _ValueContext, token: Token) -> Entity | None:
    """Return the named entity a token stands for (an unnamed thing has no date)."""
    entity = _entity_at(ctx.by_token, token)
    if token.dep_ == "pobj" and token.head.dep_ == "agent":
        return None  # "founded in 1990 by X": X is not what was founded
    return entity if entity is not None and entity.named else None


def _add_value_fact(
    ctx: _ValueContext,
    entity: Entity,
    info: PropertyInfo,
    value: Value,
    anchor: Token,
    date: Span,
    *,
    confidence: float,
    rule: str,
    lemma: str,
    modality: Modality = "asserted",
) -> None:
    sent = date.sent
    start = min(anchor.idx, date.start_char)
    end = max(anchor.idx + len(anchor), date.end_char)
    triple = Triple(
        subject=entity.key,
        predicate=info.name,
        object=value.key,
        provenance=Provenance(
            doc_id=ctx.doc_id,
            sent_index=ctx.starts[sent.start],
            start_char=start,
            end_char=end,
            sentence=sent.text,
        ),
        confidence=round(confidence, 3),
        rule=f"{_VALUE_RULE}:{rule}",
        lemma=lemma,
        modality=modality,
    )
    key = (triple.subject, triple.predicate, triple.object)
    old = ctx.best.get(key)
    if old is None or triple.confidence > old.confidence:
        ctx.best[key] = triple


def _class_of(ctx: _ValueContext, entity: Entity) -> str:
    return ctx.classes.get(entity.key, entity.label)


def _verb_phrase(verb: Token) -> tuple[str, str]:
    """Return the verb's trigger forms: with its particle or light object, bare."""
    lemma = verb.lemma_.lower()
    for child in verb.children:
        if child.dep_ == "prt" or (child.dep_ == "dobj" and child.lower_ == "place"):
            return f"{lemma} {child.lower_}", lemma
    return lemma, lemma


def _dated_verb(
    ctx: _ValueContext, verb: Token, prep: Token | None, value: Value, date: Span
) -> None:
    """Date a clause of a trigger verb: "X was born in DATE", "Y released Z on DATE"."""
    if _is_negated(verb) or (prep is not None and prep.lower_ not in _EVENT_DATE_PREPS):
        return
    phrase, lemma = _verb_phrase(verb)
    props = ctx.onto.value_properties_for("verb", phrase) or (
        ctx.onto.value_properties_for("verb", lemma) if phrase != lemma else ()
    )
    base = 0.8
    if not props and prep is not None:
        props = ctx.onto.value_properties_for("prep", prep.lower_)
        base = 0.55
    if not props:
        return
    objects = [
        c
        for c in verb.children
        if c.dep_ == "dobj" and not (c.lower_ == "place" and phrase.endswith("place"))
    ]
    passive = any(c.dep_ in _PASSIVE_DEPS for c in verb.children)
    if objects and not passive:
        heads, how = objects, "object"
    else:
        heads, how = _subject_heads(verb)
    confidence = base * (1.0 if how in {"own", "object"} else 0.9)
    modality = _modality(verb)
    for head in heads:
        for token in _split_conjuncts(head):
            entity = _bearer(ctx, token)
            if entity is None:
                continue
            info = _pick_value_property(ctx.onto, props, _class_of(ctx, entity))
            if info is not None:
                _add_value_fact(
                    ctx,
                    entity,
                    info,
                    value,
                    token,
                    date,
                    confidence=confidence,
                    rule=f"verb-{how}" if base > 0.6 else "prep",
                    lemma=f"{phrase} {prep.lower_}" if prep is not None else phrase,
                    modality=modality,
                )


def _dated_event_noun(
    ctx: _ValueContext, noun: Token, prep: Token | None, value: Value, date: Span
) -> None:
    """Date an event noun's bearer: "his death in 1992", "the release of Z on DATE"."""
    props = ctx.onto.value_properties_for("noun", noun.lemma_.lower())
    if not props:
        return
    owners = [c for c in noun.children if c.dep_ == "poss"]
    owners += [
        o
        for p in noun.children
        if p.dep_ == "prep" and p.lower_ == "of"
        for o in p.children
        if o.dep_ == "pobj"
    ]
    for token in owners:
        entity = _bearer(ctx, token)
        if entity is None:
            continue
        info = _pick_value_property(ctx.onto, props, _class_of(ctx, entity))
        if info is not None:
            lemma = noun.lemma_ + (f" {prep.lower_}" if prep is not None else "")
            _add_value_fact(
                ctx, entity, info, value, token, date,
                confidence=0.7, rule="noun", lemma=lemma,
            )  # fmt: skip


def _dated_noun(ctx: _ValueContext, noun: Token, value: Value, date: Span) -> None:
    """Date the bearer of a class noun a year modifies: "X is a 1997 film"."""
    if value.datatype not in _PRECISE_DATATYPES or noun.pos_ != "NOUN":
        return
    if date.start > noun.i:
        return  # "BWV 1007": a number after the noun is no year of it
    bearers: list[Token] = []
    if noun.dep_ == "attr" and noun.head.lemma_ == "be":
        bearers = [c for c in noun.head.children if c.dep_ == "nsubj"]
    elif noun.dep_ == "appos":
        bearers = [noun.head]
    bearers += [c for c in noun.children if c.dep_ == "appos"]
    if noun.i in ctx.by_token:
        bearers.append(noun)
    nouns = ctx.onto.classes_for_noun(noun.lemma_.lower())
    for token in bearers:
        entity = _bearer(ctx, token)
        if entity is None:
            continue
        cls = nouns[0] if len(nouns) == 1 else _class_of(ctx, entity)
        props = list(ctx.onto.value_properties_for("structure", "dated noun"))
        for name in (cls, *ctx.onto.superclasses.get(cls, ())):
            props += ctx.onto.value_properties_for("structure", f"dated noun {name}")
        info = _pick_value_property(ctx.onto, props, cls)
        if info is not None:
            _add_value_fact(
                ctx, entity, info, value, token, date,
                confidence=0.7, rule="dated-noun", lemma=noun.lemma_,
            )  # fmt: skip


def _life_span(
    ctx: _ValueContext, entity: Entity, value_at: dict[int, tuple[Value, Span]]
) -> None:
    """Read dates in brackets: "X (born 1963)", "X (1920 - 1992)", "Y (1997)".

    A person's birth and death, or the year of a work ("dated name").
    """
    doc = ctx.doc
    for m in entity.mentions:
        if m.kind != "name":
            continue
        span = doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
        if span is None:
            continue
        first = span.end + (span.end < len(doc) and doc[span.end].text == ",")
        if first >= len(doc) or doc[first].text != "(":
            continue
        dates: list[tuple[Value, Span, str | None]] = []
        word: str | None = None
        ranged = False
        tokens = doc[first + 1 : first + _PAREN_WINDOW]
        for token in tokens:
            if token.text == ")":
                nxt = token.i + 1
                if dates or nxt >= tokens.end or doc[nxt].text != "(":
                    break
                continue  # "X ( ) ( 1918 - 1978 )": an empty pair first
            found = value_at.get(token.i)
            if found is not None:
                if not dates or dates[-1][1] != found[1]:
                    dates.append((found[0], found[1], word))
                    word = None
                continue
            if token.lower_ in _LIFE_WORDS:
                word = _LIFE_WORDS[token.lower_]
            elif token.text in _RANGE_TOKENS and dates:
                ranged = True
        anchor = doc[span.end - 1]
        if ranged and len(dates) == 2:
            born, died = _year_of(dates[0][0]), _year_of(dates[1][0])
            if born is not None and died is not None:
                ranged = died - born >= _MIN_LIFE_YEARS
        for i, (value, date, said) in enumerate(dates):
            if said is not None:
                kind, trigger, confidence = "verb", said, 0.9
            elif ranged and len(dates) == 2:
                kind, confidence = "structure", 0.85
                trigger = "life start" if i == 0 else "life end"
            elif len(dates) == 1 and not ranged and _year_of(value) is not None:
                kind, trigger, confidence = "structure", "dated name", 0.7
            else:
                continue
            props = ctx.onto.value_properties_for(kind, trigger)  # type: ignore[arg-type]
            info = _pick_value_property(ctx.onto, props, _class_of(ctx, entity))
            if info is not None:
                _add_value_fact(
                    ctx, entity, info, value, anchor, date,
                    confidence=confidence, rule="brackets", lemma=trigger,
                )  # fmt: skip


def _name_tokens(doc: Doc, entities: Sequence[Entity]) -> frozenset[int]:
    found: set[int] = set()
    for entity in entities:
        for m in entity.mentions:
            if m.kind != "name":
                continue
            span = doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
            if span is not None:
                found.update(range(span.start, span.end))
    return frozenset(found)


def extract_value_facts(
    doclike: DocLike,
    entities: Sequence[Entity],
    values: Sequence[Value],
    *,
    doc_id: str,
) -> tuple[Triple, ...]:
    """Read the facts that tie entities to dates: triples whose object is a value.

    Constructions: a dated clause of a trigger verb ("X was born in DATE",
    "Y released the album on DATE": the verb's object bears the date when
    it has one, else its subject; relative clauses and participles find
    their noun as other clauses do), a trigger preposition ("since DATE"),
    an event noun ("his death in DATE"), a year modifying a class noun ("X
    is a 1997 film") and the parentheses after a person's name ("X (born
    DATE)", "X (DATE – DATE)"). Properties and their triggers are the
    ontology's value properties (sub-properties of ``kgo:hasValue``);
    domain decides between them. One triple per fact, the surest reading.

    Examples
    --------
    >>> from kg.coref import resolve_entities
    >>> from kg.mentions import extract_mentions
    >>> from kg.values import extract_values
    >>> doc = nlp("Ada Lovelace was born on 10 December 1815 in London.")
    >>> ents = resolve_entities(doc, extract_mentions(doc))
    >>> facts = extract_value_facts(doc, ents, extract_values(doc), doc_id="d")
    >>> [(t.subject, t.predicate, t.object) for t in facts]
    [('ada lovelace', 'birthDate', '1815-12-10^^date')]
    """
    doc = doclike.doc if isinstance(doclike, Span) else doclike
    ctx = _ValueContext(
        doc=doc,
        doc_id=doc_id,
        onto=load_ontology(),
        by_token=_entity_index(doc, entities),
        starts=sentence_starts(doc),
        classes={e.key: e.label for e in entities},
        in_names=_name_tokens(doc, entities),
    )
    value_at: dict[int, tuple[Value, Span]] = {}
    for value in values:
        if value.kind != "date" or not _says_when(value):
            continue
        for m in value.mentions:
            date = doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
            if date is None:
                continue
            for token in date:
                value_at.setdefault(token.i, (value, date))
            if any(t.i in ctx.in_names for t in date):
                continue  # part of a name: "the 2010 Winter Olympics"
            root = date.root
            head = root.head
            if root.dep_ == "pobj" and head.dep_ in {"prep", "agent"}:
                governor = head.head
                prep: Token | None = head
            elif root.dep_ in _TIME_DEPS or root.dep_ == "prep":
                governor, prep = head, None
            elif root.dep_ in {"nummod", "amod", "compound", "nmod"} and head.pos_ in {
                "NOUN",
                "PROPN",
            }:
                _dated_noun(ctx, head, value, date)
                continue
            else:
                continue
            if governor.pos_ in {"VERB", "AUX"}:
                _dated_verb(ctx, governor, prep, value, date)
            elif governor.pos_ == "NOUN":
                _dated_event_noun(ctx, governor, prep, value, date)
    for entity in entities:
        if entity.named:
            _life_span(ctx, entity, value_at)
    return tuple(
        sorted(
            ctx.best.values(),
            key=lambda t: (t.provenance.start_char, t.subject, t.predicate),
        )
    )
