"""What :class:`kg.query.KnowledgeGraph` reads to answer: names and relations.

A store opened for reading never changes (a build writes a new generation).
The API answers one entity's questions from Oxigraph's indexes, in
milliseconds at any store size:

* :func:`find_by_name`: a label or alias to its entities, by an index lookup
  of the name as written and in the usual cases; :func:`resolve_entity` says
  which (or lists the candidates when a name is ambiguous);
* :func:`entity_relations`: one entity's relations, one per ``(s, p, o)``
  with its strongest modality, best confidence and number of sentences (one
  query with the entity bound by a ``VALUES`` block, grouped in Oxigraph);
* paths between two entities: :mod:`kg.paths` (one query per level of a
  bidirectional breadth-first search);
* :func:`read_evidence`: the sentences behind one edge, walking the indexes.

Questions about the whole graph (``entities()``, ``to_networkx()``, a name
in an unusual case) read everything once per opened store:
:func:`index_entities` and :func:`read_relations`
(``benchmarks/results/api.md``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from kg.errors import QueryError
from kg.ontology import KGO_URI
from kg.rdf import NS

__all__ = [
    "DRAWN_MODALITIES",
    "entity_relations",
    "find_by_name",
    "describe_entities",
    "EntityIndex",
    "EntityRecord",
    "Relation",
    "index_entities",
    "EVIDENCE_COLUMNS",
    "read_evidence",
    "read_relations",
    "resolve_entity",
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
_MENTION_COUNTS = "SELECT ?e (COUNT(?m) AS ?n) WHERE { ?e kgo:mention ?m } GROUP BY ?e"
_STATEMENTS_OF_EDGE = (
    "SELECT ?st WHERE { ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }"
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
    # counted in Oxigraph: one row per entity, not one per mention
    counted = store.query(_MENTION_COUNTS, prefixes=_PREFIXES)
    assert isinstance(counted, ox.QuerySolutions)  # noqa: S101 - a SELECT
    mentions: Counter[str] = Counter(
        {_value(row["e"]): int(_value(row["n"])) for row in counted}
    )
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


_NEIGHBOURS_QUERY = """
SELECT ?direction ?p ?other (MAX(?c) AS ?confidence) (COUNT(?st) AS ?sentences)
       (GROUP_CONCAT(DISTINCT ?m; separator=" ") AS ?modalities) WHERE {
  { ?st rdf:subject ?e ; rdf:object ?other . BIND("out" AS ?direction) }
  UNION
  { ?st rdf:object ?e ; rdf:subject ?other . BIND("in" AS ?direction) }
  FILTER(isIRI(?other))
  ?st rdf:predicate ?p ; kgo:modality ?m ; kgo:confidence ?c .
} GROUP BY ?direction ?p ?other"""


def _bound(query: str, iri: str) -> str:
    """Bind ``?e`` with a ``VALUES`` block (Oxigraph plans it as a lookup)."""
    head, where, body = query.partition("WHERE {")
    return f"{head}{where}\n  VALUES (?e) {{ ({ox.NamedNode(iri)}) }}{body}"


def entity_relations(store: ox.Store, iri: str) -> list[tuple[str, Relation]]:
    """Return one entity's relations as ``(direction, relation)`` pairs.

    ``direction`` is ``"out"`` (the entity is the subject) or ``"in"``; one
    relation per ``(s, p, o)`` with its strongest modality; negated
    statements and questions are none.

    Examples
    --------
    >>> entity_relations(ox.Store(), "urn:nobody")
    []
    """
    result = store.query(_bound(_NEIGHBOURS_QUERY, iri), prefixes=_PREFIXES)
    assert isinstance(result, ox.QuerySolutions)  # noqa: S101 - a SELECT
    found = []
    for row in result:
        drawn = [m for m in _value(row["modalities"]).split() if m in _STRENGTH]
        if not drawn:
            continue
        other, prop = _value(row["other"]), _value(row["p"])
        out = _value(row["direction"]) == "out"
        s, o = (iri, other) if out else (other, iri)
        confidence = float(_value(row["confidence"])) if row["confidence"] else None
        modality = min(drawn, key=_STRENGTH.__getitem__)
        count = int(_value(row["sentences"]) or 0)
        found.append(
            ("out" if out else "in", Relation(s, prop, o, modality, confidence, count))
        )
    found.sort(key=lambda dr: (dr[0], dr[1].subject, dr[1].predicate, dr[1].object))
    return found


def describe_entities(store: ox.Store, iris: Iterable[str]) -> dict[str, EntityRecord]:
    """Return label, class, aliases and mention count of some entities.

    Examples
    --------
    >>> describe_entities(ox.Store(), ["urn:nobody"])
    {}
    """
    records = {}
    for iri in iris:
        node = ox.NamedNode(iri)
        mentions = sum(
            1 for _ in store.quads_for_pattern(node, _MENTION, None, _DEFAULT)
        )
        if not mentions:
            continue
        label = ""
        for prop in (_LABEL, _PREF):
            for quad in store.quads_for_pattern(node, prop, None, _DEFAULT):
                label = _value(quad.object)
        aliases = {
            _value(q.object)
            for q in store.quads_for_pattern(node, _ALT, None, _DEFAULT)
        }
        classes = [
            _value(q.object)[len(KGO_URI) :]
            for q in store.quads_for_pattern(node, _TYPE, None, _DEFAULT)
            if _value(q.object).startswith(KGO_URI)
        ]
        label = label or iri.rsplit("/", 1)[-1]
        records[iri] = EntityRecord(
            iri, label, _deepest(classes), mentions, tuple(sorted(aliases - {label}))
        )
    return records


def _spellings(name: str) -> list[str]:
    text = " ".join(name.split())
    forms = [text, text.lower(), text.title(), text.upper(), text.capitalize()]
    return list(dict.fromkeys(f for f in forms if f))


def find_by_name(store: ox.Store, name: str) -> tuple[tuple[str, ...], bool]:
    """Find the entities labelled ``name`` through the store's index.

    The name is looked up as written and in lower, title, upper and
    sentence case. Returns the entities a label names (``True``), else those
    an alias names (``False``); ``()`` when neither (the caller may then
    compare names case-insensitively over the whole index).

    Examples
    --------
    >>> find_by_name(ox.Store(), "Ada")
    ((), False)
    """
    for props, is_label in (((_PREF, _LABEL), True), ((_ALT,), False)):
        found: list[str] = []
        for form in _spellings(name):
            literal = ox.Literal(form)
            for prop in props:
                for quad in store.quads_for_pattern(None, prop, literal, _DEFAULT):
                    node = quad.subject
                    if not isinstance(node, ox.NamedNode) or node.value in found:
                        continue
                    if any(store.quads_for_pattern(node, _MENTION, None, _DEFAULT)):
                        found.append(node.value)
        if found:
            return tuple(sorted(found)), is_label
    return (), False


def _iri(text: str) -> str | None:
    """Return the IRI ``text`` writes (``<…>``, ``https://…``, ``kg:entity/…``)."""
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    if text.startswith(("http://", "https://", "urn:")):
        return text
    prefix, colon, local = text.partition(":")
    if colon and prefix in _PREFIXES and " " not in text:
        return _PREFIXES[prefix] + local
    return None


def resolve_entity(
    name: str,
    *,
    store: ox.Store | None = None,
    index: EntityIndex | Callable[[], EntityIndex] | None = None,
) -> str:
    """Return the IRI of the entity ``name`` stands for.

    ``name`` is an IRI (``https://…`` or ``<…>``), a prefixed name
    (``kg:entity/ada``) or a label or alias in any case; a label beats an
    alias. With a ``store`` the name is first looked up in its index
    (:func:`find_by_name`); the ``index`` (or a function building it) is the
    case-insensitive fallback.

    Raises
    ------
    QueryError
        No entity is called ``name``, or several are (the message lists
        them, most mentioned first, with their IRIs).

    Examples
    --------
    >>> ada = EntityRecord("urn:a", "Ada", "Person", 3)
    >>> index = EntityIndex({"urn:a": ada}, {"ada": ("urn:a",)}, {})
    >>> resolve_entity("ADA", index=index)
    'urn:a'
    """
    text = name.strip()
    iri = _iri(text)
    if iri is not None:
        return iri
    found: tuple[str, ...] = ()
    records: Mapping[str, EntityRecord] = {}
    if store is not None:
        found, _is_label = find_by_name(store, text)
        if found:
            records = describe_entities(store, found)
    if not found and index is not None:
        full = index() if callable(index) else index
        key = text.casefold()
        found = full.names.get(key) or full.aliases.get(key) or ()
        records = full.entities
    if len(found) == 1:
        return found[0]
    if not found:
        raise QueryError(
            f"no entity is labelled {name!r}; see KnowledgeGraph.entities() "
            "for the labels, or give an IRI"
        )
    ranked = sorted(
        (records[iri] for iri in found if iri in records),
        key=lambda r: (-r.mentions, r.iri),
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
    # the statements of this edge: one lookup with all three terms bound (a
    # hub's thousands of statements are never walked)
    query = _STATEMENTS_OF_EDGE.replace(
        "WHERE {",
        f"WHERE {{\n  VALUES (?s ?p ?o) {{ ({ox.NamedNode(subject)} "
        f"{ox.NamedNode(predicate)} {obj}) }}",
        1,
    )
    result = store.query(query, prefixes=_PREFIXES)
    assert isinstance(result, ox.QuerySolutions)  # noqa: S101 - a SELECT
    for row in result:
        st = row["st"]
        if not isinstance(st, ox.NamedNode | ox.BlankNode):
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
