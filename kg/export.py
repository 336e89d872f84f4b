"""Exports for the tools people use: RDF, CSV tables, GraphML, GEXF, Neo4j.

``kg export DEST --format F`` (:func:`export_graph`) writes the store as

* RDF (``turtle``, ``trig``, ``nquads``, ``ntriples``, ``jsonld``, ``xml``),
  through :func:`kg.store.export_store`;
* ``nodes-csv``: one row per entity (IRI, label, class, aliases, mentions,
  documents, the dates the text states about it);
* ``edges-csv``: one row per statement, i.e. per sentence that states a
  relation between two entities, with its provenance: document, sentence,
  offsets, rule, confidence, modality and the relation words;
* ``graphml`` (yEd, Cytoscape, networkx) and ``gexf`` (Gephi): the entity
  graph with one edge per relation and its strongest modality, best
  confidence and number of sentences, written by networkx;
* ``neo4j``: a folder of CSV files with ``neo4j-admin import`` headers
  (``:ID``, ``:LABEL``, ``:START_ID``, ``:END_ID``, ``:TYPE``, typed
  properties such as ``confidence:float``) and the import command in
  ``README.txt``.

Negated statements and questions are no relation and are not exported as
edges (the RDF formats keep everything).

Where the output goes (:func:`check_destination`): a new path or an existing
regular file, which is replaced atomically (a temporary file in the same
folder, flushed to disk, then renamed, so a failed export leaves the old
file whole). A symbolic link is written through: its target is replaced,
the link stays a link. A directory, a device (``/dev/full``), a FIFO or a
socket is refused, as is a path whose folder does not exist or cannot be
written (``/proc``): one-line errors. ``neo4j`` writes a folder: a new path,
an empty folder, or a folder an earlier ``neo4j`` export wrote.
"""

from __future__ import annotations

import csv
import io
import os
import stat
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.errors import ConfigError
from kg.lookup import DRAWN_MODALITIES, EntityIndex, index_entities
from kg.ontology import KGO_URI
from kg.rdf import NS

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "EDGE_COLUMNS",
    "FORMATS",
    "NEO4J_FILES",
    "NODE_COLUMNS",
    "check_destination",
    "export_graph",
    "export_store",
    "write_file",
]

#: RDF formats (written by :func:`export_store`).
RDF_FORMATS = ("turtle", "trig", "nquads", "ntriples", "jsonld", "xml")
#: Every ``kg export --format``.
FORMATS = (*RDF_FORMATS, "nodes-csv", "edges-csv", "graphml", "gexf", "neo4j")
#: File suffixes that name a format when ``--format`` is not given.
SUFFIXES = {
    ".ttl": "turtle",
    ".trig": "trig",
    ".nq": "nquads",
    ".nt": "ntriples",
    ".jsonld": "jsonld",
    ".rdf": "xml",
    ".xml": "xml",
    ".graphml": "graphml",
    ".gexf": "gexf",
}
NODE_COLUMNS = (
    "entity",
    "label",
    "class",
    "aliases",
    "mentions",
    "documents",
    "dates",
)
EDGE_COLUMNS = (
    "subject",
    "subject_label",
    "predicate",
    "relation",
    "object",
    "object_label",
    "modality",
    "confidence",
    "rule",
    "words",
    "document",
    "sentence",
    "start",
    "end",
    "text",
    "statement",
)
#: The files of a ``neo4j`` export.
NEO4J_FILES = ("entities.csv", "relations.csv", "README.txt")

