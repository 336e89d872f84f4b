"""kg eval: scorers, the built graph read back, equivalence with official scorers.

The benchmark data lives in ``../shared/eval`` (beside the checkout); tests that
need it skip when it is absent. The official GAP, CaRB and ECB+ scorers run as
subprocesses on small slices and must give the same figures as kg's scorers.
Every other input is constructed here.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kg.errors import ConfigError, KGError
from kg.eval import (
    PRF,
    BuiltDocument,
    CarbExtraction,
    ClusterScores,
    GapExample,
    NewsEntity,
    NewsFact,
    NewsGold,
    SpanIndex,
    b_cubed,
    build_corpus,
    carb_match,
    ceaf_e,
    compatible_properties,
    detokenize,
    evaluate,
    kg_system,
    muc,
    read_built,
    read_carb_gold,
    read_carb_tabbed,
    read_conllu_coref,
    read_coref_gold,
    read_gap,
    read_gap_system,
    read_news_gold,
    score_carb,
    score_gap,
    score_news,
    score_redocred,
    write_carb_tabbed,
    write_gap_system,
)
from kg.eval.classes import OTHER, GoldEntity, class_family, tally_classes
from kg.eval.clusters import pair_scores
from kg.eval.product import file_names
from kg.types import Document, Entity, Mention, Provenance, Sentence, Triple, Value
from tests.fixtures import ROOT, SHARED_EVAL

GAP_DEV = SHARED_EVAL / "gap" / "gap-development.tsv"
CARB = SHARED_EVAL / "carb"
REDOCRED = SHARED_EVAL / "redocred" / "dev_revised.json"
GUM_JSON = SHARED_EVAL / "gum" / "gum-dev.json"
GUM_CONLLU = SHARED_EVAL / "gum" / "conllu"
ECB = SHARED_EVAL / "ecbplus"
NEWS_GOLD = ROOT / "seeds" / "gold"

needs_shared = pytest.mark.skipif(
    not SHARED_EVAL.is_dir(),
    reason="../shared/eval (benchmark dev data) is not beside the checkout",
)


# --- cluster metrics on the textbook example (Luo 2005, Table 1) ----------------------

KEY = [{1, 2, 3, 4, 5}, {6, 7}, {8, 9, 10, 11, 12}]
RESPONSES = {
    "a": [{1, 2, 3, 4, 5}, {6, 7, 8, 9, 10, 11, 12}],
    "b": [{1, 2, 3, 4, 5, 8, 9, 10, 11, 12}, {6, 7}],
    "c": [set(range(1, 13))],
    "d": [{i} for i in range(1, 13)],
}
# F1 of MUC, B³ and CEAF-e (φ4) as published for the four responses
LUO_F1 = {
    "a": (0.947, 0.865, 0.733),
    "b": (0.947, 0.737, 0.667),
    "c": (0.900, 0.545, 0.294),
    "d": (0.000, 0.400, 0.178),
}


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_cluster_metrics_reproduce_luo_2005(name: str) -> None:
    response = RESPONSES[name]
    got = (muc(KEY, response).f1, b_cubed(KEY, response).f1, ceaf_e(KEY, response).f1)
    assert tuple(round(x, 3) for x in got) == LUO_F1[name]


def test_cluster_metrics_b3_precision_recall_by_hand() -> None:
    s = b_cubed(KEY, RESPONSES["a"])
    assert s.precision == pytest.approx(16 / 21)
    assert s.recall == 1.0
    s = b_cubed(KEY, RESPONSES["d"])
    assert s.precision == 1.0
    assert s.recall == pytest.approx(3 / 12)


def test_cluster_metrics_identity_and_missing_mentions() -> None:
    perfect = ClusterScores.of(KEY, KEY)
    assert (perfect.b3.f1, perfect.muc.f1, perfect.ceaf_e.f1, perfect.conll_f1) == (
        1,
        1,
        1,
        1,
    )
    # a response that misses mention 5 and adds an unknown mention 99
    s = b_cubed([{1, 2, 3, 4, 5}], [{1, 2, 3, 4, 99}])
    assert s.recall == pytest.approx(16 / 25)
    assert s.precision == pytest.approx(16 / 25)
    m = muc([{1, 2, 3}], [{1, 2}, {3}])
    assert (m.precision, m.recall) == (1.0, 0.5)


def test_ceaf_e_matches_one_to_one() -> None:
    # two key entities both overlapping one big response entity: only one may map to it
    s = ceaf_e([{1, 2}, {3, 4}], [{1, 2, 3, 4}])
    assert s.precision == pytest.approx(2 * 2 / 6)
    assert s.recall == pytest.approx(2 * 2 / 6 / 2)


def test_prf() -> None:
    assert PRF.of(0, 0, 0, 5) == PRF(0.0, 0.0, 0.0)
    assert PRF.from_pr(0.5, 1.0).f1 == pytest.approx(2 / 3)


def test_span_index_best_overlap() -> None:
    idx = SpanIndex([(0, 20, "np"), (4, 9, "name"), (30, 33, "him")])
    assert idx.best(4, 9) == "name"
    assert idx.best(0, 18) == "np"
    assert sorted(idx.overlapping(5, 31)) == ["him", "name", "np"]
    assert idx.best(21, 29) is None


# --- GAP ------------------------------------------------------------------------------


def _official_gap(gold: Path, system: Path) -> str:
    proc = subprocess.run(
        [
            sys.executable,
            str(SHARED_EVAL / "gap" / "run_gap_scorer.py"),
            "--gold_tsv",
            str(gold),
            "--system_tsv",
            str(system),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    # the scorecard, after any "Missing output for ..." lines
    return proc.stdout[proc.stdout.index("Overall recall") :]


def test_gap_scorer_unit() -> None:
    gold = [
        GapExample("1", "t", "he", 0, "A", 0, True, "B", 0, False),
        GapExample("2", "t", "her", 0, "A", 0, False, "B", 0, True),
        GapExample("3", "t", "She", 0, "A", 0, False, "B", 0, False),
    ]
    s = score_gap(gold, {"1": (True, False), "2": (True, True)})  # "3" missing
    assert (s.overall.tp, s.overall.fp, s.overall.tn, s.overall.fn) == (2, 1, 1, 2)
    assert (s.masculine.tp, s.masculine.tn) == (1, 1)
    assert s.feminine.fn == 2
    assert s.feminine.fp == 1
    assert s.to_dict()["f1"] == pytest.approx(PRF.of(2, 3, 2, 4).f1)


@needs_shared
def test_gap_reproduces_official_scorer_on_a_slice(tmp_path: Path, nlp: object) -> None:
    lines = GAP_DEV.read_text(encoding="utf-8").splitlines(keepends=True)
    gold_path = tmp_path / "gold.tsv"
    gold_path.write_text("".join(lines[:41]), encoding="utf-8")
    system_path = tmp_path / "system.tsv"
    result = evaluate("gap", gold_path, system_out=system_path)
    official = _official_gap(gold_path, system_path)
    assert result.scorecard().strip() == official.strip()  # type: ignore[attr-defined]
    # a degenerate system (all TRUE) and a partial one (answers missing) too
    examples = read_gap(gold_path)
    for name, answers in {
        "all-true": {e.id: (True, True) for e in examples},
        "partial": {
            e.id: (i % 3 == 0, i % 2 == 0) for i, e in enumerate(examples) if i % 4
        },
    }.items():
        path = tmp_path / f"{name}.tsv"
        write_gap_system(path, answers)
        ours = score_gap(examples, read_gap_system(path))
        assert ours.scorecard().strip() == _official_gap(gold_path, path).strip(), name


@needs_shared
def test_gap_always_true_floor() -> None:
    # shared/eval/README.md quotes 61.4 for this floor; the official scorer itself
    # prints 62.0 on gap-development.tsv (and 60.3 on gap-validation.tsv)
    examples = read_gap(GAP_DEV)
    scores = score_gap(examples, {e.id: (True, True) for e in examples})
    assert round(100 * scores.overall.prf.f1, 1) == 62.0


def test_gap_rejects_a_non_gap_file(tmp_path: Path) -> None:
    bad = tmp_path / "x.tsv"
    bad.write_text("a\tb\n1\t2\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not a GAP TSV"):
        read_gap(bad)
    with pytest.raises(ConfigError, match="does not exist"):
        read_gap(tmp_path / "missing.tsv")


# --- CaRB -----------------------------------------------------------------------------


def test_carb_matcher_cases() -> None:
    gold = CarbExtraction("s", "wrote to", ("Ada", "Charles Babbage"))
    assert carb_match(
        gold, CarbExtraction("s", "wrote to", ("Ada", "Charles Babbage"))
    ) == (1, 1)
    assert carb_match(gold, CarbExtraction("s", "met", ("Ada", "Charles"))) == (0, 0)
    assert carb_match(gold, CarbExtraction("s", "wrote to", ("Ada",))) == (0, 0)
    # an inserted "be" matches any form of be in the gold relation
    be = carb_match(
        CarbExtraction("s", "is", ("Bush", "President")),
        CarbExtraction("s", "be", ("Bush", "President")),
    )
    assert be == (1.0, 1.0)
    # "said"-type gold relations also match with the arguments reversed
    said = CarbExtraction("s", "said", ("he", "it will rain"))
    assert carb_match(said, CarbExtraction("s", "said", ("it will rain", "he"))) == (
        1.0,
        1.0,
    )


def test_carb_score_by_hand() -> None:
    gold = {"A b c .": [CarbExtraction("A b c .", "b", ("A", "c"))]}
    pred = {
        "A b c .": [
            CarbExtraction("A b c .", "b", ("A", "c"), 0.9),
            CarbExtraction("A b c .", "x", ("y", "z"), 0.5),
        ]
    }
    s = score_carb(gold, pred)
    assert s.optimal == PRF(1.0, 1.0, 1.0)
    # curve (recall, precision): (1, 0.5) at 0.5, (1, 1) at 0.9, then (0, 1) appended
    assert s.auc == pytest.approx(1.0)
    assert [(p, r) for p, r, _ in s.curve] == [(0.5, 1.0), (1.0, 1.0)]
    assert score_carb(gold, {}).optimal == PRF(0.0, 0.0, 0.0)


def _official_carb(
    gold: Path, system: Path, out: Path
) -> tuple[float, tuple[float, ...]]:
    proc = subprocess.run(
        [
            sys.executable,
            str(CARB / "run_carb.py"),
            f"--gold={gold}",
            f"--out={out}",
            f"--tabbed={system}",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    match = re.search(
        r"AUC: ([\d.]+)\s+Optimal \(precision, recall, F1\): \[([^\]]*)\]", proc.stdout
    )
    assert match, proc.stdout + proc.stderr
    return float(match.group(1)), tuple(float(x) for x in match.group(2).split())


def _synthetic_system(gold: dict[str, list[CarbExtraction]]) -> list[CarbExtraction]:
    """Perturbed gold: dropped words, swapped and missing args, shared confidences."""
    out = []
    for n, (sent, tuples) in enumerate(gold.items()):
        for i, g in enumerate(tuples):
            conf = [0.9, 0.5, 0.5, 0.7, 0.1][(n + i) % 5]
            args = list(g.arguments)
            if i % 3 == 1:
                args = args[::-1]
            if i % 4 == 2:
                args = [" ".join(a.split()[:1]) for a in args]
            if i % 5 == 3:
                args = args[:1]
            rel = g.relation if i % 2 else "be " + g.relation.split()[-1]
            out.append(CarbExtraction(sent, rel, tuple(args), conf))
        out.append(CarbExtraction(sent, "noise", ("x y", "z"), 0.3))
    out.append(CarbExtraction("A sentence without gold .", "is", ("A", "B"), 0.8))
    return out


@needs_shared
def test_carb_reproduces_official_scorer_on_a_slice(
    tmp_path: Path, nlp: object
) -> None:
    gold_lines = (
        (CARB / "data" / "gold" / "dev.tsv").read_text(encoding="utf-8").splitlines()
    )
    sentences = list(dict.fromkeys(line.split("\t")[0] for line in gold_lines))[:25]
    gold_path = tmp_path / "gold.tsv"
    gold_path.write_text(
        "\n".join(line for line in gold_lines if line.split("\t")[0] in sentences)
        + "\n",
        encoding="utf-8",
    )
    gold = read_carb_gold(gold_path)
    systems = {"synthetic": tmp_path / "synthetic.tsv"}
    write_carb_tabbed(systems["synthetic"], _synthetic_system(gold))
    try:
        from kg.relations import extract_clauses  # noqa: F401
    except ImportError:
        pass
    else:
        systems["kg"] = tmp_path / "kg.tsv"
        evaluate("carb", gold_path, system_out=systems["kg"])
        assert systems["kg"].stat().st_size > 0
    for name, path in systems.items():
        ours = score_carb(gold, read_carb_tabbed(path))
        auc, optimal = _official_carb(gold_path, path, tmp_path / f"{name}.dat")
        assert round(ours.auc, 3) == pytest.approx(auc, abs=1e-9), name
        got = (ours.optimal.precision, ours.optimal.recall, ours.optimal.f1)
        assert tuple(round(x, 3) for x in got) == pytest.approx(optimal, abs=1e-9), name
        official_curve = [
            tuple(float(x) for x in line.split("\t"))
            for line in (tmp_path / f"{name}.dat").read_text().splitlines()[1:]
        ]
        assert len(official_curve) == len(ours.curve), name
        for (p1, r1, c1), (p2, r2, c2) in zip(ours.curve, official_curve, strict=True):
            assert (p1, r1, c1) == pytest.approx((p2, r2, c2), abs=1e-12), name


# --- Re-DocRED ------------------------------------------------------------------------


def test_detokenize_keeps_a_token_map() -> None:
    sents = [
        ["Ada", '"', "Ace", '"', "(", "born", "1815", ")", "wrote", "."],
        ["She", "did", "n't", "lose", "Northwind", "'s", "race", "."],
    ]
    text, spans = detokenize(sents)
    assert text == "Ada \"Ace\" (born 1815) wrote. She didn't lose Northwind's race."
    for sent, sent_spans in zip(sents, spans, strict=True):
        assert [text[s:e] for s, e in sent_spans] == sent


def _doc(
    text: str,
    entities: dict[str, list[tuple[int, int]]],
    triples: list[tuple[str, str, str]],
) -> Document:
    prov = Provenance("d", 0, 0, len(text), text)
    return Document(
        "d",
        "d",
        "0" * 64,
        (),
        tuple(
            Entity(k, "Thing", k, tuple(Mention(text[s:e], "", s, e, 0) for s, e in ms))
            for k, ms in entities.items()
        ),
        tuple(Triple(s, p, o, prov) for s, p, o in triples),
    )


def test_redocred_scoring_on_a_hand_made_document() -> None:
    text, spans = detokenize(
        [["Ada", "owned", "Acme", "in", "Paris", "."], ["She", "sold", "it", "."]]
    )
    gold = {
        "vertexSet": [
            [
                {"sent_id": 0, "pos": [0, 1], "type": "PER"},
                {"sent_id": 1, "pos": [0, 1], "type": "PER"},
            ],
            [
                {"sent_id": 0, "pos": [2, 3], "type": "ORG"},
                {"sent_id": 1, "pos": [2, 3], "type": "ORG"},
            ],
            [{"sent_id": 0, "pos": [4, 5], "type": "LOC"}],
        ],
        "labels": [{"h": 1, "t": 0, "r": "P127"}, {"h": 1, "t": 2, "r": "P159"}],
    }
    # kg found Ada+She and Acme (not "it"): Ada owns Acme, Acme is related to Paris
    doc = _doc(
        text,
        {
            "ada": [(0, 3), (text.index("She"), text.index("She") + 3)],
            "acme": [(10, 14)],
            "paris": [(18, 23)],
        },
        [("ada", "owns", "acme"), ("acme", "relatedTo", "paris")],
    )
    s = score_redocred([gold], [doc], [spans])
    assert s.mention_recall == pytest.approx(4 / 5)
    assert s.clusters.b3 == PRF(1.0, 1.0, 1.0)
    # type-blind: (ada, acme) matches gold (acme, ada) because owns has an inverse;
    # (acme, paris) matches directly
    assert s.facts.untyped == PRF(1.0, 1.0, 1.0)
    # typed: owns reads as P127 reversed (ownedBy); relatedTo has no Wikidata id
    assert (s.facts.typed.precision, s.facts.typed.recall) == (1.0, 0.5)
    assert s.facts.typed_predicted == 1
    assert s.facts.unmatched == 0
    # every node untyped: no class is right
    assert s.classes is not None
    assert (s.classes.named, s.classes.accuracy, s.classes.thing_share) == (3, 0.0, 1.0)


def test_class_accuracy_compares_class_families_with_gold_types() -> None:
    text = "Ada met Bob at Acme in Rome with Zed and Kit."

    def ent(key: str, label: str, *names: str) -> Entity:
        ms = tuple(
            Mention(n, "", text.index(n), text.index(n) + len(n), 0) for n in names
        )
        return Entity(key, label, names[0], ms)

    doc = Document(
        "d",
        "d",
        "0" * 64,
        (),
        (
            ent("ada", "Person", "Ada"),
            ent("acme", "Facility", "Acme"),  # a Place family, gold is an organisation
            ent("rome", "Country", "Rome"),
            ent("zed", "Software", "Zed"),  # a Product: right for an Other gold type
            ent("two", "Person", "Bob", "Kit"),  # one node for two gold entities
        ),
    )

    def gold(i: int, family: str, name: str) -> GoldEntity:
        return GoldEntity(
            i, family, ((text.index(name), text.index(name) + len(name)),)
        )

    golds = [
        gold(1, "Person", "Ada"),
        gold(2, "Organization", "Acme"),
        gold(3, "Place", "Rome"),
        gold(4, OTHER, "Zed"),
        gold(5, "Person", "Bob"),
        gold(6, OTHER, "Kit"),
    ]
    s = tally_classes(doc, golds).scores()
    # the merged node is left out of accuracy but counts as a person node
    assert s.named == 4
    assert s.accuracy == pytest.approx(3 / 4)
    assert s.thing_share == 0.0
    assert (s.person_nodes, s.person_precision) == (2, 1.0)
    assert class_family("Country") == "Place"
    assert class_family("Thing") == "Thing"
    assert s.rows()[0][1] == "0.750 (4; 0.000)"


# --- coreference (GUM / CorefUD) ------------------------------------------------------

CONLLU = """\
# newdoc id = tiny
# global.Entity = GRP-etype-infstat-salience-centering-minspan-link-identity
# newpar
# text = Ada Lovelace met Bob.
1\tAda\tAda\tPROPN\tNNP\t_\t3\tnsubj\t_\tEntity=(1-person-new-sss-cf1-1-coref-Ada_Lovelace
2\tLovelace\tLovelace\tPROPN\tNNP\t_\t1\tflat\t_\tEntity=1)
3\tmet\tmeet\tVERB\tVBD\t_\t0\troot\t_\t_
4\tBob\tBob\tPROPN\tNNP\t_\t3\tobj\t_\tEntity=(2-person-new-sss-cf2-1-sgl)|SpaceAfter=No
5\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_

