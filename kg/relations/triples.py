"""Entity triples: the clause extractors, their registry names and helpers."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from kg.lexicon import load_words
from kg.mentions import mention_tokens, sentence_starts
from kg.ontology import Ontology, TriggerKind, load_ontology
from kg.relations.charges import _charge_facts
from kg.relations.clauses import (
    _frames,
)
from kg.relations.compounds import _described_role_facts, _name_modifier_facts
from kg.relations.context import (
    _document_country_facts,
    _recent_country_facts,
    _recent_nation_facts,
    _sentence_country_facts,
)
from kg.relations.described import anchored_keys
from kg.relations.engine import run_patterns
from kg.relations.nodes import (
    _WORDLESS_RULES,
    _choose,
    _Context,
    _entity_index,
    _Node,
    _retype,
    _states_relation,
)
from kg.relations.nouns import (
    _kin_facts,
    _structure_facts,
)
from kg.relations.parse import (
    _PREP_DEPS,
    _sentences,
)
from kg.relations.places import (
    _chained_places,
    _name_place_facts,
    _place_chain_facts,
    _transitive_places,
)
from kg.relations.registry import (
    DEFAULT_EXTRACTOR,
    Extractor,
    get_extractor,
    register_extractor,
)
from kg.relations.verbs import (
    _reciprocal_facts,
    _verb_facts,
)
from kg.types import (
    DocLike,
    Entity,
    Provenance,
    Triple,
)

__all__ = [
    "extract_relations",
    "extract_triples",
    "make_clause_extractor",
    "make_context_extractor",
    "make_svo_extractor",
    "normalise_relation",
]


#: One fact per subject, property, object and sentence: the surest reading.
_Key = tuple[str, str, str, int]
_SVO_SUBJ_DEPS = frozenset({"nsubj", "nsubjpass"})


_SVO_OBJ_DEPS = frozenset({"dobj", "dative", "attr", "oprd"})


@dataclass(frozen=True, slots=True)
class _Variant:
    """What an extractor of the clause family reads beyond stated facts."""

    name: str
    #: ``kg.clauses.v1``: sentence/document country guesses and entailed
    #: parent properties in the default graph, negated clauses dropped
    legacy: bool = False
    #: guesses from the document context, which no sentence states
    guesses: bool = False
    #: described things made nodes by a name before their noun or a placement
    described: bool = False


def _triples_only(items: Iterable[Triple | Entity]) -> Iterator[Triple]:
    return (item for item in items if isinstance(item, Triple))


def _sentence_facts(
    ctx: _Context, sent: Span, best: dict[_Key, Triple]
) -> Iterator[Entity]:
    """Add the facts of one sentence's noun structures; yield described things."""
    for rule in (_place_chain_facts, _reciprocal_facts, _name_place_facts):
        for triple in _triples_only(rule(ctx, sent)):
            _keep_best(best, triple)
    for token in sent:
        if token.pos_ == "NOUN":
            for triple in _triples_only(_kin_facts(ctx, token, sent)):
                _keep_best(best, triple)
            for triple in _triples_only(_name_modifier_facts(ctx, token, sent)):
                _keep_best(best, triple)
            for triple in _triples_only(_described_role_facts(ctx, token, sent)):
                _keep_best(best, triple)
        if token.pos_ in {"VERB", "AUX", "ADJ"}:
            for triple in _triples_only(_charge_facts(ctx, token, sent)):
                _keep_best(best, triple)
        for item in _structure_facts(ctx, token, sent):
            if isinstance(item, Entity):
                yield item
            else:
                _keep_best(best, item)


def _context_facts(
    ctx: _Context, doclike: DocLike, variant: _Variant, best: dict[_Key, Triple]
) -> None:
    """Add the guesses from the document context the variant reads."""
    if variant.legacy or variant.guesses:
        for sent in _sentences(doclike):
            for triple in _triples_only(_sentence_country_facts(ctx, sent)):
                _keep_best(best, triple)
        for triple in _triples_only(_document_country_facts(ctx, doclike)):
            _keep_best(best, triple)
    if variant.guesses:
        for rule in (_recent_country_facts, _recent_nation_facts):
            for triple in _triples_only(rule(ctx, doclike, best.values())):
                _keep_best(best, triple)
    if variant.legacy or variant.guesses:
        for derived in list(_transitive_places(ctx, best.values())):
            _keep_best(best, derived)


