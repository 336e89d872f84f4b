"""Charges and verdicts: "X was charged with the murder of Y" (rule ``legal-charge``).

News reports a crime through the charge or the verdict that names it: "X
was charged with the murders of Y and Z", "X, accused of killing Y", "X was
found guilty of slaying Y and wounding Z", "police charged X in Y's death".
A phrase of ``relation-charge-phrases`` or ``relation-verdict-phrases`` (a
verb, or "guilty", with its preposition) introduces the crime; a crime noun
of ``relation-crime-words`` names its victims with "of" or a possessive, a
crime verb (a gerund) with its object. The fact runs from the accused to
each victim, by the phrase's property (``chargedWithCrimeAgainst``,
``convictedOfCrimeAgainst``); a phrase that only alleges ("suspected of")
gives none. The crime itself is not stated as done:
:mod:`kg.relations.polarity` hedges the clause of a gerund a charge
introduces (a verdict's is left as stated).

The accused is the verb's object ("police charged X with ..."), else its
passive subject, else the noun a participle modifies ("a man accused of
..."); for "guilty", the subject of the verb it completes ("X was found
guilty", "X pleaded guilty").
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span, Token

from kg.lexicon import load_mapping, load_words
from kg.relations.nodes import _Context, _emit, _fits, _Node, _node
from kg.relations.polarity import clause_modality, phrase_modality
from kg.types import Entity, Triple

__all__ = ["charge_phrase"]

_NAME_LINKS = frozenset({"appos", "compound", "conj"})


def charge_phrase(head: Token, prep: Token) -> str | None:
    """Return the charge or verdict phrase a word and its preposition make.

    The phrases are ``relation-charge-phrases`` and ``relation-verdict-phrases``.

    Examples
    --------
    >>> doc = nlp("He was charged with murder.")
    >>> charge_phrase(doc[2], doc[3])
    'charge with'
    """
    if head.lower_ == "guilty":
        if head.head.lemma_.lower() not in load_words("relation-guilty-verbs"):
            return None
        key = f"guilty {prep.lower_}"
    elif head.lemma_.lower() in load_words("relation-guilty-verbs") and any(
        c.lower_ == "guilty" for c in head.children
    ):
        key = f"guilty {prep.lower_}"  # "found guilty in the murder of Y"
    elif head.pos_ in {"VERB", "AUX"}:
        key = f"{head.lemma_.lower()} {prep.lower_}"
    else:
        return None
    return key if key in _phrases() else None


def _phrases() -> dict[str, str]:
    return {
        **load_mapping("relation-charge-phrases"),
        **load_mapping("relation-verdict-phrases"),
    }


def _accused(head: Token) -> Token | None:
    verb = head.head if head.lower_ == "guilty" else head
    deps = {c.dep_: c for c in verb.children}
    if head.lower_ != "guilty" and "dobj" in deps:
        return deps["dobj"]  # "police charged X with ..."
    for dep in ("nsubjpass", "nsubj"):
        if dep in deps:
            return deps[dep]
    if verb.dep_ in {"acl", "relcl"} and verb.head.i != verb.i:
        return verb.head  # "a man accused of ...", "X, charged with ..."
    return None


def _is_person(ctx: _Context, node: _Node, token: Token) -> bool:
    """Tell whether the accused is a person: by class, or a described person noun."""
    if node.named:
        return ctx.onto.is_a(node.cls, "Person")
    return "Person" in ctx.onto.classes_for_noun(token.lemma_.lower())


def _victim_tokens(crime: Token) -> Iterator[Token]:
    """Yield the people a crime word names: "of Y", "Y's", a gerund's object."""
    crimes = load_words("relation-crime-words")
    for word in (crime, *crime.conjuncts):
        if word.lemma_.lower() not in crimes and word.lower_ not in crimes:
            continue
        for child in word.children:
            if child.dep_ == "poss" or (child.dep_ == "dobj" and word.pos_ == "VERB"):
                yield child
            elif child.dep_ == "prep" and child.lower_ == "of":
                yield from (g for g in child.children if g.dep_ == "pobj")


def _people(ctx: _Context, token: Token) -> Iterator[_Node]:
    """Named people at a token: itself, its conjuncts, a name beside a noun."""
    todo, seen = [token], set()
    while todo:
        tok = todo.pop()
        if tok.i in seen:
            continue
        seen.add(tok.i)
        node = _node(ctx, tok)
        if node is not None and node.named:
            yield node
            continue
        # "his mother Alice Y", "his mother, Alice Y, and sister Z"
        todo.extend(c for c in tok.children if c.dep_ in _NAME_LINKS)
        if node is not None:
            todo.extend(tok.conjuncts)


def _charge_facts(ctx: _Context, head: Token, sent: Span) -> Iterator[Triple | Entity]:
    """Yield the facts of a charge or verdict phrase headed by ``head``."""
    for prep in head.children:
        if prep.dep_ != "prep":
            continue
        key = charge_phrase(head, prep)
        name = _phrases().get(key) if key else None
        info = ctx.onto.properties.get(name) if name else None
        accused_tok = _accused(head) if info is not None else None
        accused = _node(ctx, accused_tok) if accused_tok is not None else None
        if (
            info is None
            or accused is None
            or accused_tok is None
            or accused.pronoun
            or not _is_person(ctx, accused, accused_tok)
        ):
            continue
        clause = head.head if head.lower_ == "guilty" else head
        if clause.dep_ == "acl" and clause.head.i != clause.i:
            # "a man accused of ...": the noun phrase's modality
            modality = phrase_modality(clause.head.head)
        else:
            modality = clause_modality(clause)
        for crime in prep.children:
            if crime.dep_ not in {"pobj", "pcomp"}:
                continue
            for victim_tok in _victim_tokens(crime):
                for victim in _people(ctx, victim_tok):
                    if not _fits(ctx.onto, info, accused, victim, lenient=True):
                        continue
                    yield from _emit(
                        ctx,
                        accused,
                        victim,
                        info,
                        lemma=f"{key} {crime.lemma_.lower()}",
                        confidence=0.7,
                        rule="legal-charge",
                        sent=sent,
                        modality=modality,
                    )
