"""kg eval: scorer unit tests, equivalence with the official scorers, fast task slices.

The benchmark data lives in ``../shared/eval`` (beside the checkout); tests that
need it skip when it is absent. The official GAP and CaRB scorers run as
subprocesses on small slices and must print the same figures as kg's ports.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kg.errors import ConfigError, KGError
from kg.eval import (
    PRF,
    CarbExtraction,
    ClusterScores,
    GapExample,
    SpanIndex,
    b_cubed,
    carb_match,
    ceaf_e,
    detokenize,
    evaluate,
    muc,
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
from kg.types import Document, Entity, Mention, Provenance, Triple
from tests.fixtures import ROOT, SHARED_EVAL

GAP_DEV = SHARED_EVAL / "gap" / "gap-development.tsv"
CARB = SHARED_EVAL / "carb"
REDOCRED = SHARED_EVAL / "redocred" / "dev_revised.json"
GUM_JSON = SHARED_EVAL / "gum" / "gum-dev.json"
GUM_CONLLU = SHARED_EVAL / "gum" / "conllu"
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
        ["Willi", '"', "Schneider", '"', "(", "born", "1963", ")", "won", "."],
        ["He", "did", "n't", "lose", "Pittsburgh", "'s", "race", "."],
    ]
    text, spans = detokenize(sents)
    assert (
        text == "Willi \"Schneider\" (born 1963) won. He didn't lose Pittsburgh's race."
    )
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


# --- news gold ------------------------------------------------------------------------


def _perfect(gold_path: Path) -> tuple[list, list[Document]]:
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
        triples = tuple(Triple(f.subject, f.property, f.object, prov) for f in g.facts)
        docs.append(Document("d", "d", "0" * 64, (), ents, triples))
    return golds, docs


def test_news_gold_loads_and_a_perfect_system_scores_one() -> None:
    golds, docs = _perfect(NEWS_GOLD)
    assert golds
    assert all(len(g.entities) >= 10 and len(g.facts) >= 10 for g in golds)
    s = score_news(golds, docs)
    assert s.mentions_found == 1.0
    assert s.clusters.conll_f1 == 1.0
    assert s.whole_share == 1.0
    assert s.facts.untyped == PRF(1.0, 1.0, 1.0)
    assert s.facts.typed == PRF(1.0, 1.0, 1.0)


def test_news_facts_read_inverse_and_symmetric_properties() -> None:
    golds, docs = _perfect(NEWS_GOLD / "tiger-king-pardon.json")
    g = golds[0]
    flipped = []
    for t in docs[0].triples:
        if t.predicate == "owns":
            flipped.append(Triple(t.object, "ownedBy", t.subject, t.provenance))
        elif t.predicate in {"spouse", "friendOf"}:
            flipped.append(Triple(t.object, t.predicate, t.subject, t.provenance))
        else:
            flipped.append(t)
    doc = Document("d", "d", "0" * 64, (), docs[0].entities, tuple(flipped))
    assert score_news([g], [doc]).facts.typed == PRF(1.0, 1.0, 1.0)


def test_news_gold_errors_are_clear(tmp_path: Path) -> None:
    good = json.loads(
        (NEWS_GOLD / "tiger-king-pardon.json").read_text(encoding="utf-8")
    )
    (tmp_path / "article.txt").write_bytes(
        (ROOT / "seeds" / "tiger-king-pardon.txt").read_bytes()
    )

    def write(data: dict) -> Path:
        path = tmp_path / "gold.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        return path

    base = {**good, "source": "article.txt"}
    assert read_news_gold(write(base))
    shifted = json.loads(json.dumps(base))
    shifted["entities"][0]["mentions"][0][0] += 1
    with pytest.raises(ConfigError, match="not 'Joe Exotic'"):
        read_news_gold(write(shifted))
    with pytest.raises(ConfigError, match="not an ontology property"):
        read_news_gold(
            write({**base, "facts": [{**base["facts"][0], "property": "likes"}]})
        )
    with pytest.raises(ConfigError, match="changed since it was annotated"):
        read_news_gold(write({**base, "sha256": "0" * 64}))
    with pytest.raises(ConfigError, match="not a news gold file"):
        read_news_gold(write({"entities": []}))


# --- fast end-to-end slices (the real pipeline) ---------------------------------------


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
    ],
)
def test_task_slice_runs(task: str, gold: Path, tmp_path: Path, nlp: object) -> None:
    done: list[tuple[int, int]] = []
    out = tmp_path / "system.out"
    result = evaluate(
        task, gold, limit=3, system_out=out, progress=lambda d, t: done.append((d, t))
    )
    figures = result.to_dict()
    assert figures["task"] == task
    _in_unit_range(figures)
    assert done[-1][0] == done[-1][1] > 0
    assert out.stat().st_size > 0
    assert all(isinstance(v, str) for _, v in result.rows())
    json.dumps(figures)


def test_news_end_to_end_is_in_range(nlp: object) -> None:
    d = evaluate("news", NEWS_GOLD).to_dict()
    _in_unit_range(d)
    assert d["mentions_found"] > 0.5
    assert d["clusters"]["b3"]["f1"] > 0.3


def test_unknown_task_and_bad_limit() -> None:
    with pytest.raises(ConfigError, match="unknown eval task"):
        evaluate("squad", NEWS_GOLD)
    with pytest.raises(ConfigError, match="--limit"):
        evaluate("news", NEWS_GOLD, limit=0)


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
    ):
        proc = _kg(*args)
        assert proc.returncode == 2
        lines = [line for line in proc.stderr.splitlines() if line.strip()]
        assert len(lines) == 1, proc.stderr
        assert lines[0].startswith("kg: error:"), proc.stderr
    assert issubclass(ConfigError, KGError)


@needs_shared
def test_eval_runs_kg_with_a_named_extractor(tmp_path: Path) -> None:
    """``--extractor`` scores kg with another registered relation extractor."""
    runs = {}
    for name in ("kg.clauses.v1", "kg.svo.v1"):
        out = tmp_path / f"{name}.jsonl"
        evaluate("redocred", REDOCRED, limit=8, system=name, system_out=out)
        runs[name] = out.read_text(encoding="utf-8")
    assert runs["kg.clauses.v1"] != runs["kg.svo.v1"]
    proc = _kg("eval", "news", str(ROOT / "seeds" / "gold"), "--extractor", "nope")
    assert proc.returncode == 2
    assert "nope" in proc.stderr and "kg.clauses.v1+context" in proc.stderr
    assert "Traceback" not in proc.stderr
