"""Read what the graph page draws out of an rdflib graph, a store or documents.

Reading the graph walks rdflib's indexes directly (:func:`collect_view`: no
copy of the graph, no SPARQL) or, for ``kg render`` on a build's store, runs a
few SELECTs in Oxigraph (:func:`collect_store_view`); a new build's page is
read from its merged documents before they are stored
(:func:`kg.render.documents.collect_documents_view`, the same view). The
three fill the same :class:`_Rows`, turned into a :class:`~kg.render.model.GraphView` by
:func:`_assemble`.

Relations come from the reified statements (``rdf:Statement``), so a hedged
or reported statement, whose plain triple the store may not assert, is still
an edge (drawn only when the user asks for it); a negated statement or a
question never is.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import DCTERMS, PROV, RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.term import Node

from kg.ontology import KGO, KGO_URI, load_ontology
from kg.rdf import (
    NS,
)
from kg.render.explain import LINK_FIELDS, add_link_value, explain_entities
from kg.render.model import (
    DEFAULT_MODALITY,
    DRAWN_MODALITIES,
    EdgeView,
    Evidence,
    Explanation,
    GraphView,
    NodeView,
)

__all__ = [
    "collect_store_view",
    "collect_view",
]

# --- reading the graph ---------------------------------------------------------


def _local(iri: Node) -> str:
    text = str(iri)
    return text[len(KGO_URI) :] if text.startswith(KGO_URI) else text.rsplit("/", 1)[-1]


def _int(value: Node | None) -> int | None:
    if isinstance(value, Literal):
        try:
            return int(value.toPython())
        except (TypeError, ValueError):
            return None
    return None


def _float(value: Node | None) -> float | None:
    if isinstance(value, Literal):
        try:
            return float(value.toPython())
        except (TypeError, ValueError):
            return None
    return None


_Statement = tuple[
    str, str, str, str, str, int | None, int | None, float | None, str, str, str
]
_STRENGTH = {m: i for i, m in enumerate(DRAWN_MODALITIES)}


@dataclass(slots=True)
class _Rows:
    """What the page needs from a graph, as plain strings and numbers.

    Filled either by walking an rdflib graph (:func:`collect_view`) or by
    SPARQL over an Oxigraph store (:func:`collect_store_view`), then turned
    into a :class:`GraphView` by :func:`_assemble`.
    """

    types: dict[str, set[str]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, set[str]] = field(default_factory=dict)
    #: entity -> "property label: literal" of its value facts (dates)
    values: dict[str, set[str]] = field(default_factory=dict)
    #: (entity, mention, sentence or "", start, end)
    mentions: list[tuple[str, str, str, int | None, int | None]] = field(
        default_factory=list
    )
    #: sentence -> (text, start, document name)
    sentences: dict[str, tuple[str, int, str]] = field(default_factory=dict)
    #: (statement, s, p, o, sentence or "", start, end, confidence, relation
    #: text, modality, rule)
    statements: list[_Statement] = field(default_factory=list)
    plain: set[tuple[str, str, str]] = field(default_factory=set)
    #: the name (source) of every document of the graph
    documents: set[str] = field(default_factory=set)
    #: document node -> its name (for the entity links' documents)
    doc_names: dict[str, str] = field(default_factory=dict)
    #: mention node -> (text, kind, found by, linked by), for the explanation
    mention_notes: dict[str, tuple[str, str, str, str]] = field(default_factory=dict)
    #: entity link node -> its values (:func:`kg.render.explain.add_link_value`)
    links: dict[str, dict[str, str]] = field(default_factory=dict)


def note_mention(rows: _Rows, mention: str, note: tuple[str, str, str, str]) -> None:
    """Keep a mention's text, kind and rules (the smallest, if it has several)."""
    known = rows.mention_notes.get(mention)
    if known is None or note < known:
        rows.mention_notes[mention] = note


def _pick_class(found: set[str], depth: Mapping[str, int]) -> str:
    return max(found, key=lambda c: (depth.get(c, 0), c))


