"""Corpus entity resolution on a Dask cluster: the map and reduce against one pass.

Over synthetic corpora of several sizes (:func:`link_incremental.synthetic_corpus`,
invented names, deterministic), in one run:

* **in memory** (what a local build does): the corpus step over all
  documents on the client (:func:`kg.link.link_into_store` into an empty
  store): summaries, candidate pairs, judging, clustering;
* **cluster** (what ``kg build --cluster local:2`` does): the documents are
  scattered to a ``LocalCluster`` of 2 worker processes (where a cluster
  build extracts them), the map tasks summarise them and split the
  summaries by block partition (:func:`kg.cluster.map_documents`), one
  reduce task per partition judges its blocks' candidate pairs
  (:func:`kg.cluster.reduce_pairs`); then the client's part, clustering over
  the judged pairs (``link_into_store(..., premapped=...)``).

For each: wall time, and the client's peak of memory allocated by the step
(``tracemalloc``, in a separate run: the corpus itself, which the client
holds either way, is not counted); what the client received from the
reduce (pairs, pickled bytes); and whether the two give the same decisions.

Usage::

    python benchmarks/link_dask.py --documents 200 1000 3000

Writes ``benchmarks/results/link_dask.{json,md}``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import logging
import os
import pickle
import platform
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.link_incremental import synthetic_corpus  # noqa: E402
from kg.link import Premapped, link_into_store  # noqa: E402
from kg.types import Document  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
CHUNK = 8  # documents per map task, as kg.cluster.CHUNK_DOCUMENTS


def _peak(fn: Callable[[], object]) -> float:
    """MiB allocated at the peak of ``fn`` beyond what was allocated before."""
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 2**20


def _timed(fn: Callable[[], object]) -> tuple[float, float, object]:
    """Wall and CPU seconds of ``fn`` in this thread (CPU: steadier under load).

    The cyclic garbage collector is paused, as ``kg build`` pauses it for
    the write; the CPU time is this thread's (not the Dask client's
    communication thread).
    """
    gc.collect()
    gc.disable()
    try:
        started, cpu = time.perf_counter(), time.thread_time()
        result = fn()
        return time.perf_counter() - started, time.thread_time() - cpu, result
    finally:
        gc.enable()


def _cluster_reduce(client: object, corpus: list[Document], parts: int) -> Premapped:
    """The map and reduce tasks on the cluster; the client gets the pairs."""
    from kg.cluster import _head, _part, map_documents, reduce_pairs

    chunks = [corpus[i : i + CHUNK] for i in range(0, len(corpus), CHUNK)]
    scattered = client.scatter(chunks)  # type: ignore[attr-defined]
    submit = client.submit  # type: ignore[attr-defined]
    started = time.perf_counter()
    pieces: list[list[object]] = [[] for _ in range(parts)]
    heads = []
    for number, chunk in enumerate(scattered):
        whole = submit(map_documents, chunk, number, parts, pure=False)
        heads.append(submit(_head, whole, pure=False))
        for p in range(parts):
            pieces[p].append(submit(_part, whole, p, pure=False))
        whole.release()
    summaries, offsets, entities = {}, {}, 0
    gathered = client.gather(heads)  # type: ignore[attr-defined]
    for number, (chunk, head) in enumerate(zip(chunks, gathered, strict=True)):
        offsets[number] = entities
        for document, summary in zip(chunk, pickle.loads(head), strict=True):  # noqa: S301
            summaries[document.doc_id] = summary
            entities += len(summary)
    mapped = time.perf_counter()
    pairs = reduce_pairs(client, pieces)  # type: ignore[arg-type]
    _cluster_reduce.map_seconds = mapped - started  # type: ignore[attr-defined]
    _cluster_reduce.seconds = time.perf_counter() - started  # type: ignore[attr-defined]
    return Premapped(summaries, pairs, offsets)


def run(sizes: list[int], workers: int) -> dict[str, object]:
    from distributed import Client, LocalCluster

    rows = []
    cluster = LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        silence_logs=logging.ERROR,
    )
    client = Client(cluster, set_as_default=False)
    parts = 2 * workers  # kg.cluster.PARTS_PER_THREAD per worker thread
    # what a build's workers have done before the corpus step: imported kg
    client.run(lambda: __import__("kg.cluster"))
    try:
        for n in sizes:
            corpus = synthetic_corpus(n)
            local_s, local_cpu, here = _timed(
                lambda corpus=corpus: link_into_store(ox.Store(), corpus)
            )
            local_mib = _peak(lambda corpus=corpus: link_into_store(ox.Store(), corpus))
            premapped = _cluster_reduce(client, corpus, parts)
            tasks_s = _cluster_reduce.seconds  # type: ignore[attr-defined]
            client_s, client_cpu, there = _timed(
                lambda corpus=corpus, p=premapped: link_into_store(
                    ox.Store(), corpus, premapped=p
                )
            )
            client_mib = _peak(
                lambda corpus=corpus, p=premapped: link_into_store(
                    ox.Store(), corpus, premapped=p
                )
            )
            rows.append(
                {
                    "documents": n,
                    "entities": len(here.decisions),  # type: ignore[attr-defined]
                    "pairs_received": len(premapped.pairs),
                    "pairs_bytes": len(pickle.dumps(premapped.pairs)),
                    "summaries_bytes": len(pickle.dumps(dict(premapped.summaries))),
                    "in_memory_seconds": round(local_s, 3),
                    "in_memory_cpu_seconds": round(local_cpu, 3),
                    "in_memory_peak_mib": round(local_mib, 1),
                    "cluster_tasks_seconds": round(tasks_s, 3),
                    "cluster_map_seconds": round(_cluster_reduce.map_seconds, 3),  # type: ignore[attr-defined]
                    "cluster_client_seconds": round(client_s, 3),
                    "cluster_client_cpu_seconds": round(client_cpu, 3),
                    "cluster_client_peak_mib": round(client_mib, 1),
                    "same_decisions": here.decisions == there.decisions,  # type: ignore[attr-defined]
                }
            )
            print(json.dumps(rows[-1]), flush=True)
    finally:
        client.close()
        cluster.close()
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "workers": workers,
        "parts": parts,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "cpus": len(os.sched_getaffinity(0)),
        "python": platform.python_version(),
        "rows": rows,
    }


def write_results(figures: dict[str, object]) -> None:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "link_dask.json").write_text(json.dumps(figures, indent=2) + "\n")
    rows = figures["rows"]
    assert isinstance(rows, list)
    lines = [
        f"| {r['documents']:,} | {r['entities']:,} "
        f"| {r['in_memory_cpu_seconds']} s ({r['in_memory_seconds']} s) "
        f"| {r['in_memory_peak_mib']} MiB "
        f"| {r['cluster_map_seconds']} / {r['cluster_tasks_seconds']} s "
        f"| {r['cluster_client_cpu_seconds']} s ({r['cluster_client_seconds']} s) "
        f"| {r['cluster_client_peak_mib']} MiB "
        f"| {r['pairs_received']:,} ({r['pairs_bytes'] / 2**20:.1f} MiB) "
        f"| {r['same_decisions']} |"
        for r in rows
    ]
    table = "\n".join(lines)
    sizes = " ".join(str(r["documents"]) for r in rows)
    md = f"""# Corpus entity resolution on a Dask cluster: map and reduce against \
