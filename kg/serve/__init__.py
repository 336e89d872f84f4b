"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint as fast as its engine.

Layout, in the order a request flows:

* :mod:`kg.serve.server`: the server process: reserves the address and
  starts a few worker processes (:mod:`kg.serve.worker`), replaces those
  that stop, stops those over the memory limit; :func:`make_server` builds
  it, :class:`SparqlServer` runs it;
* :mod:`kg.serve.worker`: one worker process: it listens on the address
  (``SO_REUSEPORT``: the kernel spreads connections over the workers) and
  runs uvicorn (httptools, uvloop) with :mod:`kg.serve.protocol`'s header
  deadline and size cap;
* :mod:`kg.serve.app`: the ASGI app: ``/sparql`` (GET, POST form or
  ``application/sparql-query``), ``/`` and ``/query`` (offline pages,
  :mod:`kg.serve.pages`), ``/graph`` (``output/graph.html``); the Host
  allow-list and security headers (:class:`~kg.serve.app.HostGuard`); the
  body limit;
* :mod:`kg.serve.engine`: the worker's engine: the embedded store, open
  read-only once, queries on a few deep-stack threads (Oxigraph releases
  the GIL), a deadline per request, at most ``max_pending`` in flight
  (``503`` beyond); or an external SPARQL store the queries are forwarded
  to (``kg serve --store URL``);
* :mod:`kg.serve.answer`: the read-only checks on the query's tokens
  (:mod:`kg.sparql`: Update, ``LOAD`` and ``SERVICE`` refused by
  structure), Oxigraph's evaluation, content negotiation (JSON, XML, CSV,
  TSV; Turtle, N-Triples, JSON-LD, RDF/XML) and serialisation.

A request crosses no process boundary: the worker that accepted the
connection parses, checks, evaluates and answers. pyoxigraph cannot cancel
a running query, so a query past its deadline is answered ``503`` and its
worker retires (a replacement first, then it finishes its other requests
and exits, which ends the query).

Why not Oxigraph's own server behind kg (``oxigraph serve-read-only``): kg
would still sit in front of it in Python (to serve the pages, check Host,
add headers and read every query for ``SERVICE``, which Oxigraph evaluates),
it does not follow the store generations ``kg build`` publishes, and one bad
query can take it down (a 52 KB query made it abort in
``benchmarks/endpoint_load.py``), where here it costs one worker, replaced
without a refused connection. See ``benchmarks/results/endpoint.md``.

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
