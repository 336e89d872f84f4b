"""The Python API at corpus scale: KnowledgeGraph on a 500-document store.

The store is the build of the 500 Re-DocRED dev documents
(``benchmarks/corpora.py redocred500``). Measured, in one process:

* ``open``: :meth:`KnowledgeGraph.open`; ``to_networkx``: the whole entity
  graph (read once per opened store); the calls below run on a fresh
  instance, so the first of each is cold;
* ``evidence``: the sentences behind one edge, for ``--samples`` edges;
* ``neighbours``: one entity's relations, by its name;
* ``shortest_path``: between two connected entities, by name, with a
  sentence per hop, all on one opened graph (a session: the neighbours a
  search read are remembered); ``shortest_path_cold``: the first ``--cold``
  of the same paths, each on a freshly opened graph;
* ``find_entity``: a name to its IRI;
* ``evidence, SPARQL substitutions``: the same answer the way kg 0.1 asked
  Oxigraph for it (``run_query(EVIDENCE_QUERY, bindings=...)``), on a few
  edges, each in a child process stopped after ``--old-timeout`` seconds.

Medians and 95th percentiles in ms. Results:
``benchmarks/results/api.{json,md}``.

Run::

    python benchmarks/api_latency.py --samples 200
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpora import DEFAULT_ROOT, build_corpus  # noqa: E402

from kg.query import KnowledgeGraph  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
OLD = """
import sys, time
from rdflib import URIRef
from kg.query import EVIDENCE_QUERY, run_query
from kg.store import open_store
s, p, o, out = sys.argv[1:]
store = open_store(out)
t = time.perf_counter()
bindings = {"s": URIRef(s), "p": URIRef(p), "o": URIRef(o)}
rows = list(run_query(store, EVIDENCE_QUERY, bindings=bindings))
print(time.perf_counter() - t, len(rows))
"""


def _stats(values: list[float]) -> dict[str, float]:
    ms = sorted(v * 1000 for v in values)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    return {
        "median_ms": round(statistics.median(ms), 2),
        "p95_ms": round(p95, 2),
        "max_ms": round(ms[-1], 2),
        "n": len(ms),
    }


def _timed(fn, *args, **kwargs) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    fn(*args, **kwargs)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--old-samples", type=int, default=3)
    parser.add_argument("--cold", type=int, default=50)
    parser.add_argument("--old-timeout", type=float, default=300.0)
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    args = parser.parse_args()
    out = build_corpus("redocred500", args.root)
    rng = random.Random(11)
    import pandas  # noqa: F401 - imported once before the clock starts, as in a session

    # the samples come from the whole graph, read by a second instance, so the
    # instance measured starts cold (nothing read ahead)
    started = time.perf_counter()
    graph = KnowledgeGraph.open(out).to_networkx()
    networkx_s = time.perf_counter() - started
    started = time.perf_counter()
    kg = KnowledgeGraph.open(out)
    open_s = time.perf_counter() - started
    edges = sorted(graph.edges(keys=True))
    labels = {n: d["label"] for n, d in graph.nodes(data=True)}
    counts: dict[str, int] = {}
    for name in labels.values():
        counts[name.casefold()] = counts.get(name.casefold(), 0) + 1
    named = sorted(n for n, name in labels.items() if counts[name.casefold()] == 1)

    evidence = [
        _timed(kg.evidence, (s, p, o))
        for s, o, p in rng.sample(edges, min(args.samples, len(edges)))
    ]
    neighbours = [
        _timed(kg.neighbours, labels[n])
        for n in rng.sample(named, min(args.samples, len(named)))
    ]
    finds = [
        _timed(kg.find_entity, labels[n])
        for n in rng.sample(named, min(args.samples, len(named)))
    ]
    import networkx as nx

    undirected = nx.Graph(graph)
    component = sorted(max(nx.connected_components(undirected), key=len))
    component = [n for n in component if counts[labels[n].casefold()] == 1]
    paths, hops, pairs = [], [], []
    for _ in range(min(args.samples // 2, 100)):
        a, b = rng.sample(component, 2)
        pairs.append((a, b))
        started = time.perf_counter()
        frame = kg.shortest_path(labels[a], labels[b])
        paths.append(time.perf_counter() - started)
        hops.append(len(frame))
    # the same paths, each asked of a freshly opened graph (nothing remembered
    # from an earlier search)
    cold = []
    for a, b in pairs[: args.cold]:
        fresh = KnowledgeGraph.open(out)
        started = time.perf_counter()
        fresh.shortest_path(labels[a], labels[b])
        cold.append(time.perf_counter() - started)

    old = []
    for s, o, p in rng.sample(edges, args.old_samples):
        try:
            result = subprocess.run(
                [sys.executable, "-c", OLD, s, p, o, str(out)],
                capture_output=True,
                text=True,
                timeout=args.old_timeout,
                env={
                    **os.environ,
                    "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
                },
                check=True,
            )
            old.append(float(result.stdout.split()[0]))
        except subprocess.TimeoutExpired:
            old.append(float("inf"))
    rows = {
        "store": {
            "documents": 500,
            "triples": len(kg),
            "entities": graph.number_of_nodes(),
            "relations": graph.number_of_edges(),
        },
        "open_ms": round(open_s * 1000, 1),
        "to_networkx_ms": round(networkx_s * 1000, 1),
        "evidence": _stats(evidence),
        "neighbours": _stats(neighbours),
        "find_entity": _stats(finds),
        "shortest_path": _stats(paths) | {"median_hops": statistics.median(hops)},
        "shortest_path_cold": _stats(cold),
        "old_evidence_substitutions_s": [
            round(v, 2) if v != float("inf") else None for v in old
        ],
    }
    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "cpus": os.cpu_count(),
        "load": os.getloadavg(),
        "python": platform.python_version(),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "api.json").write_text(
        json.dumps({"meta": meta, "results": rows}, indent=2) + "\n"
    )
    print(json.dumps(rows, indent=2))
    print(json.dumps(meta))


if __name__ == "__main__":
    main()
