"""Resident memory of a build as it goes: client and worker after each batch.

One ``run_build`` in this process (the real build path: parser here, one
extraction worker forked, batches written to the store as they fill) over a
JSON Lines corpus of inspect-split texts of ``../shared/eval``
(:func:`scale.iter_corpus`: ECB+ training articles, Re-DocRED dev, GUM dev,
GAP development; recombined past them). After each batch of
``--batch-words`` words is written (sampled when the first document of the
next batch is extracted, and once at the end), it records the RSS of this
process (the client) and of its children (the extraction worker), Python's
gc-tracked objects and the parser's spaCy vocabulary (lexemes, strings);
at the end, the types of gc-tracked objects that grew most. The client's RSS
is also taken right after the build's own ``malloc_trim`` after each batch
(``after_build_trim``: words extracted so far, MiB).

``--no-zone`` parses without spaCy memory zones (``kg.nlp.ZONE_DOCUMENTS
= 0``, the code before them), ``--trim`` calls glibc ``malloc_trim(0)`` in
the client after each batch.

Usage::

    nice -n 5 python benchmarks/memory_probe.py --words 40000 --batch-words 5000 \
        [--no-zone] [--trim] [--label before]

Appends a run to ``benchmarks/results/memory.json`` (``--label`` names it).
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import datetime as dt
import functools
import gc
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import psutil

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from scale import iter_corpus  # noqa: E402

import kg.build_output  # noqa: E402
import kg.nlp  # noqa: E402
from kg.build import BuildConfig, run_build  # noqa: E402
from kg.nlp import load_pipeline  # noqa: E402

RESULTS = HERE / "results" / "memory.json"


def _rss() -> tuple[int, int]:
    me = psutil.Process()
    children = 0
    for child in me.children(recursive=True):
        with contextlib.suppress(psutil.Error):
            children += child.memory_info().rss
    return me.memory_info().rss // 2**20, children // 2**20


def _kg_caches() -> dict[str, Any]:
    """kg's functools caches (module-level functions), by qualified name."""
    found: dict[str, Any] = {}
    for name, module in list(sys.modules.items()):
        if not name.startswith("kg"):
            continue
        for attr, value in vars(module).items():
            if isinstance(value, functools._lru_cache_wrapper):
                found[f"{getattr(value, '__module__', name)}.{attr}"] = value
    return found


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
            "fsmblks", "uordblks", "fordblks", "keepcost",
        )
    ]  # fmt: skip