# newpar
# text = She's here.
1-2\tShe's\t_\t_\t_\t_\t_\t_\t_\t_
1\tShe\tshe\tPRON\tPRP\t_\t3\tnsubj\t_\tEntity=(1-person-giv-sss-cf1-1-ana)
2\t's\tbe\tAUX\tVBZ\t_\t3\tcop\t_\t_
3\there\there\tADV\tRB\t_\t0\troot\t_\tSpaceAfter=No
4\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_
"""


def test_conllu_reader_builds_text_and_offsets(tmp_path: Path) -> None:
    path = tmp_path / "tiny.conllu"
    path.write_text(CONLLU, encoding="utf-8")
    (doc,) = read_conllu_coref(path)
    assert doc.text == "Ada Lovelace met Bob.\n\nShe's here."
    ada, bob = doc.entities
    assert ada.link == "Ada_Lovelace"
    assert bob.link == ""
    assert [doc.text[s:e] for s, e in ada.mentions] == ["Ada Lovelace", "She"]


@needs_shared
def test_conllu_reader_agrees_with_gum_json() -> None:
    files = sorted(GUM_CONLLU.glob("*.conllu"))[:6]
    from_conllu = [d for f in files for d in read_conllu_coref(f)]
    by_id = {d.id: d for d in read_coref_gold(GUM_JSON)}
    assert from_conllu
    assert all(d == by_id[d.id] for d in from_conllu)


@needs_shared
def test_coref_naive_floor_matches_readme() -> None:
    s = evaluate("coref", GUM_JSON, system="naive").to_dict()
    assert s["mentions_found"] == pytest.approx(0.57, abs=0.02)
    assert s["precision"] == pytest.approx(0.90, abs=0.02)
    assert s["recall"] == pytest.approx(0.42, abs=0.02)
    assert s["f1"] == pytest.approx(0.57, abs=0.02)
    assert s["whole_share"] == pytest.approx(0.19, abs=0.02)


# --- news gold and the default graph's edges ------------------------------------------


def _perfect(gold_path: Path) -> tuple[list[NewsGold], list[BuiltDocument]]:
    """Gold read as if kg had built it exactly: one node per gold entity."""
    golds = read_news_gold(gold_path)
    docs = []
    for g in golds:
        prov = Provenance("d", 0, 0, 1, "x")
        ents = tuple(
            Entity(
                e.id,
                e.type,
                e.name,
                tuple(Mention(m[2], "", m[0], m[1], 0, m[3]) for m in e.mentions),
            )
            for e in g.entities
        )
        triples = tuple(
            Triple(f.subject, f.property, f.object, prov, modality=f.modality)
            for f in g.facts
        )
        plain = tuple(f.modality == "asserted" for f in g.facts)
        docs.append(
            BuiltDocument("d", Document("d", "d", "0" * 64, (), ents, triples), plain)
        )
    return golds, docs


def test_news_gold_loads_and_a_perfect_graph_scores_one() -> None:
    golds, docs = _perfect(NEWS_GOLD)
    assert golds
    assert all(len(g.entities) >= 10 and len(g.facts) >= 10 for g in golds)
    s = score_news(golds, docs)
    assert s.mentions_found == 1.0
    assert s.clusters.conll_f1 == 1.0
    assert s.whole_share == 1.0
    assert s.edges.typed == PRF(1.0, 1.0, 1.0)
    assert s.edges.untyped == PRF(1.0, 1.0, 1.0)
    assert s.negated_asserted == 0
    assert s.classes is not None
    assert (s.classes.accuracy, s.classes.person_precision) == (1.0, 1.0)
    assert s.classes.named > 0


def test_news_edges_read_inverse_and_symmetric_properties() -> None:
    golds, docs = _perfect(next(NEWS_GOLD.glob("*.json")))
    props = {f.property for f in golds[0].facts}
    assert "owns" in props
    assert props & {"spouse", "friendOf"}
    flipped = []
    for t in docs[0].document.triples:
        if t.predicate == "owns":
            flipped.append(Triple(t.object, "ownedBy", t.subject, t.provenance))
        elif t.predicate in {"spouse", "friendOf"}:
            flipped.append(Triple(t.object, t.predicate, t.subject, t.provenance))
        else:
            flipped.append(t)
    doc = BuiltDocument(
        "d",
        Document("d", "d", "0" * 64, (), docs[0].document.entities, tuple(flipped)),
        docs[0].plain,
    )
    assert score_news(golds, [doc]).edges.typed == PRF(1.0, 1.0, 1.0)


def test_compatible_properties_follow_sub_properties_not_the_generic_one() -> None:
    assert compatible_properties("country", "locatedIn")
    assert compatible_properties("locatedIn", "country")
    assert compatible_properties("owns", "owns")
    assert not compatible_properties("owns", "locatedIn")
    assert not compatible_properties("relatedTo", "owns")
    assert not compatible_properties("owns", "relatedTo")


NEWS_TEXT = (
    "Ada Byrne owns Acme. Acme sits in Ohio. Byrne no longer owns Borealis. "
    "Byrne may buy a farm in Ohio. Acme sits near Ohio."
)


def _spans(word: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(re.escape(word), NEWS_TEXT)]


def _news_case() -> tuple[NewsGold, BuiltDocument]:
    ada = [(0, 9), *_spans("Byrne")[1:]]
    spans = {
        "ada": ada,
        "acme": _spans("Acme"),
        "ohio": _spans("Ohio"),
        "borealis": _spans("Borealis"),
    }
    entities = tuple(
        NewsEntity(
            k, "Thing", k, True, tuple((s, e, NEWS_TEXT[s:e], "name") for s, e in v)
        )
        for k, v in spans.items()
    )
    gold = NewsGold(
        "constructed.json",
        NEWS_TEXT,
        entities,
        facts=(
            NewsFact("ada", "owns", "acme", (0, 19), relation=("own",)),
            NewsFact("acme", "locatedIn", "ohio", (21, 39)),
            NewsFact("ada", "owns", "ohio", (72, 100), modality="hedged"),
        ),
        negated=(NewsFact("ada", "owns", "borealis", (41, 70)),),
    )
    sits = _spans("sits")[0]
    nodes = {f"n-{k}": v for k, v in spans.items()} | {"n-junk": [sits]}
    built_entities = tuple(
        Entity(k, "Thing", k, tuple(Mention(NEWS_TEXT[s:e], "", s, e, 0) for s, e in v))
        for k, v in nodes.items()
    )
    prov = Provenance("d", 0, 0, len(NEWS_TEXT), NEWS_TEXT)
    statements = [
        (Triple("n-acme", "ownedBy", "n-ada", prov), True),  # inverse: right
        (Triple("n-acme", "ownedBy", "n-ada", prov, rule="again"), True),  # same edge
        (Triple("n-acme", "country", "n-ohio", prov), True),  # sub-property: right
        (Triple("n-ada", "owns", "n-borealis", prov), True),  # the text denies it
        (Triple("n-ada", "owns", "n-ohio", prov), True),  # only hedged in the text
        (Triple("n-junk", "locatedIn", "n-ohio", prov), True),  # an end on no entity
        (Triple("n-ada", "relatedTo", "n-acme", prov, lemma="owns"), True),
        (Triple("n-ada", "owns", "n-borealis", prov, modality="hedged"), False),
    ]
    document = Document(
        "d", "d", "0" * 64, (), built_entities, tuple(t for t, _ in statements)
    )
    return gold, BuiltDocument("d", document, tuple(p for _, p in statements))


def test_news_scores_the_default_graph_and_counts_negated_facts_asserted(
    nlp: object,
) -> None:
    gold, built = _news_case()
    s = score_news([gold], [built])
    # default edges: ownedBy, country, owns borealis, owns ohio, junk locatedIn
    assert s.edges.edges == 5
    assert s.edges.typed == PRF.of(2, 5, 2, 2)
    assert s.edges.untyped == PRF.of(2, 5, 2, 2)
    assert s.edges.unmatched_ends == 1
    assert s.edges.not_asserted_in_gold == 1
    assert s.negated_gold == 1
    assert s.negated_asserted == 1
    # the relatedTo edge is reported apart and matches by its words ("owns" → own)
    assert s.related_edges == 1
    assert s.related_typed_precision == 1.0
    assert s.unasserted == {"hedged": 1}
    assert s.unasserted_matching == 1
    d = s.to_dict()
    assert d["negated"]["asserted"] == 1
    assert d["precision"] == pytest.approx(0.4)


def test_news_gold_reads_relation_words_and_negated_facts(tmp_path: Path) -> None:
    (tmp_path / "article.txt").write_text(NEWS_TEXT, encoding="utf-8")
    ada, acme, borealis = (0, 9), _spans("Acme")[0], _spans("Borealis")[0]
    data = {
        "format": "kg-news-gold/1",
        "source": "article.txt",
        "entities": [
            {"id": k, "type": "Thing", "mentions": [[s, e, NEWS_TEXT[s:e], "name"]]}
            for k, (s, e) in {"ada": ada, "acme": acme, "borealis": borealis}.items()
        ],
        "facts": [
            {"subject": "ada", "property": "owns", "object": "acme", "relation": "own"}
        ],
        "negated": [{"subject": "ada", "property": "owns", "object": "borealis"}],
    }
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    (gold,) = read_news_gold(path)
    assert gold.facts[0].relation == ("own",)
    assert [(f.subject, f.object) for f in gold.negated] == [("ada", "borealis")]
    data["negated"] = [{"subject": "ada", "property": "owns", "object": "nobody"}]
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ConfigError, match="negated fact .* unknown object"):
        read_news_gold(path)


def test_news_gold_errors_are_clear(tmp_path: Path) -> None:
    gold_file = next(NEWS_GOLD.glob("*.json"))
    good = json.loads(gold_file.read_text(encoding="utf-8"))
    (tmp_path / "article.txt").write_bytes(
        (gold_file.parent / good["source"]).read_bytes()
    )

    def write(data: dict) -> Path:
        path = tmp_path / "gold.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        return path

    base = {**good, "source": "article.txt"}
    assert read_news_gold(write(base))
    shifted = json.loads(json.dumps(base))
    surface = shifted["entities"][0]["mentions"][0][2]
    shifted["entities"][0]["mentions"][0][0] += 1
    with pytest.raises(ConfigError, match=re.escape(f"not {surface!r}")):
        read_news_gold(write(shifted))
    with pytest.raises(ConfigError, match="not an ontology property"):
        read_news_gold(
            write({**base, "facts": [{**base["facts"][0], "property": "likes"}]})
        )
    with pytest.raises(ConfigError, match="changed since it was annotated"):
        read_news_gold(write({**base, "sha256": "0" * 64}))
    with pytest.raises(ConfigError, match="not a news gold file"):
        read_news_gold(write({"entities": []}))


# --- the product: the store a real build writes, read back ----------------------------

TEXT_A = "Ada Byrne owns Acme and was born on 10 December 1815."
TEXT_B = "Byrne left Acme."


def test_read_built_reads_nodes_statements_and_values_by_source_name(
    tmp_path: Path,
) -> None:
    from kg.store import write_documents

    born = TEXT_A.index("10 December 1815")
    prov_owns = Provenance("one", 0, 0, 19, TEXT_A)
    prov_born = Provenance("one", 0, 0, len(TEXT_A) - 1, TEXT_A)
    value = Value(
        "1815-12-10^^date",
        "date",
        "1815-12-10",
        "date",
        (Mention("10 December 1815", "DATE", born, born + 16, 0, kind="value"),),
    )
    doc_a = Document(
        "one",
        "corpus/a.txt",
        "1" * 64,
        (Sentence(0, 0, len(TEXT_A), TEXT_A),),
        (
            Entity(
                "ada byrne",
                "Person",
                "Ada Byrne",
                (Mention("Ada Byrne", "PERSON", 0, 9, 0),),
            ),
            Entity(
                "acme", "Organization", "Acme", (Mention("Acme", "ORG", 15, 19, 0),)
            ),
        ),
        (
            Triple("ada byrne", "owns", "acme", prov_owns, rule="r1"),
            Triple("ada byrne", "birthDate", value.key, prov_born),
        ),
        (value,),
    )
    doc_b = Document(
        "two",
        "corpus/b.txt",
        "2" * 64,
        (Sentence(0, 0, len(TEXT_B), TEXT_B),),
        (
            Entity("byrne", "Person", "Byrne", (Mention("Byrne", "PERSON", 0, 5, 0),)),
            # a shared entity: a surname alone in an unrelated document is no link
            Entity("acme", "Organization", "Acme", (Mention("Acme", "ORG", 11, 15, 0),)),
        ),
    )
    write_documents(tmp_path, [doc_a, doc_b])
    built = read_built(tmp_path)
    assert set(built) == {"a.txt", "b.txt"}
    a, b = built["a.txt"], built["b.txt"]
    # the store's cross-document step put the surname on the full name's node
    assert [e.key for e in b.document.entities][0] == a.document.entities[0].key
    assert [(m.start_char, m.end_char) for m in b.document.entities[0].mentions] == [
        (0, 5)
    ]
    assert [(t.predicate, t.rule) for t in a.edges()] == [
        ("owns", "r1"),
        ("birthDate", ""),
    ]
    assert all(t.provenance.doc_id == "a.txt" for t in a.document.triples)
    (date,) = a.document.values
    assert date.key == value.key
    assert [m.text for m in date.mentions] == ["1815"]
    assert not b.document.triples


def test_file_names_are_unique_and_safe() -> None:
    names = file_names(["a b", "a b", "x/../y", "", "A B"])
    assert len(set(n.lower() for n in names)) == 5
    assert all(re.fullmatch(r"[A-Za-z0-9_.-]+\.txt", n) for n in names)
    with pytest.raises(ConfigError, match="share a file name"):
        build_corpus([("a.txt", "A."), ("a.txt", "B.")])


def _ecb_gold(
    docs: dict[str, str], chains: dict[str, list[tuple[str, str, int]]]
) -> dict:
    """ECB+-format gold of constructed texts: chains of (doc, surface, occurrence)."""
    entities = []
    for chain, mentions in chains.items():
        ms = []
        for doc_id, surface, nth in mentions:
            found = [m.start() for m in re.finditer(re.escape(surface), docs[doc_id])]
            start = found[nth]
            head = start + surface.rfind(" ") + 1
            ms.append(
                {
                    "doc_id": doc_id,
                    "start": start,
                    "end": start + len(surface),
                    "head_start": head,
                }
            )
        entities.append(
            {"chain_id": chain, "type": "HUM", "named": True, "mentions": ms}
        )
    return {
        "documents": [{"id": d, "topic": "1", "text": t} for d, t in docs.items()],
        "entities": entities,
    }


def test_xdoc_figures_follow_the_cross_document_merge(tmp_path: Path, nlp) -> None:  # type: ignore[no-untyped-def]
    docs = {
        "1_1": "Ada Byrne founded a bakery in Ohio. Byrne said the bakery would grow.",
        "1_2": "Byrne opened a second bakery in Ohio last spring.",
    }
    gold = tmp_path / "gold.json"
    gold.write_text(
        json.dumps(
            _ecb_gold(
                docs,
                {
                    "byrne": [
                        ("1_1", "Ada Byrne", 0),
                        ("1_1", "Byrne", 1),
                        ("1_2", "Byrne", 0),
                    ]
                },
            )
        )
    )
    # alone, the second document's extraction puts the surname on a node of its own
    alone = {
        e.key
        for d in docs.values()
        for e in kg_system(nlp(d), "x").entities
        if "Byrne" in e.name
    }
    assert len(alone) == 2
    # the built graph joins them: both cross-document pairs are found
    figures = evaluate("xdoc", gold).to_dict()["results"]["all"]["G"]
    pairs = figures["cross_doc_pairs"]
    assert (pairs["key"], pairs["common"]) == (2, 2)
    assert figures["mention_recall"] == 1.0


def test_pair_scores_count_pairs_across_documents() -> None:
    key = [{("d1", 1), ("d1", 2), ("d2", 1)}, {("d2", 2)}]
    resp = [{("d1", 1), ("d2", 1)}, {("d1", 2)}, {("d2", 2), ("d3", 9)}]
    across = pair_scores(key, resp, lambda m: m[0])
    assert (across.common, across.key, across.response) == (1, 2, 2)
    within = pair_scores(key, resp, lambda m: m[0], cross=False)
    assert (within.common, within.key, within.response) == (0, 1, 0)


def _ecb_slice(path: Path, topics: int, docs: int) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    order = sorted({d["topic"] for d in data["documents"]}, key=int)[:topics]
    kept = []
    for topic in order:
        kept += [d for d in data["documents"] if d["topic"] == topic][:docs]
    ids = {d["id"] for d in kept}
    entities = []
    for e in data["entities"]:
        ms = [m for m in e["mentions"] if m["doc_id"] in ids]
        if ms:
            entities.append(
                {**e, "mentions": ms, "docs": sorted({m["doc_id"] for m in ms})}
            )
    return {**data, "documents": kept, "entities": entities}


@needs_shared
def test_xdoc_reproduces_score_ecb_on_train_topics(tmp_path: Path, nlp: object) -> None:
    from kg.store import export_store

    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps(_ecb_slice(ECB / "ecb_train_gold.json", 2, 5)))
    out = tmp_path / "out"
    ours = evaluate("xdoc", gold, system_out=out).to_dict()["results"]
    for folder in out.iterdir():
        export_store(folder, folder / "export.nq", format="nquads")
    proc = subprocess.run(
        [
            sys.executable,
            str(ECB / "score_ecb.py"),
            str(gold),
            str(out),
            "--no-baselines",
            "--json",
            str(tmp_path / "ref.json"),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    ref = json.loads((tmp_path / "ref.json").read_text())["results"]["kg"]
    for subset in ("all", "named"):
        for view in ("G", "E"):
            r, o = ref[subset][view], ours[subset][view]
            assert o["mention_recall"] == pytest.approx(r["mentions"]["recall"])
            assert o["mention_precision"] == pytest.approx(r["mentions"]["precision"])
            for theirs, mine in (("muc", "muc"), ("bcub", "b3"), ("ceafe", "ceaf_e")):
                got = (o[mine]["recall"], o[mine]["precision"], o[mine]["f1"])
                assert got == pytest.approx(tuple(r[theirs])), (subset, view, mine)
            assert o["conll_f1"] == pytest.approx(r["conll_f1"])
            x = o["cross_doc_pairs"]
            got = (
                x["recall"],
                x["precision"],
                x["f1"],
                x["common"],
                x["key"],
                x["response"],
            )
            assert got == pytest.approx(tuple(r["xdoc_pairs"])), (subset, view)
            assert o["clusters"] == r["clusters"]
    assert ours["all"]["G"]["cross_doc_pairs"]["common"] > 0


# --- fast end-to-end slices (the real build) ------------------------------------------


def _in_unit_range(d: dict) -> None:
    for key in ("precision", "recall", "f1"):
        assert 0.0 <= d[key] <= 1.0, (key, d)


@needs_shared
@pytest.mark.parametrize(
    ("task", "gold"),
    [
        ("gap", GAP_DEV),
        ("carb", CARB),
        ("redocred", REDOCRED),
        ("coref", GUM_JSON),
        ("coref", GUM_CONLLU),
        ("news", NEWS_GOLD),
        ("xdoc", ECB / "ecb_dev_gold.json"),
    ],
)
def test_task_slice_runs(task: str, gold: Path, tmp_path: Path, nlp: object) -> None:
    done: list[tuple[int, int]] = []
    out = tmp_path / "system.out"
    result = evaluate(
        task,
        gold,
        limit=1 if task == "xdoc" else 3,
        system_out=out,
        progress=lambda d, t: done.append((d, t)),
    )
    figures = result.to_dict()
    assert figures["task"] == task
    _in_unit_range(figures)
    assert done[-1][0] == done[-1][1] > 0
    if task == "xdoc":
        assert any((folder / "store").is_dir() for folder in out.iterdir())
    else:
        assert out.stat().st_size > 0
    expected = "per-sentence extraction" if task == "carb" else "built graph"
    assert figures["run"]["scored"] == expected
    assert all(isinstance(v, str) for _, v in result.rows())
    json.dumps(figures)


def test_news_end_to_end_scores_the_built_graph(nlp: object) -> None:
    d = evaluate("news", NEWS_GOLD).to_dict()
    _in_unit_range(d)
    assert d["run"]["scored"] == "built graph"
    assert d["mentions_found"] > 0.5
    assert d["clusters"]["b3"]["f1"] > 0.3
    assert d["edges"]["edges"] > 0
    assert d["classes"]["named"] > 0
    assert d["classes"]["accuracy"] > 0.5


def test_unknown_task_system_and_bad_limit() -> None:
    with pytest.raises(ConfigError, match="unknown eval task"):
        evaluate("squad", NEWS_GOLD)
    with pytest.raises(ConfigError, match="--limit"):
        evaluate("news", NEWS_GOLD, limit=0)
    with pytest.raises(ConfigError, match="unknown system 'nope'"):
        evaluate("news", NEWS_GOLD, system="nope")


# --- the command ----------------------------------------------------------------------


def _kg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@needs_shared
def test_cli_eval_writes_json_and_system_file(tmp_path: Path) -> None:
    proc = _kg(
        "eval",
        "gap",
        str(GAP_DEV),
        "--limit",
        "5",
        "--json",
        str(tmp_path / "g.json"),
        "--system-out",
        str(tmp_path / "g.tsv"),
    )
    assert proc.returncode == 0, proc.stderr
    assert "overall" in proc.stdout
    assert "bias" in proc.stdout
    figures = json.loads((tmp_path / "g.json").read_text())
    assert figures["task"] == "gap"
    assert {"precision", "recall", "f1"} <= figures.keys()
    assert len((tmp_path / "g.tsv").read_text().splitlines()) == 5


def test_cli_eval_bad_gold_is_one_line_error(tmp_path: Path) -> None:
    for args in (
        ["eval", "gap", str(tmp_path / "nope.tsv")],
        ["eval", "news", str(ROOT / "pyproject.toml")],
        ["eval", "xdoc", str(ROOT / "pyproject.toml")],
    ):
        proc = _kg(*args)
        assert proc.returncode == 2
        lines = [line for line in proc.stderr.splitlines() if line.strip()]
        assert len(lines) == 1, proc.stderr
        assert lines[0].startswith("kg: error:"), proc.stderr
    assert issubclass(ConfigError, KGError)


@needs_shared
def test_eval_runs_kg_with_a_named_extractor(tmp_path: Path) -> None:
    """``--extractor`` scores the graph built with another relation extractor."""
    runs = {}
    for name in ("kg.clauses.v1", "kg.svo.v1"):
        out = tmp_path / f"{name}.jsonl"
        evaluate("redocred", REDOCRED, limit=8, system=name, system_out=out)
        runs[name] = out.read_text(encoding="utf-8")
    assert runs["kg.clauses.v1"] != runs["kg.svo.v1"]
    proc = _kg("eval", "news", str(ROOT / "seeds" / "gold"), "--extractor", "nope")
    assert proc.returncode == 2
    assert "nope" in proc.stderr
    assert "kg.clauses.v1+context" in proc.stderr
    assert "Traceback" not in proc.stderr