_PREFIXES = {prefix: str(ns) for prefix, ns in NS.items()}
_STATEMENTS_QUERY = """
SELECT ?st ?s ?p ?o ?modality ?confidence ?rule ?words ?start ?end ?sentence ?text
       ?source WHERE {
  ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  FILTER(isIRI(?o))
  OPTIONAL { ?st kgo:modality ?modality }
  OPTIONAL { ?st kgo:confidence ?confidence }
  OPTIONAL { ?st kgo:rule ?rule }
  OPTIONAL { ?st kgo:relationText ?words }
  OPTIONAL { ?st kgo:startChar ?start }
  OPTIONAL { ?st kgo:endChar ?end }
  OPTIONAL { ?st prov:wasDerivedFrom ?sentence .
             OPTIONAL { ?sentence rdf:value ?text }
             OPTIONAL { ?sentence dcterms:isPartOf ?doc .
                        OPTIONAL { ?doc dcterms:source ?source } } }
}"""
_DOCUMENTS_QUERY = """
SELECT DISTINCT ?e ?source WHERE {
  ?e kgo:mention/kgo:inSentence/dcterms:isPartOf ?doc .
  ?doc dcterms:source ?source .
}"""


# --- where the output goes ------------------------------------------------------------


def check_destination(dest: Path) -> Path:
    """Return the file an export to ``dest`` replaces or creates.

    A symbolic link is followed to its target (the link itself is never
    replaced); the result must be a regular file or a new name in an
    existing folder.

    Raises
    ------
    ConfigError
        ``dest`` is a directory, a device, a FIFO or a socket, or its folder
        does not exist.

    Examples
    --------
    >>> check_destination(Path("/dev/full"))
    Traceback (most recent call last):
    ...
    kg.errors.ConfigError: cannot export to '/dev/full': '/dev/full' is on a system ...
    """
    for hop in _link_chain(dest):
        if hop.parts[:2] in (("/", "proc"), ("/", "dev"), ("/", "sys")):
            raise ConfigError(
                f"cannot export to {str(dest)!r}: {str(hop)!r} is on a system file "
                "system (without DEST the export goes to standard output)"
            )
    target = Path(os.path.realpath(dest)) if dest.is_symlink() else dest
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise ConfigError(f"cannot export to {str(dest)!r}: {exc.strerror}") from exc
    if info is not None and not stat.S_ISREG(info.st_mode):
        kind = _kind(info.st_mode)
        hint = (
            "give a file name inside it"
            if stat.S_ISDIR(info.st_mode)
            else "give a file name (without DEST the export goes to standard output)"
        )
        raise ConfigError(
            f"cannot export to {str(dest)!r}: it is {kind}, not a regular file; {hint}"
        )
    if not target.parent.is_dir():
        raise ConfigError(
            f"cannot export to {str(dest)!r}: folder {str(target.parent)!r} "
            "does not exist"
        )
    return target


def _link_chain(dest: Path) -> list[Path]:
    """Return ``dest`` and every path its symbolic links lead through."""
    chain = [Path(os.path.abspath(dest))]
    for _ in range(40):
        here = chain[-1]
        if not here.is_symlink():
            break
        chain.append(Path(os.path.abspath(here.parent / os.readlink(here))))
    return chain


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def write_file(dest: Path, data: bytes) -> Path:
    r"""Write ``data`` to ``dest`` atomically; return the file written.

    The data goes to a temporary file in the same folder, is flushed to disk
    and renamed over the target (:func:`check_destination`), which keeps its
    permission bits. A failure leaves the target as it was and no temporary
    file behind.

    Raises
    ------
    ConfigError
        A refused destination, or the folder cannot be written.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "x.csv"
    >>> write_file(path, b"a,b\\n").read_bytes()
    b'a,b\\n'
    """
    target = check_destination(dest)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as exc:
        raise ConfigError(
            f"cannot write to {str(dest)!r}: {exc.strerror} "
            f"(folder {str(target.parent)!r})"
        ) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ConfigError(f"cannot write to {str(dest)!r}: {exc.strerror}") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def _check_folder(dest: Path) -> Path:
    """Return the folder a ``neo4j`` export writes (a new, empty or earlier one)."""
    if dest.is_symlink() or (dest.exists() and not dest.is_dir()):
        raise ConfigError(
            f"cannot export to {str(dest)!r}: the neo4j format writes a folder; "
            "give a new path or an empty folder"
        )
    if dest.is_dir():
        others = sorted(p.name for p in dest.iterdir() if p.name not in NEO4J_FILES)
        if others:
            raise ConfigError(
                f"cannot export to {str(dest)!r}: the folder holds other files "
                f"({', '.join(others[:5])}); give a new path or an empty folder"
            )
        return dest
    if not dest.parent.is_dir():
        raise ConfigError(
            f"cannot export to {str(dest)!r}: folder {str(dest.parent)!r} "
            "does not exist"
        )
    try:
        dest.mkdir()
    except OSError as exc:
        raise ConfigError(f"cannot create {str(dest)!r}: {exc.strerror}") from exc
    return dest


