"""Answer one SPARQL Protocol query on an open store: the worker's side of ``kg serve``.

Everything here runs inside a query worker process (:mod:`kg.serve.worker`)
and imports only the standard library, pyoxigraph and :mod:`kg.sparql`, so a
worker starts in a fraction of a second and the server's event loop does no
per-query work beyond passing bytes. The time limit is the server's: it
kills the worker (:mod:`kg.serve.pool`).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus

import pyoxigraph as ox

from kg.errors import QueryError
from kg.sparql import check_query, quick_shape
from kg.sparql_messages import describe_syntax_error

__all__ = [
    "GRAPH_TYPES",
    "RESULT_TYPES",
    "Answer",
    "answer_query",
    "negotiate",
    "refuse_query",
]

#: Media types of SELECT/ASK results, the first the default.
RESULT_TYPES: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
#: Media types of CONSTRUCT/DESCRIBE results, the first the default.
GRAPH_TYPES: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
_TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True, slots=True)
class Answer:
    """An HTTP answer: status, media type, body and extra headers."""

    status: int
    media: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = field(default=())

    @classmethod
    def text(
        cls, status: int, message: str, headers: tuple[tuple[str, str], ...] = ()
    ) -> Answer:
        r"""Return a plain-text answer (one line).

        Examples
        --------
        >>> Answer.text(403, "no").body
        b'no\n'
        """
        return cls(status, _TEXT, (message + "\n").encode("utf-8"), headers)


class _CappedBuffer(io.RawIOBase):
    """A byte buffer that refuses to grow past ``limit`` (results are capped)."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.data = bytearray()
        self.limit = limit

    def writable(self) -> bool:
        return True

    def write(self, chunk: bytes) -> int:  # type: ignore[override]
        self.data += chunk
        if len(self.data) > self.limit:
            raise _ResultTooLargeError
        return len(chunk)


class _ResultTooLargeError(Exception):
    pass


def negotiate(
    accept: str, kind: str
) -> tuple[str, ox.QueryResultsFormat | ox.RdfFormat]:
    """Pick the media type and format for a query form from an ``Accept`` header.

    q-values rank the types; a wildcard or an unknown list gives the
    default (SPARQL JSON results, or Turtle for CONSTRUCT/DESCRIBE).

    Examples
    --------
    >>> negotiate("text/csv;q=0.5, application/sparql-results+json", "select")[0]
    'application/sparql-results+json'
    >>> negotiate("*/*", "construct")[0]
    'text/turtle'
    """
    types: Mapping[str, ox.QueryResultsFormat | ox.RdfFormat]
    types = GRAPH_TYPES if kind in {"construct", "describe"} else RESULT_TYPES
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        ranked.append((-q, i, fields[0].lower()))
    for neg_q, _i, media in sorted(ranked):
        if neg_q >= 0:
            continue
        if media in types:
            return media, types[media]
        if media in {"*/*", "application/*", "text/*"}:
            break
    default = next(iter(types))
    return default, types[default]


def refuse_query(
    text: str, prefixes: Mapping[str, str]
) -> tuple[Answer | None, str | None]:
    """Return the answer for a query refused before the engine, or its form.

    Update, ``LOAD`` and ``SERVICE`` get 403 (decided on the query's tokens),
    text over the size or nesting limits or that is no query 400.

    Examples
    --------
    >>> refuse_query("ASK {}", {})
    (None, 'ask')
    >>> int(refuse_query("LOAD <http://x/y.ttl>", {})[0].status)
    403
    """
    try:
        shape = quick_shape(text) or check_query(text)
    except QueryError as exc:
        return Answer.text(HTTPStatus.BAD_REQUEST, str(exc)), None
    if shape.update:
        return Answer.text(
            HTTPStatus.FORBIDDEN,
            "read-only endpoint: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, ...) "
            "is refused",
        ), None
    if shape.service:
        return Answer.text(
            HTTPStatus.FORBIDDEN,
            "SERVICE (federated query) is disabled on this endpoint",
        ), None
    if shape.kind is None:
        where = describe_syntax_error(text, "", list(prefixes))
        return Answer.text(
            HTTPStatus.BAD_REQUEST, f"SPARQL syntax error at {where}"
        ), None
    return None, shape.kind


def answer_query(
    store: ox.Store,
    text: str,
    *,
    accept: str = "",
    default_graphs: Sequence[str] = (),
    named_graphs: Sequence[str] = (),
    prefixes: Mapping[str, str] | None = None,
    max_result: int = 256 << 20,
) -> Answer:
    """Run one read-only query and serialise its results as negotiated.

    Updates, ``LOAD`` and ``SERVICE`` are refused from the query's tokens
    (403), text over the limits or with a syntax error gets 400 with the
    error in words, a result over ``max_result`` bytes 413.

    Examples
    --------
    >>> answer = answer_query(ox.Store(), "ASK {}", accept="application/json")
    >>> int(answer.status), answer.media, answer.body
    (200, 'application/json', b'{"head":{},"boolean":true}')
    >>> int(answer_query(ox.Store(), "SELECT * { ?s <http://x/service> ?o }").status)
    200
    >>> int(answer_query(ox.Store(), "SELECT * { SERVICE <x:y> { ?s ?p ?o } }").status)
    403
    """
    prefixes = prefixes or {}
    refused, kind = refuse_query(text, prefixes)
    if refused is not None or kind is None:
        assert refused is not None
        return refused
    media, fmt = negotiate(accept or "*/*", kind)
    output = _CappedBuffer(max_result)
    try:
        options: dict[str, list[ox.NamedNode]] = {}
        if default_graphs:
            options["default_graph"] = [ox.NamedNode(iri) for iri in default_graphs]
        if named_graphs:
            options["named_graphs"] = [ox.NamedNode(iri) for iri in named_graphs]
        results = store.query(text, prefixes=dict(prefixes), **options)  # type: ignore[arg-type]
        results.serialize(output, fmt)  # type: ignore[arg-type]
    except SyntaxError as exc:
        where = describe_syntax_error(text, str(exc), list(prefixes))
        return Answer.text(HTTPStatus.BAD_REQUEST, f"SPARQL syntax error at {where}")
    except _ResultTooLargeError:
        return Answer.text(
            HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
            f"the result is over this endpoint's {max_result >> 20} MB limit; "
            "add LIMIT or narrow the query",
        )
    except (OSError, RuntimeError, ValueError) as exc:
        message = " ".join(str(exc).split())
        return Answer.text(HTTPStatus.BAD_REQUEST, f"query failed: {message}")
    return Answer(HTTPStatus.OK, media, bytes(output.data))
