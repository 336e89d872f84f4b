"""The learned description ranker: weights, features, sieve, training, mentions."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from kg.coref import make_sieve_resolver, resolve_entities
from kg.coref.description_ranker import (
    DESCRIPTION_MODEL_RESOURCE,
    candidate_pairs,
    is_ranked_description,
    load_description_model,
)
from kg.coref.ranker import RankerModel
from kg.coref.resolve import run_sieves
from kg.coref.sieves import DESCRIPTION_RANKER_ORDER, SIEVE_ORDER, sieves
from kg.coref.sieves.ranked import DESCRIPTION_RANKER
from kg.coref.state import build_discourse
from kg.coref.train_ranker import (
    collect_examples,
    description_train_order,
    fit,
    main,
)
from kg.eval.coref import CorefDocument
from kg.mentions import extract_mentions
from tests.fixtures import gold_coref_documents

EXACT = "kg.coref.exact_name.v1"
# ``kg.coref.sieves`` names the registry too: reach the module by its path
ranked_sieves = importlib.import_module("kg.coref.sieves.ranked")

#: Constructed texts with gold chains, each surface at its next occurrence.
GOLD = [
    (
        "Norvale Industries makes drills in Halden. The company employs forty "
        "people. Last year the firm opened a second plant.",
        [["Norvale Industries", "The company", "the firm"], ["Halden"]],
    ),
    (
        "The Brisk Valley Hotel stands by the lake. The hotel has ninety rooms. "
        "Its owner, Mara Quill, bought the building in 2001.",
        [["The Brisk Valley Hotel", "The hotel", "the building"], ["Mara Quill"]],
    ),
    (
        "Teller Foods built a warehouse near Arden. The company said the site "
        "would open in May. A rival company declined to comment.",
        [["Teller Foods", "The company"], ["Arden"]],
    ),
]


def _gold_docs() -> list[CorefDocument]:
    return gold_coref_documents(GOLD, "organization", "x")


def _links(resolve, doc) -> dict[str, list[tuple[str, str]]]:
    return {
        e.name: [(m.text, m.link) for m in e.mentions]
        for e in resolve(doc, list(extract_mentions(doc)))
    }


def test_the_packaged_weights_are_learned_and_precision_first() -> None:
    path = Path(__file__).parents[1] / "kg" / "coref" / DESCRIPTION_MODEL_RESOURCE
    data = json.loads(path.read_text())
    assert data["model"] == DESCRIPTION_RANKER
    assert len(data["features"]) == len(data["weights"]) == len(set(data["features"]))
    model = load_description_model()
    # links only when sure: well above an even chance
    assert model.threshold >= 0.6
    w = model.weights
    # learned, not set by hand: a cluster once called by the noun, a class
    # that fits and a nearby mention make a link likelier
    assert w["called_so"] > 0
    assert w["class_yes"] > w["class_no"]
    assert w["sent_dist_0"] > w["sent_dist_4"]
    assert model.score({"rule_description": 1.0}) > model.score({})


def test_ranked_descriptions_are_singular_and_definite(nlp) -> None:
    doc = nlp("The plant closed. A plant opened. These plants grew. Its plant left.")
    heads = [t for t in doc if t.lemma_ == "plant"]
    spans = [doc[h.left_edge.i : h.i + 1] for h in heads]
    assert [is_ranked_description(s) for s in spans] == [True, False, False, False]


def test_candidates_are_named_clusters_before_the_description(nlp) -> None:
    doc = nlp("Norvale Industries makes drills in Halden. The company is old.")
    mentions = list(extract_mentions(doc))
    state = build_discourse(doc, mentions)
    run_sieves(state, [sieves.get(EXACT)])
    company = next(i for i, m in enumerate(mentions) if m.text == "The company")
    pairs = candidate_pairs(state, company)
    assert {" ".join(sorted(p.cluster.keys)) for p in pairs} >= {"halden"}
    by_key = {next(iter(sorted(p.cluster.keys))): p.features for p in pairs}
    works = next(f for k, f in by_key.items() if "norvale" in k)
    assert works["sent_dist_1"] == 1.0
    assert works["bias|org"] == 1.0
    assert works["label_yes"] == 1.0
    assert by_key["halden"].get("label_no") == 1.0  # a company is no town


def test_the_optional_resolver_puts_the_ranker_before_the_rules() -> None:
    assert DESCRIPTION_RANKER not in SIEVE_ORDER
    at = DESCRIPTION_RANKER_ORDER.index(DESCRIPTION_RANKER)
    assert DESCRIPTION_RANKER_ORDER[at + 1] == "kg.coref.definite_description.v1"
    assert [n for n in DESCRIPTION_RANKER_ORDER if n != DESCRIPTION_RANKER] == list(
        SIEVE_ORDER
    )
    assert sieves.get(DESCRIPTION_RANKER).classes == frozenset({"nominal"})


def test_the_sieve_links_a_description_it_is_sure_of(nlp) -> None:
    doc = nlp("Halden is a small city in the north. The city has a new bridge.")
    ents = resolve_entities(
        doc, extract_mentions(doc), resolver="kg.sieves.descriptions.v1"
    )
    chains = {e.name: [(m.text, m.link) for m in e.mentions] for e in ents}
    assert ("The city", DESCRIPTION_RANKER) in chains["Halden"]


def test_the_sieve_leaves_a_description_it_is_unsure_of(nlp) -> None:
    resolve = make_sieve_resolver(DESCRIPTION_RANKER_ORDER)
    doc = nlp("Mara Quill met Tom Vale in Halden. The company was small.")
    for chain in _links(resolve, doc).values():
        assert all(text != "The company" for text, _link in chain)


def test_a_vetoed_rule_link_starts_an_entity_of_its_own(nlp, monkeypatch) -> None:
    order = [EXACT, DESCRIPTION_RANKER, "kg.coref.definite_description.v1"]
    doc = nlp("Norvale Industries makes drills. The company employs forty people.")
    ruled = _links(make_sieve_resolver(order), doc)
    assert ("The company", "kg.coref.definite_description.v1") in next(
        iter(ruled.values())
    )
    doubting = RankerModel({}, -5.0, 0.99, veto=0.5)  # every pick scores ~0.007
    monkeypatch.setattr(ranked_sieves, "load_description_model", lambda: doubting)
    vetoed = _links(make_sieve_resolver(order), doc)
    assert all(text != "The company" for v in vetoed.values() for text, _l in v)


def test_training_labels_the_gold_antecedent_and_is_reproducible(nlp) -> None:
    gold = _gold_docs()
    docs = [nlp(g.text) for g in gold]
    examples = collect_examples(gold, docs, kind="description")
    assert examples
    assert all(ex.doc_id.startswith("d") for ex in examples)
    assert any(any(ex.labels) for ex in examples)
    assert all(sum(ex.labels) <= 1 for ex in examples)
    runs = [
        fit(
            collect_examples(gold, docs, kind="description"),
            threshold=0.7,
            model_id=DESCRIPTION_RANKER,
        )
        for _ in range(2)
    ]
    assert runs[0] == runs[1]
    assert runs[0]["model"] == DESCRIPTION_RANKER


def test_training_sees_descriptions_where_the_ranker_stands() -> None:
    order = description_train_order()
    assert DESCRIPTION_RANKER not in order
    at = order.index("kg.coref.train_collect")
    assert order[at + 1] == "kg.coref.definite_description.v1"


def test_the_train_command_reports_a_missing_exclude_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gold = tmp_path / "gold.json"
    gold.write_text("[]")
    code = main(
        [
            str(gold),
            "--kind",
            "description",
            "--exclude",
            str(tmp_path / "nope.txt"),
            "--out",
            str(tmp_path / "w.json"),
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("kg: error: ")
    assert "nope.txt" in err
    assert not (tmp_path / "w.json").exists()
