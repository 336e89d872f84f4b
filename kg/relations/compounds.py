"""Facts of a name used as a modifier of a common noun: "a Springfield hospital".

English puts a name before a common noun to say how the thing the noun
describes stands to the named one (a noun-noun compound). What it says
depends on the two classes, which the ontology gives (the name's class;
the noun's class from ``ontology/nouns.ttl``):

* ``name-modifier-role``: a role noun of a person ("an Acme Foods plant
  worker", "a City Police spokeswoman") relates its bearer to the name by
  the noun's trigger (``employer``, ``workLocation``...), as "Y spokesman Z"
  does for a named bearer.
* a facility noun after an organisation's name ("an Acme factory": its
  owner) or a place's ("a Springfield hospital": placed there) is the
  ``compounds`` family of relation patterns
  (``ontology/patterns/compounds.json``). Not before a place noun: "the Y
  neighborhood", "the Y island" class the name itself.

A described bearer (one coreference put on no name) is read only by the
opt-in extractor ``kg.clauses.v3+described``; where the name places or owns
it, its key is the same in every document of a corpus
(:mod:`kg.relations.described`), so "a Springfield hospital" in two articles
is one node. (In the default they lower Re-DocRED typed precision: its gold
counts a fact with a described end as wrong.)

The name may modify the noun directly or through a common noun compound
("an Acme Foods plant worker": "Acme Foods" modifies "plant"). The bearer is
the entity coreference put on the noun phrase, or a described thing; a
described thing takes the noun's class, so "a Springfield hospital" is a
facility. A person's name before a noun ("the Lopez house") says nothing
this reads (owner, family or namesake), nor does a nationality ("a French
firm": the nationality patterns read those).
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span, Token

from kg.lexicon import load_words
from kg.relations.nodes import (
    _Context,
    _Node,
    _node,
    _noun_class,
    _typed,
)
from kg.relations.nouns import _role_facts, _role_lemmas
from kg.relations.polarity import phrase_modality
from kg.types import Entity, Modality, Triple

__all__: list[str] = []

_COMPOUND_DEPS = frozenset({"compound", "nmod"})
#: NER labels of a name that may modify a noun this module reads (a name
#: found without a NER label counts too)
_NAME_LABELS = frozenset({"ORG", "GPE", "LOC", "FAC"})


#: NER labels a name must carry to own or place a facility (its class
#: alone is too weak a sign: "a Grade II building", "a Maya temple")
_THING_LABELS = frozenset({"ORG", "GPE"})


#: Classes of a described noun whose role noun trigger relates it to a name
#: after a preposition ("a spokesperson for Y", "the trial of Y").
_DESCRIBED_ROLE_CLASSES = frozenset({"Person", "Event"})

#: Prepositions an event noun also takes its participant by ("a win over Y").
_EVENT_PREPS = frozenset({"over", "against"})


def _is_name(ctx: _Context, token: Token) -> bool:
    """Tell whether a modifier is (part of) a name: NER's or a found mention's."""
    if token.ent_type_:
        return token.ent_type_ in _NAME_LABELS
    return token.pos_ == "PROPN" and token.i in ctx.by_token


def _name_modifiers(ctx: _Context, noun: Token) -> Iterator[Token]:
    """Names compounded before a noun, directly or through one common noun."""
    for child in noun.children:
        if child.dep_ not in _COMPOUND_DEPS or child.i > noun.i:
            continue
        if child.ent_type_ or child.pos_ == "PROPN":
            if _is_name(ctx, child):
                yield child
        elif child.pos_ == "NOUN":
            # "Acme Foods plant worker": the name modifies "plant"
            yield from (
                g
                for g in child.children
                if g.dep_ in _COMPOUND_DEPS and g.i < child.i and _is_name(ctx, g)
            )


def _role(
    ctx: _Context,
    bearer: _Node,
    noun: Token,
    name: Token,
    sent: Span,
    modality: Modality,
) -> list[Triple | Entity]:
    for lemma in _role_lemmas(noun):
        if ctx.onto.properties_for("noun", lemma):
            took, found = _role_facts(
                ctx,
                bearer,
                [name],
                lemma,
                sent,
                base=0.6,
                modality=modality,
                rule="name-modifier-role",
            )
            if took:
                return found
    return []


def _name_modifier_facts(
    ctx: _Context, noun: Token, sent: Span
) -> Iterator[Triple | Entity]:
    """Yield the role facts names compounded before a person noun state.

    See the module notes (facilities are the ``compounds`` patterns).
    """
    if noun.pos_ != "NOUN" or noun.ent_type_ or noun.dep_ in _COMPOUND_DEPS:
        return
    names = list(_name_modifiers(ctx, noun))
    cls = _noun_class(ctx, noun) if names else None
    if cls is None or not ctx.onto.is_a(cls, "Person"):
        return  # a facility: ontology/patterns/compounds.json
    bearer = _node(ctx, noun)
    if bearer is None or not (bearer.named or ctx.described):
        return  # a described bearer only with kg.clauses.v3+described
    bearer = _typed(ctx, bearer, cls)
    modality = ctx.modalities.get(noun.head.i) or ctx.modalities.setdefault(
        noun.head.i, phrase_modality(noun.head)
    )
    for tok in names:
        name = _node(ctx, tok)
        if name is None or not name.named or name.key == bearer.key:
            continue
        yield from _role(ctx, bearer, noun, tok, sent, modality)


def _described_role_facts(
    ctx: _Context, noun: Token, sent: Span
) -> Iterator[Triple | Entity]:
    """Yield the role a described person's or event's noun states.

    Rule ``described-role``: a person noun the ontology lists as a noun
    trigger ("spokesperson", "maid", "lawyer"), which coreference put on no
    name and which no name stands beside ("X, a spokesman for Y" and "Y
    spokesman X" are read with the name), relates the person it describes
    to a name after "for", "of", "at", "with"... by the noun's trigger
    ("a spokesperson for Y"). An event noun does so too, and also with
    "over" and "against": "the trial of Y", "a hearing for Y"
    (``participant``), unless the name is an event's ("the Y Coup").
    """
    cls = _noun_class(ctx, noun)
    if (
        noun.pos_ != "NOUN"
        or noun.ent_type_
        or noun.i in ctx.by_token
        or noun.dep_ in {"appos", "compound", "attr"}
        or any(c.dep_ in {"appos", "poss"} for c in noun.children)
        or cls not in _DESCRIBED_ROLE_CLASSES
    ):
        return
    preps = load_words("relation-role-prepositions") | (
        _EVENT_PREPS if cls == "Event" else frozenset()
    )
    names = [
        pobj
        for prep in noun.children
        if prep.dep_ == "prep" and prep.lower_ in preps
        for pobj in prep.children
        if pobj.dep_ == "pobj" and pobj.i in ctx.by_token
    ]
    if not names:
        return
    bearer = _node(ctx, noun)
    if bearer is None or bearer.named:
        return
    bearer = _typed(ctx, bearer, cls)
    modality = ctx.modalities.get(noun.head.i) or ctx.modalities.setdefault(
        noun.head.i, phrase_modality(noun.head)
    )
    for lemma in _role_lemmas(noun):
        if ctx.onto.properties_for("noun", lemma):
            took, found = _role_facts(
                ctx,
                bearer,
                names,
                lemma,
                sent,
                base=0.6,
                modality=modality,
                rule="described-role",
            )
            if took:
                yield from found
                return
