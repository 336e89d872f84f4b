"""Corpus entity resolution: adding one document to a 1,000-document store.

Generates a synthetic corpus shaped like kg's extraction (``Document``
objects: people named in full or by surname, companies with and without
their suffix or by acronym, places, with a sentence around each mention),
deterministic for a seed, with invented names. Then, from one run:

* **full relink**: the corpus step over all documents at once, in memory
  (:func:`kg.link.link_documents`: map, blocks, scores, clustering), what a
  rebuild of the linking costs;
* **incremental**: the corpus step for one new document against the store
  of the other 1,000 (:func:`kg.link.link_into_store` on a writable copy):
  it reads the entity links of the new document's blocks and the members
  of their corpus entities, nothing else;
* the store write of the new document (:func:`kg.store.write_documents`,
  no ``graph.ttl``/page) against writing the whole store again.

It checks that the new document's entities land where the full relink puts
them, and reports what the incremental step read. Results go to
``benchmarks/results/link_incremental.{json,md}``.

Usage::

    python benchmarks/link_incremental.py --documents 1000
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from kg.link import link_documents, link_into_store
from kg.store import store_path, write_documents
from kg.types import Document, Entity, Mention, Sentence

RESULTS = Path(__file__).resolve().parent / "results"
_SYLLABLES = tuple(
    "ka ro mi ten vas lo quin dar el ush bre tor nam fel ix sor pal gre"  # noqa: SIM905
    " hu mor zan tel vi ost ran ber cal dun".split()
)
_VERBS = ("met", "hired", "sued", "visited", "praised", "left", "joined", "called")
_FILLER = tuple(
    "on Monday after talks about prices and the new plant near the river"  # noqa: SIM905
    " while officials said the deal would close soon".split()
)
_SUFFIXES = ("Inc.", "Co.", "Corp.", "")


def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(parts)).capitalize()


def _pools(rng: random.Random) -> dict[str, list[tuple[str, ...]]]:
    people = [(_word(rng, 2), _word(rng, 3)) for _ in range(600)]
    companies = [(_word(rng, 2), _word(rng, 2)) for _ in range(200)]
    places = [(_word(rng, 3),) for _ in range(150)]
    return {"people": people, "companies": companies, "places": places}


def _pick(rng: random.Random, pool: list[tuple[str, ...]]) -> tuple[str, ...]:
    # a few entities are in many documents, most in a few: Zipf's law (s = 1)
    weights = _ZIPF.setdefault(len(pool), [1 / (r + 1) for r in range(len(pool))])
    return rng.choices(pool, weights=weights)[0]


_ZIPF: dict[int, list[float]] = {}


def _surfaces(
    rng: random.Random, kind: str, name: tuple[str, ...]
) -> tuple[str, str, str]:
    """Return (class, NER label, the name as this document writes it)."""
    if kind == "people":
        text = " ".join(name) if rng.random() < 0.7 else name[-1]
        return "Person", "PERSON", text
    if kind == "companies":
        full = " ".join(name)
        roll = rng.random()
        if roll < 0.15:
            text = "".join(w[0] for w in name).upper()
        else:
            text = f"{full} {rng.choice(_SUFFIXES)}".strip()
        return "Organization", "ORG", text
    return "Place", "GPE", name[0]


def make_document(
    rng: random.Random, pools: dict[str, list[tuple[str, ...]]], n: int
) -> Document:
    """One synthetic document: 4 to 9 entities, one sentence each."""
    doc_id = f"doc{n:05d}.txt"
    chosen: dict[str, tuple[str, str, str]] = {}
    for _ in range(rng.randint(4, 9)):
        kind = rng.choice(("people", "people", "companies", "places"))
        cls, label, text = _surfaces(rng, kind, _pick(rng, pools[kind]))
        chosen.setdefault(text, (cls, label, text))
    sentences, entities, at = [], [], 0
    names = list(chosen.values())
    for i, (cls, label, text) in enumerate(names):
        other = names[(i + 1) % len(names)][2]
        words = " ".join(rng.sample(_FILLER, 6))
        sentence = f"{text} {rng.choice(_VERBS)} {other} {words}."
        start = at
        sentences.append(Sentence(i, start, start + len(sentence), sentence))
        mention = Mention(text, label, start, start + len(text), i)
        key = text.lower().rstrip(".")
        entities.append(Entity(key, cls, text, (mention,)))
        at += len(sentence) + 1
    return Document(doc_id, doc_id, f"{n:064d}", tuple(sentences), tuple(entities))


def synthetic_corpus(documents: int, seed: int = 7) -> list[Document]:
    """Return ``documents`` synthetic documents, deterministic for a seed.

    Examples
    --------
    >>> [d.doc_id for d in synthetic_corpus(2)]
    ['doc00000.txt', 'doc00001.txt']
    """
    rng = random.Random(seed)
    pools = _pools(rng)
    return [make_document(rng, pools, n) for n in range(documents)]


def _time(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(documents: int, seed: int, repeat: int) -> dict[str, object]:
    corpus = synthetic_corpus(documents + 1, seed)
    stored, new = corpus[:-1], corpus[-1]
    work = Path(tempfile.mkdtemp(prefix="kg-link-bench-"))
    try:
        out = work / "out"
        started = time.perf_counter()
        write_documents(out, stored, turtle=None)
        build_store = time.perf_counter() - started

        full = _time(lambda: link_documents(corpus), repeat)

        def incremental() -> object:
            copy = work / "copy"
            shutil.rmtree(copy, ignore_errors=True)
            ox.Store.read_only(str(store_path(out))).backup(str(copy))
            store = ox.Store(str(copy))
            started = time.perf_counter()
            result = link_into_store(store, [new])
            elapsed = time.perf_counter() - started
            del store
            return result, elapsed

        runs = [incremental() for _ in range(repeat)]
        inc = statistics.median(t for _r, t in runs)
        result = runs[0][0]
        same = _same_partition(corpus, result)

        def write_one() -> None:
            target = work / "one"
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(out, target, symlinks=True)
            write_documents(target, [new], turtle=None)

        add_one = _time(write_one, repeat)
        rebuild = _time(
            lambda: (
                shutil.rmtree(work / "all", ignore_errors=True),
                write_documents(work / "all", corpus, turtle=None),
            ),
            1,
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    summaries = sum(len([e for e in d.entities if e.named]) for d in corpus)
    return {
        "documents": documents,
        "entities": summaries,
        "seed": seed,
        "repeat": repeat,
        "store_build_seconds": round(build_store, 2),
        "full_relink_seconds": round(full, 4),
        "incremental_link_seconds": round(inc, 4),
        "relink_over_incremental": round(full / inc, 1),
        "blocks_read": result.blocks,  # type: ignore[attr-defined]
        "stored_links_read": result.links_read,  # type: ignore[attr-defined]
        "corpus_entities_read": result.entities_read,  # type: ignore[attr-defined]
        "new_document_entities": len(new.entities),
        "same_as_full_relink": same,
        "write_one_document_seconds": round(add_one, 3),
        "rewrite_whole_store_seconds": round(rebuild, 2),
        "cpus": len(__import__("os").sched_getaffinity(0)),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_average": [round(x, 2) for x in __import__("os").getloadavg()],
        "python": platform.python_version(),
        "pyoxigraph": ox.__version__,
    }


def _same_partition(corpus: list[Document], result: object) -> bool:
    """Whether each new entity is with the same stored entities as in a full relink.

    Keys may differ (the store keeps the keys it had); what must agree is
    which stored documents' entities share each new entity's node.
    """
    full = link_documents(corpus)
    node_of = {
        (d0.doc_id, e0.key): e.key
        for d0, d in zip(corpus, full, strict=True)
        for e0, e in zip(d0.entities, d.entities, strict=True)
    }
    new = corpus[-1]
    decisions = result.decisions  # type: ignore[attr-defined]
    target = {d.uid: d.target for d in decisions}
    for entity in new.entities:
        uid = (new.doc_id, entity.key)
        if uid not in target:
            continue  # a nameless entity: never linked
        in_full = {
            u for u, k in node_of.items() if k == node_of[uid] and u[0] != new.doc_id
        }
        in_store = {
            d.uid for d in decisions if d.target == target[uid] and d.uid != uid
        }
        if in_full != in_store:
            return False
    return True


def write_results(figures: dict[str, object]) -> None:
    RESULTS.mkdir(exist_ok=True)
    data = json.dumps(figures, indent=2) + "\n"
    (RESULTS / "link_incremental.json").write_text(data)
    f = figures
    n = f["documents"]
    rows = [
        (f"full relink of all {n + 1:,} documents (`link_documents`)",
         f"{f['full_relink_seconds']} s"),
        ("**incremental**: the new document against the store (`link_into_store`)",
         f"{f['incremental_link_seconds']} s"),
        ("full relink / incremental", f"{f['relink_over_incremental']}×"),
        ("write the new document into the store (`write_documents`, no Turtle/page)",
         f"{f['write_one_document_seconds']} s"),
        ("write the whole store again", f"{f['rewrite_whole_store_seconds']} s"),
    ]  # fmt: skip
    table = "\n".join(f"| {name} | {value} |" for name, value in rows)
    md = f"""# Corpus entity resolution: one new document against a {n:,}-document store

Synthetic corpus shaped like kg's extraction ({n:,} documents,
{f["entities"]:,} named entities: people in full or by surname, companies
with or without their suffix or by acronym, places; invented names; seed
{f["seed"]}). One run ({f["date"]}), medians of {f["repeat"]}; {f["cpus"]} shared
CPU(s), load average at the end {", ".join(map(str, f["load_average"]))}; Python
{f["python"]}, pyoxigraph {f["pyoxigraph"]}.

| | time |
|---|---:|
{table}

The incremental step looked up {f["blocks_read"]} block keys (those of the new
document's {f["new_document_entities"]} entities), read {f["stored_links_read"]}
stored entity links on {f["corpus_entities_read"]} corpus entities, and nothing
else of the store. The new document's entities joined the same stored
entities as in the full relink: {f["same_as_full_relink"]}.

Reproduce: `python benchmarks/link_incremental.py --documents {n}`.
"""
    (RESULTS / "link_incremental.md").write_text(md)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    figures = run(args.documents, args.seed, args.repeat)
    write_results(figures)
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
