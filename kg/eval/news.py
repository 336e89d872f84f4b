"""Annotated news in kg's own gold format (``seeds/gold/README.md``).

The articles of a run are built as one corpus with the real build, and the
built graph is scored per article: mentions found and entity clustering,
then the edges a user sees. The **default graph** of an article is the
plain triples its statements support that the page draws by default: the
statement is asserted (not hedged, reported, negated or a question), its
plain triple ``?s ?p ?o`` is in the graph, the property is not the generic
``relatedTo`` and the object is an entity (dates and numbers are counted
apart). Each distinct edge ``(node, property, node)`` of an article counts
once.

An edge matches a gold fact when its end nodes stand for the fact's gold
entities (a node stands for the gold entity most of its mentions in the
article match) and its property is compatible with the fact's: the same
property, its inverse read backwards, either direction of a symmetric
property, or a sub- or super-property through ``rdfs:subPropertyOf`` (not
through ``relatedTo``, which every property specialises). A ``relatedTo``
edge matches a fact whose ``relation`` words are all among the edge's
relation words (lemmas). Type-blind, an edge is right when its two nodes
stand for two gold entities that some asserted fact links, in either
direction.

Reported: precision and recall of the default graph's edges against the
asserted gold facts (typed and type-blind; recall also over the gold facts
with a typed property, and with the ``relatedTo`` edges drawn too); the
``relatedTo`` edges and the
statements kept without being asserted, each with how many match a gold
fact; and the **negated facts asserted**: gold ``negated`` facts that a
plain asserted edge matches (the text denies what the graph states).
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import ConfigError
from kg.eval.classes import (
    ClassScores,
    ClassTally,
    GoldEntity,
    class_family,
    tally_classes,
)
from kg.eval.clusters import PRF, ClusterScores, fmt, prf_rows, ratio
from kg.eval.matching import ClusterTally, gold_of_entities, tally_clusters
from kg.eval.product import BuiltDocument
from kg.eval.result import ProgressFn, RunInfo, limit_items, load_json, model_name
from kg.eval.systems import NAIVE, document_json, run_system, write_jsonl
from kg.types import Triple

__all__ = [
    "NEWS_FORMAT",
    "EdgeScores",
    "NewsEntity",
    "NewsFact",
    "NewsGold",
    "NewsScores",
    "compatible_properties",
    "evaluate_news",
    "read_news_gold",
    "score_news",
]

NEWS_FORMAT = "kg-news-gold/1"
_MENTION_KINDS = frozenset({"name", "nominal", "pronoun"})
_GENERIC = "relatedTo"
_ASSERTED = "asserted"


@dataclass(frozen=True, slots=True)
class NewsEntity:
    """A gold entity of an article: id, ontology class, name, mentions."""

    id: str
    type: str
    name: str
    named: bool
    mentions: tuple[tuple[int, int, str, str], ...]  # start, end, surface, kind


@dataclass(frozen=True, slots=True)
class NewsFact:
    """A gold fact: subject id, ontology property, object id, evidence span.

    ``relation`` holds the relation's words, lemmatised (optional).
    """

    subject: str
    property: str
    object: str
    evidence: tuple[int, int]
    modality: str = _ASSERTED
    relation: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NewsGold:
    """One annotated article (see ``seeds/gold/README.md`` for the format).

    ``negated`` lists the facts the text denies.
    """

    path: str
    text: str
    entities: tuple[NewsEntity, ...]
    facts: tuple[NewsFact, ...]
    negated: tuple[NewsFact, ...] = ()


def _news_error(path: Path, msg: str) -> ConfigError:
    return ConfigError(f"news gold {str(path)!r}: {msg}")


def _article(path: Path, data: Mapping[str, Any]) -> str:
    try:
        source = path.parent / data["source"]
        raw = source.read_bytes()
    except KeyError:
        raise _news_error(
            path, "no 'source' (the article's path, relative to the gold file)"
        ) from None
    except OSError:
        raise _news_error(
            path, f"cannot read its article {data.get('source')!r}"
        ) from None
    if data.get("sha256") and hashlib.sha256(raw).hexdigest() != data["sha256"]:
        raise _news_error(
            path, f"article {str(source)!r} changed since it was annotated (sha256)"
        )
    text: str = raw.decode("utf-8-sig")
    return text


def _entities(path: Path, text: str, rows: Iterable[Any]) -> tuple[NewsEntity, ...]:
    entities: list[NewsEntity] = []
    for e in rows:
        mentions = []
        for m in e["mentions"]:
            start, end, surface, kind = int(m[0]), int(m[1]), str(m[2]), str(m[3])
            if text[start:end] != surface:
                raise _news_error(
                    path,
                    f"entity {e['id']!r}: text[{start}:{end}] is "
                    f"{text[start:end]!r}, not {surface!r}",
                )
            if kind not in _MENTION_KINDS:
                raise _news_error(path, f"entity {e['id']!r}: mention kind {kind!r}")
            mentions.append((start, end, surface, kind))
        entities.append(
            NewsEntity(
                str(e["id"]),
                str(e["type"]),
                str(e.get("name", e["id"])),
                bool(e.get("named", True)),
                tuple(mentions),
            )
        )
    ids = [e.id for e in entities]
    if len(set(ids)) != len(ids):
        raise _news_error(path, "duplicate entity ids")
    return tuple(entities)


def _facts(
    path: Path, rows: Iterable[Any], ids: frozenset[str], what: str
) -> tuple[NewsFact, ...]:
    from kg.ontology import load_ontology

    props = load_ontology().properties
    facts = []
    for f in rows:
        for role in ("subject", "object"):
            if f[role] not in ids:
                raise _news_error(path, f"{what} {f}: unknown {role} {f[role]!r}")
        if f["property"] not in props:
            raise _news_error(
                path, f"{what} {f}: {f['property']!r} is not an ontology property"
            )
        relation = f.get("relation") or ()
        words = relation.split() if isinstance(relation, str) else relation
        ev = f.get("evidence") or [0, 0]
        facts.append(
            NewsFact(
                str(f["subject"]),
                str(f["property"]),
                str(f["object"]),
                (int(ev[0]), int(ev[1])),
                str(f.get("modality", _ASSERTED)),
                tuple(str(w).lower() for w in words),
            )
        )
    return tuple(facts)


def read_news_gold(path: Path) -> list[NewsGold]:
    """Read one news gold JSON file, or every ``*.json`` in a folder.

    Offsets are checked against the article text: every mention's surface and
    the article's SHA-256 must match, every fact (and negated fact) must name
    declared entities and an ontology property.

    Raises
    ------
    ConfigError
        The file is missing, not in the format, or out of step with its article.

    Examples
    --------
    >>> [len(g.facts) > 0 for g in read_news_gold(Path("seeds/gold"))]
    [True]
    """
    if path.is_dir():
        files = sorted(path.glob("*.json"))
        if not files:
            raise ConfigError(f"folder {str(path)!r} holds no news gold (*.json) files")
        return [g for f in files for g in read_news_gold(f)]
    data = load_json(path, "news gold file")
    if not isinstance(data, dict) or data.get("format") != NEWS_FORMAT:
        raise _news_error(
            path, f'not a news gold file (expected "format": {NEWS_FORMAT!r})'
        )
    text = _article(path, data)
    try:
        entities = _entities(path, text, data["entities"])
        ids = frozenset(e.id for e in entities)
        facts = _facts(path, data["facts"], ids, "fact")
        negated = _facts(path, data.get("negated") or (), ids, "negated fact")
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise _news_error(
            path,
            f"malformed entry ({exc.__class__.__name__}: {exc}); "
            "see seeds/gold/README.md for the format",
        ) from None
    return [NewsGold(str(path), text, entities, facts, negated)]


# --- matching edges to gold facts -----------------------------------------------


@functools.cache
def _ancestors(prop: str) -> frozenset[str]:
    """Super-properties of ``prop`` through ``rdfs:subPropertyOf``, below relatedTo."""
    from kg.ontology import load_ontology

    props = load_ontology().properties
    seen: set[str] = set()
    todo = list(props[prop].parents) if prop in props else []
    while todo:
        parent = todo.pop()
        if parent in seen or parent == _GENERIC or parent not in props:
            continue
        seen.add(parent)
        todo.extend(props[parent].parents)
    return frozenset(seen)


def compatible_properties(edge: str, gold: str) -> bool:
    """Tell whether an edge's property may stand for a gold fact's (same direction).

    The same property, or one a sub-property of the other (through
    ``rdfs:subPropertyOf``, not through the generic ``relatedTo``).

    Examples
    --------
    >>> compatible_properties("country", "locatedIn")
    True
    >>> compatible_properties("locatedIn", "country")
    True
    >>> compatible_properties("owns", "locatedIn")
    False
    """
    if edge == gold:
        return True
    if _GENERIC in (edge, gold):
        return False
    return gold in _ancestors(edge) or edge in _ancestors(gold)


@functools.cache
def _readings(prop: str) -> tuple[tuple[str, bool], ...]:
    """``(property, reversed?)`` an edge reads as: itself, its inverse, symmetric."""
    from kg.ontology import load_ontology

    info = load_ontology().properties.get(prop)
    out = [(prop, False)]
    if info is not None and info.inverse is not None:
        out.append((info.inverse, True))
    if info is not None and info.symmetric:
        out.append((prop, True))
    return tuple(out)


def _symmetric(prop: str) -> bool:
    from kg.ontology import load_ontology

    info = load_ontology().properties.get(prop)
    return info is not None and info.symmetric


@dataclass(frozen=True, slots=True)
class _Edge:
    """A distinct edge of one article, seen through the gold entities of its ends."""

    subjects: frozenset[Hashable]
    predicate: str
    objects: frozenset[Hashable]
    words: frozenset[str]
    modality: str


def _same_pair(
    edge: _Edge, fact: NewsFact, reverse: bool, either_way: bool = False
) -> bool:
    s, o = (edge.objects, edge.subjects) if reverse else (edge.subjects, edge.objects)
    if fact.subject in s and fact.object in o:
        return True
    return either_way and fact.subject in o and fact.object in s


def matches(edge: _Edge, fact: NewsFact) -> bool:
    """Tell whether an edge states a gold fact (see the module docstring)."""
    if edge.predicate == _GENERIC:
        if fact.property != _GENERIC and not fact.relation:
            return False
        if fact.relation and not set(fact.relation) <= edge.words:
            return False
        return _same_pair(edge, fact, False, _symmetric(fact.property))
    for prop, reverse in _readings(edge.predicate):
        if compatible_properties(prop, fact.property) and _same_pair(
            edge, fact, reverse, _symmetric(fact.property)
        ):
            return True
    return False


def _pair_of(edge: _Edge) -> set[frozenset[Hashable]]:
    return {frozenset((s, o)) for s in edge.subjects for o in edge.objects if s != o}


# --- scores ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EdgeScores:
    """Edges of the default graph against the asserted gold facts.

    ``unmatched_ends``: edges with an end node that stands for no gold
    entity (they count as wrong); ``not_asserted_in_gold``: edges whose only
    match is a hedged or reported gold fact (wrong: drawn as plain facts).
    """

    typed: PRF
    untyped: PRF
    edges: int
    gold: int
    gold_pairs: int
    unmatched_ends: int
    not_asserted_in_gold: int
    #: recall over the asserted gold facts with a typed property (not relatedTo)
    typed_scope_recall: float = 0.0
    #: recall when the relatedTo edges are drawn too
    recall_with_related: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """Nested dict."""
        return {
            "typed": self.typed.to_dict(),
            "untyped": self.untyped.to_dict(),
            "edges": self.edges,
            "gold": self.gold,
            "gold_pairs": self.gold_pairs,
            "unmatched_ends": self.unmatched_ends,
            "not_asserted_in_gold": self.not_asserted_in_gold,
            "typed_scope_recall": self.typed_scope_recall,
            "recall_with_related": self.recall_with_related,
        }


@dataclass
class _Tally:
    edges: int = 0
    edges_ok: int = 0
    edges_pair_ok: int = 0
    unmatched_ends: int = 0
    not_asserted_in_gold: int = 0
    gold: int = 0
    gold_hit: int = 0
    gold_pairs: int = 0
    gold_pairs_hit: int = 0
    gold_typed: int = 0
    gold_typed_hit: int = 0
    gold_hit_with_related: int = 0
    related: int = 0
    related_ok: int = 0
    related_pair_ok: int = 0
    values: int = 0
    unasserted: Counter[str] = field(default_factory=Counter)
    unasserted_ok: int = 0
    negated: int = 0
    negated_asserted: int = 0
    negated_recognised: int = 0


@dataclass(frozen=True, slots=True)
class NewsScores:
    """Annotated news: mentions found, entity clustering, the graph's edges."""

    documents: int
    entities: int
    mentions: int
    mentions_found: float
    clusters: ClusterScores
    whole_share: float
    edges: EdgeScores
    related_edges: int
    related_typed_precision: float
    related_untyped_precision: float
    value_edges: int
    unasserted: Mapping[str, int]
    unasserted_matching: int
    negated_gold: int
    negated_asserted: int
    negated_recognised: int
    run: RunInfo | None = None
    task: str = "news"
    #: classes of the named nodes against the gold entities' classes
    classes: ClassScores | None = None

    def rows(self) -> list[tuple[str, str]]:
        """Table rows."""
        e = self.edges
        held = ", ".join(f"{k} {v}" for k, v in sorted(self.unasserted.items()))
        return [
            ("documents", str(self.documents)),
            ("entities / mentions", f"{self.entities} / {self.mentions}"),
            ("mentions found", fmt(self.mentions_found)),
            *self.clusters.rows(),
            ("entities (>1 mention) wholly in one node", fmt(self.whole_share)),
            ("gold facts / entity pairs", f"{e.gold} / {e.gold_pairs}"),
            ("default graph's edges", str(e.edges)),
            *prf_rows("edges", e.typed),
            *prf_rows("edges type-blind", e.untyped),
            (
                "edges recall, gold facts with a typed property",
                fmt(e.typed_scope_recall),
            ),
            ("edges recall with relatedTo edges drawn", fmt(e.recall_with_related)),
            ("edges with an end on no gold entity", str(e.unmatched_ends)),
            ("edges stating a hedged/reported gold fact", str(e.not_asserted_in_gold)),
            (
                "relatedTo edges (precision by words / type-blind)",
                f"{self.related_edges} ({fmt(self.related_typed_precision)} / "
                f"{fmt(self.related_untyped_precision)})",
            ),
            ("date and number edges (not scored)", str(self.value_edges)),
            (
                "statements not asserted (matching a gold fact)",
                f"{sum(self.unasserted.values())} ({self.unasserted_matching})"
                + (f": {held}" if held else ""),
            ),
            ("gold negated facts", str(self.negated_gold)),
            ("negated facts asserted", str(self.negated_asserted)),
            ("negated facts kept as negated statements", str(self.negated_recognised)),
            *(self.classes.rows() if self.classes is not None else ()),
        ]

    def to_dict(self) -> dict[str, Any]:
        """Figures; ``precision``/``recall``/``f1`` are the default graph's edges."""
        d: dict[str, Any] = {
            "task": self.task,
            **self.edges.typed.to_dict(),
            "documents": self.documents,
            "entities": self.entities,
            "mentions": self.mentions,
            "mentions_found": self.mentions_found,
            "clusters": self.clusters.to_dict(),
            "whole_share": self.whole_share,
            "edges": self.edges.to_dict(),
            # the default graph's edges under the name earlier versions used
            "facts": {
                "typed": self.edges.typed.to_dict(),
                "untyped": self.edges.untyped.to_dict(),
            },
            "related": {
                "edges": self.related_edges,
                "precision_by_words": self.related_typed_precision,
                "precision_type_blind": self.related_untyped_precision,
            },
            "value_edges": self.value_edges,
            "unasserted": {
                "statements": dict(self.unasserted),
                "matching_gold": self.unasserted_matching,
            },
            "negated": {
                "gold": self.negated_gold,
                "asserted": self.negated_asserted,
                "recognised": self.negated_recognised,
            },
        }
        if self.classes is not None:
            d["classes"] = self.classes.to_dict()
        if self.run is not None:
            d["run"] = self.run.to_dict()
        return d


