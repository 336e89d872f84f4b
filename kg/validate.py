"""``kg validate``: check a graph against the SHACL shapes in ``ontology/``.

The shapes (``ontology/kg.shapes.ttl``) have core constraints (counts,
datatypes, classes, value ranges), checked by pyshacl with the ontology mixed
in so ``sh:class`` follows ``rdfs:subClassOf``, and SPARQL-based constraints
(``sh:sparql``: a relation without a statement behind it, a relation outside
its property's domain or range...). pyshacl evaluates a SPARQL constraint
once per focus node, parsing its query anew each time with rdflib (848 parses,
over 100 s for a 24-article store); here each one runs once, for all its
focus nodes, in Oxigraph, with the same SHACL semantics: the focus nodes are
the shape's targets (``sh:targetClass``, also through ``rdfs:subClassOf``,
``sh:targetSubjectsOf``, ``sh:targetObjectsOf``, ``sh:targetNode``), ``$this``
is the focus node, each solution is one result whose message fills in
``{?var}`` and ``{$this}``.

Every result becomes one line (:attr:`ValidationReport.lines`): severity,
shape, focus node, message, violations before warnings.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from kg.errors import ConfigError
from kg.rdf import NS, new_graph

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "ValidationReport",
    "shapes_path",
    "validate_graph",
    "validate_output",
]

_PREFIXES = {prefix: str(ns) for prefix, ns in NS.items()}
_THIS = re.compile(r"\$this\b")
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_SELECT = re.compile(r"^\s*SELECT\s+(DISTINCT\s+)?", re.IGNORECASE)
_SLOT = re.compile(r"\{[?$](\w+)\}")


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """The outcome of a SHACL validation: a summary, one line per result.

    ``details`` holds the same lines as one text.

    Examples
    --------
    >>> ValidationReport(True, 0, "conforms", "").conforms
    True
    """

    conforms: bool
    violations: int
    summary: str
    details: str
    warnings: int = 0
    lines: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Result:
    severity: str
    shape: str
    focus: str
    message: str

    def line(self) -> str:
        return f"{self.severity} {self.shape}: {self.focus}: {self.message}"


def shapes_path() -> Path:
    """Return the path of kg's SHACL shapes (``ontology/kg.shapes.ttl``).

    Examples
    --------
    >>> shapes_path().name
    'kg.shapes.ttl'
    """
    from kg.ontology import ontology_dir

    return ontology_dir() / "kg.shapes.ttl"


def _short(term: object) -> str:
    text = str(getattr(term, "value", term))
    for prefix, namespace in _PREFIXES.items():
        if text.startswith(namespace):
            return f"{prefix}:{text[len(namespace) :]}"
    return text


def _name(shape: Node) -> str:
    return str(shape).rsplit("#", 1)[-1]


def _severity(shapes: Graph, node: Node, shape: Node) -> str:
    found = shapes.value(node, SH.severity) or shapes.value(shape, SH.severity)
    return _name(found) if found is not None else "Violation"


def _targets(shapes: Graph, shape: Node) -> list[str]:
    """SPARQL patterns binding ``?this`` to the shape's focus nodes."""
    patterns = []
    for cls in shapes.objects(shape, SH.targetClass):
        patterns.append(f"?this rdf:type/rdfs:subClassOf* <{cls}> .")
    if (shape, RDF.type, URIRef(str(NS["rdfs"]) + "Class")) in shapes:
        patterns.append(f"?this rdf:type/rdfs:subClassOf* <{shape}> .")
    for prop in shapes.objects(shape, SH.targetSubjectsOf):
        patterns.append(f"?this <{prop}> [] .")
    for prop in shapes.objects(shape, SH.targetObjectsOf):
        patterns.append(f"[] <{prop}> ?this .")
    for node in shapes.objects(shape, SH.targetNode):
        term = ox.NamedNode(str(node)) if isinstance(node, URIRef) else None
        if term is not None:
            patterns.append(f"VALUES ?this {{ {term} }}")
    return patterns


def _sparql_results(store: ox.Store, shapes: Graph) -> list[_Result]:
    results: list[_Result] = []
    for shape, node in sorted(shapes.subject_objects(SH.sparql), key=str):
        if shapes.value(node, SH.deactivated) == Literal(True):
            continue
        text = str(shapes.value(node, SH.select) or "")
        message = str(shapes.value(node, SH.message) or "SPARQL constraint failed")
        severity = _severity(shapes, node, shape)
        query = _THIS.sub("?this", text)
        where = _WHERE.search(query)
        if where is None:
            raise ConfigError(f"shape {_name(shape)}: a sh:select without WHERE")
        for target in _targets(shapes, shape):
            # the focus nodes first; DISTINCT since a node may be a target twice
            bound = (
                query[: where.end()] + "\n  { " + target + " }\n" + query[where.end() :]
            )
            bound = _SELECT.sub("SELECT DISTINCT ", bound, count=1)
            solutions = store.query(bound, prefixes=_PREFIXES)
            assert isinstance(solutions, ox.QuerySolutions)  # noqa: S101 - a SELECT
            names = [v.value for v in solutions.variables]
            for row in solutions:
                values = {n: row[n] for n in names}

                def fill(
                    match: re.Match[str], values: dict[str, object] = values
                ) -> str:
                    term = values.get(match[1])
                    return _short(term) if term is not None else match[0]

                results.append(
                    _Result(
                        severity,
                        _name(shape),
                        _short(values.get("this")),
                        _SLOT.sub(fill, message),
                    )
                )
    return results


