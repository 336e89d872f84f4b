"""What :class:`kg.query.KnowledgeGraph` keeps in memory: names and relations.

A store opened for reading never changes (a build writes a new generation),
so the Python API reads two things once and answers from them afterwards:

* :func:`index_entities`: every entity's IRI, label, class, aliases and
  mention count, and a case-insensitive name index, so a label can stand
  wherever an IRI is expected (:func:`resolve_entity`, which lists the
  candidates when a name is ambiguous);
* :func:`read_relations`: one :class:`Relation` per ``(s, p, o)`` from the
  reified statements, with its strongest modality, best confidence and
  number of sentences, so neighbours and paths need no query
  (:func:`shortest_hops`).

Both read Oxigraph's indexes directly (``quads_for_pattern``) or with one
SELECT, in well under a second for a 500-document store
(``benchmarks/results/sparql_latency.md``).
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from kg.errors import QueryError
from kg.ontology import KGO_URI
from kg.rdf import NS

__all__ = [
    "DRAWN_MODALITIES",
    "EntityIndex",
    "EntityRecord",
    "Relation",
    "index_entities",
    "EVIDENCE_COLUMNS",
    "read_evidence",
    "read_relations",
    "resolve_entity",
    "shortest_hops",
]

#: Modalities of relations, strongest first; a negated statement or a
#: question is not a relation.
DRAWN_MODALITIES = ("asserted", "reported", "hedged")
_STRENGTH = {m: i for i, m in enumerate(DRAWN_MODALITIES)}
_LOOSE = KGO_URI + "relatedTo"
_DEFAULT = ox.DefaultGraph()
_MENTION = ox.NamedNode(KGO_URI + "mention")
_TYPE = ox.NamedNode(str(NS["rdf"]["type"]))
_LABEL = ox.NamedNode(str(NS["rdfs"]["label"]))
_PREF = ox.NamedNode(str(NS["skos"]["prefLabel"]))
_ALT = ox.NamedNode(str(NS["skos"]["altLabel"]))
_PREFIXES = {prefix: str(ns) for prefix, ns in NS.items()}
_RDF = str(NS["rdf"])
_SUBJECT = ox.NamedNode(_RDF + "subject")
_PREDICATE = ox.NamedNode(_RDF + "predicate")
_OBJECT = ox.NamedNode(_RDF + "object")
_VALUE = _RDF + "value"
_DERIVED = ox.NamedNode(str(NS["prov"]["wasDerivedFrom"]))
_PART_OF = str(NS["dcterms"]["isPartOf"])
_SOURCE = str(NS["dcterms"]["source"])
_HASH = KGO_URI + "contentHash"
#: Columns of :func:`read_evidence` (those of ``kg.query.EVIDENCE_QUERY``
#: without the edge itself).
EVIDENCE_COLUMNS = (
    "text",
    "sentence",
    "start",
    "end",
    "doc",
    "source",
    "hash",
    "rule",
    "confidence",
    "modality",
    "statement",
)
_RELATIONS_QUERY = """
SELECT ?s ?p ?o ?modality ?confidence WHERE {
  ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  OPTIONAL { ?st kgo:modality ?modality }
  OPTIONAL { ?st kgo:confidence ?confidence }
}"""


@dataclass(frozen=True, slots=True)
class EntityRecord:
    """An entity as the API names it.

    Examples
    --------
    >>> EntityRecord("urn:a", "Ada", "Person", 3).describe()
    'Ada (urn:a, Person, 3 mentions)'
    """

    iri: str
    label: str
    cls: str
    mentions: int
    aliases: tuple[str, ...] = ()

    def describe(self) -> str:
        """Return ``label (iri, class, n mentions)`` for messages."""
        unit = "mention" if self.mentions == 1 else "mentions"
        return f"{self.label} ({self.iri}, {self.cls}, {self.mentions} {unit})"


@dataclass(frozen=True, slots=True)
class EntityIndex:
    """Every entity of a store, by IRI and by case-folded name.

    ``names`` maps a label to the entities it labels, ``aliases`` an alias
    (``skos:altLabel``) to the entities it names.
    """

    entities: Mapping[str, EntityRecord]
    names: Mapping[str, tuple[str, ...]]
    aliases: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class Relation:
    """All statements of one ``subject --predicate--> object`` between entities.

    Examples
    --------
    >>> Relation("urn:a", "urn:p", "urn:b", "reported", 0.8, 2).stated
    False
    """

    subject: str
    predicate: str
    object: str
    modality: str
    confidence: float | None
    sentences: int

    @property
    def stated(self) -> bool:
        """Whether the text asserts it with a property other than ``relatedTo``."""
        return self.modality == "asserted" and self.predicate != _LOOSE


def _value(term: object) -> str:
    return str(getattr(term, "value", ""))


def _deepest(classes: Iterable[str]) -> str:
    from kg.ontology import load_ontology

    onto = load_ontology()
    found = [c for c in classes if c in onto.classes]
    if not found:
        return "Thing"
    return max(found, key=lambda c: (len(onto.superclasses.get(c, ())), c))


def index_entities(store: ox.Store) -> EntityIndex:
    """Read every entity (a node with a mention) and its names from ``store``.

    Examples
    --------
    >>> import tempfile
    >>> from kg.store import open_store, write_documents
    >>> from kg.types import Document, Entity, Mention, Sentence
    >>> s = Sentence(0, 0, 4, "Ada.")
    >>> e = Entity("ada", "Person", "Ada", (Mention("Ada", "PERSON", 0, 3, 0),))
    >>> out = tempfile.mkdtemp()
    >>> _ = write_documents(out, [Document("a.txt", "a.txt", "0" * 64, (s,), (e,))])
    >>> index = index_entities(open_store(out))
    >>> index.names["ada"]
    ('https://w3id.org/kg/id/entity/ada',)
    """
    mentions: Counter[str] = Counter()
    for quad in store.quads_for_pattern(None, _MENTION, None, _DEFAULT):
        mentions[_value(quad.subject)] += 1
    labels: dict[str, str] = {}
    for prop in (_LABEL, _PREF):  # skos:prefLabel wins over rdfs:label
        for quad in store.quads_for_pattern(None, prop, None, _DEFAULT):
            node = _value(quad.subject)
            if node in mentions:
                labels[node] = _value(quad.object)
    aliases: dict[str, set[str]] = defaultdict(set)
    for quad in store.quads_for_pattern(None, _ALT, None, _DEFAULT):
        node = _value(quad.subject)
        if node in mentions:
            aliases[node].add(_value(quad.object))
    classes: dict[str, set[str]] = defaultdict(set)
    for node in mentions:
        for quad in store.quads_for_pattern(ox.NamedNode(node), _TYPE, None, _DEFAULT):
            cls = _value(quad.object)
            if cls.startswith(KGO_URI):
                classes[node].add(cls[len(KGO_URI) :])
    entities: dict[str, EntityRecord] = {}
    names: dict[str, list[str]] = defaultdict(list)
    alias_index: dict[str, list[str]] = defaultdict(list)
    for node in sorted(mentions):
        label = labels.get(node, node.rsplit("/", 1)[-1])
        others = tuple(sorted(aliases.get(node, set()) - {label}))
        entities[node] = EntityRecord(
            node, label, _deepest(classes.get(node, ())), mentions[node], others
        )
        names[label.casefold()].append(node)
        for alias in others:
            alias_index[alias.casefold()].append(node)
    return EntityIndex(
        entities=entities,
        names={k: tuple(v) for k, v in names.items()},
        aliases={k: tuple(v) for k, v in alias_index.items()},
    )


def resolve_entity(index: EntityIndex, name: str) -> str:
    """Return the IRI of the entity ``name`` stands for.

    ``name`` is an IRI (``https://…`` or ``<…>``), a prefixed name
    (``kg:entity/ada``) or a label or alias in any case; a label beats an
    alias.

    Raises
    ------
    QueryError
        No entity is called ``name``, or several are (the message lists
        them, most mentioned first, with their IRIs).

    Examples
    --------
    >>> ada = EntityRecord("urn:a", "Ada", "Person", 3)
    >>> index = EntityIndex({"urn:a": ada}, {"ada": ("urn:a",)}, {})
    >>> resolve_entity(index, "ADA")
    'urn:a'
    """
    text = name.strip()
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    if text.startswith(("http://", "https://", "urn:")):
        return text
    prefix, colon, local = text.partition(":")
    if colon and prefix in _PREFIXES and " " not in text:
        return _PREFIXES[prefix] + local
    key = text.casefold()
    found = index.names.get(key) or index.aliases.get(key) or ()
    if len(found) == 1:
        return found[0]
    if not found:
        raise QueryError(
            f"no entity is labelled {name!r}; see KnowledgeGraph.entities() "
            "for the labels, or give an IRI"
        )
    ranked = sorted(
        (index.entities[iri] for iri in found), key=lambda r: (-r.mentions, r.iri)
    )
    listed = "; ".join(r.describe() for r in ranked[:8])
    more = f"; and {len(ranked) - 8} more" if len(ranked) > 8 else ""
    raise QueryError(
        f"{name!r} names {len(ranked)} entities: {listed}{more}; give one of their IRIs"
    )


def read_relations(
    store: ox.Store, entities: Mapping[str, object]
) -> tuple[Relation, ...]:
    """Read every relation between two entities, one per ``(s, p, o)``.

    The modality is the strongest of its statements' (asserted, reported,
    hedged); negated statements and questions are left out.
    """
    result = store.query(_RELATIONS_QUERY, prefixes=_PREFIXES)
    assert isinstance(result, ox.QuerySolutions)  # noqa: S101 - a SELECT
    best: dict[tuple[str, str, str], _Tally] = {}
    for row in result:
        s, p, o = _value(row["s"]), _value(row["p"]), _value(row["o"])
        if s not in entities or o not in entities:
            continue
        modality = _value(row["modality"]) or "asserted"
        if modality not in _STRENGTH:
            continue
        confidence = float(_value(row["confidence"])) if row["confidence"] else None
        tally = best.get((s, p, o))
        if tally is None:
            best[(s, p, o)] = _Tally(modality, confidence, 1)
        else:
            tally.add(modality, confidence)
    return tuple(
        Relation(s, p, o, t.modality, t.confidence, t.sentences)
        for (s, p, o), t in sorted(best.items())
    )


@dataclass(slots=True)
class _Tally:
    """The strongest modality, best confidence and count of one edge's statements."""

    modality: str
    confidence: float | None
    sentences: int

    def add(self, modality: str, confidence: float | None) -> None:
        if _STRENGTH[modality] < _STRENGTH[self.modality]:
            self.modality = modality
        if confidence is not None and (
            self.confidence is None or confidence > self.confidence
        ):
            self.confidence = confidence
        self.sentences += 1


