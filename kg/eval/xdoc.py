"""Cross-document entity coreference on ECB+ (``shared/eval/ecbplus``).

The usual setting: one graph per topic (a cluster of news articles about
the same events), built with the real build; every entity node's mentions
are read back from the written store, so the cross-document merge is what
is scored. The scorer reproduces ``score_ecb.py``, the reference scorer
beside the data, on the same built output:

* a system mention and a gold mention of one document match when they have
  the same syntactic head token (``head``, the default; heads from kg's own
  parse of the document, a preposition heading a span gives way to its
  object) or when their spans overlap (``overlap``); the alignment is one to
  one, greedy, best pairs first (exact span, same head, larger overlap);
* view G ignores system mentions that match no gold mention, view E counts
  them as errors (a lower bound on precision: ECB+ annotates only the
  participants of each topic's main events);
* subsets ``all`` (every gold chain) and ``named`` (chains with a proper-name
  mention; in view E only unmatched system mentions with a proper-name head);
* MUC, B³, CEAF-e, CoNLL F1, and the pairs of coreferent mentions in
  different documents (precision, recall, F1), all topics as one corpus.

Only aggregate figures are produced, never per-document errors, so the
measure-only dev topics can be run as they are.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Span, Token

from kg.errors import ConfigError
from kg.eval.clusters import (
    PRF,
    PairScores,
    b_cubed,
    ceaf_e,
    fmt,
    muc,
    pair_scores,
)
from kg.eval.product import BuiltDocument, build_corpus
from kg.eval.result import ProgressFn, RunInfo, limit_items, load_json, model_name
from kg.eval.systems import NAIVE, check_system

__all__ = [
    "SUBSETS",
    "EcbGold",
    "EcbMention",
    "XdocFigures",
    "XdocScores",
    "evaluate_xdoc",
    "read_ecb_gold",
    "score_xdoc",
    "span_head",
]

SUBSETS = ("all", "named")
VIEWS = ("G", "E")
_PRONOUN_TAGS = frozenset({"PRP", "PRP$", "WP", "WP$", "WDT"})
MentionId = tuple[Hashable, ...]


@dataclass(frozen=True, slots=True)
class EcbMention:
    """A gold mention: document, span, chain, type and its head's position."""

    doc_id: str
    start: int
    end: int
    chain: str
    type: str
    named_chain: bool
    head_start: int

    @property
    def id(self) -> MentionId:
        """``(doc_id, start, end)``."""
        return (self.doc_id, self.start, self.end)


@dataclass(frozen=True, slots=True)
class EcbGold:
    """ECB+ gold of some topics: documents (id → topic, text) and mentions."""

    topics: tuple[str, ...]
    documents: Mapping[str, tuple[str, str]]
    mentions: tuple[EcbMention, ...]

    def limited(self, topics: int | None) -> EcbGold:
        """Keep the first ``topics`` topics only."""
        keep = tuple(limit_items(self.topics, topics))
        return EcbGold(
            keep,
            {d: v for d, v in self.documents.items() if v[0] in keep},
            tuple(m for m in self.mentions if self.documents[m.doc_id][0] in keep),
        )


def _topic_order(topic: str) -> tuple[int, str]:
    return (int(topic), topic) if topic.isdigit() else (1 << 30, topic)


def read_ecb_gold(path: Path) -> EcbGold:
    """Read an ECB+ gold JSON (``ecb_dev_gold.json``): documents and entity chains.

    Raises
    ------
    ConfigError
        The file is missing or not in that format.

    Examples
    --------
    >>> read_ecb_gold(Path("nope.json"))
    Traceback (most recent call last):
    ...
    kg.errors.ConfigError: ECB+ gold file 'nope.json' does not exist
    """
    data = load_json(path, "ECB+ gold file")
    try:
        documents = {
            str(d["id"]): (str(d["topic"]), str(d["text"])) for d in data["documents"]
        }
        mentions = tuple(
            EcbMention(
                str(m["doc_id"]),
                int(m["start"]),
                int(m["end"]),
                str(e["chain_id"]),
                str(e["type"]),
                bool(e["named"]),
                int(m["head_start"]),
            )
            for e in data["entities"]
            for m in e["mentions"]
        )
    except (KeyError, TypeError, ValueError):
        raise ConfigError(
            f"{str(path)!r} is not an ECB+ gold file: expected 'documents' (id, "
            "topic, text) and 'entities' (chain_id, type, named, mentions)"
        ) from None
    if not documents or any(m.doc_id not in documents for m in mentions):
        raise ConfigError(f"{str(path)!r}: no documents, or mentions of unknown ones")
    topics = tuple(sorted({t for t, _ in documents.values()}, key=_topic_order))
    return EcbGold(topics, documents, mentions)


