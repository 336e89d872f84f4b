"""The product under test: run the real build, then read the written store back.

``kg eval`` scores what users get. :func:`build_corpus` writes the input
texts as files with unique names, runs :func:`kg.build.run_build` on them
(the code path of ``kg build``: parsing, per-document extraction, the
cross-document merge done when documents are written to the store) into an
output folder, and :func:`read_built` reads the store back into one
:class:`BuiltDocument` per input:

* its entities are the graph's entity nodes that have a ``kgo:mention`` in
  the document (``key``: the node's IRI slug), each with those mentions
  only, so a node two documents share appears in both with the same key;
* its triples are the reified statements derived from its sentences, with
  their offsets, rule, confidence, modality and relation words; ``plain``
  says, for each, whether the plain triple ``?s ?p ?o`` is in the graph;
* its values are the literals its statements end in (dates, numbers): a
  value has no node, so its only trace in the graph is a fact; its
  position is the word at the end of the statement's span away from the
  subject's mention.

Documents are found by the source file name recorded on their node
(``dcterms:source``, else ``rdfs:label``), never by re-deriving their ids.
"""

from __future__ import annotations

import re
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import pyoxigraph as ox

from kg.errors import ConfigError, ExtractionError
from kg.eval.result import ProgressFn
from kg.ontology import KGO_URI, load_ontology
from kg.rdf import BASE_IRI, NS
from kg.types import Document, Entity, Mention, Provenance, Sentence, Triple, Value

__all__ = [
    "BuiltDocument",
    "build_corpus",
    "file_names",
    "read_built",
]

_PREFIXES = {prefix: str(ns) for prefix, ns in NS.items()}
_ENTITY_BASE = f"{BASE_IRI}entity/"
_XSD = str(NS["xsd"])
_NUMBER_TYPES = frozenset({"integer", "decimal", "double", "float"})
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")
_MAX_NAME = 60

DOCUMENTS_QUERY = """
SELECT ?doc ?source ?label ?hash WHERE {
  ?doc a kgo:Document .
  OPTIONAL { ?doc dcterms:source ?source }
  OPTIONAL { ?doc rdfs:label ?label }
  OPTIONAL { ?doc kgo:contentHash ?hash }
}
"""
SENTENCES_QUERY = """
SELECT ?sent ?doc ?index ?start ?end ?text WHERE {
  ?sent a kgo:Sentence ; dcterms:isPartOf ?doc ; kgo:sentenceIndex ?index .
  OPTIONAL { ?sent kgo:startChar ?start }
  OPTIONAL { ?sent kgo:endChar ?end }
  OPTIONAL { ?sent rdf:value ?text }
}
"""
MENTIONS_QUERY = """
SELECT ?e ?start ?end ?sent ?text ?kind WHERE {
  ?e kgo:mention ?m .
  ?m kgo:startChar ?start ; kgo:endChar ?end ; kgo:inSentence ?sent .
  OPTIONAL { ?m rdf:value ?text }
  OPTIONAL { ?m kgo:mentionKind ?kind }
}
"""
ENTITIES_QUERY = """
SELECT DISTINCT ?e ?cls ?label WHERE {
  ?e kgo:mention ?m .
  OPTIONAL { ?e a ?cls . FILTER(STRSTARTS(STR(?cls), STR(kgo:))) }
  OPTIONAL { ?e rdfs:label ?label }
}
"""
STATEMENTS_QUERY = """
SELECT ?s ?p ?o ?sent ?start ?end ?conf ?modality ?rule ?words ?plain WHERE {
  ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
      prov:wasDerivedFrom ?sent .
  OPTIONAL { ?st kgo:startChar ?start }
  OPTIONAL { ?st kgo:endChar ?end }
  OPTIONAL { ?st kgo:confidence ?conf }
  OPTIONAL { ?st kgo:modality ?modality }
  OPTIONAL { ?st kgo:rule ?rule }
  OPTIONAL { ?st kgo:relationText ?words }
  BIND(EXISTS { ?s ?p ?o } AS ?plain)
}
"""