def shortest_hops(
    relations: Sequence[Relation],
    source: str,
    target: str,
    *,
    stated_only: bool = False,
) -> list[Relation] | None:
    """Find the fewest relations linking two entities, in either direction.

    Breadth-first over ``relations`` (stated ones first where there is a
    choice between two relations of one hop); ``None`` when no chain links
    them, ``[]`` when they are the same.

    Examples
    --------
    >>> r = [Relation(x, "p", "b", "asserted", 1.0, 1) for x in "ac"]
    >>> [(h.subject, h.object) for h in shortest_hops(r, "a", "c")]
    [('a', 'b'), ('c', 'b')]
    """
    if source == target:
        return []
    links: dict[str, list[tuple[str, Relation]]] = defaultdict(list)
    for rel in sorted(relations, key=lambda r: (not r.stated, r.subject, r.object)):
        if stated_only and not rel.stated:
            continue
        links[rel.subject].append((rel.object, rel))
        links[rel.object].append((rel.subject, rel))
    came: dict[str, tuple[str, Relation] | None] = {source: None}
    queue = deque([source])
    while queue and target not in came:
        node = queue.popleft()
        for other, rel in links.get(node, ()):
            if other not in came:
                came[other] = (node, rel)
                queue.append(other)
    if target not in came:
        return None
    hops: list[Relation] = []
    node = target
    while (step := came[node]) is not None:
        node, rel = step
        hops.append(rel)
    return hops[::-1]