# --- system mentions and their heads --------------------------------------------


def span_head(span: Span) -> Token:
    """Return the syntactic head of a mention span, as ``score_ecb.py`` finds it.

    A preposition heading the span ("in Canada") gives way to its object;
    in "Town, Region" the place before the comma heads the phrase.

    Examples
    --------
    >>> span_head(nlp("He lives in Canada.")[2:4]).text
    'Canada'
    """
    head = span.root
    seen: set[int] = set()
    while head.pos_ == "ADP" or head.dep_ == "prep":
        if head.i in seen:
            break
        seen.add(head.i)
        objs = [
            c
            for c in head.children
            if c.dep_ in ("pobj", "pcomp") and span.start <= c.i < span.end
        ]
        if not objs:
            break
        head = objs[0]
    commas = [t for t in span if t.text == "," and t.i > span.start]
    if commas:
        before = span.doc[commas[0].i - 1]
        if head.i > commas[0].i and before.pos_ == "PROPN" and head.pos_ == "PROPN":
            head = before
    return head


def _is_proper(head: Token) -> bool:
    from kg.nlp import is_heading

    return head.tag_ in ("NNP", "NNPS") and (
        not is_heading(head.sent) or head.ent_type_ != ""
    )


@dataclass(frozen=True, slots=True)
class _SysMention:
    doc_id: str
    start: int
    end: int
    cluster: Hashable
    head_start: int
    proper: bool


def _with_head(
    doc: Doc, doc_id: str, start: int, end: int, cluster: Hashable
) -> _SysMention:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return _SysMention(doc_id, start, end, cluster, start, False)
    head = span_head(span)
    return _SysMention(doc_id, start, end, cluster, head.idx, _is_proper(head))


def _kg_mentions(
    topic: str, built: Sequence[BuiltDocument], docs: Mapping[str, Doc]
) -> list[_SysMention]:
    """Return the graph's mentions: one per span, on its node (first IRI if several)."""
    out: list[_SysMention] = []
    for b in built:
        doc_id = b.name.removesuffix(".txt")
        nodes: dict[tuple[int, int], str] = {}
        for entity in b.document.entities:
            for m in entity.mentions:
                span = (m.start_char, m.end_char)
                if span not in nodes or entity.key < nodes[span]:
                    nodes[span] = entity.key
        for (start, end), node in nodes.items():
            out.append(_with_head(docs[doc_id], doc_id, start, end, (topic, node)))
    return out


def _naive_mentions(topic: str, docs: Mapping[str, Doc]) -> list[_SysMention]:
    """Return NER spans, one cluster per distinct lower-cased string of the topic."""
    return [
        _with_head(doc, doc_id, ent.start_char, ent.end_char, (topic, ent.text.lower()))
        for doc_id, doc in docs.items()
        for ent in doc.ents
    ]


# --- alignment and figures ----------------------------------------------------------


def _align(
    gold: Sequence[EcbMention], system: Sequence[_SysMention], match: str
) -> dict[int, MentionId]:
    """One-to-one alignment of system to gold mentions: {system index: gold id}."""
    gold_by_doc: dict[str, list[EcbMention]] = defaultdict(list)
    for g in gold:
        gold_by_doc[g.doc_id].append(g)
    candidates = []
    for i, s in enumerate(system):
        for g in gold_by_doc.get(s.doc_id, ()):
            overlap = min(s.end, g.end) - max(s.start, g.start)
            if overlap <= 0:
                continue
            same_head = s.head_start == g.head_start
            if match == "head" and not same_head:
                continue
            exact = (s.start, s.end) == (g.start, g.end)
            jaccard = overlap / (max(s.end, g.end) - min(s.start, g.start))
            candidates.append(((exact, same_head, jaccard), i, g.id))
    candidates.sort(key=lambda c: c[0], reverse=True)
    used_s: set[int] = set()
    used_g: set[MentionId] = set()
    out: dict[int, MentionId] = {}
    for _, i, gid in candidates:
        if i in used_s or gid in used_g:
            continue
        used_s.add(i)
        used_g.add(gid)
        out[i] = gid
    return out


