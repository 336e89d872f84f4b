"""How far each NER label can be trusted for each class, measured on gold types.

The NER layer's label is one piece of an entity's class evidence
(:mod:`kg.classes.evidence`), and its reliability differs by label and by the
shape of the name: a multi-word ``PERSON`` span is nearly always a person, a
one-word one far less often (a town, a club, a capitalised word of a
headline). The table ``ontology/classes/ner-reliability.tsv`` gives, for
each NER label and name shape (``one`` word or ``many``), the share of its
spans that gold annotation types as each class family: ``Person``,
``Organization``, ``Place`` or ``Other`` (anything else named: works,
products, events, groups).

It is measured on the inspect sets only, by one command::

    python -m kg.classes.reliability ../shared/eval \
        --out ontology/classes/ner-reliability.tsv

which parses Re-DocRED dev (PER/ORG/LOC/MISC), GUM dev (named entities'
types) and the ECB+ training topics (HUM/NON/LOC: a human participant is a
person or an organisation, split as the other two sets split that label),
matches each NER span of the pipeline to the gold mention it overlaps most
(overlap over union at least one half) and counts.
"""

from __future__ import annotations

import argparse
import csv
import functools
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from kg.errors import ConfigError
from kg.ontology import ontology_dir

__all__ = [
    "FAMILIES",
    "Reliability",
    "compute_counts",
    "load_reliability",
    "main",
    "name_shape",
    "write_table",
]

#: The class families the table tells apart.
FAMILIES: tuple[str, ...] = ("Person", "Organization", "Place", "Other")
#: Name shapes: a one-word name is far less often what its label says.
SHAPES: tuple[str, ...] = ("one", "many")
#: Spans counted before a row's shares are trusted; fewer are pulled towards
#: the label's own class (a prior worth this many spans).
PRIOR_SPANS = 5.0
_TABLE = "ner-reliability.tsv"
#: The class family a NER label names when it is right.
_OWN_FAMILY = {
    "PERSON": "Person",
    "ORG": "Organization",
    "GPE": "Place",
    "LOC": "Place",
    "FAC": "Place",
}
_REDOCRED = {"PER": "Person", "ORG": "Organization", "LOC": "Place", "MISC": "Other"}
_GUM = {
    "person": "Person",
    "organization": "Organization",
    "place": "Place",
    "object": "Other",
    "event": "Other",
    "abstract": "Other",
    "substance": "Other",
    "animal": "Other",
    "plant": "Other",
}
#: ECB+ human participants: a person or an organisation.
_AGENT = "Agent"
_ECB = {"HUM": _AGENT, "NON": "Other", "LOC": "Place"}


def name_shape(words: int) -> str:
    """Return the shape of a name of ``words`` words: ``one`` or ``many``.

    Examples
    --------
    >>> name_shape(1), name_shape(3)
    ('one', 'many')
    """
    return "one" if words <= 1 else "many"


@dataclass(frozen=True, slots=True)
class Reliability:
    """Shares of each class family among a NER label's spans, by name shape.

    Examples
    --------
    >>> r = load_reliability()
    >>> r.share("PERSON", 2, "Person") > r.share("PERSON", 1, "Person")
    True
    >>> round(sum(r.shares("ORG", 1).values()), 6)
    1.0
    """

    rows: Mapping[tuple[str, str], Mapping[str, float]]

    def shares(self, label: str, words: int) -> Mapping[str, float]:
        """Return the family shares of a label's spans of ``words`` words.

        A label the table lacks trusts itself wholly (its own family, or
        ``Other`` for the labels of works, products, events and groups).
        """
        row = self.rows.get((label, name_shape(words)))
        if row is not None:
            return row
        own = _OWN_FAMILY.get(label, "Other")
        return MappingProxyType({f: float(f == own) for f in FAMILIES})

    def share(self, label: str, words: int, family: str) -> float:
        """Return the share of a label's spans that are of ``family``."""
        return self.shares(label, words).get(family, 0.0)


@functools.cache
def load_reliability(path: Path | None = None) -> Reliability:
    """Read the reliability table (default: the one shipped with the ontology).

    Raises
    ------
    ConfigError
        The file is missing or a row is malformed.
    """
    path = path or ontology_dir() / "classes" / _TABLE
    rows: dict[tuple[str, str], Mapping[str, float]] = {}
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(
                (line for line in fh if not line.startswith("#")), delimiter="\t"
            ):
                shares = {f: float(row[f]) for f in FAMILIES}
                rows[(row["label"], row["shape"])] = MappingProxyType(shares)
    except OSError as exc:
        raise ConfigError(
            f"cannot read the NER reliability table {path}: {exc}"
        ) from exc
    except (KeyError, ValueError, TypeError) as exc:
        raise ConfigError(
            f"{path} is not a NER reliability table (columns label, shape, "
            f"{', '.join(FAMILIES)}): {exc}"
        ) from exc
    return Reliability(MappingProxyType(rows))


# --- computing the table from the inspect sets -------------------------------

_Gold = tuple[int, int, str]  # start, end, family


@dataclass(frozen=True, slots=True)
class _Text:
    text: str
    gold: tuple[_Gold, ...]