# --- what is exported -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Statement:
    """One sentence stating one relation between two entities."""

    statement: str
    subject: str
    predicate: str
    object: str
    modality: str
    confidence: float | None
    rule: str
    words: str
    document: str
    sentence: str
    start: int | None
    end: int | None
    text: str


def _value(term: object) -> str:
    return str(getattr(term, "value", "")) if term is not None else ""


def _number(term: object, kind: type[int] | type[float]) -> int | float | None:
    try:
        return kind(_value(term)) if term is not None else None
    except ValueError:
        return None


def _statements(store: ox.Store, index: EntityIndex) -> list[_Statement]:
    result = store.query(_STATEMENTS_QUERY, prefixes=_PREFIXES)
    assert isinstance(result, ox.QuerySolutions)  # noqa: S101 - a SELECT
    found = []
    for row in result:
        s, o = _value(row["s"]), _value(row["o"])
        modality = _value(row["modality"]) or "asserted"
        if s not in index.entities or o not in index.entities:
            continue
        if modality not in DRAWN_MODALITIES:
            continue  # a negated statement or a question is no relation
        start = _number(row["start"], int)
        end = _number(row["end"], int)
        found.append(
            _Statement(
                statement=_value(row["st"]),
                subject=s,
                predicate=_value(row["p"]),
                object=o,
                modality=modality,
                confidence=_number(row["confidence"], float),
                rule=_value(row["rule"]),
                words=_value(row["words"]),
                document=_value(row["source"]),
                sentence=_value(row["sentence"]),
                start=int(start) if start is not None else None,
                end=int(end) if end is not None else None,
                text=_value(row["text"]),
            )
        )
    found.sort(key=lambda st: (st.document, st.start or 0, st.statement))
    return found


def _prefixed(iri: str) -> str:
    for prefix, namespace in _PREFIXES.items():
        if iri.startswith(namespace) and prefix != "kg":
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def _property_labels() -> dict[str, str]:
    from kg.ontology import load_ontology

    return {str(i.iri): i.label for i in load_ontology().properties.values()}


def _entity_documents(store: ox.Store) -> dict[str, set[str]]:
    result = store.query(_DOCUMENTS_QUERY, prefixes=_PREFIXES)
    assert isinstance(result, ox.QuerySolutions)  # noqa: S101 - a SELECT
    docs: dict[str, set[str]] = defaultdict(set)
    for row in result:
        docs[_value(row["e"])].add(_value(row["source"]))
    return docs


def _entity_dates(store: ox.Store) -> dict[str, list[str]]:
    from kg.ontology import load_ontology

    dates: dict[str, list[str]] = defaultdict(list)
    for info in load_ontology().value_properties.values():
        prop = ox.NamedNode(str(info.iri))
        for quad in store.quads_for_pattern(None, prop, None, ox.DefaultGraph()):
            dates[_value(quad.subject)].append(f"{info.label}: {_value(quad.object)}")
    return dates


@dataclass(frozen=True, slots=True)
class _Relation:
    """All statements of one ``(s, p, o)``: the graph formats' edges."""

    subject: str
    predicate: str
    object: str
    modality: str
    confidence: float | None
    statements: tuple[_Statement, ...]