@dataclass(frozen=True, slots=True)
class XdocFigures:
    """Figures of one subset and view: mentions, clusters, pairs across documents.

    Examples
    --------
    >>> f = XdocFigures.of([{("a", 0, 1), ("b", 0, 1)}], [{("a", 0, 1), ("b", 0, 1)}])
    >>> f.conll_f1, f.cross_doc.prf.f1
    (1.0, 1.0)
    """

    mention_recall: float
    mention_precision: float
    muc: PRF
    b3: PRF
    ceaf_e: PRF
    cross_doc: PairScores
    key_clusters: int
    response_clusters: int

    @property
    def conll_f1(self) -> float:
        """Mean F1 of MUC, B³ and CEAF-e."""
        return (self.muc.f1 + self.b3.f1 + self.ceaf_e.f1) / 3

    @classmethod
    def of(
        cls,
        key: Sequence[set[MentionId]],
        response: Sequence[set[MentionId]],
    ) -> XdocFigures:
        """Score ``response`` clusters of mention ids against ``key`` clusters."""
        k = [frozenset(c) for c in key if c]
        r = [frozenset(c) for c in response if c]
        key_mentions = frozenset().union(*k) if k else frozenset()
        response_mentions = frozenset().union(*r) if r else frozenset()
        common = len(key_mentions & response_mentions)
        return cls(
            mention_recall=common / len(key_mentions) if key_mentions else 0.0,
            mention_precision=(
                common / len(response_mentions) if response_mentions else 0.0
            ),
            muc=muc(k, r),
            b3=b_cubed(k, r),
            ceaf_e=ceaf_e(k, r),
            cross_doc=pair_scores(k, r, _doc_of),
            key_clusters=len(k),
            response_clusters=len(r),
        )

    def to_dict(self) -> dict[str, Any]:
        """Nested dict."""
        return {
            "mention_recall": self.mention_recall,
            "mention_precision": self.mention_precision,
            "muc": self.muc.to_dict(),
            "b3": self.b3.to_dict(),
            "ceaf_e": self.ceaf_e.to_dict(),
            "conll_f1": self.conll_f1,
            "cross_doc_pairs": self.cross_doc.to_dict(),
            "clusters": {"key": self.key_clusters, "response": self.response_clusters},
        }


def _doc_of(mention: MentionId) -> Hashable:
    return mention[1] if mention[0] == "sys" else mention[0]


def score_xdoc(
    gold: EcbGold,
    system: Sequence[_SysMention],
    *,
    match: str = "head",
) -> dict[str, dict[str, XdocFigures]]:
    """Score system mentions (with their clusters) against ECB+ gold chains.

    Returns figures by subset (``all``, ``named``) and view (``G``, ``E``).
    """
    if match not in ("head", "overlap"):
        raise ConfigError(f"unknown mention match {match!r}; choose head or overlap")
    alignment = _align(gold.mentions, system, match)
    by_id = {g.id: g for g in gold.mentions}
    keeps: dict[str, Callable[[EcbMention], bool]] = {
        "all": lambda g: True,
        "named": lambda g: g.named_chain,
    }
    out: dict[str, dict[str, XdocFigures]] = {}
    for subset, keep in keeps.items():
        key: dict[str, set[MentionId]] = defaultdict(set)
        for g in gold.mentions:
            if keep(g):
                key[g.chain].add(g.id)
        views: dict[str, XdocFigures] = {}
        for view in VIEWS:
            response: dict[Hashable, set[MentionId]] = defaultdict(set)
            for i, s in enumerate(system):
                gid = alignment.get(i)
                if gid is not None:
                    if keep(by_id[gid]):
                        response[s.cluster].add(gid)
                elif view == "E" and (subset == "all" or s.proper):
                    response[s.cluster].add(("sys", s.doc_id, s.start, s.end, i))
            views[view] = XdocFigures.of(list(key.values()), list(response.values()))
        out[subset] = views
    return out