def _entailed(ctx: _Context, triple: Triple) -> Iterator[Triple]:
    """Parent properties a triple entails (``kg.clauses.v1`` only).

    country(X, Y) is locatedIn(X, Y) too, where the parent's range holds;
    and through the inverse: director(W, P) is directed(P, W), so
    notableWork(P, W).
    """
    onto = ctx.onto
    info = onto.properties.get(triple.predicate)
    if info is None:
        return
    for parent in info.parents:
        wanted = onto.properties[parent].range
        if onto.is_a(ctx.classes.get(triple.object, "Thing"), wanted):
            yield replace(triple, predicate=parent, rule=triple.rule + "+entailed")
    inverse = onto.properties.get(info.inverse or "")
    for parent in inverse.parents if inverse is not None else ():
        wanted = onto.properties[parent].range
        if parent != "relatedTo" and onto.is_a(
            ctx.classes.get(triple.subject, "Thing"), wanted
        ):
            yield replace(
                triple,
                subject=triple.object,
                predicate=parent,
                object=triple.subject,
                rule=triple.rule + "+entailed",
            )


def _without_generic_duplicates(triples: Iterable[Triple]) -> list[Triple]:
    """Drop a ``relatedTo`` fact where a specific one links the pair in its sentence."""
    triples = list(triples)
    specific = {
        (t.provenance.sent_index, *sorted((t.subject, t.object)))
        for t in triples
        if t.predicate != "relatedTo"
    }
    return [
        t
        for t in triples
        if t.subject != t.object
        and (
            t.predicate != "relatedTo"
            or (t.provenance.sent_index, *sorted((t.subject, t.object))) not in specific
        )
    ]


#: Classes a generic fact never links: a nationality is read by the
#: modifier rules ("a French singer"), never as "related to" anyone.
_NOT_GENERIC = ("Nationality", "Group")


def _generic_fact_stated(ctx: _Context, triple: Triple) -> bool:
    """Tell whether a ``relatedTo`` fact states a relation (``kg.clauses.v3``).

    Its words must (:func:`_states_relation`); neither end may be a
    nationality or group; and a verb with a preposition of place before a
    place (or an untyped name) only says where something happened ("was
    shot in Y").
    """
    if not _states_relation(triple.lemma, triple.rule.split(":", 1)[-1]):
        return False
    onto = ctx.onto
    classes = [ctx.classes.get(k, "Thing") for k in (triple.subject, triple.object)]
    if any(onto.is_a(c, n) for c in classes for n in _NOT_GENERIC):
        return False
    # an untyped name behind "in"/"at" is most often a place NER missed
    place = (
        triple.object in ctx.places
        or classes[1] == "Thing"
        or (onto.is_a(classes[1], "Place") and not onto.is_a(classes[1], "Facility"))
    )
    return not (
        place and triple.lemma.split()[-1] in load_words("locative-prepositions")
    )


def _listed_class(ctx: _Context, entity: Entity) -> str | None:
    """Return the ontology's class for a listed name ("Canada": Country), if finer."""
    known = ctx.onto.class_for_name(entity.name) if entity.named else None
    cls = ctx.retyped.get(entity.key, entity.label)
    return known if known is not None and ctx.onto.is_a(known, cls) else None


