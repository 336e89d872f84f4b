"""Arguments to graph nodes, and the choice of a property by trigger and class."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span, Token

from kg.lexicon import load_words
from kg.mentions import covered_span
from kg.ontology import Ontology, PropertyInfo, TriggerKind
from kg.relations.parse import (
    _sentences,
    _split_conjuncts,
    _tokens_text,
)
from kg.types import (
    DocLike,
    Entity,
    Mention,
    Modality,
    Provenance,
    Triple,
)

__all__: list[str] = []


_KIND_RANK = {"name": 0, "nominal": 1, "pronoun": 2}


#: Classes an untyped described thing ("the governor", "the zoo") may stand for.
_LENIENT_CLASSES = frozenset({"Entity", "Thing", "Agent", "Person", "Organization"})


#: Rules whose generic facts are too weak to make a described thing a node.
_WEAK_RULES = frozenset({"verb-inner", "verb-noun-prep", "clause-scope"})


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
    #: each sentence's text by its first token (built once: a sentence of
    #: thousands of tokens is not rebuilt for each of its facts)
    sent_texts: dict[int, str] = field(default_factory=dict)
    #: the NER spans of each sentence, by its first token (read once: a
    #: sentence's ``ents`` walks every span of the document)
    sent_ents: dict[int, list[Span]] | None = None
    #: entities some mention of which NER calls a place (GPE, LOC)
    places: set[str] = field(default_factory=set)
    #: the extractor's name, the prefix of each triple's rule
    extractor: str = "kg.clauses.v3"
    #: ``kg.clauses.v1``'s readings: context guesses in the default graph,
    #: entailed parents as edges of their own, negated clauses dropped
    legacy: bool = False
    #: ``kg.clauses.v3+described``: facts that make described facilities,
    #: events and people nodes from a name before their noun or a placement
    #: ("an Acme factory", "a prison in Y"), and presupposed roles
    described: bool = False


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
    if head.ent_type_ in {"GPE", "LOC"}:
        ctx.places.add(entity.key)
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
    if head.tag_ == "NNS" and not any(
        c.dep_ in {"det", "poss", "nummod"} for c in head.children
    ):
        return None  # "spoke to reporters": a bare plural is no one thing
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


def _typed(ctx: _Context, node: _Node, cls: str) -> _Node:
    """Give a described thing its noun's class (a named entity keeps its own)."""
    if node.named or node.cls != "Thing":
        return node
    pending = ctx.pending.get(node.key)
    if pending is not None and pending.label == "Thing":
        ctx.pending[node.key] = replace(pending, label=cls)
    return replace(node, cls=cls)


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


#: Rules whose generic (``relatedTo``) facts name no relation word of their
#: own: a name somewhere in a clause, or inside an argument.
_WORDLESS_RULES = frozenset({"clause-scope", "verb-inner"})
#: Rules whose generic facts carry a noun ("placed a call to", "his lawyer").
_NOUN_RULES = frozenset({"verb-noun-prep", "relational-noun"})


def _states_relation(lemma: str, rule: str) -> bool:
    """Tell whether a generic fact's words state a relation.

    A relational noun or a verb with its noun does ("be lawyer of", "place
    call to"); a verb does unless it is a copula, a light verb, a verb of
    saying or thinking, or of wanting and trying ("be", "take", "get from",
    "tell", "think", "try to"). A name somewhere in a clause is no relation.
    Words are required.

    Examples
    --------
    >>> _states_relation("clash with", "verb:own")
    True
    >>> _states_relation("get from", "verb:own")
    False
    >>> _states_relation("be lawyer of", "relational-noun")
    True
    """
    words = lemma.split()
    if not words or rule in _WORDLESS_RULES:
        return False
    if rule in _NOUN_RULES:
        return True
    light = (
        load_words("light-verbs")
        | load_words("reporting-verbs")
        | load_words("irrealis-verbs")
    )
    return words[0] not in light


def _sentence_ents(ctx: _Context, sent: Span) -> list[Span]:
    """Return the NER spans of a sentence (the document's spans grouped once)."""
    if ctx.sent_ents is None:
        ctx.sent_ents = {}
        for ent in ctx.doc.ents:
            ctx.sent_ents.setdefault(ent.sent.start, []).append(ent)
    return ctx.sent_ents.get(sent.start, [])


def _sentence_text(ctx: _Context, sent: Span) -> str:
    text = ctx.sent_texts.get(sent.start)
    if text is None:
        text = ctx.sent_texts[sent.start] = sent.text
    return text


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
    rule_id: bool = False,
) -> Iterator[Triple | Entity]:
    """Yield a fact (and the described things it makes nodes) if it may be drawn.

    ``rule`` is the name of a rule of the extractor (the triple's rule is
    ``EXTRACTOR:RULE``) or, with ``rule_id``, a rule's full id.
    """
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
            sentence=_sentence_text(ctx, sent),
        ),
        confidence=round(max(0.0, min(1.0, score)), 3),
        rule=rule if rule_id else f"{ctx.extractor}:{rule}",
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


def _noun_class(ctx: _Context, noun: Token) -> str | None:
    """Return the one class ``ontology/nouns.ttl`` gives a noun (with its modifier)."""
    classes = ctx.onto.classes_for_noun(_role_lemma(noun)) or (
        ctx.onto.classes_for_noun(noun.lemma_.lower())
    )
    return classes[0] if len(classes) == 1 else None


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


_LOCATION_PROPERTIES = frozenset({"locatedIn", "country", "continent"})


#: Classes whose nouns name things one owns ("Y's zoo", "Y's company", "Y's car").
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
