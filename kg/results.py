"""Query results as Python sees them: rows of rdflib terms, tables, DataFrames.

:class:`SelectResult` holds a SELECT's rows (pandas on demand, an HTML table
in notebooks); :func:`display_term` writes a term as a result table shows it
(``kgo:owns``, ``kg:entity/ada``); :func:`to_python_results` turns Oxigraph's
raw results into a :class:`SelectResult`, a bool or an rdflib graph.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, TypeAlias

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from kg.errors import QueryError
from kg.rdf import NS, new_graph

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import Console

__all__ = [
    "SelectResult",
    "Value",
    "display_term",
    "print_remote_result",
    "print_result",
    "to_python_results",
]

Value: TypeAlias = "Node | None"
_PREFIXES: dict[str, str] = {prefix: str(ns) for prefix, ns in NS.items()}


@dataclass(frozen=True, slots=True)
class SelectResult:
    """The rows of a ``SELECT`` query: variable names and rdflib terms.

    Iterating yields one ``dict`` per row (unbound variables map to None).

    Examples
    --------
    >>> r = SelectResult(("x",), ((Literal(1),),))
    >>> [row["x"].toPython() for row in r], len(r)
    ([1], 1)
    >>> int(r.to_frame().iloc[0, 0])
    1
    """

    variables: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]

    def __iter__(self) -> Iterator[dict[str, Value]]:
        for row in self.rows:
            yield dict(zip(self.variables, row, strict=True))

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, name: str) -> list[Value]:
        """Return the values of one variable, in row order."""
        index = self.variables.index(name)
        return [row[index] for row in self.rows]

    def to_frame(self) -> pd.DataFrame:
        """Return the rows as a pandas DataFrame of Python values.

        IRIs become strings, typed literals their Python value (decimals
        become floats), unbound values ``None``.
        """
        import pandas as pd

        return pd.DataFrame(
            [[_python(v) for v in row] for row in self.rows],
            columns=list(self.variables),
        )

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(v)}</th>" for v in self.variables)
        body = "".join(
            "<tr>"
            + "".join(f"<td>{html.escape(display_term(v))}</td>" for v in row)
            + "</tr>"
            for row in self.rows[:200]
        )
        more = (
            f"<p>{len(self.rows) - 200} more rows</p>" if len(self.rows) > 200 else ""
        )
        return (
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"
        )


def _python(value: Value) -> object:
    if value is None:
        return None
    if isinstance(value, Literal):
        py = value.toPython()
        if isinstance(py, Decimal):
            return float(py)
        return py if not isinstance(py, Literal) else str(py)
    return str(value)


def display_term(value: Value) -> str:
    """Write a term as result tables show it: a prefixed name where one fits.

    Examples
    --------
    >>> display_term(URIRef("https://w3id.org/kg/ontology#owns"))
    'kgo:owns'
    >>> display_term(None)
    ''
    """
    if value is None:
        return ""
    text = str(value)
    for prefix, namespace in _PREFIXES.items():
        if isinstance(value, URIRef) and text.startswith(namespace):
            return f"{prefix}:{text[len(namespace) :]}"
    return text


def _to_rdflib(term: object) -> Value:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == str(XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise QueryError(f"unsupported RDF term in a result: {term!r}")


def to_python_results(
    results: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples,
) -> SelectResult | bool | Graph:
    """Turn Oxigraph's results into rows, a bool (ASK) or an rdflib graph.

    Raises
    ------
    QueryError
        The query fails while its rows are read.

    Examples
    --------
    >>> to_python_results(ox.Store().query("ASK {}"))
    True
    """
    if isinstance(results, ox.QueryBoolean):
        return bool(results)
    if isinstance(results, ox.QueryTriples):
        graph = new_graph()
        for triple in results:
            graph.add(
                (
                    _to_rdflib(triple.subject),
                    _to_rdflib(triple.predicate),
                    _to_rdflib(triple.object),
                )  # type: ignore[arg-type]
            )
        return graph
    variables = tuple(v.value for v in results.variables)
    try:
        rows = tuple(tuple(_to_rdflib(row[v]) for v in variables) for row in results)
    except (OSError, RuntimeError, ValueError) as exc:
        raise QueryError(
            f"SPARQL evaluation failed: {' '.join(str(exc).split())}"
        ) from exc
    return SelectResult(variables, rows)


def print_result(result: SelectResult | bool | Graph, console: Console) -> None:
    """Print a query's result as ``kg query --format table`` does."""
    if isinstance(result, bool):
        console.print("yes" if result else "no")
    elif isinstance(result, SelectResult):
        from rich.table import Table

        table = Table(*result.variables, show_lines=False)
        for row in result.rows:
            table.add_row(*(display_term(v) for v in row))
        console.print(table)
        console.print(f"{len(result)} rows", style="dim")
    else:
        console.print(result.serialize(format="turtle"), markup=False, highlight=False)


def print_remote_result(url: str, text: str, fmt: str, console: Console) -> None:
    """``kg query --store URL``: the same output formats, from the external store."""
    import sys

    from kg.query import serialize_result
    from kg.remote import RemoteStore, query_remote

    result = query_remote(RemoteStore.parse(url), text)
    if isinstance(result, bytes):  # CONSTRUCT / DESCRIBE: N-Triples
        sys.stdout.buffer.write(result)
    elif fmt != "table":
        sys.stdout.buffer.write(serialize_result(result, fmt))
    else:
        print_result(to_python_results(result), console)
    sys.stdout.flush()
