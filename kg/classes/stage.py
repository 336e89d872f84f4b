"""The typing stage: classes from all of an entity's evidence, then the nodes kept.

Runs after coreference and relation extraction (it reads the relations an
entity takes part in) and before the RDF: :func:`type_document` decides each
entity's class (:mod:`kg.classes.decide`), re-checks every triple's domain
and range against the decided classes (a triple that no longer fits is
dropped: precision first; a triple whose subject turned out a person takes
the person's form of its property, ``relation-person-properties``), then
drops the entities that are no node
(:mod:`kg.classes.nodes`) with their triples.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc

from kg.classes.decide import ClassDecision, decide_class
from kg.classes.evidence import DEFAULT_RULES, collect_votes, make_context
from kg.classes.nodes import DEFAULT_NODE_RULES, make_node_context, select_nodes
from kg.lexicon import load_mapping
from kg.ontology import Ontology, load_ontology
from kg.types import Document, Entity, Triple, Value

__all__ = ["Typed", "fits", "settle_classes", "type_document"]

#: Classes an untyped ``Thing`` may stand in for in a domain or range check
#: (a thing the text does not type may be a person or a body, not a place or
#: a work), as the relation extractor's lenient check allows.
_LENIENT = frozenset({"Entity", "Thing", "Agent", "Person", "Organization"})
#: Rules of facts a verb states (``kg.clauses.v2:verb:own``, ``...:verb-noun-prep``).
_VERBAL = re.compile(r":verb\b")


@dataclass(frozen=True, slots=True)
class Typed:
    """One document's entities and triples after typing, and why.

    ``decisions`` holds each typed entity's :class:`ClassDecision`;
    ``dropped`` the entities that are no node (key -> rule and reason);
    ``unfit`` the triples whose domain or range the decided classes broke.
    """

    entities: tuple[Entity, ...]
    triples: tuple[Triple, ...]
    decisions: Mapping[str, ClassDecision]
    dropped: Mapping[str, str]
    unfit: tuple[Triple, ...] = ()


def fits(onto: Ontology, cls: str, wanted: str, *, value: bool = False) -> bool:
    """Tell whether an entity of class ``cls`` fits a domain or range ``wanted``.

    An untyped ``Thing`` fits the classes a relation extractor leaves open
    (a person or a body); a value property's subject of class ``Thing`` fits
    any domain but ``Person``.

    Examples
    --------
    >>> onto = load_ontology()
    >>> fits(onto, "Software", "Agent"), fits(onto, "Thing", "Person")
    (False, True)
    >>> fits(onto, "Thing", "Person", value=True)
    False
    """
    if onto.is_a(cls, wanted):
        return True
    if cls != "Thing":
        return False
    return wanted != "Person" if value else wanted in _LENIENT


def _person_form(
    onto: Ontology, t: Triple, classes: Mapping[str, str]
) -> Triple | None:
    """Give a fact whose subject is a person the person's form of its property.

    "a German racer X" was read as ``country`` while X was untyped; once X is
    a person the fact is ``citizenOf`` (``relation-person-properties``; the
    rule records the change, ``+person``). A property the list maps to ``-``
    is no fact of a person: None. Only readings of a name's surroundings
    change (a modifier, a preposition after the name, a chain): a verb that
    states the relation ("he is held at Y") keeps its property.
    """
    target = load_mapping("relation-person-properties").get(t.predicate)
    if (
        target is None
        or _VERBAL.search(t.rule) is not None
        or not onto.is_a(classes.get(t.subject, "Thing"), "Person")
    ):
        return t
    if target == "-":
        return None
    return replace(t, predicate=target, rule=t.rule + "+person")


def _fitting(
    onto: Ontology,
    triples: Iterable[Triple],
    classes: Mapping[str, str],
    values: frozenset[str],
) -> tuple[list[Triple], list[Triple]]:
    kept: list[Triple] = []
    unfit: list[Triple] = []
    for stated in triples:
        t = _person_form(onto, stated, classes)
        if t is None:
            unfit.append(stated)
            continue
        info = onto.properties.get(t.predicate) or onto.value_properties.get(
            t.predicate
        )
        if info is None:
            kept.append(t)
            continue
        s_cls = classes.get(t.subject, "Thing")
        if t.object in values or t.predicate in onto.value_properties:
            ok = fits(onto, s_cls, info.domain, value=True)
        else:
            o_cls = classes.get(t.object, "Thing")
            ok = fits(onto, s_cls, info.domain) and fits(onto, o_cls, info.range)
        (kept if ok else unfit).append(t)
    return kept, unfit


def type_document(
    doc: Doc,
    entities: Sequence[Entity],
    triples: Sequence[Triple],
    *,
    values: Sequence[Value] = (),
    rules: Sequence[str] = DEFAULT_RULES,
    node_rules: Sequence[str] = DEFAULT_NODE_RULES,
) -> Typed:
    """Decide every entity's class, re-check the triples, keep the nodes.

    Examples
    --------
    >>> from kg.coref import resolve_entities
    >>> from kg.mentions import extract_mentions
    >>> doc = nlp("Tarnby is a web browser. Tarnby crashed again.")
    >>> typed = type_document(doc, resolve_entities(doc, extract_mentions(doc)), ())
    >>> [(e.name, e.label) for e in typed.entities]
    [('Tarnby', 'Software')]
    """
    onto = load_ontology()
    ctx = make_context(doc, triples, onto=onto)
    decisions: dict[str, ClassDecision] = {}
    typed: list[Entity] = []
    for entity in entities:
        decision = decide_class(collect_votes(ctx, entity, rules=rules), onto=onto)
        if not entity.named and decision.cls == "Thing":
            typed.append(entity)
            continue
        decisions[entity.key] = decision
        typed.append(replace(entity, label=decision.cls))
    classes = {e.key: e.label for e in typed}
    kept, unfit = _fitting(onto, triples, classes, frozenset(v.key for v in values))
    node_ctx = make_node_context(doc, typed, kept)
    dropped = select_nodes(node_ctx, rules=node_rules)
    furniture = node_ctx.furniture
    sent_starts = {i: s.start for i, s in enumerate(doc.sents)}
    final = tuple(
        t
        for t in kept
        if t.subject not in dropped
        and t.object not in dropped
        and sent_starts.get(t.provenance.sent_index, -1) not in furniture
    )
    return Typed(
        entities=tuple(e for e in typed if e.key not in dropped),
        triples=final,
        decisions=decisions,
        dropped=dropped,
        unfit=tuple(unfit),
    )


def settle_classes(documents: Sequence[Document]) -> tuple[Document, ...]:
    """Give each node one class across documents once they are linked.

    A node's class is the class its documents decided most often, ``Thing``
    only where none typed it (the first decided wins a tie): a lone surname
    one document leaves untyped takes the class of the person it was
    linked to.

    Examples
    --------
    >>> from kg.types import Mention
    >>> m = Mention("Vantry", "PERSON", 0, 6, 0)
    >>> a = Document("a", "a", "0" * 64, (), (Entity("v", "Thing", "Vantry", (m,)),))
    >>> b = Document("b", "b", "0" * 64, (), (Entity("v", "Person", "Vantry", (m,)),))
    >>> [d.entities[0].label for d in settle_classes([a, b])]
    ['Person', 'Person']
    """
    counts: dict[str, Counter[str]] = {}
    for document in documents:
        for e in document.entities:
            if e.label != "Thing":
                counts.setdefault(e.key, Counter())[e.label] += 1
    chosen = {key: c.most_common(1)[0][0] for key, c in counts.items()}
    out: list[Document] = []
    for document in documents:
        if all(chosen.get(e.key, e.label) == e.label for e in document.entities):
            out.append(document)
            continue
        entities = tuple(
            replace(e, label=chosen.get(e.key, e.label)) for e in document.entities
        )
        out.append(replace(document, entities=entities))
    return tuple(out)