def _relations(statements: Sequence[_Statement]) -> list[_Relation]:
    grouped: dict[tuple[str, str, str], list[_Statement]] = defaultdict(list)
    for st in statements:
        grouped[(st.subject, st.predicate, st.object)].append(st)
    strength = {m: i for i, m in enumerate(DRAWN_MODALITIES)}
    relations = []
    for (s, p, o), found in sorted(grouped.items()):
        found.sort(key=lambda st: (strength[st.modality], -(st.confidence or 0.0)))
        scores = [st.confidence for st in found if st.confidence is not None]
        relations.append(
            _Relation(
                s,
                p,
                o,
                found[0].modality,
                max(scores) if scores else None,
                tuple(found),
            )
        )
    return relations


# --- writers --------------------------------------------------------------------------


def _csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue().encode("utf-8")


def _nodes_csv(store: ox.Store, index: EntityIndex) -> bytes:
    docs = _entity_documents(store)
    dates = _entity_dates(store)
    rows = [
        (
            record.iri,
            record.label,
            record.cls,
            "|".join(record.aliases),
            record.mentions,
            len(docs.get(record.iri, ())),
            "|".join(sorted(dates.get(record.iri, ()))),
        )
        for record in index.entities.values()
    ]
    return _csv_bytes(NODE_COLUMNS, rows)


def _edges_csv(statements: Sequence[_Statement], index: EntityIndex) -> bytes:
    labels = _property_labels()
    names = index.entities
    rows = [
        (
            st.subject,
            names[st.subject].label,
            _prefixed(st.predicate),
            st.words
            if st.predicate == KGO_URI + "relatedTo" and st.words
            else labels.get(st.predicate, _prefixed(st.predicate)),
            st.object,
            names[st.object].label,
            st.modality,
            st.confidence,
            st.rule,
            st.words,
            st.document,
            st.sentence,
            st.start,
            st.end,
            st.text,
            st.statement,
        )
        for st in statements
    ]
    return _csv_bytes(EDGE_COLUMNS, rows)


def entity_graph(
    store: ox.Store, index: EntityIndex, statements: Sequence[_Statement]
) -> nx.MultiDiGraph:
    """Build the networkx graph the GraphML and GEXF exports write.

    Attributes are plain strings, ints and floats (no ``None``), as both
    formats need.
    """
    import networkx as nx

    docs = _entity_documents(store)
    labels = _property_labels()
    graph: nx.MultiDiGraph = nx.MultiDiGraph()
    for record in index.entities.values():
        graph.add_node(
            record.iri,
            label=record.label,
            cls=record.cls,
            aliases="|".join(record.aliases),
            mentions=record.mentions,
            documents=len(docs.get(record.iri, ())),
        )
    for rel in _relations(statements):
        first = rel.statements[0]
        attrs: dict[str, object] = {
            "predicate": _prefixed(rel.predicate),
            "label": first.words
            if rel.predicate == KGO_URI + "relatedTo" and first.words
            else labels.get(rel.predicate, _prefixed(rel.predicate)),
            "modality": rel.modality,
            "sentences": len(rel.statements),
            "rule": first.rule,
            "document": first.document,
            "sentence": first.text,
        }
        if rel.confidence is not None:
            attrs["confidence"] = rel.confidence
        graph.add_edge(rel.subject, rel.object, key=_prefixed(rel.predicate), **attrs)
    return graph


def _graphml(graph: nx.MultiDiGraph) -> bytes:
    import networkx as nx

    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer, encoding="utf-8", named_key_ids=True)
    return buffer.getvalue()


def _gexf(graph: nx.MultiDiGraph) -> bytes:
    import networkx as nx

    buffer = io.BytesIO()
    nx.write_gexf(graph, buffer, encoding="utf-8")
    return buffer.getvalue()


