"""Facts of noun structures: predicate nouns, appositions, possessives, kinship."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from spacy.tokens import Span, Token

from kg.lexicon import load_mapping, load_words
from kg.ontology import PropertyInfo
from kg.relations.nodes import (
    _choose,
    _Context,
    _country_of,
    _emit,
    _Node,
    _node,
    _participle_verbs,
    _prep_objects,
    _role_lemma,
    _typed,
)
from kg.relations.parse import (
    _split_conjuncts,
)
from kg.relations.polarity import phrase_modality
from kg.types import (
    Entity,
    Modality,
    Triple,
)

__all__: list[str] = []


def _related_tokens(noun: Token, extra_poss: Sequence[Token]) -> list[Token]:
    """Return what a relational noun relates its bearer to: "owner of Y", "Y's"."""
    related: list[Token] = list(extra_poss)
    for child in noun.children:
        if child.dep_ == "poss" or (
            child.dep_ in {"compound", "amod"} and child.ent_type_
        ):
            related.append(child)
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ in load_words(
            "relation-role-prepositions"
        ):
            related.extend(
                o
                for p in prep.children
                if p.dep_ == "pobj"
                for o in _split_conjuncts(p)
            )
    return related


def _role_lemmas(noun: Token) -> list[str]:
    """Return the noun's trigger forms: with its modifier ("best friend"), bare."""
    lemmas = [_role_lemma(noun), noun.lemma_.lower()]
    if any(
        c.lower_ in load_words("subordinate-role-modifiers")
        for c in noun.children
        if c.dep_ in {"amod", "compound"} and c.i < noun.i
    ):
        lemmas = lemmas[:1]  # a vice president is no president
    return list(dict.fromkeys(lemmas))


def _presupposed_role_facts(
    ctx: _Context,
    bearer: _Node,
    possessor: Token,
    lemma: str,
    sent: Span,
    *,
    base: float,
) -> tuple[bool, list[Triple | Entity]]:
    """Return the role a possessive definite description presupposes.

    "her husband", "Y's lawyer": a possessive determiner or a ``'s``
    possessor on a kinship or role noun (a noun trigger of the ontology)
    presupposes the relation between the possessor and the person the
    phrase describes, and a presupposition survives the clause around it
    ("X believes that Y killed her husband", "did Y kill her husband?",
    "Y did not kill her husband" all take it that Y has a husband). So the
    fact is asserted whatever the clause's modality, under its own rule
    (``possessive-role``). The possessor must be resolved to a named entity.
    The fact keeps a described person as a node of its own ("husband of
    Y"), so it is read by ``kg.clauses.v3+described`` only (in the default it
    lowered ECB+ dev's named-entity CoNLL F1, 58.74 -> 58.67); the default
    reads the role with its clause's modality.
    """
    owner = _node(ctx, possessor)
    if owner is None or not owner.named or possessor.dep_ != "poss":
        return False, []
    return _role_facts(
        ctx,
        bearer,
        [possessor],
        lemma,
        sent,
        base=base,
        modality="asserted",
        rule="possessive-role",
    )


def _named_like_event(ctx: _Context, entity: Entity) -> bool:
    """Tell whether a name ends in an event noun ("the Y Coup"): no participant."""
    words = entity.name.split()
    return bool(words) and "Event" in ctx.onto.classes_for_noun(words[-1].lower())


def _role_facts(
    ctx: _Context,
    bearer: _Node,
    related: Sequence[Token],
    lemma: str,
    sent: Span,
    *,
    base: float,
    modality: Modality,
    rule: str = "role",
) -> tuple[bool, list[Triple | Entity]]:
    """Return the facts a relational noun states: "owner of Y", "her father".

    The flag tells whether a property took the noun (even where no fact could
    be drawn, as for a self-loop).
    """
    took = False
    found: list[Triple | Entity] = []
    onto = ctx.onto
    for tok in related:
        other = _node(ctx, tok)
        if other is None:
            continue
        # the noun types its bearer ("an album by Y"): only the range is checked
        info = _choose(onto, "noun", lemma, bearer, other, lenient=True, domain=False)
        if info is None and other.cls == "Nationality":
            # "the Armenian president": the country the text names for it
            country = _country_of(ctx, other)
            if country is not None:
                info = _choose(
                    onto, "noun", lemma, bearer, country, lenient=True, domain=False
                )
                other = country
        entity = ctx.by_token.get(tok.i)
        if (
            info is not None
            and entity is not None
            and onto.is_a(info.range, "Agent")
            and _named_like_event(ctx, entity)
        ):
            continue  # "the Y Coup's trial": an event is no agent
        if info is not None:
            took = True
            found.extend(
                _emit(
                    ctx,
                    bearer,
                    other,
                    info,
                    lemma=lemma,
                    confidence=base,
                    rule=rule,
                    sent=sent,
                    modality=modality,
                )
            )
    return took, found


