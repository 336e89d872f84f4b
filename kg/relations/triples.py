"""Entity triples: the clause extractors, their registry names and helpers."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from kg.mentions import mention_tokens, sentence_starts
from kg.ontology import Ontology, TriggerKind, load_ontology
from kg.relations.clauses import (
    _frames,
)
from kg.relations.context import (
    _document_country_facts,
    _recent_country_facts,
    _recent_nation_facts,
    _sentence_country_facts,
)
from kg.relations.nodes import (
    _choose,
    _Context,
    _entity_index,
    _Node,
    _retype,
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


_SVO_SUBJ_DEPS = frozenset({"nsubj", "nsubjpass"})


_SVO_OBJ_DEPS = frozenset({"dobj", "dative", "attr", "oprd"})


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