one pass

{figures["date"]}, one run, {figures["cpus"]} shared CPUs (load average at the end
{", ".join(map(str, figures["load_average"]))}), Python {figures["python"]};
`LocalCluster` of {figures["workers"]} worker processes, {figures["parts"]} reduce
partitions. Synthetic corpora (`benchmarks/link_incremental.py`, invented names).

*In memory* is the local build's corpus step on the client (`link_into_store` into
an empty store). *Cluster*: the map tasks (summaries split by block partition, run
where a cluster build extracts the documents) and one reduce task per partition
(candidate pairs of its blocks, judged) on the workers, then the client's part:
clustering over the judged pairs. Client CPU = CPU seconds of the client's thread
(steadier than wall time on this shared machine; the garbage collector paused as in
`kg build`'s write); client peak = memory allocated by
the step (`tracemalloc`, Python objects), beyond the documents the client holds
either way. Most of that peak is the step's output in both cases: the entity-link
quads (eight per entity) the write then loads into the store.

| documents | entities | in memory: client CPU (wall) | in memory: client peak \
| cluster: map / map + reduce tasks, wall | cluster: client CPU (wall) \
| cluster: client peak | judged pairs received | same decisions |
|---:|---:|---:|---:|---:|---:|---:|---:|---|
{table}

Reproduce: `python benchmarks/link_dask.py --documents {sizes}`.
"""
    (RESULTS / "link_dask.md").write_text(md)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, nargs="+", default=[200, 1000, 3000])
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    write_results(run(args.documents, args.workers))


if __name__ == "__main__":
    main()