def _participle_property(
    ctx: _Context, noun: Token, prep: Token, bearer: _Node, other: _Node
) -> PropertyInfo | None:
    """Read "is married to Y", "is based in Y" by the participle's verb trigger."""
    if noun.tag_ not in {"VBN", "JJ"} or prep.head.i != noun.i:
        return None
    # a participle after "be" is passive: a passive-only trigger ("be find
    # in") first, then the verb's own ("marry to")
    for verb in _participle_verbs(noun):
        for trigger in (f"be {verb} {prep.lower_}", f"{verb} {prep.lower_}"):
            info = _choose(ctx.onto, "verb", trigger, bearer, other, lenient=True)
            if info is not None:
                return info
    return None


def _noun_place_facts(
    ctx: _Context,
    bearer: _Node,
    noun: Token,
    sent: Span,
    *,
    base: float,
    modality: Modality,
) -> Iterator[Triple | Entity]:
    """Read "a town in Y", "a teacher at Y", "is married to Y" of a predicate noun."""
    onto = ctx.onto
    # an occupation at a body: "a teacher at Y", "a detective with Y"
    occupation = "Person" in onto.classes_for_noun(noun.lemma_.lower())
    # locations: "a town in Y", "a village in the district of Y"
    for prep, obj in _prep_objects(noun):
        other = _node(ctx, obj)
        if other is None or not other.named:
            continue
        info = _participle_property(ctx, noun, prep, bearer, other)
        rule = "participle" if info is not None else "predicate-noun"
        if (
            info is None
            and occupation
            and prep.lower_ in load_words("relation-occupation-prepositions")
            and prep.head.i == noun.i
        ):
            info = _choose(
                onto, "structure", "occupation", bearer, other, lenient=False
            )
            rule = "occupation"
        if info is None and (ctx.legacy or _places_its_bearer(ctx, noun)):
            info = _choose(onto, "prep", prep.lower_, bearer, other, lenient=False)
            rule = "predicate-noun"
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


def _noun_facts(
    ctx: _Context,
    bearer: _Node,
    noun: Token,
    sent: Span,
    *,
    base: float,
    modality: Modality,
    extra_poss: Sequence[Token] = (),
    presupposed: Token | None = None,
) -> Iterator[Triple | Entity]:
    """Facts a predicate noun states of its bearer: "X is/, the owner of Y".

    ``presupposed`` is the possessor of a described bearer ("her" of "her
    husband"): the role between the two is presupposed (see
    :func:`_presupposed_role_facts`), whatever the clause's modality.
    """
    # relational nouns: "owner of Y", "Y's owner", "her father", "Y spokesman"
    related = _related_tokens(noun, extra_poss)
    took = False
    roles: list[Triple | Entity] = []
    for lemma in _role_lemmas(noun):
        if ctx.onto.properties_for("noun", lemma):
            if presupposed is not None and presupposed in related and ctx.described:
                took, roles = _presupposed_role_facts(
                    ctx, bearer, presupposed, lemma, sent, base=base
                )
                rest = [t for t in related if t.i != presupposed.i]
                took_rest, more = _role_facts(
                    ctx, bearer, rest, lemma, sent, base=base, modality=modality
                )
                took, roles = took or took_rest, roles + more
            else:
                took, roles = _role_facts(
                    ctx, bearer, related, lemma, sent, base=base, modality=modality
                )
            if took:
                break
    yield from roles
    if not took:
        # "his lawyer, X", "its largest employer, X": a noun no property
        # takes still says how its bearer stands to the possessor
        for tok in related:
            other = _node(ctx, tok) if tok.dep_ == "poss" else None
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
    if not took:
        yield from _noun_place_facts(
            ctx, bearer, noun, sent, base=base, modality=modality
        )


def _places_its_bearer(ctx: _Context, noun: Token) -> bool:
    """Tell whether "X is a NOUN in Y" places X: a class noun, not a person's.

    "a town in Y", "a company in Y" do; "a politician in Y", "an appearance
    in Y", "the result of Y" do not.
    """
    classes = ctx.onto.classes_for_noun(noun.lemma_.lower())
    return bool(classes) and not any(ctx.onto.is_a(c, "Person") for c in classes)


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


#: Parts of speech between two conjoined role phrases: "his mother X, 58,
#: and sister Y" (names, ages, commas, "and").
_BETWEEN_ROLES = frozenset({"PROPN", "NUM", "PUNCT", "CCONJ"})