def _edge(
    triple: Triple, gold_of: Mapping[str, frozenset[Hashable]], words: frozenset[str]
) -> _Edge:
    return _Edge(
        gold_of.get(triple.subject, frozenset()),
        triple.predicate,
        gold_of.get(triple.object, frozenset()),
        words,
        triple.modality,
    )


def _score_default(
    tally: _Tally, edges: Sequence[_Edge], gold: NewsGold
) -> set[NewsFact]:
    """Tally the default graph's edges of one article; return the facts they hit."""
    asserted = [f for f in gold.facts if f.modality == _ASSERTED]
    others = [f for f in gold.facts if f.modality != _ASSERTED]
    pairs = {
        frozenset((f.subject, f.object)) for f in asserted if f.subject != f.object
    }
    tally.gold += len(asserted)
    tally.gold_pairs += len(pairs)
    hit: set[NewsFact] = set()
    hit_pairs: set[frozenset[Hashable]] = set()
    for edge in edges:
        tally.edges += 1
        if not edge.subjects or not edge.objects:
            tally.unmatched_ends += 1
        found = [f for f in asserted if matches(edge, f)]
        hit.update(found)
        tally.edges_ok += bool(found)
        if not found and any(matches(edge, f) for f in others):
            tally.not_asserted_in_gold += 1
        right_pairs = _pair_of(edge) & pairs
        hit_pairs |= right_pairs
        tally.edges_pair_ok += bool(right_pairs)
    tally.gold_hit += len(hit)
    tally.gold_pairs_hit += len(hit_pairs)
    tally.gold_typed += sum(f.property != _GENERIC for f in asserted)
    tally.gold_typed_hit += sum(f.property != _GENERIC for f in hit)
    return hit


