"""Re-DocRED end to end: gold mentions found, entity clustering, relation facts.

The documents of a run (tokens joined back into text by :func:`detokenize`)
are built as one corpus with the real build, and the built graph is scored:
a gold mention is found when one of the graph's mentions in that document
overlaps it (dates and numbers, which are literals, only through the facts
that end in them), clustering is over the graph's nodes, and the facts are
the graph's edges (statements whose plain triple is in the graph) between
gold entities, type-blind and typed through the ontology's alignment of its
properties to Wikidata ids.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from kg.errors import ConfigError
from kg.eval.classes import (
    REDOCRED_FAMILIES,
    ClassScores,
    ClassTally,
    GoldEntity,
    tally_classes,
)
from kg.eval.clusters import ClusterScores, fmt, ratio
from kg.eval.facts import (
    FactScores,
    FactTally,
    pred_facts,
    tally_facts,
    wikidata_forms,
)
from kg.eval.matching import (
    ClusterTally,
    gold_of_entities,
    mention_and_value_index,
    tally_clusters,
)
from kg.eval.result import (
    ProgressFn,
    RunInfo,
    limit_items,
    load_json,
    model_name,
)
from kg.eval.systems import NAIVE, document_json, run_system, write_jsonl
from kg.types import Document

__all__ = [
    "RedocredScores",
    "detokenize",
    "evaluate_redocred",
    "read_redocred",
    "score_redocred",
]

_NO_SPACE_BEFORE = frozenset(
    {
        ",",
        ".",
        ";",
        ":",
        "!",
        "?",
        ")",
        "]",
        "}",
        "%",
        "'s",
        "'S",
        "n't",
        "'re",
        "'ve",
        "'m",
        "'ll",
        "'d",
        "''",
        "'",
    }
)
_NO_SPACE_AFTER = frozenset({"(", "[", "{", "$", "``", "#"})
#: Wikidata properties that are their own inverse, besides the ontology's symmetric.
_SYMMETRIC_WIKIDATA = frozenset({"P26", "P3373", "P47", "P530"})
#: Re-DocRED types kg keeps as literal values, not entity nodes.
_VALUE_TYPES = frozenset({"TIME", "NUM"})


def detokenize(
    tokens: Sequence[Sequence[str]],
) -> tuple[str, list[list[tuple[int, int]]]]:
    """Join tokenised sentences into text; return it and each token's character span.

    Sentences are joined by a space; within a sentence, no space goes before
    closing punctuation and clitics or after opening brackets, and straight
    double quotes alternate between opening and closing.

    Examples
    --------
    >>> sents = [["Ada", "(", "born", "1815", ")", "wrote", "."], ["Hi", "!"]]
    >>> text, spans = detokenize(sents)
    >>> text
    'Ada (born 1815) wrote. Hi!'
    >>> text[slice(*spans[1][0])]
    'Hi'
    """
    parts: list[str] = []
    spans: list[list[tuple[int, int]]] = []
    pos = 0
    for sent in tokens:
        sent_spans = []
        quote_open = False
        glue = True  # no space before the first token of the text
        for tok in sent:
            space = not glue and tok not in _NO_SPACE_BEFORE
            if tok == '"':
                space = not glue and not quote_open
            if space:
                parts.append(" ")
                pos += 1
            parts.append(tok)
            sent_spans.append((pos, pos + len(tok)))
            pos += len(tok)
            glue = tok in _NO_SPACE_AFTER
            if tok == '"':
                glue = not quote_open
                quote_open = not quote_open
        spans.append(sent_spans)
        if pos:
            parts.append(" ")
            pos += 1
    text = "".join(parts).rstrip(" ")
    return text, spans


@dataclass(frozen=True, slots=True)
class RedocredScores:
    """Re-DocRED end to end: mentions found, clustering, relation facts."""

    documents: int
    mention_recall: float
    mention_recall_by_type: Mapping[str, float]
    clusters: ClusterScores
    facts: FactScores
    #: clustering of the found mentions of entities (no TIME or NUM: values)
    entity_clusters: ClusterScores | None = None
    run: RunInfo | None = None
    task: str = "redocred"
    #: classes of the named nodes against the gold types (PER/ORG/LOC/MISC)
    classes: ClassScores | None = None

    def rows(self) -> list[tuple[str, str]]:
        """Table rows."""
        out = [
            ("documents", str(self.documents)),
            ("gold mentions found", fmt(self.mention_recall)),
        ]
        out += [
            (f"  found, {t}", fmt(v))
            for t, v in sorted(self.mention_recall_by_type.items())
        ]
        out += self.clusters.rows("clustering (found mentions) ")
        if self.entity_clusters is not None:
            out += self.entity_clusters.rows("clustering, entities only ")
        if self.classes is not None:
            out += self.classes.rows()
        return out + self.facts.rows()

    def to_dict(self) -> dict[str, Any]:
        """Figures; ``precision``/``recall``/``f1`` are the typed relation facts."""
        d: dict[str, Any] = {
            "task": self.task,
            **self.facts.typed.to_dict(),
            "documents": self.documents,
            "mention_recall": self.mention_recall,
            "mention_recall_by_type": dict(self.mention_recall_by_type),
            "clusters": self.clusters.to_dict(),
            "facts": self.facts.to_dict(),
        }
        if self.entity_clusters is not None:
            d["entity_clusters"] = self.entity_clusters.to_dict()
        if self.classes is not None:
            d["classes"] = self.classes.to_dict()
        if self.run is not None:
            d["run"] = self.run.to_dict()
        return d


def read_redocred(path: Path) -> list[dict[str, Any]]:
    """Read a (Re-)DocRED JSON list of documents (``sents``, ``vertexSet``...)."""
    data = load_json(path, "Re-DocRED gold file")
    ok = isinstance(data, list) and all(
        isinstance(d, dict) and {"sents", "vertexSet"} <= d.keys() for d in data
    )
    if not ok or not data:
        raise ConfigError(
            f"{str(path)!r} is not a DocRED file: expected a JSON list of documents "
            "with 'sents', 'vertexSet' and 'labels'"
        )
    return data  # type: ignore[no-any-return]


def _redocred_symmetric() -> frozenset[str]:
    from kg.ontology import load_ontology

    onto = load_ontology()
    ids = {
        p for info in onto.properties.values() if info.symmetric for p in info.wikidata
    }
    return frozenset(ids | _SYMMETRIC_WIKIDATA)


def _redocred_scope() -> frozenset[str]:
    from kg.ontology import load_ontology

    onto = load_ontology()
    return frozenset(
        p
        for info in (*onto.properties.values(), *onto.value_properties.values())
        for p in info.wikidata
    )


def score_redocred(
    gold_docs: Sequence[Mapping[str, Any]],
    documents: Sequence[Document],
    spans: Sequence[Sequence[Sequence[tuple[int, int]]]],
    *,
    run: RunInfo | None = None,
) -> RedocredScores:
    """Score kg's Documents against Re-DocRED gold.

    ``spans[d][s][i]`` is the character span of token ``i`` of sentence ``s`` of
    document ``d`` in the text the Document was extracted from.
    """
    found_by_type: Counter[str] = Counter()
    total_by_type: Counter[str] = Counter()
    clusters = ClusterTally()
    entity_clusters = ClusterTally()
    facts = FactTally()
    classes = ClassTally()
    symmetric, scope = _redocred_symmetric(), _redocred_scope()
    for n, (gold, document, tok) in enumerate(
        zip(gold_docs, documents, spans, strict=True)
    ):
        entities: list[list[tuple[int, int]]] = []
        gold_mentions: list[tuple[int, int, Hashable]] = []
        for e_idx, vertex in enumerate(gold["vertexSet"]):
            ms = []
            for m in vertex:
                sent = tok[m["sent_id"]]
                start, end = sent[m["pos"][0]][0], sent[m["pos"][1] - 1][1]
                ms.append((start, end))
                gold_mentions.append((start, end, e_idx))
            entities.append(ms)
        # dates and numbers are values, not entities: Re-DocRED's TIME and
        # NUM mentions are found (and clustered) among the values' mentions
        index = mention_and_value_index(document)
        for vertex, ms in zip(gold["vertexSet"], entities, strict=True):
            for m, (s, e) in zip(vertex, ms, strict=True):
                total_by_type[m["type"]] += 1
                found_by_type[m["type"]] += index.best(s, e) is not None
        clusters.add(tally_clusters(str(n), document, entities, index=index))
        named = [
            ms
            for vertex, ms in zip(gold["vertexSet"], entities, strict=True)
            if vertex and vertex[0].get("type") not in _VALUE_TYPES
        ]
        entity_clusters.add(tally_clusters(str(n), document, named, index=index))
        typed = [
            GoldEntity(i, REDOCRED_FAMILIES[vertex[0]["type"]], tuple(ms))
            for i, (vertex, ms) in enumerate(
                zip(gold["vertexSet"], entities, strict=True)
            )
            if vertex and vertex[0].get("type") in REDOCRED_FAMILIES
        ]
        classes.add(tally_classes(document, typed))
        gold_facts = [(lab["h"], lab["r"], lab["t"]) for lab in gold.get("labels", [])]
        pred = pred_facts(
            document.triples,
            gold_of_entities(document, gold_mentions, values=True),
            wikidata_forms,
        )
        facts.add(tally_facts(gold_facts, pred, symmetric=symmetric, in_scope=scope))
    return RedocredScores(
        documents=len(documents),
        mention_recall=ratio(clusters.found, clusters.mentions),
        mention_recall_by_type={
            t: ratio(found_by_type[t], total_by_type[t]) for t in sorted(total_by_type)
        },
        clusters=ClusterScores.of(clusters.found_key, clusters.found_response),
        facts=facts.scores(),
        entity_clusters=ClusterScores.of(
            entity_clusters.found_key, entity_clusters.found_response
        ),
        run=run,
        classes=classes.scores() if classes.named else None,
    )


def evaluate_redocred(
    gold_path: Path,
    *,
    limit: int | None = None,
    model: str | None = None,
    system: str = "kg",
    system_out: Path | None = None,
    progress: ProgressFn | None = None,
) -> RedocredScores:
    """Build the Re-DocRED documents (tokens joined) as one corpus; score the graph."""
    started = time.perf_counter()
    gold_docs = list(limit_items(read_redocred(gold_path), limit))
    texts, spans = [], []
    for g in gold_docs:
        text, tok = detokenize(g["sents"])
        texts.append(text)
        spans.append(tok)
    ids = [str(g.get("title") or i) for i, g in enumerate(gold_docs)]
    built = run_system(
        list(zip(ids, texts, strict=True)),
        system=system,
        model=model,
        progress=progress,
    )
    if system_out is not None:
        write_jsonl(system_out, (document_json(b) for b in built))
    documents = [replace(b.document, triples=b.edges()) for b in built]
    run = RunInfo(
        str(gold_path),
        model_name(model),
        len(gold_docs),
        time.perf_counter() - started,
        "naive floor" if system == NAIVE else "built graph",
    )
    return score_redocred(gold_docs, documents, spans, run=run)
