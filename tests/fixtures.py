"""Shared fixtures: one real spaCy pipeline per test session."""

from __future__ import annotations

import re
import socket
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from kg.errors import ModelNotFoundError
from kg.eval.coref import CorefDocument, CorefEntity
from kg.types import Document, Entity, Mention, Sentence

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


# --- hand-built documents for the corpus step (kg.link) ---------------------

_HAND_NER = {
    "Person": "PERSON",
    "Organization": "ORG",
    "Facility": "FAC",
    "Place": "GPE",
    "Country": "GPE",
    "Group": "NORP",
    "Thing": "",
}
_HAND_PRONOUNS = frozenset({"he", "she", "him", "her", "his", "it", "they"})


def hand_document(
    doc_id: str, text: str, *entities: tuple[str, str, Sequence[str]]
) -> Document:
    """A one-sentence document whose entities are the given surfaces in ``text``.

    Each entity is ``(key, class, surfaces)``; the first surface is its name,
    the others its further mentions in order (pronouns among them).
    """
    built = []
    for key, cls, surfaces in entities:
        mentions, at = [], 0
        for surface in surfaces:
            found = re.search(rf"\b{re.escape(surface)}(?!\w)", text[at:])
            assert found is not None, (surface, text)
            start = at + found.start()
            pronoun = surface.lower() in _HAND_PRONOUNS
            mentions.append(
                Mention(
                    surface,
                    "" if pronoun else _HAND_NER[cls],
                    start,
                    start + len(surface),
                    0,
                    "pronoun" if pronoun else "name",
                )
            )
            at = start + len(surface)
        aliases = tuple(
            dict.fromkeys(
                s
                for s in surfaces[1:]
                if s.lower() not in _HAND_PRONOUNS and s != surfaces[0]
            )
        )
        built.append(Entity(key, cls, surfaces[0], tuple(mentions), aliases=aliases))
    sentence = Sentence(0, 0, len(text), text)
    return Document(doc_id, doc_id, "0" * 64, (sentence,), tuple(built))


def linked_keys(documents: Sequence[Document]) -> dict[tuple[str, str], str]:
    """(document id, local key) -> corpus key after linking."""
    from kg.link import link_documents

    linked = link_documents(documents)
    return {
        (d.doc_id, e0.key): e1.key
        for d, out in zip(documents, linked, strict=True)
        for e0, e1 in zip(d.entities, out.entities, strict=True)
    }


# --- resolved entities of a constructed text (kg.coref) ---------------------


def resolved_entities(nlp: Language, text: str) -> tuple[Entity, ...]:
    """The entities the default resolver makes of ``text``."""
    from kg.coref import resolve_entities
    from kg.mentions import extract_mentions

    doc = nlp(text)
    return resolve_entities(doc, extract_mentions(doc))


def owner_of(
    entities: tuple[Entity, ...], text: str, word: str, nth: int = 0
) -> str | None:
    """Name of the entity holding the ``nth`` occurrence of ``word`` in ``text``."""
    start = [m.start() for m in re.finditer(rf"\b{word}\b", text)][nth]
    for e in entities:
        if any(m.start_char == start and m.text == word for m in e.mentions):
            return e.name
    return None