def _entity_facts(
    doclike: DocLike,
    entities: Sequence[Entity],
    doc_id: str,
    *,
    variant: _Variant,
    ontology: Ontology | None = None,
) -> Iterator[Triple | Entity]:
    doc = doclike.doc if isinstance(doclike, Span) else doclike
    sents = _sentences(doclike)  # raises ExtractionError on an unparsed text
    ctx = _Context(
        doc=doc,
        doc_id=doc_id,
        onto=ontology or load_ontology(),
        by_token=_entity_index(doc, entities),
        starts=sentence_starts(doc),
        new_entities={},
        pending={},
        extractor=variant.name.split("+", 1)[0],
        legacy=variant.legacy,
        described=variant.described,
    )
    _retype(ctx, sents)
    best: dict[_Key, Triple] = {}
    for frame in _frames(doclike):
        for item in _verb_facts(ctx, frame):
            if isinstance(item, Entity):
                yield item
            else:
                _keep_best(best, item)
    for sent in sents:
        yield from _sentence_facts(ctx, sent, best)
    for item in run_patterns(ctx, doclike):
        if isinstance(item, Entity):
            yield item
        else:
            _keep_best(best, item)
    _context_facts(ctx, doclike, variant, best)
    _placed_and_typed(ctx, best)
    if variant.legacy:
        for triple in list(best.values()):
            for entailed in _entailed(ctx, triple):
                _keep_best(best, entailed)
    else:
        for key, triple in list(best.items()):
            if triple.predicate == "relatedTo" and not _generic_fact_stated(
                ctx, triple
            ):
                del best[key]  # "be", "take", "get from": no relation stated
    kept = _carrying_facts(
        _without_generic_duplicates(best.values()), set(ctx.new_entities)
    )
    used = {k for t in kept for k in (t.subject, t.object)}
    kept, described = _anchored(ctx, kept, used, entities)
    yield from described
    # names the text typed more precisely ("X is an album", "Canada") are
    # yielded again under their key with the refined class
    for entity in entities:
        refined = ctx.classes.get(entity.key) or _listed_class(ctx, entity)
        if entity.named and refined not in (None, entity.label):
            yield replace(entity, label=refined)
    yield from kept


def _anchored(
    ctx: _Context, kept: list[Triple], used: set[str], entities: Sequence[Entity]
) -> tuple[list[Triple], list[Entity]]:
    """Give anchored described things their corpus-wide keys (``described``)."""
    named = {e.key: e.named for e in entities}
    keys = anchored_keys(
        ctx.doc_id, (k for k in ctx.new_entities if k in used), kept, named
    )
    described = [
        replace(e, key=keys.get(key, key))
        for key, e in ctx.new_entities.items()
        if key in used
    ]
    if keys:
        kept = [
            replace(
                t,
                subject=keys.get(t.subject, t.subject),
                object=keys.get(t.object, t.object),
            )
            for t in kept
        ]
    return kept, described


#: Objects of one clause that make a list: "sold in A, B, C and D".
_LIST_OBJECTS = 3


def _generic_key(triple: Triple) -> tuple[str, str, int]:
    return (triple.subject, triple.lemma, triple.provenance.sent_index)


def _listed_generic(triples: Iterable[Triple]) -> set[tuple[str, str, int]]:
    """Return the clauses whose generic facts list three or more objects.

    "It was sold in A, B, C and D", "the car is available in A, B and C": a
    list of places, teams or works says where a thing went or who it met,
    not the one place, team or event the class's default reading assumes,
    so such facts take no typed default reading.
    """
    objects: dict[tuple[str, str, int], set[str]] = {}
    for t in triples:
        if t.predicate == "relatedTo":
            objects.setdefault(_generic_key(t), set()).add(t.object)
    return {k for k, os in objects.items() if len(os) >= _LIST_OBJECTS}


def _placed_and_typed(ctx: _Context, best: dict[_Key, Triple]) -> None:
    """Add the places chains add; give generic facts their class-default reading."""
    for triple in list(_chained_places(ctx, best.values())):
        _keep_best(best, triple)
    listed = _listed_generic(best.values())
    for key, triple in list(best.items()):
        typed = None if _generic_key(triple) in listed else _class_default(ctx, triple)
        if typed is not None:
            del best[key]
            _keep_best(best, typed)


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
    if not ctx.legacy and triple.rule.split(":", 1)[-1] in _WORDLESS_RULES:
        return None  # a name somewhere in a clause: no relation to type
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


def _keep_best(best: dict[_Key, Triple], triple: Triple) -> None:
    key = (
        triple.subject,
        triple.predicate,
        triple.object,
        triple.provenance.sent_index,
    )
    if key not in best or best[key].confidence < triple.confidence:
        best[key] = triple


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


def _clause_extractor(variant: _Variant) -> Extractor:
    def extract(
        doclike: DocLike, entities: Sequence[Entity], doc_id: str
    ) -> Iterator[Triple | Entity]:
        yield from _entity_facts(doclike, entities, doc_id, variant=variant)

    return extract