def _shared_possessor(name: Token, noun: Token) -> list[Token]:
    """Return the possessor a conjoined role phrase shares: "his mother X and sister Y".

    Rule ``shared-possessor``: a role noun before a name that has no
    possessor of its own, after "and" or a comma and only names, ages and
    punctuation back to an earlier role noun with a possessor, takes that
    possessor ("sister Y" is his sister too).
    """
    if any(c.dep_ == "poss" for c in (*name.children, *noun.children)):
        return []
    i, seen_link = noun.i - 1, False
    while i >= max(noun.sent.start, noun.i - 12):
        tok = noun.doc[i]
        if tok.pos_ == "NOUN":
            poss = [c for c in tok.children if c.dep_ == "poss" and c.i < tok.i]
            return poss if seen_link else []
        if tok.pos_ not in _BETWEEN_ROLES:
            return []
        seen_link = seen_link or tok.lower_ in {"and", ","}
        i -= 1
    return []


def _is_role_noun(ctx: _Context, noun: Token) -> bool:
    """Tell whether a noun (with its modifier) triggers a property: "owner"."""
    onto = ctx.onto
    return bool(
        onto.properties_for("noun", _role_lemma(noun))
        or onto.properties_for("noun", noun.lemma_.lower())
    )


def _apposition_facts(
    ctx: _Context, token: Token, child: Token, sent: Span, modality: Modality
) -> Iterator[Triple | Entity]:
    """Read "X, Y" of a name and a role noun ("X, owner of Y", "her father, Z").

    Two names ("Springfield, Illinois") are the patterns of
    ``ontology/patterns/appositions.json``.
    """
    left, right = _node(ctx, token), _node(ctx, child)
    if (
        left is not None
        and right is not None
        and left.named
        and right.named
        and left.key != right.key
    ):
        return
    # "X, owner of Y", "her father, Z", "Z, her father", "X, owner of Y and Z"
    pairs = [(token, child), (child, token)]
    pairs += [(token, c) for c in child.conjuncts if c.pos_ == "NOUN"]
    # "in her father, Z's footsteps": the parser hangs the name's noun on the
    # role noun; the possessive name is the apposition
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
        yield from _noun_facts(ctx, bearer, noun, sent, base=0.8, modality=modality)


def _possessive_facts(
    ctx: _Context, token: Token, child: Token, sent: Span, modality: Modality
) -> Iterator[Triple | Entity]:
    """Read "her husband": the role a possessed role noun with no name beside it has.

    A thing the possessor owns or lives in ("Y's zoo", "his home") is the
    ``possessives`` relation pattern family (``ontology/patterns/possessives.json``).
    """
    owner = _node(ctx, child)
    if owner is None or not owner.named or not _is_role_noun(ctx, token):
        return
    # "her husband" with no name beside it: the described person
    if (
        token.pos_ == "NOUN"
        and not any(c.dep_ == "appos" for c in (*token.children, *token.head.children))
        and token.dep_ not in {"appos", "compound"}
    ):
        described = _node(ctx, token)
        if described is not None and not described.named:
            yield from _noun_facts(
                ctx,
                described,
                token,
                sent,
                base=0.6,
                modality=modality,
                presupposed=child,
            )
    # "her father, Z": a role, read with the name beside it


def _is_compound_role(ctx: _Context, token: Token, child: Token) -> bool:
    """Tell whether a compound before a name is its role ("zoo owner Z")."""
    if child.dep_ != "compound" or not token.ent_type_:
        return False
    # a capitalised role noun in a headline: "'Some Show' Star Z"
    return child.pos_ == "NOUN" or (
        child.pos_ == "PROPN"
        and not child.ent_type_
        and bool(ctx.onto.properties_for("noun", child.lemma_.lower()))
    )


def _compound_role_facts(
    ctx: _Context, token: Token, child: Token, sent: Span, modality: Modality
) -> Iterator[Triple | Entity]:
    """Read a role noun before a name: "zoo owner Z", "White House spokesman Z"."""
    bearer = _node(ctx, token)
    if child.pos_ == "PROPN":
        # a headline's parse is loose: the bearer is the name right after
        after = ctx.doc[child.i + 1] if child.i + 1 < sent.end else None
        bearer = (
            _node(ctx, after) if after is not None and after.i in ctx.by_token else None
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
                *_shared_possessor(token, child),
            ],
        )


def _coreferent_role_facts(
    ctx: _Context, token: Token, sent: Span, modality: Modality
) -> Iterator[Triple | Entity]:
    """Read a role noun coreference put on a name: "the show's star", "her father"."""
    holder = ctx.by_token.get(token.i)
    if (
        token.pos_ != "NOUN"
        or holder is None
        or not holder.named
        or token.dep_ in {"appos", "compound"}
        or any(c.dep_ == "appos" for c in token.children)
        or not _is_role_noun(ctx, token)
    ):
        return
    bearer = _node(ctx, token)
    if bearer is not None:
        yield from _noun_facts(ctx, bearer, token, sent, base=0.6, modality=modality)