def _score_document(
    tally: _Tally,
    built: BuiltDocument,
    gold: NewsGold,
    lemmas: Mapping[str, frozenset[str]],
) -> None:
    document = built.document
    gold_mentions = [(m[0], m[1], e.id) for e in gold.entities for m in e.mentions]
    gold_of = gold_of_entities(document, gold_mentions)
    values = {v.key for v in document.values}
    default: dict[tuple[str, str, str], _Edge] = {}
    related: dict[tuple[str, str, str], _Edge] = {}
    held: list[_Edge] = []
    for triple, drawn in zip(document.triples, built.plain, strict=True):
        edge = _edge(triple, gold_of, lemmas.get(triple.lemma, frozenset()))
        key = (triple.subject, triple.predicate, triple.object)
        if triple.modality != _ASSERTED or not drawn:
            modality = triple.modality if triple.modality != _ASSERTED else "not drawn"
            tally.unasserted[modality] += 1
            held.append(edge)
        elif triple.object in values:
            tally.values += 1
        elif triple.predicate == _GENERIC:
            related[key] = edge
        else:
            default[key] = edge
    hit = _score_default(tally, list(default.values()), gold)
    all_facts = (*gold.facts, *gold.negated)
    tally.related += len(related)
    for edge in related.values():
        found = {f for f in gold.facts if matches(edge, f)}
        hit |= {f for f in found if f.modality == _ASSERTED}
        tally.related_ok += bool(found)
        tally.related_pair_ok += any(
            _same_pair(edge, f, False, True) for f in gold.facts
        )
    tally.unasserted_ok += sum(any(matches(e, f) for f in all_facts) for e in held)
    tally.gold_hit_with_related += len(hit)
    shown = [*default.values(), *related.values()]
    tally.negated += len(gold.negated)
    for fact in gold.negated:
        tally.negated_asserted += any(matches(e, fact) for e in shown)
        tally.negated_recognised += any(
            matches(e, fact) for e in held if e.modality == "negated"
        )


