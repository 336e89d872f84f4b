"""The write side of a long build alone: the client's memory batch after batch.

A cheap probe of what grows in the client of a build of a million words
(issue 20) without parsing: the documents of a small corpus of
inspect-split texts (:func:`scale.iter_corpus`) are extracted once (cached
in ``--cache``), then written again and again under new ids, in batches of
``--batch-words`` words, into one store through the build's own write path
(:func:`kg.store.write_batches`: the corpus step against the store, the
bulk loads, the store reopened after each batch) with the build's
``malloc_trim`` and cache clearing after each batch. The corpus of the
scale benchmarks recombines the same texts too, so the store grows as it
does there: documents and quads, the same names.

After each batch it records the RSS, glibc's ``mallinfo2`` (in use, free)
and Python's blocks. Run it under different allocator settings to see
what the growth is, e.g. ``MALLOC_ARENA_MAX=2``.

Usage::

    nice -n 5 python benchmarks/write_probe.py --batches 10 --batch-words 50000 \
        [--label default]

Appends a run to ``benchmarks/results/write_probe.json``.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import pickle
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from memory_probe import _heap_detail  # noqa: E402

import kg.build_output  # noqa: E402
from kg.store import prepare_document  # noqa: E402
from kg.types import Document  # noqa: E402

RESULTS = HERE / "results" / "write_probe.json"


def _extract(words: int, cache: Path) -> list[tuple[Document, int]]:
    """The documents of ``words`` words of the scale corpus (cached)."""
    if cache.exists():
        with cache.open("rb") as fh:
            cached: list[tuple[Document, int]] = pickle.load(fh)  # noqa: S301
        return cached
    from scale import iter_corpus

    from kg.build import BuildConfig, run_build

    root = Path(tempfile.mkdtemp(prefix="kg-write-probe-"))
    corpus = root / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as fh:
        for doc_id, text, _count in iter_corpus(words):
            fh.write(json.dumps({"id": doc_id, "text": text}) + "\n")
    kept: list[tuple[Document, int]] = []
    original = kg.build_output._write_local

    def capture(run, extracted, *args, **kwargs):  # type: ignore[no-untyped-def]
        items = list(extracted)
        kept.extend((e.document, e.words) for e in items)
        return original(run, items, *args, **kwargs)

    import kg.build as kg_build

    kg_build._write_local = capture  # type: ignore[attr-defined]
    config = BuildConfig(out=root / "out", page=False, derived="never")
    run_build([str(corpus)], config=config)
    kg_build._write_local = original  # type: ignore[attr-defined]
    shutil.rmtree(root, ignore_errors=True)
    with cache.open("wb") as fh:
        pickle.dump(kept, fh)
    return kept


def _renamed(document: Document, doc_id: str) -> Document:
    triples = tuple(
        dataclasses.replace(
            t, provenance=dataclasses.replace(t.provenance, doc_id=doc_id)
        )
        for t in document.triples
    )
    return dataclasses.replace(document, doc_id=doc_id, source=doc_id, triples=triples)


def _anon_by_mapping() -> dict[str, int]:
    """Anonymous resident MiB: the brk heap, 1 MiB mappings, the other mappings."""
    import re

    found = {"brk_heap": 0, "one_mib_maps": 0, "one_mib_count": 0, "other_anon": 0}
    kind = ""
    for line in Path("/proc/self/smaps").read_text().splitlines():
        head = re.match(r"^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(\S*)", line)
        if head:
            size = int(head[2], 16) - int(head[1], 16)
            name = head[3]
            kind = (
                "brk_heap" if name == "[heap]"
                else "one_mib_maps" if not name and size == 2**20
                else "other_anon" if not name
                else ""
            )  # fmt: skip
            found["one_mib_count"] += kind == "one_mib_maps"
        elif line.startswith("Anonymous:") and kind:
            found[kind] += int(line.split()[1])
    return {k: (v if k == "one_mib_count" else v // 1024) for k, v in found.items()}


def _malloc_info(folder: Path, number: int) -> None:
    """glibc's ``malloc_info`` XML (arenas, free chunk sizes) into ``folder``."""
    import ctypes

    libc = ctypes.CDLL("libc.so.6")
    libc.fopen.restype = ctypes.c_void_p
    libc.fopen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
    libc.fclose.argtypes = [ctypes.c_void_p]
    folder.mkdir(parents=True, exist_ok=True)
    fp = libc.fopen(str(folder / f"batch-{number:02d}.xml").encode(), b"w")
    libc.malloc_info(0, fp)
    libc.fclose(fp)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--words", type=int, default=30_000, help="words extracted once"
    )
    parser.add_argument("--batches", type=int, default=10)
    parser.add_argument("--batch-words", type=int, default=50_000)
    parser.add_argument(
        "--cache", type=Path, default=Path("/tmp/kg-write-probe.pickle")
    )
    parser.add_argument("--label", default="")
    parser.add_argument(
        "--no-stored-links", action="store_true",
        help="diagnosis only: the corpus step reads no stored links (not a build)",
    )  # fmt: skip
    parser.add_argument("--trace", action="store_true", help="tracemalloc: what grew")
    parser.add_argument("--malloc-info", type=Path, help="folder for malloc_info XML")
    args = parser.parse_args()
    from kg.store import write_batches

    pool = _extract(args.words, args.cache)
    import threading

    import psutil

    import kg.link

    linked: dict[str, float] = {"links_read": 0, "entities_read": 0, "link_s": 0.0}
    link = kg.link.link_into_store

    def counted(*a, **k):  # type: ignore[no-untyped-def]
        began = time.perf_counter()
        result = link(*a, **k)
        linked["link_s"] += time.perf_counter() - began
        linked["links_read"] += result.links_read
        linked["entities_read"] += result.entities_read
        return result

    kg.link.link_into_store = counted
    if args.no_stored_links:
        import kg.link.persist

        kg.link.persist._has_links = lambda store: False
    peak = {"rss": 0}

    def poll() -> None:
        me = psutil.Process()
        while True:
            peak["rss"] = max(peak["rss"], me.memory_info().rss // 2**20)
            time.sleep(0.2)

    threading.Thread(target=poll, daemon=True).start()
    began = [time.perf_counter(), time.process_time()]
    rows: list[dict[str, int]] = []
    done = {"words": 0}

    def batches() -> Iterator[tuple[list[Document], dict[str, object]]]:
        position = 0
        for number in range(args.batches):
            documents: list[Document] = []
            prepared = {}
            words = 0
            while words < args.batch_words:
                document, count = pool[position % len(pool)]
                copy = _renamed(document, f"c{position // len(pool)}-{document.doc_id}")
                documents.append(copy)
                prepared[copy.doc_id] = prepare_document(copy)
                words += count
                position += 1
            done["words"] += words
            yield documents, prepared  # type: ignore[misc]
            del documents, prepared
            kg.build_output._clear_corpus_caches()
            kg.build_output._trim_heap()
            row = {
                "batch": number + 1,
                "words": done["words"],
                **_heap_detail(),
                **_anon_by_mapping(),
                "peak": peak["rss"],
                "s": round(time.perf_counter() - began[0], 1),
                "cpu_s": round(time.process_time() - began[1], 1),
                **{k: round(v, 1) for k, v in linked.items()},
            }
            peak["rss"], began[:] = 0, [time.perf_counter(), time.process_time()]
            linked.update(links_read=0, entities_read=0, link_s=0.0)
            rows.append(row)
            if args.trace:
                import tracemalloc

                snap = tracemalloc.take_snapshot()
                if snaps:
                    for stat in snap.compare_to(snaps[0], "traceback")[:12]:
                        where = " <- ".join(
                            f"{f.filename.rsplit('/', 2)[-1]}:{f.lineno}"
                            for f in list(stat.traceback)[-6:]
                        )
                        print("GREW", stat, "|", where, flush=True)
                snaps[:] = [snap]
            if args.malloc_info:
                _malloc_info(args.malloc_info, number + 1)
            print(json.dumps(row), flush=True)

    snaps: list[object] = []
    if args.trace:
        import tracemalloc

        tracemalloc.start(8)
    out = Path(tempfile.mkdtemp(prefix="kg-write-probe-out-"))
    started = time.perf_counter()
    write_batches(out, batches(), turtle=None, derived="never")
    seconds = time.perf_counter() - started
    store = sum(f.stat().st_size for f in (out / "store").resolve().iterdir())
    shutil.rmtree(out, ignore_errors=True)
    data = json.loads(RESULTS.read_text()) if RESULTS.exists() else {"runs": []}
    data["runs"].append(
        {
            "label": args.label,
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="minutes"),
            "env": {k: v for k, v in os.environ.items() if k.startswith("MALLOC")},
            "batch_words": args.batch_words,
            "seconds": round(seconds, 1),
            "store_mib": round(store / 2**20, 1),
            "rows": rows,
        }
    )
    RESULTS.write_text(json.dumps(data, indent=1) + "\n")


if __name__ == "__main__":
    main()