def _without_sparql(shapes: Graph) -> Graph:
    core = Graph()
    for prefix, namespace in shapes.namespaces():
        core.bind(prefix, namespace)
    skip = {node for _s, node in shapes.subject_objects(SH.sparql)}
    for s, p, o in shapes:
        if p == SH.sparql or s in skip:
            continue
        core.add((s, p, o))
    return core


def _core_results(graph: Graph, shapes: Graph, ontology: Graph) -> list[_Result]:
    import pyshacl

    _conforms, report, _text = pyshacl.validate(
        graph,
        shacl_graph=_without_sparql(shapes),
        ont_graph=ontology,
        inference="none",
        allow_warnings=True,
    )
    assert isinstance(report, Graph)  # noqa: S101 - pyshacl returns its graph
    results = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        source = report.value(result, SH.sourceShape)
        parent = next(shapes.subjects(SH.property, source), None) if source else None
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        text = str(message) if message is not None else "constraint failed"
        if path is not None and isinstance(path, URIRef):
            text = f"{_short(path)}: {text}"
        results.append(
            _Result(
                _name(report.value(result, SH.resultSeverity) or SH.Violation),
                _name(parent if parent is not None else (source or SH.NodeShape)),
                _short(report.value(result, SH.focusNode)),
                text,
            )
        )
    return results


def _tally(results: Iterable[_Result]) -> str:
    per_shape = Counter(r.shape for r in results)
    return ", ".join(f"{k} {v}" for k, v in sorted(per_shape.items()))


def validate_graph(graph: Graph) -> ValidationReport:
    """Validate a graph against kg's SHACL shapes.

    Core constraints by pyshacl (the ontology mixed in, so ``sh:class``
    follows ``rdfs:subClassOf``), SPARQL constraints by Oxigraph, once per
    constraint for all focus nodes.

    Examples
    --------
    >>> validate_graph(new_graph()).conforms
    True
    """
    from kg.ontology import load_ontology

    shapes = Graph().parse(shapes_path(), format="turtle")
    ontology = load_ontology().graph
    store = ox.Store()
    data = (graph + ontology).serialize(format="nt", encoding="utf-8")
    if data:
        store.load(data, format=ox.RdfFormat.N_TRIPLES)
    found = list(
        dict.fromkeys(
            _core_results(graph, shapes, ontology) + _sparql_results(store, shapes)
        )
    )
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    found.sort(key=lambda r: (order.get(r.severity, 3), r.shape, r.focus, r.message))
    violations = [r for r in found if r.severity == "Violation"]
    warnings = [r for r in found if r.severity != "Violation"]
    note = f"; {len(warnings)} warnings ({_tally(warnings)})" if warnings else ""
    lines = tuple(r.line() for r in found)
    if not violations:
        summary = f"conforms: {len(graph)} triples checked{note}"
    else:
        focus = {r.focus for r in violations}
        summary = (
            f"does not conform: {len(violations)} violations "
            f"on {len(focus)} nodes ({_tally(violations)}){note}"
        )
    return ValidationReport(
        conforms=not violations,
        violations=len(violations),
        summary=summary,
        details="\n".join(lines),
        warnings=len(warnings),
        lines=lines,
    )


def validate_output(path: Path | str) -> ValidationReport:
    """Validate an output folder's store (or a Turtle file) against the shapes.

    Raises
    ------
    ConfigError
        Nothing to validate at ``path``, or it cannot be read.

    Examples
    --------
    >>> import tempfile
    >>> from kg.store import write_documents
    >>> from kg.types import Document
    >>> d = tempfile.mkdtemp()
    >>> _ = write_documents(d, [Document("a.txt", "a.txt", "0" * 64, ())])
    >>> validate_output(d).summary
    'conforms: 6 triples checked'
    """
    from kg.store import load_graph

    target = Path(path)
    if target.is_file():
        graph = new_graph()
        try:
            graph.parse(target)
        except (SyntaxError, ValueError, OSError) as exc:
            detail = " ".join(str(exc).split())
            raise ConfigError(f"cannot parse {str(target)!r}: {detail}") from exc
        return validate_graph(graph)
    try:
        graph = load_graph(target)
    except (OSError, RuntimeError, SyntaxError, ValueError) as exc:
        detail = " ".join(str(exc).split())
        raise ConfigError(
            f"cannot read the graph in {str(target)!r}: {detail}"
        ) from exc
    return validate_graph(graph)
