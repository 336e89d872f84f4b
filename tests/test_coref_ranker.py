"""The learned pronoun ranker: weights file, features, sieve and training."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.coref import make_sieve_resolver, resolve_entities
from kg.coref.ranker import (
    MODEL_RESOURCE,
    RankerModel,
    candidate_pairs,
    load_model,
    read_model,
)
from kg.coref.resolve import run_sieves
from kg.coref.sieves import RANKER_ORDER, SIEVE_ORDER, sieves
from kg.coref.state import build_discourse
from kg.coref.train_ranker import collect_examples, fit, main, train_order
from kg.errors import ConfigError
from kg.eval.coref import CorefDocument
from kg.mentions import extract_mentions
from tests.fixtures import gold_coref_documents

RANKER = "kg.coref.pronoun_ranker.v1"

#: Constructed texts with their gold chains: (text, [[surface, ...], ...]),
#: each surface taken at its next occurrence in the text.
GOLD = [
    (
        "Ada Byrne met Tom Vale at the harbour. She gave him a map of the coast. "
        "He thanked her and left.",
        [["Ada Byrne", "She", "her"], ["Tom Vale", "him", "He"]],
    ),
    (
        "The museum bought a painting by Lena Holt. It hung in the hall for years. "
        "She visited it twice.",
        [["a painting by Lena Holt", "It", "it"], ["Lena Holt", "She"]],
    ),
    (
        "Paul Grey and his sister ran a bakery. They sold bread every morning. "
        "He baked it before dawn.",
        [["Paul Grey", "his", "He"], ["Paul Grey and his sister", "They"]],
    ),
]


def _gold_docs() -> list[CorefDocument]:
    return gold_coref_documents(GOLD, "person", "")


def test_the_packaged_weights_load_with_their_features_named() -> None:
    data = json.loads(
        (Path(__file__).parents[1] / "kg" / "coref" / MODEL_RESOURCE).read_text()
    )
    assert len(data["features"]) == len(data["weights"]) == len(set(data["features"]))
    model = load_model()
    assert 0.0 < model.threshold < 1.0
    for name in ("sent_dist_0", "token_dist", "salience", "gender_clash|he", "named"):
        assert name in model.weights
    # learned, not set by hand: a recent mention beats one three sentences back
    assert model.weights["sent_dist_0"] > model.weights["sent_dist_3"]
    assert model.score({"salience": 1.0}) > model.score({})


def test_a_file_that_is_no_weights_file_is_a_config_error(tmp_path: Path) -> None:
    bad = tmp_path / "w.json"
    bad.write_text('{"features": ["a"], "weights": []}')
    with pytest.raises(
        ConfigError, match="no pronoun-ranker or description-ranker weights file"
    ):
        read_model(bad)


def test_the_ranker_sieve_links_a_pronoun_and_records_its_id(nlp) -> None:
    resolve = make_sieve_resolver(["kg.coref.exact_name.v1", RANKER])
    doc = nlp("Ada Byrne opened a bakery in the old town. She baked bread there.")
    links = {
        e.name: [(m.text, m.link) for m in e.mentions]
        for e in resolve(doc, list(extract_mentions(doc)))
    }
    assert links["Ada Byrne"] == [("Ada Byrne", ""), ("She", RANKER)]


def test_the_optional_resolver_puts_the_ranker_before_salience(nlp) -> None:
    assert RANKER not in SIEVE_ORDER
    assert RANKER_ORDER[-2:] == (RANKER, "kg.coref.pronoun_salience.v1")
    assert sieves.get(RANKER).classes == frozenset({"pronoun"})
    doc = nlp("Ada Byrne met Tom Vale. She gave him a book.")
    ents = resolve_entities(doc, extract_mentions(doc), resolver="kg.sieves.ranker.v1")
    by_name = {e.name: [m.text for m in e.mentions] for e in ents}
    assert by_name["Ada Byrne"] == ["Ada Byrne", "She"]
    assert "She" not in by_name["Tom Vale"]


def test_candidates_agree_with_the_pronoun(nlp) -> None:
    doc = nlp("Ada Byrne and Tom Vale met the rowers. She waved to them.")
    mentions = list(extract_mentions(doc))
    state = build_discourse(doc, mentions)
    run_sieves(state, [sieves.get("kg.coref.exact_name.v1")])
    she = next(t for t in doc if t.text == "She")
    sent = next(m.sent_index for m in mentions if m.text == "She")
    pairs = candidate_pairs(state, she, sent)
    ada = state.cluster_at(doc[0].i)
    assert ada is not None
    assert ada.id in {p.cluster.id for p in pairs}
    # the rowers are in the discourse, but a plural is no "she"
    assert any(c.plural and c.history for c in state.clusters)
    assert not any(p.cluster.plural for p in pairs)
    for pair in pairs:
        assert pair.features["bias|he"] == 1.0
        assert pair.features["sent_dist_1|he"] == 1.0


def test_training_labels_the_gold_antecedent(nlp) -> None:
    gold = _gold_docs()
    examples = collect_examples(gold, [nlp(g.text) for g in gold])
    assert examples
    assert any(any(ex.labels) for ex in examples)
    assert any(not all(ex.labels) for ex in examples)
    first = examples[0]  # "She" in the first text: Ada Byrne, not Tom Vale
    assert first.doc_id == "d0"
    assert sum(first.labels) == 1
    assert train_order(SIEVE_ORDER)[-2:] == [
        "kg.coref.train_collect",
        "kg.coref.pronoun_salience.v1",
    ]


def test_training_is_reproducible(nlp) -> None:
    gold = _gold_docs()
    runs = [fit(collect_examples(gold, [nlp(g.text) for g in gold])) for _ in range(2)]
    assert runs[0] == runs[1]
    model = RankerModel(
        dict(zip(runs[0]["features"], runs[0]["weights"], strict=True)),
        runs[0]["intercept"],
        runs[0]["threshold"],
    )
    assert model.threshold == 0.5
    assert runs[0]["training"]["pronouns"] >= 4


def test_the_train_command_reports_bad_input(tmp_path: Path, capsys) -> None:
    code = main([str(tmp_path / "missing.json"), "--out", str(tmp_path / "w.json")])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("kg: error: ")
    assert "missing.json" in err
    assert not (tmp_path / "w.json").exists()