def _properties(
    store: ox.Store, node: ox.NamedNode | ox.BlankNode
) -> dict[str, object]:
    """Return one value per property of ``node`` (the first, in index order)."""
    found: dict[str, object] = {}
    for quad in store.quads_for_pattern(node, None, None, _DEFAULT):
        found.setdefault(quad.predicate.value, quad.object)
    return found


def _number(term: object, kind: type[int] | type[float]) -> int | float | None:
    try:
        return kind(_value(term)) if term is not None else None
    except ValueError:
        return None


def read_evidence(
    store: ox.Store, subject: str, predicate: str, obj: ox.NamedNode | ox.Literal
) -> list[tuple[object, ...]]:
    """Return the sentences behind one edge, one row per statement.

    Walks the store's indexes from the subject's statements (a few lookups
    per statement, no query plan), so it answers in milliseconds at any
    store size. Rows follow :data:`EVIDENCE_COLUMNS`, sorted by document and
    offset: IRIs and texts as strings, offsets as ints, the confidence as a
    float, ``None`` where the store has no value.

    Examples
    --------
    >>> read_evidence(ox.Store(), "urn:a", "urn:p", ox.NamedNode("urn:b"))
    []
    """
    rows: list[tuple[object, ...]] = []
    pred = ox.NamedNode(predicate)
    for quad in store.quads_for_pattern(
        None, _SUBJECT, ox.NamedNode(subject), _DEFAULT
    ):
        st = quad.subject
        if not isinstance(st, ox.NamedNode | ox.BlankNode):
            continue
        if not any(store.quads_for_pattern(st, _PREDICATE, pred, _DEFAULT)):
            continue
        if not any(store.quads_for_pattern(st, _OBJECT, obj, _DEFAULT)):
            continue
        for derived in store.quads_for_pattern(st, _DERIVED, None, _DEFAULT):
            sentence = derived.object
            if not isinstance(sentence, ox.NamedNode):
                continue
            facts = _properties(store, st)
            said = _properties(store, sentence)
            if _VALUE not in said or _PART_OF not in said:
                continue
            doc = said[_PART_OF]
            about = _properties(store, doc) if isinstance(doc, ox.NamedNode) else {}
            rows.append(
                (
                    _value(said[_VALUE]),
                    sentence.value,
                    _number(facts.get(KGO_URI + "startChar"), int),
                    _number(facts.get(KGO_URI + "endChar"), int),
                    _value(doc),
                    _value(about[_SOURCE]) if _SOURCE in about else None,
                    _value(about[_HASH]) if _HASH in about else None,
                    _value(facts[KGO_URI + "rule"])
                    if KGO_URI + "rule" in facts
                    else None,
                    _number(facts.get(KGO_URI + "confidence"), float),
                    _value(facts[KGO_URI + "modality"])
                    if KGO_URI + "modality" in facts
                    else None,
                    st.value,
                )
            )
    rows.sort(key=lambda r: (str(r[5] or ""), r[2] if isinstance(r[2], int) else -1))
    return rows