@dataclass(frozen=True, slots=True)
class BuiltDocument:
    """One input document as the built graph holds it (see the module docstring).

    ``plain[i]`` tells whether the plain triple of ``document.triples[i]``
    is in the graph (a statement kg keeps without asserting it has none).

    Examples
    --------
    >>> b = BuiltDocument("a.txt", Document("a.txt", "a.txt", "0" * 64, ()), ())
    >>> b.edges()
    ()
    """

    name: str
    document: Document
    plain: tuple[bool, ...]

    def edges(self) -> tuple[Triple, ...]:
        """Return the statements whose plain triple is in the graph."""
        return tuple(
            t for t, p in zip(self.document.triples, self.plain, strict=True) if p
        )


def file_names(ids: Sequence[str]) -> list[str]:
    """Turn item ids into unique, safe ``.txt`` file names, in order.

    An id made of letters, digits, ``_``, ``.`` and ``-`` keeps its form; other
    runs become ``-``; a name already taken gets the item's position.

    Examples
    --------
    >>> file_names(["a", "b/c", "a", ""])
    ['a.txt', 'b-c.txt', 'a-2.txt', 'item-3.txt']
    """
    names: list[str] = []
    taken: set[str] = set()
    for i, item in enumerate(ids):
        stem = _UNSAFE.sub("-", item).strip("-.")[:_MAX_NAME] or f"item-{i}"
        name = f"{stem}.txt"
        if name.lower() in taken:
            name = f"{stem}-{i}.txt"
        taken.add(name.lower())
        names.append(name)
    return names


def build_corpus(
    texts: Sequence[tuple[str, str]],
    *,
    model: str | None = None,
    extractor: str | None = None,
    out: Path | None = None,
    progress: ProgressFn | None = None,
) -> list[BuiltDocument]:
    """Build one graph of ``texts`` (``(file name, text)`` pairs) and read it back.

    The texts are written as files under a temporary folder and built with
    :func:`kg.build.run_build` into ``out`` (default: a temporary folder,
    removed afterwards; a given ``out`` is kept, with the inputs in
    ``out/input``). ``graph.html`` is not drawn; everything else is as
    ``kg build``. Returns the documents in the order of ``texts``.

    Raises
    ------
    ConfigError
        Two texts have one file name, or ``out`` already holds a build.
    ExtractionError
        A document is missing from the written store.

    Examples
    --------
    >>> [b.name for b in build_corpus([("a.txt", "Ada Lovelace met Charles.")])]
    ['a.txt']
    """
    names = [name for name, _ in texts]
    if len(set(names)) != len(names):
        raise ConfigError("two inputs of one evaluation share a file name")
    if out is not None and (out / "store").exists():
        raise ConfigError(
            f"{str(out)!r} already holds a build; give an empty or new folder"
        )
    if not texts:
        return []
    with tempfile.TemporaryDirectory(prefix="kg-eval-") as tmp:
        root = Path(tmp) if out is None else out
        inputs = root / "input"
        inputs.mkdir(parents=True, exist_ok=True)
        files = []
        for name, text in texts:
            path = inputs / name
            path.write_text(text, encoding="utf-8")
            files.append(path)
        folder = root / "output" if out is None else out
        _run_build(files, folder, model=model, extractor=extractor, progress=progress)
        built = read_built(folder)
    missing = [n for n in names if n not in built]
    if missing:
        raise ExtractionError(
            f"the build wrote no document for {len(missing)} inputs "
            f"(first: {missing[0]!r})"
        )
    return [built[n] for n in names]


def _run_build(
    files: Sequence[Path],
    out: Path,
    *,
    model: str | None,
    extractor: str | None,
    progress: ProgressFn | None,
) -> None:
    from kg.build import BuildConfig, run_build
    from kg.relations import DEFAULT_EXTRACTOR

    config = BuildConfig(
        out=out, model=model, extractor=extractor or DEFAULT_EXTRACTOR, page=False
    )
    total = [len(files)]
    done = [0]

    def on_start(n: int) -> None:
        total[0] = n
        if progress is not None:
            progress(0, n)

    def on_document(_document: Document) -> None:
        done[0] += 1
        if progress is not None:
            progress(done[0], total[0])

    run_build(files, config=config, on_start=on_start, on_document=on_document)


def _value(term: object) -> str:
    return str(getattr(term, "value", "")) if term is not None else ""


def _int(term: object, default: int = 0) -> int:
    text = _value(term)
    return int(text) if text else default


def _rows(store: ox.Store, query: str) -> Iterable[ox.QuerySolution]:
    return cast(ox.QuerySolutions, store.query(query, prefixes=_PREFIXES))