def _relation_lemmas(
    documents: Sequence[BuiltDocument], model: str | None
) -> dict[str, frozenset[str]]:
    """Relation words of every relatedTo edge, lower-cased and lemmatised."""
    texts = sorted(
        {
            t.lemma
            for b in documents
            for t in b.document.triples
            if t.lemma and t.predicate == _GENERIC
        }
    )
    if not texts:
        return {}
    from kg.nlp import load_pipeline

    nlp = load_pipeline(model)
    out: dict[str, frozenset[str]] = {}
    for text, doc in zip(texts, nlp.pipe(texts), strict=True):
        words = {t.lower_ for t in doc} | {t.lemma_.lower() for t in doc}
        out[text] = frozenset(words)
    return out


def score_news(
    golds: Sequence[NewsGold],
    documents: Sequence[BuiltDocument],
    *,
    model: str | None = None,
    run: RunInfo | None = None,
) -> NewsScores:
    """Score the built graph of each article against its gold annotation.

    Clustering is over every gold mention (one never found is a singleton);
    edges are scored as the module docstring says.
    """
    clusters = ClusterTally()
    classes = ClassTally()
    tally = _Tally()
    lemmas = _relation_lemmas(documents, model)
    for gold, built in zip(golds, documents, strict=True):
        entity_spans = [[(m[0], m[1]) for m in e.mentions] for e in gold.entities]
        clusters.add(tally_clusters(gold.path, built.document, entity_spans))
        _score_document(tally, built, gold, lemmas)
        typed = [
            GoldEntity(
                e.id, class_family(e.type), tuple((m[0], m[1]) for m in e.mentions)
            )
            for e in gold.entities
            if e.named
        ]
        classes.add(tally_classes(built.document, typed))
    return NewsScores(
        documents=len(golds),
        entities=sum(len(g.entities) for g in golds),
        mentions=clusters.mentions,
        mentions_found=ratio(clusters.found, clusters.mentions),
        clusters=ClusterScores.of(clusters.key, clusters.response),
        whole_share=ratio(clusters.whole, clusters.multi),
        edges=EdgeScores(
            typed=PRF.of(tally.edges_ok, tally.edges, tally.gold_hit, tally.gold),
            untyped=PRF.of(
                tally.edges_pair_ok,
                tally.edges,
                tally.gold_pairs_hit,
                tally.gold_pairs,
            ),
            edges=tally.edges,
            gold=tally.gold,
            gold_pairs=tally.gold_pairs,
            unmatched_ends=tally.unmatched_ends,
            not_asserted_in_gold=tally.not_asserted_in_gold,
            typed_scope_recall=ratio(tally.gold_typed_hit, tally.gold_typed),
            recall_with_related=ratio(tally.gold_hit_with_related, tally.gold),
        ),
        related_edges=tally.related,
        related_typed_precision=ratio(tally.related_ok, tally.related),
        related_untyped_precision=ratio(tally.related_pair_ok, tally.related),
        value_edges=tally.values,
        unasserted=dict(tally.unasserted),
        unasserted_matching=tally.unasserted_ok,
        negated_gold=tally.negated,
        negated_asserted=tally.negated_asserted,
        negated_recognised=tally.negated_recognised,
        run=run,
        classes=classes.scores() if classes.named else None,
    )


def evaluate_news(
    gold_path: Path,
    *,
    limit: int | None = None,
    model: str | None = None,
    system: str = "kg",
    system_out: Path | None = None,
    progress: ProgressFn | None = None,
) -> NewsScores:
    """Build the annotated articles as one corpus and score the graph."""
    started = time.perf_counter()
    golds = list(limit_items(read_news_gold(gold_path), limit))
    built = run_system(
        [(Path(g.path).stem, g.text) for g in golds],
        system=system,
        model=model,
        progress=progress,
    )
    if system_out is not None:
        write_jsonl(system_out, (document_json(b) for b in built))
    run = RunInfo(
        str(gold_path),
        model_name(model),
        len(golds),
        time.perf_counter() - started,
        "naive floor" if system == NAIVE else "built graph",
    )
    return score_news(golds, built, model=model, run=run)
