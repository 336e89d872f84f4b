"""Shared fixtures: one real spaCy pipeline per test session."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from kg.errors import ModelNotFoundError

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED_EVAL = ROOT.parent / "shared" / "eval"


@pytest.fixture(scope="session")
def nlp() -> Language:
    from kg.nlp import load_pipeline

    try:
        return load_pipeline()
    except ModelNotFoundError as exc:
        pytest.skip(f"spaCy pipeline not installed: {exc}")


@pytest.fixture(autouse=True)
def _doctest_nlp(request: pytest.FixtureRequest, doctest_namespace: dict[str, object]) -> None:
    if isinstance(request.node, pytest.DoctestItem):
        doctest_namespace["nlp"] = request.getfixturevalue("nlp")


@pytest.fixture(scope="session")
def seed_text() -> str:
    return (SEEDS / "tiger-king-pardon.txt").read_text(encoding="utf-8")