def _node_key(iri: str) -> str:
    return iri[len(_ENTITY_BASE) :] if iri.startswith(_ENTITY_BASE) else iri


@dataclass(frozen=True, slots=True)
class _Sentence:
    doc: str
    index: int
    start: int
    end: int
    text: str


def read_built(out: Path) -> dict[str, BuiltDocument]:
    """Read the store of an output folder into one :class:`BuiltDocument` per input.

    Keys are the documents' source file names.

    Raises
    ------
    ConfigError
        ``out`` holds no store.

    Examples
    --------
    >>> import tempfile
    >>> from kg.store import write_documents
    >>> d = tempfile.mkdtemp()
    >>> _ = write_documents(d, [Document("a.txt", "in/a.txt", "0" * 64, ())])
    >>> list(read_built(Path(d)))
    ['a.txt']
    """
    from kg.store import open_store

    store = open_store(out)
    docs: dict[str, tuple[str, str]] = {}
    for row in _rows(store, DOCUMENTS_QUERY):
        source = _value(row["source"]) or _value(row["label"])
        docs[_value(row["doc"])] = (Path(source).name, _value(row["hash"]))
    sentences = {
        _value(row["sent"]): _Sentence(
            _value(row["doc"]),
            _int(row["index"]),
            _int(row["start"]),
            _int(row["end"]),
            _value(row["text"]),
        )
        for row in _rows(store, SENTENCES_QUERY)
    }
    classes, labels = _entity_info(store)
    mentions = _mentions(store, sentences, classes)
    names = {iri: name for iri, (name, _sha) in docs.items()}
    statements = _statements(store, sentences, names)
    by_doc: dict[str, list[_Sentence]] = defaultdict(list)
    for sent in sentences.values():
        by_doc[sent.doc].append(sent)
    out_docs: dict[str, BuiltDocument] = {}
    for doc_iri, (name, sha) in docs.items():
        doc_sents = sorted(by_doc.get(doc_iri, []), key=lambda s: s.index)
        by_node = mentions.get(doc_iri, {})
        entities = tuple(
            sorted(
                (
                    Entity(
                        key=_node_key(node),
                        label=classes.get(node, "Thing"),
                        name=labels.get(node) or ms[0].text or _node_key(node),
                        mentions=tuple(sorted(set(ms), key=_mention_order)),
                        named=any(m.kind == "name" for m in ms),
                    )
                    for node, ms in by_node.items()
                ),
                key=lambda e: (_mention_order(e.mentions[0]), e.key),
            )
        )
        rows = sorted(
            statements.get(doc_iri, []),
            key=lambda r: (
                r[0].provenance.sent_index,
                r[0].provenance.start_char,
                r[0].provenance.end_char,
                r[0].subject,
                r[0].predicate,
                r[0].object,
            ),
        )
        values = _values(rows, doc_sents, by_node)
        document = Document(
            doc_id=name,
            source=name,
            sha256=sha or "0" * 64,
            sentences=tuple(
                Sentence(s.index, s.start, max(s.start, s.end), s.text)
                for s in doc_sents
            ),
            entities=entities,
            triples=tuple(t for t, _plain, _lit in rows),
            values=values,
        )
        out_docs[name] = BuiltDocument(
            name, document, tuple(plain for _t, plain, _lit in rows)
        )
    return out_docs


def _mention_order(m: Mention) -> tuple[int, int]:
    return (m.start_char, m.end_char)


def _entity_info(store: ox.Store) -> tuple[dict[str, str], dict[str, str]]:
    classes: dict[str, str] = {}
    labels: dict[str, str] = {}
    for row in _rows(store, ENTITIES_QUERY):
        node = _value(row["e"])
        cls = _value(row["cls"])[len(KGO_URI) :]
        if cls and (node not in classes or cls < classes[node]):
            classes[node] = cls
        label = _value(row["label"])
        if label and (node not in labels or label < labels[node]):
            labels[node] = label
    return classes, labels


def _mentions(
    store: ox.Store, sentences: dict[str, _Sentence], classes: dict[str, str]
) -> dict[str, dict[str, list[Mention]]]:
    """Mentions by document IRI and entity node."""
    out: dict[str, dict[str, list[Mention]]] = defaultdict(lambda: defaultdict(list))
    for row in _rows(store, MENTIONS_QUERY):
        sent = sentences.get(_value(row["sent"]))
        if sent is None:
            continue
        node = _value(row["e"])
        kind = _value(row["kind"]) or "name"
        out[sent.doc][node].append(
            Mention(
                _value(row["text"]),
                classes.get(node, "Thing"),
                _int(row["start"]),
                _int(row["end"]),
                sent.index,
                kind=kind,  # type: ignore[arg-type]
            )
        )
    return out