def _marks(
    mentions: Iterable[tuple[int, int]],
    sent_start: int,
    text_len: int,
    span: tuple[int, int] | None,
) -> list[tuple[int, int]]:
    inside: list[tuple[int, int]] = []
    outside: list[tuple[int, int]] = []
    for start, end in mentions:
        rel = (start - sent_start, end - sent_start)
        if not 0 <= rel[0] < rel[1] <= text_len:
            continue
        if span is not None and span[0] <= start and end <= span[1]:
            inside.append(rel)
        else:
            outside.append(rel)
    return sorted(inside or outside)


def _assemble(rows: _Rows) -> GraphView:
    onto = load_ontology()
    depth = {c: len(onto.superclasses.get(c, ())) for c in onto.classes}
    fallback = "Thing" if "Thing" in onto.classes else "Entity"
    entity_ids = {e for e, _m, _s, _a, _b in rows.mentions} | set(rows.types)
    class_labels: dict[str, str] = {}
    for cls in onto.classes:
        label = onto.graph.value(URIRef(KGO_URI + cls), RDFS.label)
        class_labels[cls] = str(label) if label is not None else cls
    counts: Counter[str] = Counter()
    docs: dict[str, set[str]] = defaultdict(set)
    mentions_in: dict[str, dict[str, list[tuple[int, int]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for entity, _mention, sentence, start, end in rows.mentions:
        counts[entity] += 1
        if not sentence:
            continue
        sent = rows.sentences.get(sentence)
        if sent is not None and sent[2]:
            docs[entity].add(sent[2])
        if start is not None and end is not None:
            mentions_in[sentence][entity].append((start, end))
    explained = explain_entities(
        rows.mentions, rows.mention_notes, rows.sentences, rows.links, rows.doc_names
    )
    nodes: dict[str, NodeView] = {}
    for entity in entity_ids:
        cls = (
            _pick_class(rows.types[entity], depth) if entity in rows.types else fallback
        )
        name = rows.names.get(entity) or entity.rsplit("/", 1)[-1]
        nodes[entity] = NodeView(
            id=entity,
            label=name,
            cls=cls,
            cls_label=class_labels.get(cls, cls),
            aliases=tuple(sorted(rows.aliases.get(entity, set()) - {name})),
            mentions=counts[entity],
            documents=tuple(sorted(docs[entity])),
            values=tuple(sorted(rows.values.get(entity, ()))),
            explanation=explained.get(entity, Explanation()),
        )

    evidence, texts = _evidence(rows, nodes, mentions_in)
    edges = _edges(evidence, texts)
    ordered = tuple(sorted(nodes.values(), key=lambda n: (n.label.casefold(), n.id)))
    return GraphView(
        nodes=ordered, edges=tuple(edges), documents=tuple(sorted(rows.documents))
    )


_Key = tuple[str, str, str]


def _evidence(
    rows: _Rows,
    nodes: Mapping[str, NodeView],
    mentions_in: Mapping[str, Mapping[str, list[tuple[int, int]]]],
) -> tuple[dict[_Key, list[Evidence]], dict[_Key, Counter[str]]]:
    """Group the statements' sentences by edge; count each edge's words."""
    evidence: dict[_Key, list[Evidence]] = defaultdict(list)
    texts: dict[_Key, Counter[str]] = defaultdict(Counter)
    for (
        _st,
        s,
        p,
        o,
        sentence,
        start,
        end,
        confidence,
        rel,
        modality,
        rule,
    ) in rows.statements:
        if s not in nodes or o not in nodes:
            continue
        modality = modality or DEFAULT_MODALITY
        if modality not in _STRENGTH:
            continue  # a negated fact or a question is never an edge
        key = (s, p, o)
        if rel:
            texts[key][rel] += 1
        sent = rows.sentences.get(sentence) if sentence else None
        if sent is None:
            evidence.setdefault(key, [])
            continue
        text, sent_start, doc = sent
        span = (start, end) if start is not None and end is not None else None
        here = mentions_in.get(sentence, {})
        marks = [
            (a, b, "s") for a, b in _marks(here.get(s, ()), sent_start, len(text), span)
        ]
        marks += [
            (a, b, "o") for a, b in _marks(here.get(o, ()), sent_start, len(text), span)
        ]
        evidence[key].append(
            Evidence(
                sentence=text,
                document=doc,
                confidence=confidence,
                modality=modality,
                marks=tuple(sorted(set(marks))),
                rule=rule,
                words=rel,
            )
        )
    for s, p, o in rows.plain:
        if s in nodes and o in nodes:
            evidence.setdefault((s, p, o), [])
    return evidence, texts


def _edges(
    evidence: Mapping[_Key, list[Evidence]], texts: Mapping[_Key, Counter[str]]
) -> list[EdgeView]:
    """One edge per ``(s, p, o)``, labelled, with its sentences best first."""
    onto = load_ontology()
    labels = {str(info.iri): info.label for info in onto.properties.values()}
    generic = str(KGO.relatedTo)
    edges: list[EdgeView] = []
    for (s, p, o), found in evidence.items():
        rel_label = labels.get(p) or p.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        if p == generic and texts[(s, p, o)]:
            # most frequent first, ties by text (not by the order rows came in)
            common = sorted(texts[(s, p, o)].items(), key=lambda tc: (-tc[1], tc[0]))
            rel_label = " / ".join(t for t, _ in common[:3])
        # every field in the key: ties must not fall back on set order (hash seed)
        unique = sorted(
            set(found),
            key=lambda e: (
                _STRENGTH.get(e.modality, 0),
                -(e.confidence or 0.0),
                e.document,
                e.sentence,
                e.marks,
                e.modality,
                e.rule,
                e.words,
                e.confidence is None,
            ),
        )
        scores = [e.confidence for e in unique if e.confidence is not None]
        strongest = min((_STRENGTH.get(e.modality, 0) for e in unique), default=0)
        edges.append(
            EdgeView(
                source=s,
                target=o,
                property=p,
                label=rel_label,
                confidence=max(scores) if scores else None,
                evidence=tuple(unique),
                modality=DRAWN_MODALITIES[strongest],
            )
        )
    edges.sort(key=lambda e: (e.source, e.property, e.target))
    return edges


def collect_view(graph: Graph) -> GraphView:
    """Read the entities, relations and their provenance out of ``graph``.

    Walks rdflib's indexes (no SPARQL, no copy), so it stays linear in the
    size of the graph.

    Parameters
    ----------
    graph
        A kg graph (entities with ``kgo:mention``, reified statements with
        ``prov:wasDerivedFrom`` sentences), without the ontology.

    Returns
    -------
    GraphView
        Every entity (a mention or an entity class) and every relation between
        two entities (a reified statement or a plain ``kgo:relatedTo``
        sub-property triple), with their evidence.

    See Also
    --------
    collect_store_view : the same, read from an Oxigraph store.

    Examples
    --------
    >>> from kg.rdf import build_graph
    >>> from kg.types import Document, Entity, Mention, Provenance, Sentence, Triple
    >>> s = Sentence(0, 0, 12, "Ada met Bob.")
    >>> ents = (Entity("ada", "Person", "Ada", (Mention("Ada", "PERSON", 0, 3, 0),)),
    ...         Entity("bob", "Person", "Bob", (Mention("Bob", "PERSON", 8, 11, 0),)))
    >>> t = Triple("ada", "meets", "bob", Provenance("a.txt", 0, 0, 11, s.text))
    >>> doc = Document("a.txt", "a.txt", "0" * 64, (s,), ents, (t,))
    >>> view = collect_view(build_graph([doc]))
    >>> [(e.label, e.evidence[0].marks) for e in view.edges]
    [('met', ((0, 3, 's'), (8, 11, 'o')))]
    """
    onto = load_ontology()
    rows = _Rows()
    for cls in onto.classes:
        if onto.is_a(cls, "Entity"):
            for entity in graph.subjects(RDF.type, URIRef(KGO_URI + cls)):
                rows.types.setdefault(str(entity), set()).add(cls)
    doc_names: dict[Node, str] = {}
    seen_sentences: set[Node] = set()

    def add_sentence(sentence: Node) -> None:
        if sentence in seen_sentences:
            return
        seen_sentences.add(sentence)
        text = graph.value(sentence, RDF.value)
        if text is None:
            return
        doc = graph.value(sentence, DCTERMS.isPartOf)
        if doc is not None and doc not in doc_names:
            name = graph.value(doc, RDFS.label) or graph.value(doc, DCTERMS.source)
            doc_names[doc] = str(name) if name is not None else _local(doc)
        start = _int(graph.value(sentence, KGO.startChar)) or 0
        rows.sentences[str(sentence)] = (
            str(text),
            start,
            doc_names[doc] if doc is not None else "",
        )

    for entity, mention in graph.subject_objects(KGO.mention):
        sentence = graph.value(mention, KGO.inSentence)
        if sentence is not None:
            add_sentence(sentence)
        note_mention(
            rows,
            str(mention),
            (
                _text(graph.value(mention, RDF.value)),
                _text(graph.value(mention, KGO.mentionKind)),
                _text(graph.value(mention, KGO.foundBy)),
                _text(graph.value(mention, KGO.linkedBy)),
            ),
        )
        rows.mentions.append(
            (
                str(entity),
                str(mention),
                str(sentence) if sentence is not None else "",
                _int(graph.value(mention, KGO.startChar)),
                _int(graph.value(mention, KGO.endChar)),
            )
        )
    for key in {e for e, *_ in rows.mentions} | set(rows.types):
        node = URIRef(key)
        name = graph.value(node, SKOS.prefLabel) or graph.value(node, RDFS.label)
        if name is not None:
            rows.names[key] = str(name)
        alt = {str(a) for a in graph.objects(node, SKOS.altLabel)}
        if alt:
            rows.aliases[key] = alt
    for stmt in graph.subjects(RDF.type, RDF.Statement):
        row = _graph_statement(graph, stmt)
        if row is not None:
            if row[4]:
                add_sentence(URIRef(row[4]))
            rows.statements.append(row)
    for info in onto.properties.values():
        for s, o in graph.subject_objects(info.iri):
            rows.plain.add((str(s), str(info.iri), str(o)))
    for doc in graph.subjects(RDF.type, KGO.Document):
        if doc not in doc_names:
            name = graph.value(doc, RDFS.label) or graph.value(doc, DCTERMS.source)
            doc_names[doc] = str(name) if name is not None else _local(doc)
    rows.documents.update(doc_names.values())
    rows.doc_names.update((str(doc), name) for doc, name in doc_names.items())
    _graph_links(graph, rows)
    for info in onto.value_properties.values():
        for s, o in graph.subject_objects(info.iri):
            _add_value_row(rows, str(s), info.label, str(o))
    return _assemble(rows)


def _text(value: Node | None) -> str:
    return str(value) if value is not None else ""


def _graph_statement(graph: Graph, stmt: Node) -> _Statement | None:
    """One reified statement of an rdflib graph as a row (None if incomplete)."""
    s = graph.value(stmt, RDF.subject)
    p = graph.value(stmt, RDF.predicate)
    o = graph.value(stmt, RDF.object)
    if s is None or p is None or o is None:
        return None
    return (
        str(stmt),
        str(s),
        str(p),
        str(o),
        _text(graph.value(stmt, PROV.wasDerivedFrom)),
        _int(graph.value(stmt, KGO.startChar)),
        _int(graph.value(stmt, KGO.endChar)),
        _float(graph.value(stmt, KGO.confidence)),
        _text(graph.value(stmt, KGO.relationText)),
        _text(graph.value(stmt, KGO.modality)),
        _text(graph.value(stmt, KGO.rule)),
    )


def _add_value_row(rows: _Rows, entity: str, label: str, literal: str) -> None:
    """Note a value fact for the entity's side panel (values are not nodes)."""
    rows.values.setdefault(entity, set()).add(f"{label}: {literal}")


_STORE_PREFIXES = {prefix: str(ns) for prefix, ns in NS.items()}
_STORE_TYPES = "SELECT ?e ?c WHERE { ?e a ?c }"
_STORE_MENTIONS = """
SELECT ?e ?m ?sent ?start ?end ?text ?kind ?found ?linked WHERE {
  ?e kgo:mention ?m .
  OPTIONAL { ?m kgo:inSentence ?sent }
  OPTIONAL { ?m kgo:startChar ?start }
  OPTIONAL { ?m kgo:endChar ?end }
  OPTIONAL { ?m rdf:value ?text }
  OPTIONAL { ?m kgo:mentionKind ?kind }
  OPTIONAL { ?m kgo:foundBy ?found }
  OPTIONAL { ?m kgo:linkedBy ?linked }
}"""
_STORE_NAMES = """
SELECT ?e ?pref ?label WHERE {
  { SELECT DISTINCT ?e WHERE { ?e kgo:mention ?m } }
  OPTIONAL { ?e skos:prefLabel ?pref }
  OPTIONAL { ?e rdfs:label ?label }
}"""
_STORE_ALIASES = "SELECT ?e ?alias WHERE { ?e kgo:mention ?m ; skos:altLabel ?alias }"
_STORE_SENTENCES = """
SELECT DISTINCT ?sent ?text ?start ?doc ?docLabel ?docSource WHERE {
  { ?x kgo:inSentence ?sent } UNION { ?x prov:wasDerivedFrom ?sent }
  ?sent rdf:value ?text .
  OPTIONAL { ?sent kgo:startChar ?start }
  OPTIONAL { ?sent dcterms:isPartOf ?doc .
             OPTIONAL { ?doc rdfs:label ?docLabel }
             OPTIONAL { ?doc dcterms:source ?docSource } }
}"""
_STORE_DOCUMENTS = """
SELECT ?doc ?label ?source WHERE {
  ?doc a kgo:Document .
  OPTIONAL { ?doc rdfs:label ?label }
  OPTIONAL { ?doc dcterms:source ?source }
}"""
_STORE_STATEMENTS = """
SELECT ?st ?s ?p ?o ?sent ?start ?end ?conf ?rel ?modality ?rule WHERE {
  ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  OPTIONAL { ?st prov:wasDerivedFrom ?sent }
  OPTIONAL { ?st kgo:startChar ?start }
  OPTIONAL { ?st kgo:endChar ?end }
  OPTIONAL { ?st kgo:confidence ?conf }
  OPTIONAL { ?st kgo:relationText ?rel }
  OPTIONAL { ?st kgo:modality ?modality }
  OPTIONAL { ?st kgo:rule ?rule }
}"""


def _ox_str(term: object) -> str:
    return str(getattr(term, "value", "")) if term is not None else ""


def _ox_int(term: object) -> int | None:
    try:
        return int(_ox_str(term)) if term is not None else None
    except ValueError:
        return None


def _ox_float(term: object) -> float | None:
    try:
        return float(_ox_str(term)) if term is not None else None
    except ValueError:
        return None


def _graph_links(graph: Graph, rows: _Rows) -> None:
    """Note the entity links of an rdflib graph (the explanations' corpus rules)."""
    for field_name in LINK_FIELDS:
        for link, value in graph.subject_objects(URIRef(KGO_URI + field_name)):
            add_link_value(rows.links, str(link), field_name, str(value))


def _store_links(store: ox.Store, rows: _Rows) -> None:
    """Note the entity links of a store, walking one property's index at a time."""
    for field_name in LINK_FIELDS:
        prop = ox.NamedNode(KGO_URI + field_name)
        for quad in store.quads_for_pattern(None, prop, None, ox.DefaultGraph()):
            add_link_value(
                rows.links, _ox_str(quad.subject), field_name, _ox_str(quad.object)
            )


def _store_mentions(solutions: Iterable[ox.QuerySolution], rows: _Rows) -> None:
    """Note the mentions ``_STORE_MENTIONS`` returns: where each is, what it says."""
    for row in solutions:
        mention = _ox_str(row["m"])
        rows.mentions.append(
            (
                _ox_str(row["e"]),
                mention,
                _ox_str(row["sent"]),
                _ox_int(row["start"]),
                _ox_int(row["end"]),
            )
        )
        note_mention(
            rows,
            mention,
            (
                _ox_str(row["text"]),
                _ox_str(row["kind"]),
                _ox_str(row["found"]),
                _ox_str(row["linked"]),
            ),
        )


def collect_store_view(store: ox.Store) -> GraphView:
    """Read the page's data straight out of an Oxigraph store with SPARQL.

    Same result as :func:`collect_view` on the store's graph, without copying
    the store into rdflib first (a few SELECTs, evaluated in Rust).

    Parameters
    ----------
    store
        An open store, e.g. :func:`kg.store.open_store` of a build folder.

    Returns
    -------
    GraphView
        As :func:`collect_view`.

    Examples
    --------
    >>> import tempfile
    >>> from kg.store import open_store, write_documents
    >>> from kg.types import Document, Entity, Mention, Sentence
    >>> s = Sentence(0, 0, 4, "Ada.")
    >>> e = Entity("ada", "Person", "Ada", (Mention("Ada", "PERSON", 0, 3, 0),))
    >>> out = tempfile.mkdtemp()
    >>> _ = write_documents(out, [Document("a.txt", "a.txt", "0" * 64, (s,), (e,))])
    >>> view = collect_store_view(open_store(out))
    >>> [(n.label, n.cls, n.mentions) for n in view.nodes]
    [('Ada', 'Person', 1)]
    """
    onto = load_ontology()

    def select(text: str) -> Iterable[ox.QuerySolution]:
        result = store.query(text, prefixes=_STORE_PREFIXES)
        assert isinstance(result, ox.QuerySolutions)  # noqa: S101 - SELECT only
        return result

    entity_classes = {KGO_URI + c: c for c in onto.classes if onto.is_a(c, "Entity")}
    rows = _Rows()
    for row in select(_STORE_TYPES):
        cls = entity_classes.get(_ox_str(row["c"]))
        if cls is not None:
            rows.types.setdefault(_ox_str(row["e"]), set()).add(cls)
    _store_mentions(select(_STORE_MENTIONS), rows)
    for row in select(_STORE_NAMES):
        entity = _ox_str(row["e"])
        name = row["pref"] or row["label"]
        if name is not None and entity not in rows.names:
            rows.names[entity] = _ox_str(name)
    for row in select(_STORE_ALIASES):
        rows.aliases.setdefault(_ox_str(row["e"]), set()).add(_ox_str(row["alias"]))
    for row in select(_STORE_SENTENCES):
        sentence = _ox_str(row["sent"])
        if sentence in rows.sentences:
            continue
        doc = row["doc"]
        doc_name = _ox_str(row["docLabel"] or row["docSource"]) or (
            _local(URIRef(_ox_str(doc))) if doc is not None else ""
        )
        rows.sentences[sentence] = (
            _ox_str(row["text"]),
            _ox_int(row["start"]) or 0,
            doc_name,
        )
    for row in select(_STORE_STATEMENTS):
        rows.statements.append(
            (
                _ox_str(row["st"]),
                _ox_str(row["s"]),
                _ox_str(row["p"]),
                _ox_str(row["o"]),
                _ox_str(row["sent"]),
                _ox_int(row["start"]),
                _ox_int(row["end"]),
                _ox_float(row["conf"]),
                _ox_str(row["rel"]),
                _ox_str(row["modality"]),
                _ox_str(row["rule"]),
            )
        )
    for row in select(_STORE_DOCUMENTS):
        doc = _ox_str(row["doc"])
        name = _ox_str(row["label"] or row["source"]) or _local(URIRef(doc))
        rows.documents.add(name)
        rows.doc_names.setdefault(doc, name)
    _store_links(store, rows)
    for info in onto.properties.values():
        prop = ox.NamedNode(str(info.iri))
        for quad in store.quads_for_pattern(None, prop, None, ox.DefaultGraph()):
            rows.plain.add((_ox_str(quad.subject), str(info.iri), _ox_str(quad.object)))
    for info in onto.value_properties.values():
        prop = ox.NamedNode(str(info.iri))
        for quad in store.quads_for_pattern(None, prop, None, ox.DefaultGraph()):
            subject, literal = _ox_str(quad.subject), _ox_str(quad.object)
            _add_value_row(rows, subject, info.label, literal)
    return _assemble(rows)
