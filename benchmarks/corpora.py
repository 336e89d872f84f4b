"""Corpora for the corpus-scale benchmarks, assembled from ``../shared/eval`` texts.

Only inspect-split texts are used (never gum-check, GAP validation or the ECB+
dev topics), written one ``.txt`` file per document into a folder outside the
repository, then built with ``python -m kg build`` (a separate process, so its
memory and time are its own). A corpus already built is reused.

* ``ecb24``: the 24 longest ECB+ training articles (news);
* ``redocred500``: the 500 Re-DocRED dev documents (Wikipedia introductions),
  detokenised with :func:`kg.eval.detokenize`;
* ``mixed``: every ECB+ training article (574), the 500 Re-DocRED documents,
  the 74 GUM documents and the 2,000 GAP development snippets: 3,148
  documents, the most real text the inspect splits hold.

Usage::

    python benchmarks/corpora.py ecb24 redocred500 mixed --root /tmp/kg-bench
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
DEFAULT_ROOT = Path("/tmp/kg-bench")


def _ecb_train() -> list[Path]:
    return sorted((EVAL / "ecbplus" / "docs-train").glob("*/*.txt"))


def ecb_longest(count: int) -> Iterator[tuple[str, str]]:
    """The ``count`` longest ECB+ training articles (ties by path)."""
    files = _ecb_train()
    files = sorted(
        files, key=lambda p: (-len(p.read_text(encoding="utf-8").split()), str(p))
    )
    for path in files[:count]:
        yield path.name, path.read_text(encoding="utf-8")


def ecb_all() -> Iterator[tuple[str, str]]:
    for path in _ecb_train():
        yield f"ecb-{path.name}", path.read_text(encoding="utf-8")


def redocred(count: int = 500) -> Iterator[tuple[str, str]]:
    from kg.eval import detokenize

    docs = json.loads((EVAL / "redocred" / "dev_revised.json").read_text("utf-8"))
    for i, doc in enumerate(docs[:count]):
        text, _spans = detokenize(doc["sents"])
        yield f"redocred-{i:03d}.txt", text + "\n"


def gum() -> Iterator[tuple[str, str]]:
    docs = json.loads((EVAL / "gum" / "gum-dev.json").read_text("utf-8"))
    for doc in docs:
        yield f"{doc['id']}.txt", doc["text"] + "\n"


def gap_development() -> Iterator[tuple[str, str]]:
    with (EVAL / "gap" / "gap-development.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            yield f"gap-{row['ID']}.txt", row["Text"] + "\n"


CORPORA = {
    "ecb24": lambda: ecb_longest(24),
    "redocred500": lambda: redocred(500),
    "mixed": lambda: [*ecb_all(), *redocred(500), *gum(), *gap_development()],
}


def write_corpus(name: str, root: Path) -> Path:
    """Write corpus ``name`` as ``.txt`` files under ``root/name/docs``."""
    docs = root / name / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    wanted = dict(CORPORA[name]())
    for file, text in wanted.items():
        path = docs / file
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    return docs


def build_corpus(name: str, root: Path = DEFAULT_ROOT) -> Path:
    """Write and build corpus ``name`` (once); return its output folder."""
    docs = write_corpus(name, root)
    out = root / name / "output"
    marker = out / ".built"
    if marker.exists():
        return out
    started = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [
            "nice",
            "-n",
            "5",
            sys.executable,
            "-m",
            "kg",
            "build",
            str(docs),
            "--out",
            str(out),
        ],
        check=True,
        env=env,
    )
    seconds = time.perf_counter() - started
    documents = len(list(docs.glob("*.txt")))
    marker.write_text(json.dumps({"documents": documents, "build_s": seconds}), "utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="+", choices=sorted(CORPORA))
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    args = parser.parse_args()
    for name in args.names:
        out = build_corpus(name, args.root)
        print(name, out, (out / ".built").read_text("utf-8"))


if __name__ == "__main__":
    main()


def news_like_view(entities: int, *, seed: int = 0):  # type: ignore[no-untyped-def]
    """A constructed corpus view: stories of 4-9 entities, hubs named by many.

    Made-up names, about a third of the relations loose, reported or hedged,
    some entities related to nothing; ``tests/test_html.py`` draws it too.
    """
    import random

    from kg.ontology import KGO_URI
    from kg.render import EdgeView, Evidence, GraphView, NodeView

    classes = ("Person", "Organization", "Place", "Country", "Event", "Thing")
    props = ("employer", "meets", "locatedIn", "memberOf", "owns")
    rng = random.Random(seed)
    hubs = [f"urn:hub{i}" for i in range(max(entities // 100, 1))]
    nodes = {
        h: NodeView(h, f"Hub {i} Vorland", "Country", "country", mentions=40)
        for i, h in enumerate(hubs)
    }
    edges = {}
    story = 0
    while len(nodes) < entities:
        doc = f"story-{story:05d}.txt"
        members = []
        for _ in range(rng.randint(4, 9)):
            key = f"urn:e{len(nodes)}"
            cls = rng.choice(classes)
            nodes[key] = NodeView(
                key,
                f"Qel {len(nodes)} Marrow",
                cls,
                cls.lower(),
                mentions=rng.randint(1, 6),
                documents=(doc,),
            )
            members.append(key)
        for a in members:
            if rng.random() < 0.15:
                continue
            b = rng.choice(
                [m for m in members if m != a] + hubs[:3] * 2 + [rng.choice(hubs)]
            )
            prop = rng.choice(props)
            roll = rng.random()
            iri = KGO_URI + ("relatedTo" if roll < 0.15 else prop)
            modality = (
                "reported"
                if 0.15 <= roll < 0.27
                else ("hedged" if 0.27 <= roll < 0.32 else "asserted")
            )
            conf = round(rng.uniform(0.2, 1.0), 2)
            sentence = f"{nodes[a].label} and {nodes[b].label} in one sentence."
            evidence = (
                Evidence(
                    sentence, doc, conf, modality=modality, rule="x.v1", words=prop
                ),
            )
            edges[(a, iri, b)] = EdgeView(a, b, iri, prop, conf, evidence, modality)
        story += 1
    documents = tuple(sorted({d for n in nodes.values() for d in n.documents}))
    return GraphView(tuple(nodes.values()), tuple(edges.values()), documents=documents)