def _property_names() -> dict[str, str]:
    onto = load_ontology()
    names = {str(info.iri): name for name, info in onto.properties.items()}
    names |= {str(info.iri): name for name, info in onto.value_properties.items()}
    return names


def _literal_key(term: ox.Literal) -> tuple[str, str]:
    datatype = term.datatype.value
    local = datatype[len(_XSD) :] if datatype.startswith(_XSD) else "string"
    if local not in {"date", "gYearMonth", "gYear", "integer", "decimal"}:
        local = "string"
    return f"{term.value}^^{local}", local


def _statements(
    store: ox.Store, sentences: dict[str, _Sentence], doc_names: dict[str, str]
) -> dict[str, list[tuple[Triple, bool, bool]]]:
    """Statements by document IRI: the triple, plain triple in the graph, literal."""
    names = _property_names()
    out: dict[str, list[tuple[Triple, bool, bool]]] = defaultdict(list)
    for row in _rows(store, STATEMENTS_QUERY):
        sent = sentences.get(_value(row["sent"]))
        if sent is None:
            continue
        predicate = _value(row["p"])
        obj = row["o"]
        literal = isinstance(obj, ox.Literal)
        start = _int(row["start"], sent.start)
        end = _int(row["end"], max(start, sent.end))
        confidence = _value(row["conf"])
        triple = Triple(
            subject=_node_key(_value(row["s"])),
            predicate=names.get(predicate, re.split(r"[#/]", predicate)[-1]),
            object=_literal_key(obj)[0] if literal else _node_key(_value(obj)),
            provenance=Provenance(
                doc_names.get(sent.doc) or sent.doc, sent.index, start, end, sent.text
            ),
            confidence=float(confidence) if confidence else 1.0,
            rule=_value(row["rule"]),
            lemma=_value(row["words"]),
            modality=_value(row["modality"]) or "asserted",  # type: ignore[arg-type]
        )
        plain = _value(row["plain"]) == "true"
        out[sent.doc].append((triple, plain, literal))
    return out


def _edge_word(sent: _Sentence, start: int, end: int, at_end: bool) -> tuple[int, int]:
    """Return the first or last whitespace-separated word of ``[start, end)``."""
    lo, hi = start - sent.start, end - sent.start
    segment = sent.text[lo:hi] if 0 <= lo <= hi <= len(sent.text) else ""
    if not segment.strip():
        return start, end
    if at_end:
        body = segment.rstrip()
        cut = len(body) - len(body.split()[-1])
        return start + cut, start + len(body)
    lead = len(segment) - len(segment.lstrip())
    return start + lead, start + lead + len(segment.split()[0])


def _values(
    rows: Sequence[tuple[Triple, bool, bool]],
    sentences: Sequence[_Sentence],
    by_node: dict[str, list[Mention]],
) -> tuple[Value, ...]:
    """Return the literals a document's statements end in, placed in the text."""
    by_index = {s.index: s for s in sentences}
    found: dict[str, tuple[str, list[Mention]]] = {}
    for triple, _plain, literal in rows:
        if not literal:
            continue
        prov = triple.provenance
        sent = by_index.get(prov.sent_index)
        if sent is None:
            continue
        subject = by_node.get(f"{_ENTITY_BASE}{triple.subject}", [])
        subject_first = any(
            m.start_char <= prov.start_char < m.end_char for m in subject
        )
        start, end = _edge_word(sent, prov.start_char, prov.end_char, subject_first)
        datatype = triple.object.rpartition("^^")[2]
        mention = Mention(
            sent.text[start - sent.start : end - sent.start],
            "DATE",
            start,
            end,
            sent.index,
            kind="value",
        )
        found.setdefault(triple.object, (datatype, []))[1].append(mention)
    return tuple(
        Value(
            key,
            datatype,
            key.rpartition("^^")[0] or key,
            "number" if datatype in _NUMBER_TYPES else "date",
            tuple(sorted(set(ms), key=_mention_order)),
        )
        for key, (datatype, ms) in found.items()
    )
