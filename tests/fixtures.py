"""Shared fixtures: one real spaCy pipeline per test session."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from kg.errors import ModelNotFoundError
from kg.eval.coref import CorefDocument, CorefEntity

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
def _doctest_nlp(
    request: pytest.FixtureRequest, doctest_namespace: dict[str, object]
) -> None:
    if isinstance(request.node, pytest.DoctestItem):
        doctest_namespace["nlp"] = request.getfixturevalue("nlp")


@pytest.fixture(scope="session")
def seed_text() -> str:
    return (SEEDS / "tiger-king-pardon.txt").read_text(encoding="utf-8")


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """Debian's Chromium driven by Playwright (never ``playwright install``)."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def seed_build(nlp: Language, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build ``seeds/`` once per session with the real pipeline; return the out dir."""
    from kg.build import BuildConfig, run_build

    out = tmp_path_factory.mktemp("seed-build") / "output"
    run_build([SEEDS], config=BuildConfig(out=out))
    return out


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def build_text(
    nlp: Language, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str, str], Path]:
    """Build a short text with the real pipeline; return the output folder."""
    from kg.build import BuildConfig, run_build

    def build(text: str, name: str = "doc") -> Path:
        folder = tmp_path_factory.mktemp(name)
        source = folder / "doc.txt"
        source.write_text(text, encoding="utf-8")
        run_build([source], config=BuildConfig(out=folder / "out"))
        return folder / "out"

    return build


def hand_parse(
    nlp: Language, rows: list[tuple[str, int, str, str, str]], *, tags: bool = False
) -> Doc:
    """Build a parse by hand, one token per row: (word, head, dep, pos, ent).

    With ``tags``, the POS field holds ``POS/TAG`` ("PRON/PRP$"). Rule tests use
    these so they do not depend on what a model version parses.
    """
    words, heads, deps, pos, ents, tag_list = [], [], [], [], [], []
    for word, head, dep, p, ent in rows:
        coarse, _, fine = p.partition("/")
        words.append(word)
        heads.append(head)
        deps.append(dep)
        pos.append(coarse)
        tag_list.append(fine)
        ents.append(ent)
    return Doc(
        nlp.vocab,
        words=words,
        heads=heads,
        deps=deps,
        pos=pos,
        ents=ents,
        tags=tag_list if tags else None,
    )


def gold_coref_documents(
    gold: list[tuple[str, list[list[str]]]], cls: str, name: str
) -> list[CorefDocument]:
    """Gold coreference documents from constructed texts and their chains.

    Each chain lists its mentions' surfaces in text order; every entity gets
    the class ``cls`` and the name ``name``.
    """
    docs = []
    for k, (text, chains) in enumerate(gold):
        entities = []
        for e, chain in enumerate(chains):
            spans, at = [], 0
            for surface in chain:
                start = text.index(surface, at)
                spans.append((start, start + len(surface)))
                at = start + len(surface)
            entities.append(CorefEntity(f"e{e}", cls, name, tuple(spans)))
        docs.append(CorefDocument(f"d{k}", text, tuple(entities)))
    return docs
