"""RDF: minting IRIs, building the graph of extracted documents, writing it.

Model
-----
* Entities are typed by ontology classes, labelled (``rdfs:label``,
  ``skos:prefLabel``, ``skos:altLabel`` for aliases) and list every mention
  (``kgo:mention``) with its offsets and sentence.
* Each relation is reified as an ``rdf:Statement`` whose
  ``prov:wasDerivedFrom`` is the sentence node, and an asserted one is also
  stated plainly (``?s kgo:owns ?o``); a hedged, reported, negated or asked
  one is the statement only, so it can be queried but is no plain fact; the
  sentence node holds its text (``rdf:value``) and offsets, and is
  ``dcterms:isPartOf`` its document.
* A statement also carries the fact's offsets (``kgo:startChar``/``endChar``),
  the extractor rule (``kgo:rule``), its ``kgo:confidence`` in [0, 1], its
  ``kgo:modality`` and the relation words (``kgo:relationText``).
* A document (``kgo:Document``) carries its label (``rdfs:label`` and
  ``dcterms:source``, and ``dcterms:identifier`` as a corpus's own tools
  expect: the file name, or a JSON Lines record's id), its id in the build
  (``kgo:documentPath``: the normalised path, :func:`kg.inputs.document_id`)
  and the SHA-256 of its text (``kgo:contentHash``); an entity its stable key
  (``dcterms:identifier``). The IRIs of a document's nodes end in a hash of
  its exact id, so two documents never share one.
  The first document to mention an entity fixes its class; its label is the
  fullest name any document uses (:func:`preferred_label`), the other names
  are ``skos:altLabel``.

Why reification with PROV-O rather than named graphs or RDF-star: the plain
triple stays in the default graph, so ``?s kgo:owns ?o`` works in every tool
and export format (Turtle included), and each *reading* of a fact (one per
sentence that states it) is a node of its own with its sentence, rule and
confidence; a fact stated by two documents has two statements, which is what
``kg remove`` needs to know whether a fact is still supported. Named graphs
would split one fact over graphs (and out of Turtle); RDF-star is not yet in
rdflib's SPARQL engine. The sentences behind an edge are
:data:`kg.query.EVIDENCE_QUERY`.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import stat
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Literal as Lit

import pyoxigraph as ox
from rdflib import (
    DCTERMS,
    PROV,
    RDF,
    RDFS,
    SKOS,
    XSD,
    Graph,
    Literal,
    Namespace,
    URIRef,
)

from kg.errors import OutputError
from kg.ontology import KGO, KGO_URI, load_ontology
from kg.types import Document, Entity, Mention, Sentence, Triple, Value

__all__ = [
    "BASE_IRI",
    "IRIKind",
    "NS",
    "build_graph",
    "confidence_text",
    "document_iri",
    "document_quads",
    "entity_quads",
    "own_quads",
    "mint_iri",
    "new_graph",
    "preferred_label",
    "serialize",
    "sentence_iri",
    "statement_iri",
    "value_literal",
    "statement_iri_text",
    "iri_text",
    "add_document",
    "check_destination",
    "write_atomic",
]

BASE_IRI = "https://w3id.org/kg/id/"
IRIKind = Lit["entity", "sentence", "doc", "stmt", "mention", "link"]
_KINDS: dict[str, Namespace] = {
    kind: Namespace(f"{BASE_IRI}{kind}/")
    for kind in ("entity", "sentence", "doc", "stmt", "mention", "link")
}
_MAX_SLUG = 80
_HASH_LEN = 10
#: Prefixes bound on every graph and predeclared in every query.
NS: dict[str, Namespace] = {
    "kg": Namespace(BASE_IRI),
    "kgo": Namespace(KGO_URI),
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "xsd": Namespace(str(XSD)),
    "owl": Namespace("http://www.w3.org/2002/07/owl#"),
    "skos": Namespace(str(SKOS)),
    "prov": Namespace(str(PROV)),
    "dcterms": Namespace(str(DCTERMS)),
    "schema": Namespace("https://schema.org/"),
    "wdt": Namespace("http://www.wikidata.org/prop/direct/"),
}


def mint_iri(kind: IRIKind, name: str) -> URIRef:
    r"""Mint the IRI of an instance from its kind and a name.

    The slug is NFKD-normalised, stripped of accents, casefolded, with every
    run of characters outside ``[a-z0-9]`` turned into ``-``; it is capped at
    80 characters, and a short hash of the name is appended when the slug came
    out empty or was truncated. The names of a document's own nodes (kinds
    ``doc``, ``sentence``, ``mention``, ``stmt``: names that start with a
    document id) always get the hash of the exact name, so two documents
    whose ids fold to one slug ("A B.txt" and "a-b.txt", "新闻.txt" and
    "报道.txt") never share a node. Deterministic; never emits whitespace or
    ``<>"{}|\^```.

    Examples
    --------
    >>> mint_iri("entity", "Émile Zola")
    rdflib.term.URIRef('https://w3id.org/kg/id/entity/emile-zola')
    >>> str(mint_iri("entity", "毛泽东")).startswith("https://w3id.org/kg/id/entity/-")
    True
    >>> mint_iri("doc", "News.txt") != mint_iri("doc", "news.txt")
    True
    """
    if kind not in _KINDS:
        raise ValueError(f"IRI kind {kind!r} is not one of {sorted(_KINDS)}")
    return _KINDS[kind][_iri_slug(kind, name)]


_NON_SLUG = re.compile(r"[^a-z0-9]+")


#: Kinds whose names begin with a document id: their slug always ends in a
#: hash of the exact name (document identity must not depend on case, accents
#: or script surviving the slug).
_DOCUMENT_KINDS = frozenset({"doc", "sentence", "mention", "stmt"})
_DOCUMENT_HASH_LEN = 12


def _fold(name: str) -> str:
    if name.isascii():  # NFKD leaves ASCII as it is, and casefold is lower
        folded = name.lower()
    else:
        folded = unicodedata.normalize("NFKD", name)
        folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    return _NON_SLUG.sub("-", folded).strip("-")


def _digest(name: str, length: int) -> str:
    return hashlib.sha1(name.encode("utf-8"), usedforsecurity=False).hexdigest()[
        :length
    ]


@functools.lru_cache(maxsize=65536)
def _slug(name: str) -> str:
    slug = _fold(name)
    if not slug or len(slug) > _MAX_SLUG:
        slug = f"{slug[:_MAX_SLUG].rstrip('-')}-{_digest(name, _HASH_LEN)}"
    return slug


@functools.lru_cache(maxsize=65536)
def _document_slug(name: str) -> str:
    slug = _fold(name)[:_MAX_SLUG].rstrip("-")
    return f"{slug}-{_digest(name, _DOCUMENT_HASH_LEN)}"


def _iri_slug(kind: str, name: str) -> str:
    return _document_slug(name) if kind in _DOCUMENT_KINDS else _slug(name)


def document_iri(doc_id: str) -> URIRef:
    """Return the IRI of a document.

    Examples
    --------
    >>> document_iri("news/a.txt")
    rdflib.term.URIRef('https://w3id.org/kg/id/doc/news-a-txt-0a6c1f941575')
    """
    return mint_iri("doc", doc_id)


def sentence_iri(doc_id: str, index: int) -> URIRef:
    """Return the IRI of sentence ``index`` of a document.

    Examples
    --------
    >>> sentence_iri("a.txt", 3)
    rdflib.term.URIRef('https://w3id.org/kg/id/sentence/a-txt-3-d0ad71e9569c')
    """
    return mint_iri("sentence", f"{doc_id}#{index}")


def new_graph() -> Graph:
    """Return an empty in-memory graph with kg's prefixes bound.

    Examples
    --------
    >>> dict(new_graph().namespaces())["kgo"]
    rdflib.term.URIRef('https://w3id.org/kg/ontology#')
    """
    graph = Graph()
    for prefix, namespace in NS.items():
        graph.bind(prefix, namespace, override=True)
    return graph


def _int(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


def _add_sentence(graph: Graph, doc_iri: URIRef, doc_id: str, sent: Sentence) -> None:
    node = sentence_iri(doc_id, sent.index)
    graph.add((node, RDF.type, KGO.Sentence))
    graph.add((node, RDF.value, Literal(sent.text, lang="en")))
    graph.add((node, KGO.sentenceIndex, _int(sent.index)))
    graph.add((node, KGO.startChar, _int(sent.start_char)))
    graph.add((node, KGO.endChar, _int(sent.end_char)))
    graph.add((node, DCTERMS.isPartOf, doc_iri))


def _add_mention(graph: Graph, entity: URIRef, doc_id: str, mention: Mention) -> None:
    node = mint_iri("mention", f"{doc_id}#{mention.start_char}-{mention.end_char}")
    graph.add((entity, KGO.mention, node))
    graph.add((node, RDF.type, KGO.Mention))
    graph.add((node, RDF.value, Literal(mention.text)))
    graph.add((node, KGO.mentionKind, Literal(mention.kind)))
    graph.add((node, KGO.startChar, _int(mention.start_char)))
    graph.add((node, KGO.endChar, _int(mention.end_char)))
    graph.add((node, KGO.inSentence, sentence_iri(doc_id, mention.sent_index)))
    if mention.source:
        graph.add((node, KGO.foundBy, Literal(mention.source)))
    if mention.link:
        graph.add((node, KGO.linkedBy, Literal(mention.link)))


def preferred_label(names: Iterable[str]) -> str:
    """Pick an entity's label among its names: the fullest one.

    Most words, then most characters, then the alphabetically last, so the
    choice does not depend on the order documents were added in.

    Examples
    --------
    >>> preferred_label(["Lovelace", "Ada Lovelace", "A. Lovelace"])
    'Ada Lovelace'
    """
    return max(names, key=lambda n: (len(n.split()), len(n), n))


def _add_entity(graph: Graph, doc_id: str, entity: Entity) -> None:
    onto = load_ontology()
    node = mint_iri("entity", entity.key)
    # The first document to mention an entity gives its class; its label is
    # the fullest name any document uses (preferred_label), the others are
    # aliases, so the label does not depend on the order of documents.
    if graph.value(node, DCTERMS.identifier) is None:
        graph.add((node, RDF.type, onto.class_iri(entity.label)))
    graph.set((node, DCTERMS.identifier, Literal(entity.key)))
    old = graph.value(node, SKOS.prefLabel)
    label = Literal(
        preferred_label([entity.name, *([str(old)] if old is not None else [])])
    )
    if label != old:
        graph.set((node, RDFS.label, label))
        graph.set((node, SKOS.prefLabel, label))
        if old is not None:
            graph.add((node, SKOS.altLabel, old))
    for alias in (entity.name, *entity.aliases):
        graph.add((node, SKOS.altLabel, Literal(alias)))
    graph.remove((node, SKOS.altLabel, label))
    for mention in entity.mentions:
        _add_mention(graph, node, doc_id, mention)


def statement_iri(triple: Triple) -> URIRef:
    """Return the IRI of the reified statement of a triple.

    Examples
    --------
    >>> from kg.types import Provenance
    >>> p = Provenance("a.txt", 0, 0, 5, "A met B.")
    >>> str(statement_iri(Triple("a", "meets", "b", p))).startswith(BASE_IRI + "stmt/")
    True
    """
    return mint_iri("stmt", _statement_name(triple))


def _statement_name(triple: Triple) -> str:
    # a JSON array: one name per (document, place, fact), whatever the
    # document id and entity keys hold ('|', '#', ':' included)
    p = triple.provenance
    return json.dumps(
        [
            p.doc_id,
            p.sent_index,
            p.start_char,
            p.end_char,
            triple.subject,
            triple.predicate,
            triple.object,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def iri_text(kind: IRIKind, name: str) -> str:
    """Return :func:`mint_iri` as a plain string, without building an rdflib term.

    For code that handles many IRIs as text (:mod:`kg.render`).

    Examples
    --------
    >>> iri_text("entity", "Émile Zola") == str(mint_iri("entity", "Émile Zola"))
    True
    """
    if kind not in _KINDS:
        raise ValueError(f"IRI kind {kind!r} is not one of {sorted(_KINDS)}")
    return f"{BASE_IRI}{kind}/{_iri_slug(kind, name)}"


def statement_iri_text(triple: Triple) -> str:
    """Return :func:`statement_iri` as a plain string.

    Examples
    --------
    >>> from kg.types import Provenance
    >>> t = Triple("a", "meets", "b", Provenance("a.txt", 0, 0, 5, "A met B."))
    >>> statement_iri_text(t) == str(statement_iri(t))
    True
    """
    return iri_text("stmt", _statement_name(triple))


def value_literal(value: Value) -> Literal:
    """Return the RDF literal of a value: typed by its XSD datatype, or plain.

    Examples
    --------
    >>> from kg.types import Value
    >>> value_literal(Value("1990^^gYear", "gYear", "1990", "date", ()))
    rdflib.term.Literal('1990', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#gYear'))
    >>> value_literal(Value("the 1990s^^string", "string", "the 1990s", "date", ()))
    rdflib.term.Literal('the 1990s')
    """
    if value.datatype == "string":
        return Literal(value.lexical)
    return Literal(value.lexical, datatype=XSD[value.datatype])


def _add_triple(
    graph: Graph, triple: Triple, values: dict[str, Literal] | None = None
) -> None:
    onto = load_ontology()
    s = mint_iri("entity", triple.subject)
    literal = values.get(triple.object) if values else None
    o: URIRef | Literal = (
        literal if literal is not None else mint_iri("entity", triple.object)
    )
    p = onto.property_iri(triple.predicate)
    if triple.modality == "asserted":
        graph.add((s, p, o))  # hedged, reported, negated, asked: the statement only
    stmt = statement_iri(triple)
    prov = triple.provenance
    graph.add((stmt, RDF.type, RDF.Statement))
    graph.add((stmt, RDF.subject, s))
    graph.add((stmt, RDF.predicate, p))
    graph.add((stmt, RDF.object, o))
    graph.add((stmt, PROV.wasDerivedFrom, sentence_iri(prov.doc_id, prov.sent_index)))
    graph.add((stmt, KGO.startChar, _int(prov.start_char)))
    graph.add((stmt, KGO.endChar, _int(prov.end_char)))
    confidence = Decimal(str(round(triple.confidence, 4)))
    graph.add((stmt, KGO.confidence, Literal(confidence, datatype=XSD.decimal)))
    graph.add((stmt, KGO.modality, Literal(triple.modality)))
    if triple.rule:
        graph.add((stmt, KGO.rule, Literal(triple.rule)))
    if triple.lemma:
        graph.add((stmt, KGO.relationText, Literal(triple.lemma)))


def add_document(graph: Graph, document: Document) -> Graph:
    """Add one extracted document (entities, triples, provenance) to a graph.

    Examples
    --------
    >>> g = add_document(new_graph(), Document("a.txt", "a.txt", "0" * 64, ()))
    >>> len(g)
    6
    """
    doc_iri = document_iri(document.doc_id)
    graph.add((doc_iri, RDF.type, KGO.Document))
    graph.add((doc_iri, RDFS.label, Literal(document.source)))
    graph.add((doc_iri, DCTERMS.source, Literal(document.source)))
    graph.add((doc_iri, DCTERMS.identifier, Literal(document.source)))
    graph.add((doc_iri, KGO.documentPath, Literal(document.doc_id)))
    graph.add((doc_iri, KGO.contentHash, Literal(document.sha256)))
    for sent in document.sentences:
        _add_sentence(graph, doc_iri, document.doc_id, sent)
    for entity in document.entities:
        _add_entity(graph, document.doc_id, entity)
    literals = {v.key: value_literal(v) for v in document.values}
    for triple in document.triples:
        _add_triple(graph, triple, literals)
    return graph


def build_graph(documents: Iterable[Document], *, graph: Graph | None = None) -> Graph:
    """Build (or extend) an RDF graph from extracted documents.

    Examples
    --------
    >>> len(build_graph([]))
    0
    """
    out = graph if graph is not None else new_graph()
    for document in documents:
        add_document(out, document)
    return out


_OX = {
    name: ox.NamedNode(str(term))
    for name, term in {
        "type": RDF.type,
        "value": RDF.value,
        "statement": RDF.Statement,
        "subject": RDF.subject,
        "predicate": RDF.predicate,
        "object": RDF.object,
        "label": RDFS.label,
        "prefLabel": SKOS.prefLabel,
        "altLabel": SKOS.altLabel,
        "identifier": DCTERMS.identifier,
        "source": DCTERMS.source,
        "isPartOf": DCTERMS.isPartOf,
        "wasDerivedFrom": PROV.wasDerivedFrom,
        "integer": XSD.integer,
        "decimal": XSD.decimal,
        "Document": KGO.Document,
        "Sentence": KGO.Sentence,
        "Mention": KGO.Mention,
        "contentHash": KGO.contentHash,
        "documentPath": KGO.documentPath,
        "sentenceIndex": KGO.sentenceIndex,
        "startChar": KGO.startChar,
        "endChar": KGO.endChar,
        "mention": KGO.mention,
        "mentionKind": KGO.mentionKind,
        "inSentence": KGO.inSentence,
        "foundBy": KGO.foundBy,
        "linkedBy": KGO.linkedBy,
        "confidence": KGO.confidence,
        "modality": KGO.modality,
        "rule": KGO.rule,
        "relationText": KGO.relationText,
    }.items()
}


def _ox_mint(kind: IRIKind, name: str) -> ox.NamedNode:
    return ox.NamedNode(f"{BASE_IRI}{kind}/{_iri_slug(kind, name)}")


def _ox_int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_OX["integer"])


@dataclass(slots=True)
class _EntityNode:
    """What the documents of one write say about one entity node."""

    cls: str
    key: str
    names: list[str] = field(default_factory=list)
    aliases: set[str] = field(default_factory=set)


def document_quads(documents: Iterable[Document]) -> list[ox.Quad]:
    """Return the quads of :func:`build_graph` as Oxigraph terms, without rdflib.

    The same triples (in the default graph) as ``build_graph(documents)``,
    built straight as ``pyoxigraph`` terms for :mod:`kg.store`, which loads
    them with ``Store.bulk_extend``: no rdflib graph and no N-Triples round
    trip. An entity named by several documents gets the class of the first,
    the fullest name as label (:func:`preferred_label`) and the other names
    as aliases, as in :func:`build_graph`. May hold duplicates (a store is a
    set). It is :func:`own_quads` of each document followed by
    :func:`entity_quads` of them all.

    Examples
    --------
    >>> quads = document_quads([Document("a.txt", "a.txt", "0" * 64, ())])
    >>> len(set(quads))
    6
    """
    documents = list(documents)
    quads: list[ox.Quad] = []
    for document in documents:
        quads.extend(own_quads(document))
    quads.extend(entity_quads(documents))
    return quads


@functools.lru_cache(maxsize=16384)
def confidence_text(confidence: float) -> str:
    """Return the lexical form of a ``kgo:confidence`` literal (``xsd:decimal``).

    Examples
    --------
    >>> confidence_text(0.123456), confidence_text(1.0)
    ('0.1235', '1.0')
    """
    return str(Literal(Decimal(str(round(confidence, 4)))))


def own_quads(document: Document) -> list[ox.Quad]:
    """Return the quads that belong to one document alone.

    Its node, sentences, mentions (and their links from the entity nodes)
    and statements: everything :func:`document_quads` writes except what an
    entity node says about itself (class, key, labels), which depends on
    every document naming it (:func:`entity_quads`). A pure function of the
    document, so it can be computed where the document is extracted.

    Examples
    --------
    >>> len(own_quads(Document("a.txt", "a.txt", "0" * 64, ())))
    6
    """
    onto = load_ontology()
    o = _OX
    quads: list[ox.Quad] = []
    add = quads.append
    doc_id = document.doc_id
    doc = ox.NamedNode(str(document_iri(doc_id)))
    source = ox.Literal(document.source)
    add(ox.Quad(doc, o["type"], o["Document"]))
    add(ox.Quad(doc, o["label"], source))
    add(ox.Quad(doc, o["source"], source))
    add(ox.Quad(doc, o["identifier"], source))
    add(ox.Quad(doc, o["documentPath"], ox.Literal(doc_id)))
    add(ox.Quad(doc, o["contentHash"], ox.Literal(document.sha256)))
    for sent in document.sentences:
        node = _ox_mint("sentence", f"{doc_id}#{sent.index}")
        add(ox.Quad(node, o["type"], o["Sentence"]))
        add(ox.Quad(node, o["value"], ox.Literal(sent.text, language="en")))
        add(ox.Quad(node, o["sentenceIndex"], _ox_int(sent.index)))
        add(ox.Quad(node, o["startChar"], _ox_int(sent.start_char)))
        add(ox.Quad(node, o["endChar"], _ox_int(sent.end_char)))
        add(ox.Quad(node, o["isPartOf"], doc))
    for entity in document.entities:
        node = _ox_mint("entity", entity.key)
        for m in entity.mentions:
            mention = _ox_mint("mention", f"{doc_id}#{m.start_char}-{m.end_char}")
            add(ox.Quad(node, o["mention"], mention))
            add(ox.Quad(mention, o["type"], o["Mention"]))
            add(ox.Quad(mention, o["value"], ox.Literal(m.text)))
            add(ox.Quad(mention, o["mentionKind"], ox.Literal(m.kind)))
            add(ox.Quad(mention, o["startChar"], _ox_int(m.start_char)))
            add(ox.Quad(mention, o["endChar"], _ox_int(m.end_char)))
            sentence = _ox_mint("sentence", f"{doc_id}#{m.sent_index}")
            add(ox.Quad(mention, o["inSentence"], sentence))
            if m.source:
                add(ox.Quad(mention, o["foundBy"], ox.Literal(m.source)))
            if m.link:
                add(ox.Quad(mention, o["linkedBy"], ox.Literal(m.link)))
    literals = _ox_values(document.values)
    for triple in document.triples:
        s = _ox_mint("entity", triple.subject)
        obj = literals.get(triple.object) or _ox_mint("entity", triple.object)
        p = ox.NamedNode(str(onto.property_iri(triple.predicate)))
        if triple.modality == "asserted":
            add(ox.Quad(s, p, obj))  # others: the statement only (_add_triple)
        stmt = ox.NamedNode(str(statement_iri(triple)))
        prov = triple.provenance
        sentence = _ox_mint("sentence", f"{prov.doc_id}#{prov.sent_index}")
        confidence = confidence_text(triple.confidence)
        add(ox.Quad(stmt, o["type"], o["statement"]))
        add(ox.Quad(stmt, o["subject"], s))
        add(ox.Quad(stmt, o["predicate"], p))
        add(ox.Quad(stmt, o["object"], obj))
        add(ox.Quad(stmt, o["wasDerivedFrom"], sentence))
        add(ox.Quad(stmt, o["startChar"], _ox_int(prov.start_char)))
        add(ox.Quad(stmt, o["endChar"], _ox_int(prov.end_char)))
        confidence_literal = ox.Literal(confidence, datatype=o["decimal"])
        add(ox.Quad(stmt, o["confidence"], confidence_literal))
        add(ox.Quad(stmt, o["modality"], ox.Literal(triple.modality)))
        if triple.rule:
            add(ox.Quad(stmt, o["rule"], ox.Literal(triple.rule)))
        if triple.lemma:
            add(ox.Quad(stmt, o["relationText"], ox.Literal(triple.lemma)))
    return quads


def _ox_values(values: Iterable[Value]) -> dict[str, ox.Literal]:
    """Return the Oxigraph literal of each value, by key (:func:`value_literal`)."""
    out: dict[str, ox.Literal] = {}
    for value in values:
        if value.datatype == "string":
            out[value.key] = ox.Literal(value.lexical)
        else:
            datatype = ox.NamedNode(str(XSD[value.datatype]))
            out[value.key] = ox.Literal(value.lexical, datatype=datatype)
    return out


def entity_quads(documents: Iterable[Document]) -> list[ox.Quad]:
    """Return what each entity node says about itself, over all ``documents``.

    The class of the first document to name it, its key (the last one
    seen), the fullest name as ``rdfs:label``/``skos:prefLabel`` and every
    other name and alias as ``skos:altLabel``, as :func:`build_graph` does.

    Examples
    --------
    >>> from kg.types import Entity, Mention
    >>> e = Entity("ada", "Person", "Ada", (Mention("Ada", "PERSON", 0, 3, 0),))
    >>> len(entity_quads([Document("a.txt", "a.txt", "0" * 64, (), (e,))]))
    4
    """
    onto = load_ontology()
    o = _OX
    entities: dict[str, _EntityNode] = {}
    for document in documents:
        for entity in document.entities:
            iri = f"{BASE_IRI}entity/{_slug(entity.key)}"
            seen = entities.get(iri)
            if seen is None:
                cls = str(onto.class_iri(entity.label))
                seen = entities[iri] = _EntityNode(cls, "")
            seen.key = entity.key
            seen.names.append(entity.name)
            seen.aliases.update(entity.aliases)
    quads: list[ox.Quad] = []
    add = quads.append
    for iri, seen in entities.items():
        node = ox.NamedNode(iri)
        label = preferred_label(seen.names)
        add(ox.Quad(node, o["type"], ox.NamedNode(seen.cls)))
        add(ox.Quad(node, o["identifier"], ox.Literal(seen.key)))
        add(ox.Quad(node, o["label"], ox.Literal(label)))
        add(ox.Quad(node, o["prefLabel"], ox.Literal(label)))
        for alias in sorted((set(seen.names) | seen.aliases) - {label}):
            add(ox.Quad(node, o["altLabel"], ox.Literal(alias)))
    return quads


_SPECIAL_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
)


def check_destination(path: Path) -> None:
    """Refuse a destination that is not a regular file or a new path.

    Raises
    ------
    OutputError
        ``path`` is a directory, a symbolic link, a device, a FIFO or a
        socket, or cannot be looked at (a name too long, say).
    """
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputError(
            f"cannot write {str(path)!r} ({exc.strerror or exc}); choose another file"
        ) from exc
    for test, kind in _SPECIAL_KINDS:
        if test(mode):
            raise OutputError(
                f"will not write over {str(path)!r}: it is {kind}, not a regular "
                "file; move it away or choose another path"
            )


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    ``path`` must be a new path or a regular file: a directory, a symbolic
    link, a device, a FIFO or a socket is refused, never followed or
    replaced. A failure leaves any existing file at ``path`` untouched and
    raises :class:`~kg.errors.OutputError` (one line).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
    >>> write_atomic(p, b"hi"); p.read_bytes()
    b'hi'
    >>> write_atomic(p.parent, b"hi")
    Traceback (most recent call last):
    ...
    kg.errors.OutputError: will not write over '...': it is a directory, not a ...
    """
    check_destination(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise OutputError(
            f"cannot write {str(path)!r} ({exc.strerror or exc}); choose another file"
        ) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        check_destination(path)  # it may have become special meanwhile
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and not isinstance(exc, OutputError):
            raise OutputError(
                f"writing {str(path)!r} failed ({exc.strerror or exc}); it is as it was"
            ) from exc
        raise


def serialize(graph: Graph, path: Path, *, format: str = "turtle") -> Path:
    """Serialise ``graph`` to ``path`` atomically and return the path.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = serialize(new_graph(), pathlib.Path(tempfile.mkdtemp()) / "g.ttl")
    >>> p.exists()
    True
    """
    data = graph.serialize(format=format, encoding="utf-8")
    write_atomic(path, data)
    return path
