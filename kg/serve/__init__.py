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

Why not Oxigraph's own server behind kg (``oxigraph serve-read-only``): kg
would still sit in front of it in Python (to serve the pages, check Host,
add headers and read every query for ``SERVICE``, which Oxigraph evaluates),
it does not follow the store generations ``kg build`` publishes, and one bad
query can take it down (a 52 KB query made it abort in
``benchmarks/endpoint_load.py``), where a killed worker here takes only its
own query. See ``benchmarks/results/endpoint.md`` for both on one store.

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
