"""The ``kg`` command on bad input: one-line errors, non-zero exits, output untouched."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest


def _kg(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        cwd=cwd,
    )


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def existing_output(tmp_path: Path, seed_build: Path) -> Path:
    out = tmp_path / "output"
    out.mkdir()
    for f in seed_build.iterdir():
        if f.is_file():
            (out / f.name).write_bytes(f.read_bytes())
    return out


def _bad_inputs(tmp: Path) -> dict[str, tuple[Path, str]]:
    empty = tmp / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    binary = tmp / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    latin1 = tmp / "latin1.txt"
    latin1.write_bytes("Der Bürgermeister von Köln sprach.".encode("latin-1"))
    no_txt = tmp / "no-txt"
    no_txt.mkdir()
    (no_txt / "notes.md").write_text("# not text input", encoding="utf-8")
    return {
        "missing": (tmp / "does-not-exist.txt", "does not exist"),
        "empty": (empty, "empty"),
        "binary": (binary, "binary"),
        "not-utf8": (latin1, "UTF-8"),
        "no-txt-dir": (no_txt, ".txt"),
    }


@pytest.mark.parametrize(
    "case", ["missing", "empty", "binary", "not-utf8", "no-txt-dir"]
)
def test_bad_input_is_one_line_error_and_output_untouched(
    case: str, tmp_path: Path, existing_output: Path
) -> None:
    path, words = _bad_inputs(tmp_path)[case]
    before = _snapshot(existing_output)
    result = _kg("build", str(path), "--out", str(existing_output))
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("kg: error:")
    assert words in lines[0]
    assert "Traceback" not in result.stderr
    assert _snapshot(existing_output) == before


def test_a_bad_file_among_good_ones_writes_nothing(
    tmp_path: Path, seed_text: str
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "good.txt").write_text(seed_text, encoding="utf-8")
    (docs / "bad.txt").write_bytes(b"\xff\xfe\x00\x01 broken")
    out = tmp_path / "out"
    result = _kg("build", str(docs), "--out", str(out))
    assert result.returncode != 0
    assert "bad.txt" in result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_missing_model_names_the_install_command(
    tmp_path: Path, seed_text: str
) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text(seed_text, encoding="utf-8")
    result = _kg(
        "build",
        str(doc),
        "--out",
        str(tmp_path / "o"),
        "--model",
        "en_core_web_nonexistent",
    )
    assert result.returncode == 2
    assert "en_core_web_nonexistent" in result.stderr
    assert "install" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_extractor_is_one_line_error(
    tmp_path: Path, existing_output: Path
) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text("Ada Lovelace wrote to Charles Babbage.", encoding="utf-8")
    before = _snapshot(existing_output)
    result = _kg(
        "build", str(doc), "--out", str(existing_output), "--extractor", "no.such.v9"
    )
    assert result.returncode != 0
    assert "no.such.v9" in result.stderr and "kg.clauses.v1" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert _snapshot(existing_output) == before


def test_model_env_var_is_honoured(tmp_path: Path, seed_text: str) -> None:
    import os

    doc = tmp_path / "a.txt"
    doc.write_text(seed_text, encoding="utf-8")
    env = {**os.environ, "KG_SPACY_MODEL": "en_core_web_from_env"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kg.cli",
            "build",
            str(doc),
            "--out",
            str(tmp_path / "o"),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env=env,
    )
    assert result.returncode == 2
    assert "en_core_web_from_env" in result.stderr


def test_unknown_option_is_a_usage_error() -> None:
    result = _kg("build", "--no-such-option")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