def _heap_detail() -> dict[str, int]:
    """Where the client's resident memory is (MiB): glibc's heap, Python's, the rest.

    ``malloc_used`` is what glibc's malloc has handed out and not had back
    (every C/C++/Rust allocation through it, Python's big objects),
    ``malloc_free`` what it holds free, ``python_blocks`` Python's small
    objects (pymalloc blocks in use), ``anon`` and ``file`` the process's
    anonymous and file-backed resident pages.
    """
    libc = ctypes.CDLL("libc.so.6")
    libc.mallinfo2.restype = _MallInfo2
    info = libc.mallinfo2()
    rollup: dict[str, int] = {}
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines()[1:]:
        key, _, rest = line.partition(":")
        rollup[key] = int(rest.split()[0]) // 1024
    mib = 2**20
    return {
        "rss": rollup.get("Rss", 0),
        "anon": rollup.get("Anonymous", 0),
        "file": rollup.get("Rss", 0) - rollup.get("Anonymous", 0),
        "malloc_used": (info.uordblks + info.hblkhd) // mib,
        "malloc_free": info.fordblks // mib,
        "malloc_mmapped": info.hblkhd // mib,
        "python_blocks": sys.getallocatedblocks(),
        "gc_objects": len(gc.get_objects()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, default=40_000)
    parser.add_argument("--batch-words", type=int, default=5_000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--no-zone", action="store_true")
    parser.add_argument("--trim", action="store_true")
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    if args.no_zone:
        kg.nlp.ZONE_DOCUMENTS = 0
    libc = ctypes.CDLL("libc.so.6") if args.trim else None
    root = Path(tempfile.mkdtemp(prefix="kg-memprobe-"))
    corpus = root / "corpus.jsonl"
    words_of: dict[str, int] = {}
    with corpus.open("w", encoding="utf-8") as fh:
        for doc_id, text, count in iter_corpus(args.words):
            fh.write(json.dumps({"id": doc_id, "text": text}) + "\n")
            words_of[doc_id] = count
    nlp = load_pipeline(None)
    rows: list[dict[str, object]] = []
    done = {"words": 0, "batch": 0}

    peak = {"client": 0}
    stop = threading.Event()

    def poll() -> None:  # the client's peak RSS between samples
        while not stop.wait(0.2):
            peak["client"] = max(peak["client"], _rss()[0])

    def sample() -> None:
        if libc is not None:
            libc.malloc_trim(0)
        client, worker = _rss()
        batch_peak, peak["client"] = max(peak["client"], client), 0
        rows.append(
            {
                "words": done["words"],
                "client_mib": client,
                "client_peak_mib": batch_peak,
                "worker_mib": worker,
                "gc_objects": len(gc.get_objects()),
                # len(vocab) counts lexemes ever added; this, those held
                "lexemes": sum(1 for _ in nlp.vocab),
                "strings": len(nlp.vocab.strings),
            }
        )
        print(rows[-1], flush=True)

    def on_document(document: object) -> None:
        record = str(getattr(document, "doc_id", "")).rsplit("#", 1)[-1]
        words = words_of.get(record, 0)
        if done["words"] // args.batch_words > done["batch"]:
            done["batch"] = done["words"] // args.batch_words
            sample()  # the previous batch is written: this one's first document
        done["words"] += words

    sample()
    types_before = Counter(type(o).__name__ for o in gc.get_objects())
    started = time.perf_counter()
    load = os.getloadavg()
    config = BuildConfig(
        out=root / "out",
        workers=args.workers,
        page=False,
        derived="never",
        batch_words=args.batch_words,
    )
    after_trim: list[tuple[int, int]] = []
    trim_heap = kg.build_output._trim_heap

    details: list[dict[str, int]] = []

    def trim_and_sample() -> None:  # the client right after the build's trim
        trim_heap()
        after_trim.append((done["words"], _rss()[0]))
        details.append({"words": done["words"], **_heap_detail()})
        print(details[-1], flush=True)

    kg.build_output._trim_heap = trim_and_sample
    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    run_build([str(corpus)], config=config, on_document=on_document)
    sample()
    stop.set()
    caches = _kg_caches()
    held = {name: f.cache_info().currsize for name, f in caches.items()}
    held = {k: v for k, v in sorted(held.items(), key=lambda kv: -kv[1]) if v > 100}
    print("kg caches holding over 100 entries:", held, flush=True)
    types_after = Counter(type(o).__name__ for o in gc.get_objects())
    types_after.subtract(types_before)
    grown = dict(types_after.most_common(12))
    print("gc-tracked objects grown, by type:", grown, flush=True)
    run = {
        "label": args.label,
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="minutes"),
        "load_average_before": [round(x, 2) for x in load],
        "words": args.words,
        "batch_words": args.batch_words,
        "workers": args.workers,
        "zone_documents": kg.nlp.ZONE_DOCUMENTS,
        "trim": args.trim,
        "seconds": round(time.perf_counter() - started, 1),
        "rows": rows,
        "after_build_trim": after_trim,
        "after_build_trim_detail": details,
        "grown_types": grown,
    }
    runs = json.loads(RESULTS.read_text()) if RESULTS.exists() else []
    runs.append(run)
    RESULTS.write_text(json.dumps(runs, indent=1) + "\n")
    for f in caches.values():
        f.cache_clear()
    gc.collect()
    before_trim = _rss()[0]
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    print(
        f"client RSS after clearing kg's caches: {before_trim} MiB, "
        f"after malloc_trim(0): {_rss()[0]} MiB",
        flush=True,
    )
    run["cleared_mib"] = [before_trim, _rss()[0]]
    runs[-1] = run
    RESULTS.write_text(json.dumps(runs, indent=1) + "\n")
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
