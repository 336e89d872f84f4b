"""The page's view of documents not yet stored: what a new store will hold.

``kg build`` draws a new output's page from the merged documents while their
store loads: :func:`collect_documents_view` gives the same
:class:`~kg.render.model.GraphView` as :func:`kg.render.collect_store_view`
on a store that held nothing before these documents were written into it.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import URIRef

from kg.ontology import load_ontology
from kg.rdf import confidence_text, iri_text, preferred_label, statement_iri_text
from kg.render.collect import _add_value_row, _assemble, _local, _Rows, note_mention
from kg.render.explain import add_link_value
from kg.render.model import GraphView
from kg.types import Document

__all__ = ["collect_documents_view"]


def _product(
    *values: set[str | None],
) -> Iterable[tuple[str | None, ...]]:
    """Rows of a join of optional values: one per combination, None when absent."""
    return itertools.product(*(sorted(v, key=str) if v else (None,) for v in values))


_Values = tuple[set[str | None], ...]


def _slot(table: dict[str, _Values], node: str, width: int) -> _Values:
    found = table.get(node)
    if found is None:
        found = table[node] = tuple(set() for _ in range(width))
    return found


@dataclass(slots=True)
class _StoreMirror:
    """The nodes a store would hold for some documents, as sets of values.

    Filled document by document (:meth:`add`), then read out as the rows the
    store's SELECTs would return (:meth:`rows`).
    """

    entity_classes: set[str]
    object_properties: set[str]
    value_labels: dict[str, list[str]]
    rows: _Rows = field(default_factory=_Rows)
    #: entity node -> (class of the first document naming it, names, aliases)
    entities: dict[str, tuple[str, list[str], set[str]]] = field(default_factory=dict)
    mentioned: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: mention node -> (sentences, starts, ends)
    mention_at: dict[str, _Values] = field(default_factory=dict)
    #: sentence node -> (texts, starts, documents)
    sentence_of: dict[str, _Values] = field(default_factory=dict)
    doc_names: dict[str, _Values] = field(default_factory=dict)
    #: statement node -> (s, p, o, sentence, start, end, confidence, text,
    #: modality, rule)
    statement_of: dict[str, _Values] = field(default_factory=dict)
    properties: dict[str, str] = field(default_factory=dict)

    def add(self, document: Document) -> None:
        doc_id = document.doc_id
        doc = iri_text("doc", doc_id)
        _slot(self.doc_names, doc, 1)[0].add(document.source)
        self.rows.documents.add(document.source)
        for sent in document.sentences:
            values = _slot(
                self.sentence_of, iri_text("sentence", f"{doc_id}#{sent.index}"), 3
            )
            values[0].add(sent.text)
            values[1].add(str(sent.start_char))
            values[2].add(doc)
        for entity in document.entities:
            node = iri_text("entity", entity.key)
            if node not in self.entities:
                self.entities[node] = (entity.label, [], set())
            self.entities[node][1].append(entity.name)
            self.entities[node][2].update(entity.aliases)
            for m in entity.mentions:
                mention = iri_text("mention", f"{doc_id}#{m.start_char}-{m.end_char}")
                self.mentioned[node].add(mention)
                note_mention(self.rows, mention, (m.text, m.kind, m.source, m.link))
                values = _slot(self.mention_at, mention, 3)
                values[0].add(iri_text("sentence", f"{doc_id}#{m.sent_index}"))
                values[1].add(str(m.start_char))
                values[2].add(str(m.end_char))
        self._add_triples(document)

    def _add_triples(self, document: Document) -> None:
        onto = load_ontology()
        # a triple whose object is one of the document's values ends in its
        # literal (kg.rdf.own_quads), read back as its lexical form
        literals = {v.key: v.lexical for v in document.values}
        for triple in document.triples:
            s = iri_text("entity", triple.subject)
            lexical = literals.get(triple.object)
            o = lexical if lexical is not None else iri_text("entity", triple.object)
            p = self.properties.get(triple.predicate)
            if p is None:
                p = self.properties[triple.predicate] = str(
                    onto.property_iri(triple.predicate)
                )
            # as kg.rdf writes it: only an asserted fact is a plain triple
            if triple.modality == "asserted":
                if p in self.object_properties:
                    self.rows.plain.add((s, p, o))
                for label in self.value_labels.get(p, ()):
                    _add_value_row(self.rows, s, label, o)
            prov = triple.provenance
            parts = _slot(self.statement_of, statement_iri_text(triple), 10)
            for index, value in enumerate(
                (
                    s,
                    p,
                    o,
                    iri_text("sentence", f"{prov.doc_id}#{prov.sent_index}"),
                    str(prov.start_char),
                    str(prov.end_char),
                    confidence_text(triple.confidence),
                    triple.lemma,
                    triple.modality,
                    triple.rule,
                )
            ):
                if value or index < 7 or index == 8:
                    parts[index].add(value)

    def _fill_entities(self) -> None:
        for node, (cls, names, aliases) in self.entities.items():
            if cls in self.entity_classes:
                self.rows.types[node] = {cls}
            if node not in self.mentioned:
                continue
            label = preferred_label(names)
            self.rows.names[node] = label
            others = (set(names) | aliases) - {label}
            if others:
                self.rows.aliases[node] = others
        for kind, nodes in (
            ("Document", self.doc_names),
            ("Sentence", self.sentence_of),
            ("Mention", self.mention_at),
        ):
            if kind in self.entity_classes:
                for node in nodes:
                    self.rows.types.setdefault(node, set()).add(kind)

    def _fill_mentions_and_statements(self) -> set[str | None]:
        used: set[str | None] = set()
        for node, mentions in self.mentioned.items():
            for mention in sorted(mentions):
                at, starts, ends = self.mention_at[mention]
                used |= at
                for where, begin, stop in _product(at, starts, ends):
                    self.rows.mentions.append(
                        (node, mention, where or "", _int_text(begin), _int_text(stop))
                    )
        for stmt in sorted(self.statement_of):
            parts = self.statement_of[stmt]
            used |= parts[3]
            for subj, prop, obj, where, begin, stop, conf, rel, mod, rule in _product(
                *parts
            ):
                self.rows.statements.append(
                    (
                        stmt,
                        subj or "",
                        prop or "",
                        obj or "",
                        where or "",
                        _int_text(begin),
                        _int_text(stop),
                        _float_text(conf),
                        rel or "",
                        mod or "",
                        rule or "",
                    )
                )
        return used

    def _fill_sentences(self, used: set[str | None]) -> None:
        for sentence in sorted(x for x in used if x is not None):
            found = self.sentence_of.get(sentence)
            if found is None or not found[0]:
                continue  # no text: the store has no such sentence node
            text, begin, doc_node = next(iter(_product(*found)))
            labels = self.doc_names.get(doc_node or "", (set(),))[0]
            doc_label = min(labels, key=str) if labels else None
            self.rows.sentences[sentence] = (
                text or "",
                _int_text(begin) or 0,
                doc_label or (_local(URIRef(doc_node)) if doc_node else ""),
            )

    def finish(self) -> _Rows:
        for doc, names in self.doc_names.items():
            if names[0]:
                self.rows.doc_names[doc] = str(min(names[0], key=str))
        self._fill_entities()
        self._fill_sentences(self._fill_mentions_and_statements())
        return self.rows


def _rows_from_documents(
    documents: Iterable[Document], links: Iterable[ox.Quad] = ()
) -> _Rows:
    """Read what :func:`collect_store_view` reads, straight from the documents.

    Mirrors :func:`kg.rdf.own_quads` and :func:`kg.rdf.entity_quads` (what
    :func:`kg.store.write_documents` loads into an empty store) as sets of
    values per node, so nodes whose IRIs coincide combine as they do in a
    store, and the rows are those the store's SELECTs return.
    """
    onto = load_ontology()
    value_labels: dict[str, list[str]] = defaultdict(list)
    for info in onto.value_properties.values():
        value_labels[str(info.iri)].append(info.label)
    mirror = _StoreMirror(
        entity_classes={c for c in onto.classes if onto.is_a(c, "Entity")},
        object_properties={str(info.iri) for info in onto.properties.values()},
        value_labels=value_labels,
    )
    for document in documents:
        mirror.add(document)
    for quad in links:
        add_link_value(
            mirror.rows.links,
            str(getattr(quad.subject, "value", "")),
            quad.predicate.value,
            str(getattr(quad.object, "value", "")),
        )
    return mirror.finish()


def _int_text(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def _float_text(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def collect_documents_view(
    documents: Iterable[Document], *, links: Iterable[ox.Quad] = ()
) -> GraphView:
    """Read the view of the graph of ``documents`` without a store.

    The same :class:`GraphView` as :func:`collect_store_view` on a store
    that held nothing before :func:`kg.store.write_documents` wrote these
    (already merged) documents into it, with ``links`` the quads of their
    entity links (:attr:`kg.link.LinkResult.quads`: the corpus rule that put
    each document's entity on its node): ``kg build`` uses it to draw a new
    output's page while the store is still being loaded.

    Examples
    --------
    >>> from kg.types import Entity, Mention, Sentence
    >>> s = Sentence(0, 0, 4, "Ada.")
    >>> e = Entity("ada", "Person", "Ada", (Mention("Ada", "PERSON", 0, 3, 0),))
    >>> doc = Document("a.txt", "a.txt", "0" * 64, (s,), (e,))
    >>> view = collect_documents_view([doc])
    >>> [(n.label, n.cls, n.mentions, n.documents) for n in view.nodes]
    [('Ada', 'Person', 1, ('a.txt',))]
    """
    return _assemble(_rows_from_documents(documents, links))