def _placed_class(ctx: _Context, holder: _Node, token: Token) -> str | None:
    """Return the class a placement makes a described thing a node of.

    "a factory in Y", "the attack in Y": a facility or an event noun of
    ``relation-placed-nouns`` (rule ``described-placed``), read only by the
    opt-in extractor ``kg.clauses.v3+described``. Other described things
    ("the support in Y") are no node for a placement alone.
    """
    if holder.named or token.pos_ != "NOUN" or not ctx.described:
        return None  # only with kg.clauses.v3+described
    return load_mapping("relation-placed-nouns").get(token.lemma_.lower())


def _noun_prep_facts(
    ctx: _Context, token: Token, sent: Span, modality: Modality
) -> Iterator[Triple | Entity]:
    """Read "the zoo in Y" of a described thing (a role noun's "of" is _noun_facts').

    A described thing whose noun is no class noun ("the redesign of Y", "the
    leadership in Y") takes no fact: an act or a quality is not placed.

    A named thing ("Acme Rescue in Y") is the ``noun-preps`` relation pattern
    (``ontology/patterns/noun-preps.json``).
    """
    if (
        token.pos_ not in {"NOUN", "PROPN"}
        or token.dep_ in {"compound", "attr"}
        or ctx.onto.properties_for("noun", token.lemma_.lower())
    ):
        return
    holder = None
    rule = "noun-prep"
    placing = load_words("relation-placing-prepositions")
    for prep, obj in _prep_objects(token):
        if obj.head.i != prep.i:
            continue
        other = _node(ctx, obj)
        if other is None or not other.named:
            continue
        if holder is None:
            holder = _node(ctx, token)
            if holder is None or holder.named:
                return
            cls = _placed_class(ctx, holder, token)
            if (
                cls is None
                and holder.cls == "Thing"
                and not ctx.onto.classes_for_noun(token.lemma_.lower())
            ):
                return  # an act or a quality ("the defense of Y") is nowhere
            if cls is not None and prep.lower_ in placing:
                holder, rule = _typed(ctx, holder, cls), "described-placed"
        info = _choose(ctx.onto, "prep", prep.lower_, holder, other, lenient=False)
        if info is not None:
            yield from _emit(
                ctx,
                holder,
                other,
                info,
                lemma=prep.lower_,
                confidence=0.55,
                rule=rule if prep.lower_ in placing else "noun-prep",
                sent=sent,
                modality=modality,
            )


def _structure_facts(
    ctx: _Context, token: Token, sent: Span
) -> Iterator[Triple | Entity]:
    """Facts of noun structures: appositions, possessives, compounds, "X in Y".

    A nationality before a name ("Canadian actor X") is a relation pattern
    (``ontology/patterns/modifiers.json``).
    """
    if (
        token.pos_ not in {"NOUN", "PROPN"}
        and not token.ent_type_
        and not any(c.dep_ == "appos" for c in token.children)
    ):
        return  # no rule below reads such a token
    modality: Modality = "asserted"
    if token.dep_ != "ROOT":
        modality = ctx.modalities.get(token.head.i) or ctx.modalities.setdefault(
            token.head.i, phrase_modality(token.head)
        )
    for child in token.children:
        if child.dep_ == "appos":
            yield from _apposition_facts(ctx, token, child, sent, modality)
        elif child.dep_ == "poss" and token.pos_ in {"NOUN", "PROPN"}:
            yield from _possessive_facts(ctx, token, child, sent, modality)
        elif _is_compound_role(ctx, token, child):
            yield from _compound_role_facts(ctx, token, child, sent, modality)
    yield from _coreferent_role_facts(ctx, token, sent, modality)
    yield from _noun_prep_facts(ctx, token, sent, modality)


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


def _kin_facts(ctx: _Context, noun: Token, sent: Span) -> Iterator[Triple | Entity]:
    """Facts between the people a kinship noun lists.

    The children or siblings a plural noun lists are siblings ("his sons A
    and B", "four children: A, B, C"). Which nouns are kinship nouns comes
    from the ontology (the noun triggers of ``parent`` and ``sibling``). The
    two parents of "the son of A and B" are spouses: the ``kin`` relation
    pattern (``ontology/patterns/kin.json``).
    """
    onto = ctx.onto
    kinds = {p.name for p in onto.properties_for("noun", noun.lemma_.lower())}
    sibling = onto.properties.get("sibling")
    if not kinds & {"parent", "sibling"} or sibling is None or noun.tag_ != "NNS":
        return
    modality = ctx.modalities.get(noun.head.i) or ctx.modalities.setdefault(
        noun.head.i, phrase_modality(noun.head)
    )
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
