"""Evaluation: score what ``kg build`` writes against public benchmarks and news.

``kg eval TASK GOLD`` runs the real build (:func:`kg.build.run_build`, the
code path of ``kg build``, cross-document merge included) over every input
of a task as one corpus, reads the written store back
(:mod:`kg.eval.product`) and scores the graph. One module per benchmark:

``gap`` (:mod:`kg.eval.gap`)
    GAP pronoun resolution: is the pronoun on the node of name A, of B?
    Writes the official system TSV; the scorer is a port of the official
    ``gap_scorer.py``.
``carb`` (:mod:`kg.eval.carb`)
    CaRB open information extraction. Sentence-level tuples, not a graph:
    it scores :func:`kg.relations.extract_clauses` per sentence, with a port
    of ``carb.py``.
``redocred`` (:mod:`kg.eval.redocred`)
    Re-DocRED end to end: gold-mention recall, entity clustering and the
    graph's edges between gold entities, type-blind and typed.
``coref`` (:mod:`kg.eval.coref`)
    Coreference on GUM (or any CorefUD corpus) over the mentions of named
    entities: B³, MUC, CEAF-e, CoNLL F1, mentions found, entities in one node.
``news`` (:mod:`kg.eval.news`)
    Hand-annotated news (``seeds/gold/README.md``): clustering, and the
    precision and recall of the default graph's edges.
``xdoc`` (:mod:`kg.eval.xdoc`)
    ECB+ cross-document entity coreference, one build per topic; the scorer
    reproduces ``score_ecb.py``.

Shared pieces: :mod:`kg.eval.clusters` (P/R/F1, B³, MUC, CEAF-e, pairs),
:mod:`kg.eval.matching` (mentions matched by overlap), :mod:`kg.eval.facts`
(relation facts), :mod:`kg.eval.systems` (the built graph or the naive
floor). Every scorer is a pure function over plain data returning a frozen
dataclass; figures are fractions in [0, 1] (GAP's scorecard prints
percentages, as the official scorer does).
"""

from __future__ import annotations

from kg.eval.carb import (
    CarbExtraction,
    CarbScores,
    carb_match,
    evaluate_carb,
    extract_carb,
    read_carb_gold,
    read_carb_sentences,
    read_carb_tabbed,
    score_carb,
    write_carb_tabbed,
)
from kg.eval.clusters import PRF, ClusterScores, PairScores, b_cubed, ceaf_e, muc
from kg.eval.coref import (
    CorefDocument,
    CorefEntity,
    CorefScores,
    evaluate_coref,
    read_conllu_coref,
    read_coref_gold,
    score_coref,
)
from kg.eval.facts import FactScores, ontology_forms, wikidata_forms
from kg.eval.gap import (
    GAP_GENDERS,
    GapCounts,
    GapExample,
    GapScores,
    evaluate_gap,
    predict_gap,
    read_gap,
    read_gap_system,
    score_gap,
    write_gap_system,
)
from kg.eval.matching import SpanIndex
from kg.eval.news import (
    NEWS_FORMAT,
    EdgeScores,
    NewsEntity,
    NewsFact,
    NewsGold,
    NewsScores,
    compatible_properties,
    evaluate_news,
    read_news_gold,
    score_news,
)
from kg.eval.product import BuiltDocument, build_corpus, read_built
from kg.eval.redocred import (
    RedocredScores,
    detokenize,
    evaluate_redocred,
    read_redocred,
    score_redocred,
)
from kg.eval.result import EvalResult, RunInfo
from kg.eval.systems import kg_system, naive_system, run_system
from kg.eval.tasks import TASKS, evaluate
from kg.eval.xdoc import (
    EcbGold,
    XdocFigures,
    XdocScores,
    evaluate_xdoc,
    read_ecb_gold,
    score_xdoc,
)

__all__ = [
    "GAP_GENDERS",
    "NEWS_FORMAT",
    "PRF",
    "TASKS",
    "BuiltDocument",
    "CarbExtraction",
    "CarbScores",
    "ClusterScores",
    "CorefDocument",
    "CorefEntity",
    "CorefScores",
    "EcbGold",
    "EdgeScores",
    "EvalResult",
    "FactScores",
    "GapCounts",
    "GapExample",
    "GapScores",
    "NewsEntity",
    "NewsFact",
    "NewsGold",
    "NewsScores",
    "PairScores",
    "RedocredScores",
    "RunInfo",
    "SpanIndex",
    "XdocFigures",
    "XdocScores",
    "b_cubed",
    "build_corpus",
    "carb_match",
    "ceaf_e",
    "compatible_properties",
    "detokenize",
    "evaluate",
    "evaluate_carb",
    "evaluate_coref",
    "evaluate_gap",
    "evaluate_news",
    "evaluate_redocred",
    "evaluate_xdoc",
    "extract_carb",
    "kg_system",
    "muc",
    "naive_system",
    "ontology_forms",
    "predict_gap",
    "read_built",
    "read_carb_gold",
    "read_carb_sentences",
    "read_carb_tabbed",
    "read_conllu_coref",
    "read_coref_gold",
    "read_ecb_gold",
    "read_gap",
    "read_gap_system",
    "read_news_gold",
    "read_redocred",
    "run_system",
    "score_carb",
    "score_coref",
    "score_gap",
    "score_news",
    "score_redocred",
    "score_xdoc",
    "wikidata_forms",
    "write_carb_tabbed",
    "write_gap_system",
]