def _neo4j_type(iri: str) -> str:
    """Return a relationship type: the property's local name (letters, digits, _)."""
    local = iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    cleaned = "".join(c if c.isalnum() or c == "_" else "_" for c in local)
    return cleaned or "relatedTo"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _neo4j_files(
    index: EntityIndex, statements: Sequence[_Statement]
) -> dict[str, bytes]:
    from kg.ontology import load_ontology

    onto = load_ontology()
    nodes = []
    for record in index.entities.values():
        classes = [record.cls, *onto.superclasses.get(record.cls, ())]
        labels = ";".join(dict.fromkeys(["Entity", *classes]))
        nodes.append(
            (
                record.iri,
                _one_line(record.label),
                record.cls,
                record.mentions,
                ";".join(_one_line(a).replace(";", ",") for a in record.aliases),
                labels,
            )
        )
    entities = _csv_bytes(
        ("iri:ID", "name", "class", "mentions:int", "aliases:string[]", ":LABEL"), nodes
    )
    rows = []
    for rel in _relations(statements):
        first = rel.statements[0]
        rows.append(
            (
                rel.subject,
                rel.object,
                _neo4j_type(rel.predicate),
                rel.predicate,
                rel.modality,
                rel.confidence,
                len(rel.statements),
                first.rule,
                _one_line(first.words),
                first.document,
                _one_line(first.text),
                first.start,
                first.end,
            )
        )
    relations = _csv_bytes(
        (
            ":START_ID",
            ":END_ID",
            ":TYPE",
            "property",
            "modality",
            "confidence:float",
            "sentences:int",
            "rule",
            "words",
            "document",
            "sentence",
            "start:int",
            "end:int",
        ),
        rows,
    )
    readme = (
        "Neo4j import files written by kg export --format neo4j.\n"
        "Neo4j 5: neo4j-admin database import full --nodes=entities.csv "
        "--relationships=relations.csv neo4j\n"
        "Neo4j 4: neo4j-admin import --nodes=entities.csv "
        "--relationships=relations.csv\n"
        "Each relationship is one relation between two entities (its strongest "
        "modality, best confidence, number of sentences and its first sentence); "
        "kg export --format edges-csv lists every sentence.\n"
    )
    return {
        "entities.csv": entities,
        "relations.csv": relations,
        "README.txt": readme.encode("utf-8"),
    }


# --- the command ----------------------------------------------------------------------


def guess_format(dest: Path | None, format: str | None) -> str:
    """Return the export format: ``format``, else the one ``dest``'s suffix names.

    Raises
    ------
    ConfigError
        An unknown format, or none given and none implied.

    Examples
    --------
    >>> guess_format(Path("g.graphml"), None), guess_format(None, None)
    ('graphml', 'turtle')
    """
    if format is not None:
        if format not in FORMATS:
            raise ConfigError(
                f"unknown export format {format!r}; choose one of {', '.join(FORMATS)}"
            )
        return format
    if dest is None:
        return "turtle"
    suffix = dest.suffix.lower()
    if suffix == ".csv":
        raise ConfigError(
            "a .csv export needs --format nodes-csv or --format edges-csv"
        )
    return SUFFIXES.get(suffix, "turtle")


