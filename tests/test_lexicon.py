"""The word lists in ``ontology/lexicons``: each parses, and each is used by a rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import OntologyError
from kg.lexicon import lexicon_dir, lexicon_names, load_list, load_mapping, load_words

ROOT = Path(__file__).resolve().parents[1]
# the rules: kg's modules, and the relation patterns (IN_LEXICON names a list)
CODE = "\n".join(
    p.read_text(encoding="utf-8")
    for p in (
        *(ROOT / "kg").rglob("*.py"),
        *(ROOT / "ontology" / "patterns").glob("*.json"),
    )
)


@pytest.mark.parametrize("name", lexicon_names())
def test_every_list_parses_and_is_read_by_kg(name: str) -> None:
    if (lexicon_dir() / f"{name}.tsv").is_file():
        entries = list(load_mapping(name))
    else:
        entries = list(load_list(name))
        assert load_words(name) == frozenset(entries)
    assert entries, f"{name} is empty"
    assert all(e == " ".join(e.split()) for e in entries)
    assert f'"{name}"' in CODE, f"lexicon {name} is read by no rule"


def test_missing_list_is_a_clear_error() -> None:
    with pytest.raises(OntologyError, match="known lexicons"):
        load_words("no-such-list")


def test_mapping_line_without_tab_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "lexicons").mkdir()
    (tmp_path / "lexicons" / "broken.tsv").write_text("one 1\n", encoding="utf-8")
    monkeypatch.setattr("kg.lexicon.ontology_dir", lambda: tmp_path)
    load_mapping.cache_clear()
    try:
        with pytest.raises(OntologyError, match="no tab"):
            load_mapping("broken")
    finally:
        load_mapping.cache_clear()
