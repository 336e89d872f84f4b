"""Parsing in spaCy memory zones frees new word forms and leaves the graph as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

import kg.nlp
from kg.build import BuildConfig, run_build

#: Constructed articles: people and places named again across documents (so
#: they are linked across zones), with word forms no pipeline has seen.
_ARTICLES = [
    "Orla Quenby founded Brackwater Foods in Tarnby in 1998. "
    "Quenby sold the firm to Halvek Group in 2011.",
    "Halvek Group opened a plant in Tarnby. Its chief, Ivo Marrant, "
    "said the plant would make zorblaxian sauces.",
    "Ivo Marrant met Orla Quenby in Velmouth on Tuesday. She praised "
    "the vondrelish recipes of Brackwater Foods.",
    "The mayor of Velmouth, Petra Skoll, visited Brackwater Foods. "
    "Skoll said the company employs 300 people.",
    "Halvek Group sued Brackwater Foods in Tarnby. Marrant denied the claims "
    "about the quillomantic labels.",
]
_NEW_WORDS = ("zorblaxian", "vondrelish", "quillomantic")


def _build(tmp: Path, name: str, folder: Path, *, zone: int, workers: int) -> Graph:
    out = tmp / name
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(kg.nlp, "ZONE_DOCUMENTS", zone)
        report = run_build(
            [folder], config=BuildConfig(out=out, batch_size=2, workers=workers)
        )
    assert report.documents == len(_ARTICLES)
    return Graph().parse(out / "graph.ttl", format="turtle")


def test_a_build_in_memory_zones_writes_the_same_graph_and_frees_new_words(
    nlp,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    strings = kg.nlp.load_pipeline(BuildConfig().model).vocab.strings  # the build's
    folder = tmp_path / "in"
    folder.mkdir()
    for i, text in enumerate(_ARTICLES):
        (folder / f"a{i}.txt").write_text(text, encoding="utf-8")
    # one document a zone: every cross-document link crosses a zone's end
    zoned = _build(tmp_path, "zoned", folder, zone=1, workers=0)
    forked = _build(tmp_path, "forked", folder, zone=1, workers=1)
    assert not any(word in strings for word in _NEW_WORDS)
    plain = _build(tmp_path, "plain", folder, zone=0, workers=0)
    assert all(word in strings for word in _NEW_WORDS)
    assert len(plain) > 50
    assert isomorphic(zoned, plain)
    assert isomorphic(forked, plain)