def export_graph(
    out_dir: Path | str | ox.Store, dest: Path | None, *, format: str | None = None
) -> tuple[str, bytes | None, tuple[Path, ...]]:
    """Export the store of ``out_dir`` as ``format`` to ``dest`` (or return it).

    Parameters
    ----------
    out_dir
        A build's output folder, or an open store (e.g. a snapshot of an
        external store, :func:`kg.remote.snapshot_remote`).
    dest
        The file (a folder for ``neo4j``) to write; ``None``: return the
        bytes for standard output (not for ``neo4j``).
    format
        One of :data:`FORMATS`; default from ``dest``'s suffix, else Turtle.

    Returns
    -------
    tuple
        The format, the bytes (when ``dest`` is None) and the paths written.

    Raises
    ------
    ConfigError
        No store, an unknown format, a refused or unwritable destination.

    Examples
    --------
    >>> import tempfile
    >>> from kg.store import write_documents
    >>> from kg.types import Document
    >>> d = tempfile.mkdtemp()
    >>> _ = write_documents(d, [Document("a.txt", "a.txt", "0" * 64, ())])
    >>> fmt, data, written = export_graph(d, None, format="nodes-csv")
    >>> data.decode().splitlines()[0]
    'entity,label,class,aliases,mentions,documents,dates'
    """
    from kg.store import open_store

    fmt = guess_format(dest, format)
    if fmt == "neo4j" and dest is None:
        raise ConfigError("the neo4j format writes a folder: give DEST")
    if dest is not None:
        # refuse a bad destination before reading anything
        _check_folder(dest) if fmt == "neo4j" else check_destination(dest)
    if fmt in RDF_FORMATS:
        data = export_store(out_dir, None, format=fmt)
        assert data is not None  # noqa: S101 - no path given
    else:
        store = out_dir if isinstance(out_dir, ox.Store) else open_store(out_dir)
        try:
            index = index_entities(store)
            statements = _statements(store, index) if fmt != "nodes-csv" else []
            if fmt == "neo4j":
                assert dest is not None  # noqa: S101 - checked above
                folder = _check_folder(dest)
                files = _neo4j_files(index, statements)
                written = tuple(write_file(folder / n, b) for n, b in files.items())
                return fmt, None, written
            if fmt == "nodes-csv":
                data = _nodes_csv(store, index)
            elif fmt == "edges-csv":
                data = _edges_csv(statements, index)
            else:
                graph = entity_graph(store, index, statements)
                data = _graphml(graph) if fmt == "graphml" else _gexf(graph)
        except (OSError, RuntimeError) as exc:
            detail = " ".join(str(exc).split())
            raise ConfigError(
                f"cannot read the store in {str(out_dir)!r}: {detail}"
            ) from exc
    if dest is None:
        return fmt, data, ()
    return fmt, None, (write_file(dest, data),)


# --- the store as RDF ---------------------------------------------------------


def export_store(
    out_dir: Path | str | ox.Store, path: Path | None, *, format: str = "turtle"
) -> bytes | None:
    """Serialise the store to ``path`` (or return the bytes when ``path`` is None).

    ``format`` is one of :data:`EXPORT_FORMATS` (turtle, ntriples, nquads,
    trig, jsonld, xml); kg's prefixes are declared where the format has them.

    Raises
    ------
    ConfigError
        Unknown format, or no store.

    Examples
    --------
    >>> import tempfile
    >>> from kg.store import write_documents
    >>> from kg.types import Document
    >>> d = tempfile.mkdtemp()
    >>> _ = write_documents(d, [Document("a.txt", "a.txt", "0" * 64, ())])
    >>> b"kgo:Document" in export_store(d, None, format="turtle")
    True
    """
    from kg.generations import _DEFAULT, _TURTLE_PREFIXES
    from kg.store import EXPORT_FORMATS, _graph_from, open_store

    fmt = EXPORT_FORMATS.get(format)
    if fmt is None:
        raise ConfigError(
            f"unknown export format {format!r}; "
            f"choose one of {', '.join(EXPORT_FORMATS)}"
        )
    store = out_dir if isinstance(out_dir, ox.Store) else open_store(out_dir)
    kwargs: dict[str, object] = {}
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.N3):
        kwargs["prefixes"] = _TURTLE_PREFIXES
    if not fmt.supports_datasets:
        kwargs["from_graph"] = _DEFAULT
    try:
        if fmt == ox.RdfFormat.JSON_LD:
            # compact JSON-LD with kg's prefixes as its @context (rdflib's writer)
            data = _graph_from(store).serialize(
                format="json-ld", context=_PREFIXES, auto_compact=True, encoding="utf-8"
            )
        else:
            data = store.dump(format=fmt, **kwargs)  # type: ignore[arg-type,assignment]
    except (OSError, RuntimeError) as exc:
        detail = " ".join(str(exc).split())
        raise ConfigError(
            f"cannot read the store in {str(out_dir)!r}: {detail}"
        ) from exc
    if path is None:
        return data
    write_file(Path(path), data)  # refuses devices, directories; atomic
    return None