@register_extractor("kg.clauses.v3")
def make_clause_extractor() -> Extractor:
    """Make the clause extractor normalised to the ontology (the default).

    Reads what sentences state: clauses (active, passive, prepositional,
    relative, conjoined, controlled), predicate nouns, appositions,
    possessives, compounds, "X in Y" phrases and the relation patterns of
    ``ontology/patterns/``; maps arguments onto entities by mention offsets
    (so a pronoun lands on its antecedent) and picks properties by their
    triggers and domain/range. A generic ``relatedTo`` fact needs a content
    verb or a relational noun, and keeps its words. Every fact carries the
    modality of its clause: negated and asked ones are kept as statements,
    never as plain facts. No guess from the document context, no entailed
    parent property as a second edge, no self-loop.

    ``kg.clauses.v3`` (round 6) names the behaviour rounds 4 and 5 gave the
    default without a new name (stated facts only, modality kept, the
    relation patterns); ``kg.clauses.v2`` and its variants are no longer
    registered, since no code reproduces any one state of them, so a
    configuration naming them fails with the registered names rather than
    silently reading otherwise.
    """
    return _clause_extractor(_Variant("kg.clauses.v3"))


@register_extractor("kg.clauses.v3+context")
def make_context_extractor() -> Extractor:
    """Make ``kg.clauses.v3`` plus guesses from the document context (opt-in).

    Adds facts no sentence states, read from where things are named: the one
    country a sentence names (``sentence-country``) or a text names
    (``document-country``) for its places, bodies, people and works, the
    country named last before an unplaced place or body
    (``recent-country``), the one nation a text names for a person
    (``recent-nation``), and locations through chains (``transitive``).
    They raise recall on encyclopaedic text but are often wrong (the
    recent-* guesses are right 22-40% of the time on Re-DocRED), so they
    carry confidences of 0.15-0.3 and are off by default.
    """
    return _clause_extractor(_Variant("kg.clauses.v3+context", guesses=True))


@register_extractor("kg.clauses.v3+described")
def make_described_extractor() -> Extractor:
    """Make ``kg.clauses.v3`` plus facts of described facilities, events and people.

    A name before a common noun ("an Acme factory": owns; "a Springfield
    hospital": locatedIn; "a City Police spokeswoman": employer) and a
    facility or event placed by in/at/near ("a prison in Y", "the attack in
    Y") make the described thing a node, and the role a possessive
    presupposes is asserted whatever its clause ("X believes Y killed her
    husband": Y has a husband). Anchored described things have one key in
    every document (``described-anchor``). They raise recall on news (dev
    set P 0.864 -> 0.878, R 0.190 -> 0.215) but lower ECB+ dev named view G
    CoNLL F1 (59.80 -> 59.59: each described facility that is a mention of
    a named chain is a node apart from it) and Re-DocRED typed precision
    (its gold counts a described end as wrong), so they are opt-in.
    """
    return _clause_extractor(_Variant("kg.clauses.v3+described", described=True))


@register_extractor("kg.clauses.v1")
def make_clause_v1_extractor() -> Extractor:
    """Make the previous default: country guesses and entailed parents included.

    As ``kg.clauses.v3``, but the one country a sentence or text names is
    read as every place's and body's, a sub-property also gives its parent
    as a second edge, and negated clauses give no statement at all.
    """
    return _clause_extractor(_Variant("kg.clauses.v1", legacy=True))


@register_extractor("kg.clauses.v1+context")
def make_context_v1_extractor() -> Extractor:
    """Make ``kg.clauses.v1`` plus the recent-country and recent-nation guesses."""
    return _clause_extractor(
        _Variant("kg.clauses.v1+context", legacy=True, guesses=True)
    )


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


def _svo_arguments(
    verb: Token,
) -> tuple[list[Token], list[tuple[Token, str | None]]]:
    """Return a verb's subjects and its objects with their prepositions."""
    subjects = [c for c in verb.children if c.dep_ in _SVO_SUBJ_DEPS]
    subjects += [s for c in subjects for s in c.conjuncts]
    objects: list[tuple[Token, str | None]] = [
        (c, None) for c in verb.children if c.dep_ in _SVO_OBJ_DEPS
    ]
    for prep_tok in (c for c in verb.children if c.dep_ in _PREP_DEPS):
        objects += [(p, prep_tok.lower_) for p in prep_tok.children if p.dep_ == "pobj"]
    objects += [(c, p) for o, p in list(objects) for c in o.conjuncts]
    return subjects, objects


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
            subjects, objects = _svo_arguments(verb)
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
