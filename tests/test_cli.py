"""The ``kg`` command on bad input: one-line errors, non-zero exits, untouched output."""

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
    assert "no.such.v9" in result.stderr
    assert "kg.clauses.v1" in result.stderr
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


# --- start-up, usage errors, reading commands on a bad store -------------------------

_HEAVY = (
    "spacy",
    "pandas",
    "networkx",
    "pyshacl",
    "pyvis",
    "scipy",
    "thinc",
    "IPython",
)


def _imports_after(args: list[str]) -> tuple[int, set[str], str]:
    """Run ``kg ARGS`` in a fresh interpreter; return its code and heavy imports."""
    script = (
        "import sys, json\n"
        "from kg.cli import main\n"
        f"code = main({args!r})\n"
        f"heavy = sorted(m for m in {_HEAVY!r} if m in sys.modules)\n"
        "print(json.dumps([code, heavy]), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    import json

    code, heavy = json.loads(result.stderr.strip().splitlines()[-1])
    return code, set(heavy), result.stdout


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kg.store import write_documents
    from kg.types import Document, Entity, Mention, Sentence

    text = "Ada Quellmark spoke."
    ada = Entity(
        "ada",
        "Person",
        "Ada Quellmark",
        (Mention("Ada Quellmark", "PERSON", 0, 13, 0),),
    )
    out = tmp_path_factory.mktemp("store") / "out"
    write_documents(
        out,
        [
            Document(
                "a.txt", "a.txt", "0" * 64, (Sentence(0, 0, len(text), text),), (ada,)
            )
        ],
    )
    return out


def test_help_version_and_query_start_without_heavy_imports(small_store: Path) -> None:
    code, heavy, out = _imports_after(["--help"])
    assert code == 0
    assert "Usage: kg" in out
    assert not heavy, f"kg --help imported {heavy}"
    code, heavy, out = _imports_after(["--version"])
    assert code == 0
    assert out.strip() == "kg 0.1.0"
    assert not heavy
    query = "SELECT ?e ?label WHERE { ?e a kgo:Person ; rdfs:label ?label }"
    code, heavy, out = _imports_after(
        ["query", query, "--out", str(small_store), "--format", "table"]
    )
    assert code == 0
    assert "kg:entity/ada" in out  # prefixed names in tables
    assert "Ada Quellmark" in out
    assert not heavy, f"kg query imported {heavy}"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["build", "--no-such-option"], "No such option"),
        (["query", "--format"], "requires an argument"),
        (["no-such-command"], "No such command"),
        (["eval", "nonsense", "x"], "nonsense"),
        (["render", "--max-nodes", "many"], "--max-nodes"),
        (["validate", "--limit", "-3"], "--limit"),
    ],
)
def test_usage_errors_are_one_line(args: list[str], words: str) -> None:
    result = _kg(*args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("kg: error: ")
    assert words in lines[0]
    assert "╭" not in result.stderr
    assert "Traceback" not in result.stderr


def _corrupt(store: Path, where: Path, how: str) -> Path:
    import shutil

    out = where / f"corrupt-{how}"
    shutil.copytree(store, out, symlinks=True)
    generation = (out / "store").resolve()
    if how == "current":
        (generation / "CURRENT").write_bytes(b"\x00garbage")
    else:
        for sst in generation.glob("*.sst"):
            data = bytearray(sst.read_bytes())
            for i in range(64, len(data), 61):
                data[i] ^= 0x5A
            sst.write_bytes(bytes(data))
    return out


@pytest.mark.parametrize("how", ["missing", "current", "tables"])
@pytest.mark.parametrize(
    "command",
    [
        ["query", "SELECT * WHERE { ?s ?p ?o }"],
        ["render"],
        ["export"],
        ["export", "--format", "edges-csv"],
        ["validate"],
    ],
)
def test_reading_a_missing_or_corrupted_store_is_one_line(
    small_store: Path, tmp_path: Path, how: str, command: list[str]
) -> None:
    out = (
        tmp_path / "nothing"
        if how == "missing"
        else _corrupt(small_store, tmp_path, how)
    )
    before = _snapshot(out) if out.exists() else {}
    result = _kg(*command, "--out", str(out))
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("kg: error: ")
    assert "Traceback" not in result.stderr
    after = _snapshot(out) if out.exists() else {}
    assert after == before