def _best(gold: Sequence[_Gold], start: int, end: int) -> str | None:
    best, score = None, 0.5
    for s, e, family in gold:
        inter = min(e, end) - max(s, start)
        if inter <= 0:
            continue
        iou = inter / (max(e, end) - min(s, start))
        if iou >= score:
            best, score = family, iou
    return best


def _redocred(path: Path) -> Iterator[_Text]:
    from kg.eval.redocred import detokenize

    for doc in json.loads(path.read_text(encoding="utf-8")):
        text, spans = detokenize(doc["sents"])
        gold: list[_Gold] = []
        for vertex in doc["vertexSet"]:
            for m in vertex:
                family = _REDOCRED.get(m["type"])
                if family is None:
                    continue
                sent = spans[m["sent_id"]]
                a, b = m["pos"]
                gold.append((sent[a][0], sent[b - 1][1], family))
        yield _Text(text, tuple(gold))


def _gum(path: Path) -> Iterator[_Text]:
    for doc in json.loads(path.read_text(encoding="utf-8")):
        gold = [
            (int(m[0]), int(m[1]), _GUM[e["type"]])
            for e in doc["entities"]
            if e.get("link") and e.get("type") in _GUM
            for m in e["mentions"]
        ]
        yield _Text(doc["text"], tuple(gold))


def _ecb(path: Path) -> Iterator[_Text]:
    data = json.loads(path.read_text(encoding="utf-8"))
    gold: dict[str, list[_Gold]] = defaultdict(list)
    for chain in data["entities"]:
        family = _ECB.get(chain["type"])
        if family is None:
            continue
        for m in chain["mentions"]:
            if m.get("proper"):
                gold[m["doc_id"]].append((int(m["start"]), int(m["end"]), family))
    for doc in data["documents"]:
        yield _Text(doc["text"], tuple(gold.get(doc["id"], ())))


def compute_counts(
    texts: Iterable[_Text], *, model: str | None = None
) -> Counter[tuple[str, str, str]]:
    """Count ``(label, shape, gold family)`` over the NER spans matching gold."""
    from kg.nlp import load_pipeline

    nlp = load_pipeline(model)
    items = list(texts)
    counts: Counter[tuple[str, str, str]] = Counter()
    docs = nlp.pipe((t.text for t in items), batch_size=16)
    for item, doc in zip(items, docs, strict=True):
        for ent in doc.ents:
            family = _best(item.gold, ent.start_char, ent.end_char)
            if family is not None:
                words = sum(1 for t in ent if not t.is_punct)
                counts[(ent.label_, name_shape(words), family)] += 1
    return counts


def _shares(counts: Mapping[str, float], label: str) -> dict[str, float]:
    """Family shares of one row, with a human participant split and a prior."""
    own = _OWN_FAMILY.get(label, "Other")
    known = {f: counts.get(f, 0.0) for f in FAMILIES}
    agents = counts.get(_AGENT, 0.0)
    people = known["Person"] + known["Organization"]
    if agents:
        person = known["Person"] / people if people else float(own == "Person")
        known["Person"] += agents * person
        known["Organization"] += agents * (1.0 - person)
    known[own] += PRIOR_SPANS
    total = sum(known.values())
    return {f: known[f] / total for f in FAMILIES}


def write_table(counts: Counter[tuple[str, str, str]], out: Path) -> None:
    """Write the table: one row per label and shape, family shares and span count."""
    rows: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
    for (label, shape, family), n in counts.items():
        rows[(label, shape)][family] = rows[(label, shape)].get(family, 0.0) + n
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as fh:
        fh.write(
            "# Share of a NER label's spans that gold annotation types as each class\n"
            "# family, by name shape (one word or many). Made by\n"
            "#   python -m kg.classes.reliability ../shared/eval --out "
            + str(out)
            + "\n"
            "# from Re-DocRED dev, GUM dev and the ECB+ training topics\n"
            "# (inspect sets).\n"
        )
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(["label", "shape", *FAMILIES, "spans"])
        for (label, shape), row in sorted(rows.items()):
            shares = _shares(row, label)
            writer.writerow(
                [label, shape, *(f"{shares[f]:.3f}" for f in FAMILIES)]
                + [int(sum(row.values()))]
            )


def main(argv: Sequence[str] | None = None) -> int:
    """Compute the reliability table from the inspect sets under an eval folder."""
    parser = argparse.ArgumentParser(prog="python -m kg.classes.reliability")
    parser.add_argument("eval", type=Path, help="the shared evaluation folder")
    parser.add_argument("--out", type=Path, default=ontology_dir() / "classes" / _TABLE)
    parser.add_argument("--model", default=None)
    args = parser.parse_args(argv)
    root: Path = args.eval
    texts = [
        *_redocred(root / "redocred" / "dev_revised.json"),
        *_gum(root / "gum" / "gum-dev.json"),
        *_ecb(root / "ecbplus" / "ecb_train_gold.json"),
    ]
    counts = compute_counts(texts, model=args.model)
    write_table(counts, args.out)
    print(f"{args.out}: {sum(counts.values())} spans of {len(texts)} texts")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