@dataclass(frozen=True, slots=True)
class XdocScores:
    """ECB+ cross-document coreference of the built graphs, one per topic."""

    topics: int
    documents: int
    gold_mentions: int
    system_mentions: int
    nodes: int
    match: str
    figures: Mapping[str, Mapping[str, XdocFigures]]
    run: RunInfo | None = None
    task: str = "xdoc"

    def rows(self) -> list[tuple[str, str]]:
        """Table rows: counts, then each subset and view."""
        out = [
            ("topics / documents", f"{self.topics} / {self.documents}"),
            (
                "gold mentions / system mentions",
                f"{self.gold_mentions} / {self.system_mentions}",
            ),
            ("system entity nodes", str(self.nodes)),
            ("mention match", self.match),
        ]
        for subset in SUBSETS:
            for view in VIEWS:
                f = self.figures[subset][view]
                x = f.cross_doc.prf
                name = f"{subset}, view {view}"
                out += [
                    (f"{name}: mention recall", fmt(f.mention_recall)),
                    (
                        f"{name}: MUC / B³ / CEAF-e F1",
                        f"{fmt(f.muc.f1)} / {fmt(f.b3.f1)} / {fmt(f.ceaf_e.f1)}",
                    ),
                    (f"{name}: CoNLL F1", fmt(f.conll_f1)),
                    (
                        f"{name}: cross-doc pairs P / R / F1",
                        f"{fmt(x.precision)} / {fmt(x.recall)} / {fmt(x.f1)}",
                    ),
                ]
        return out

    def to_dict(self) -> dict[str, Any]:
        """Figures; ``precision``/``recall``/``f1``: named, view G, cross-doc pairs."""
        headline = self.figures["named"]["G"]
        d: dict[str, Any] = {
            "task": self.task,
            **headline.cross_doc.prf.to_dict(),
            "conll_f1": headline.conll_f1,
            "topics": self.topics,
            "documents": self.documents,
            "gold_mentions": self.gold_mentions,
            "system_mentions": self.system_mentions,
            "nodes": self.nodes,
            "match": self.match,
            "results": {
                subset: {view: f.to_dict() for view, f in views.items()}
                for subset, views in self.figures.items()
            },
        }
        if self.run is not None:
            d["run"] = self.run.to_dict()
        return d


def _topic_mentions(
    topic: str,
    texts: Sequence[tuple[str, str]],
    *,
    system: str,
    model: str | None,
    out: Path | None,
) -> list[_SysMention]:
    from kg.nlp import load_pipeline

    extractor = check_system(system)
    nlp = load_pipeline(model)
    docs = {
        doc_id: doc
        for (doc_id, _), doc in zip(texts, nlp.pipe(t for _, t in texts), strict=True)
    }
    if not extractor:
        return _naive_mentions(topic, docs)
    built = build_corpus(
        [(f"{doc_id}.txt", text) for doc_id, text in texts],
        model=model,
        extractor=extractor,
        out=None if out is None else out / topic,
    )
    return _kg_mentions(topic, built, docs)


def evaluate_xdoc(
    gold_path: Path,
    *,
    limit: int | None = None,
    model: str | None = None,
    system: str = "kg",
    system_out: Path | None = None,
    progress: ProgressFn | None = None,
    match: str = "head",
) -> XdocScores:
    """Build one graph per ECB+ topic and score cross-document coreference.

    ``limit`` keeps the first topics (by number); ``system_out`` is a folder
    that keeps each topic's build (``OUT/<topic>``), which ``score_ecb.py``
    can read.
    """
    started = time.perf_counter()
    check_system(system)
    gold = read_ecb_gold(gold_path).limited(limit)
    mentions: list[_SysMention] = []
    if progress is not None:
        progress(0, len(gold.documents))
    done = 0
    for topic in gold.topics:
        texts = [(d, text) for d, (t, text) in gold.documents.items() if t == topic]
        mentions += _topic_mentions(
            topic, texts, system=system, model=model, out=system_out
        )
        done += len(texts)
        if progress is not None:
            progress(done, len(gold.documents))
    run = RunInfo(
        str(gold_path),
        model_name(model),
        len(gold.documents),
        time.perf_counter() - started,
        "naive floor" if system == NAIVE else "built graph",
    )
    return XdocScores(
        topics=len(gold.topics),
        documents=len(gold.documents),
        gold_mentions=len(gold.mentions),
        system_mentions=len(mentions),
        nodes=len({m.cluster for m in mentions}),
        match=match,
        figures=score_xdoc(gold, mentions, match=match),
        run=run,
    )
