"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint as fast as its engine.

Layout, in the order a request flows:

* :mod:`kg.serve.server`: uvicorn (httptools, uvloop) on a socket bound to
  127.0.0.1 by default, with a header deadline and size cap added to its
  protocol; :func:`make_server` builds it, :class:`SparqlServer` runs it;
* :mod:`kg.serve.app`: the Starlette app: ``/sparql`` (GET, POST form or
  ``application/sparql-query``), ``/`` and ``/query`` (offline pages),
  ``/graph`` (``output/graph.html``); the Host allow-list and security
  headers (:class:`~kg.serve.app.HostGuard`); the body limit;
* :mod:`kg.serve.pool`: a fixed pool of worker processes, each holding the
  store open read-only once; a bounded queue (``503`` when full); a deadline
  per request that kills the worker of a query running over it;
* :mod:`kg.serve.worker` and :mod:`kg.serve.answer`: in each worker, the
  read-only checks on the query's tokens (:mod:`kg.sparql`: Update,
  ``LOAD`` and ``SERVICE`` refused by structure), Oxigraph's evaluation,
  content negotiation (JSON, XML, CSV, TSV; Turtle, N-Triples, JSON-LD,
  RDF/XML) and serialisation.

Why not Oxigraph's own server behind kg (``oxigraph serve-read-only``):
its ``--timeout-s`` does not stop a query that is still being planned
(Oxigraph plans some small queries for minutes), it does not follow the
store generations ``kg build`` publishes, it evaluates ``SERVICE`` (kg would
still have to read every query first), and kg would proxy every request
through Python anyway to serve the pages, check Host and add headers. The
pool gives the same engine with a kill that always works; see
``benchmarks/results/endpoint.md`` for both measured on one store.

``kg push`` lives in :mod:`kg.push`; its names are re-exported here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.push import PushError, PushReport, push_store
    from kg.serve.server import ServeOptions, SparqlServer, make_server

__all__ = [
    "PushError",
    "PushReport",
    "ServeOptions",
    "SparqlServer",
    "make_server",
    "push_store",
]

_HOMES = {
    "PushError": "kg.push",
    "PushReport": "kg.push",
    "push_store": "kg.push",
    "ServeOptions": "kg.serve.server",
    "SparqlServer": "kg.serve.server",
    "make_server": "kg.serve.server",
}


def __getattr__(name: str) -> object:
    """Import the server stack only when it is used (a worker never needs it)."""
    import importlib

    if name not in _HOMES:
        raise AttributeError(f"module 'kg.serve' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name]), name)
