"""Inputs of a build: ids, folders, globs, @lists, JSON Lines, special files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from kg.errors import InputError, LimitError
from kg.inputs import Skipped, Source, document_id, iter_sources, read_text

ROOT = Path(__file__).resolve().parent.parent


def _ids(specs: list[str | Path], **kwargs: int) -> list[str]:
    return [s.doc_id for s in iter_sources(specs, **kwargs) if isinstance(s, Source)]


def _tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _kg(
    *args: str | bytes, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "kg", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        cwd=cwd,
        env=env,
    )


def _one_line_error(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("kg: error:"), lines[0]
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0], lines[0]


# --- document ids -------------------------------------------------------------


def test_document_id_is_the_path_relative_to_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert document_id("news/a.txt") == "news/a.txt"
    assert document_id("./news/../news/a.txt") == "news/a.txt"
    assert document_id(tmp_path / "news" / "a.txt") == "news/a.txt"
    outside = tmp_path.parent / "elsewhere" / "a.txt"
    assert document_id(outside) == str(outside)
    assert document_id("c.jsonl", "7") == "c.jsonl#7"
    # '#' in a path cannot pass for a record of a corpus
    assert document_id("c.jsonl#7") == "c.jsonl%237"


def test_colliding_names_get_distinct_ids(tmp_path: Path) -> None:
    nfc = unicodedata.normalize("NFC", "café.txt")
    nfd = unicodedata.normalize("NFD", "café.txt")
    names = ["A B.txt", "a-b.txt", "News.txt", "news.txt", nfc, nfd]
    names += ["新闻.txt", "报道.txt", "a/x.txt", "b/x.txt"]
    ids = {document_id(tmp_path / n) for n in names}
    assert len(ids) == len(names)


def test_a_file_name_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9.txt")
    with pytest.raises(InputError, match="not valid UTF-8"):
        document_id(tmp_path / name)


# --- folders, globs, lists ----------------------------------------------------


def test_a_folder_is_walked_sorted_per_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _tree(
        tmp_path,
        {
            "news/b.txt": "B.",
            "news/a.txt": "A.",
            "news/z/deep.txt": "D.",
            "news/m/x.txt": "X.",
            "news/notes.md": "# not an input",
        },
    )
    (tmp_path / "news" / "c.jsonl").write_text('{"id": 1, "text": "C."}\n')
    assert _ids(["news"]) == [
        "news/a.txt",
        "news/b.txt",
        "news/c.jsonl#1",
        "news/m/x.txt",
        "news/z/deep.txt",
    ]


def test_globs_match_at_any_depth_and_skip_hidden_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _tree(
        tmp_path,
        {
            "news/top.txt": "T.",
            "news/2024/jan/a.txt": "A.",
            "news/2024/b.txt": "B.",
            "news/2024/b.md": "not this",
            "news/.hidden/h.txt": "H.",
            "news/.h.txt": "H.",
        },
    )
    assert _ids(["news/**/*.txt"]) == [
        "news/top.txt",
        "news/2024/b.txt",
        "news/2024/jan/a.txt",
    ]
    assert _ids(["news/2024/*.txt"]) == ["news/2024/b.txt"]
    # a matching folder is walked; a file met twice is built once
    assert _ids(["news/20*", "news/2024/b.txt"]) == [
        "news/2024/b.txt",
        "news/2024/jan/a.txt",
    ]
    with pytest.raises(InputError, match="no file matches"):
        list(iter_sources(["news/**/*.csv"]))


def test_a_list_file_names_inputs_one_a_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _tree(tmp_path, {"a.txt": "A.", "d/b.txt": "B.", "d/c.txt": "C."})
    (tmp_path / "list.txt").write_text("# inputs\n\na.txt\nd/*.txt\n")
    assert _ids(["@list.txt"]) == ["a.txt", "d/b.txt", "d/c.txt"]
    (tmp_path / "bad.txt").write_text("a.txt\nmissing.txt\n")
    with pytest.raises(InputError, match="'missing.txt' does not exist"):
        list(iter_sources(["@bad.txt"]))


def test_inputs_are_streamed_not_listed_first(tmp_path: Path) -> None:
    # the first documents come before a later problem is even seen
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "a", "text": "A."}\nnot json\n', encoding="utf-8")
    stream = iter_sources([corpus])
    first = next(stream)
    assert isinstance(first, Source)
    assert first.label == "a"
    with pytest.raises(InputError, match="line 2: not JSON"):
        next(stream)


# --- JSON Lines corpora -------------------------------------------------------


def test_a_jsonl_corpus_yields_one_document_a_line(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    records = [{"id": "x", "text": "One."}, {"id": 2, "text": "Two.", "extra": 1}]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records) + "\n")
    items = list(iter_sources([corpus]))
    assert [(s.label, s.text, s.line) for s in items if isinstance(s, Source)] == [
        ("x", "One.", 1),
        ("2", "Two.", 2),
    ]
    assert items[0].doc_id == f"{document_id(corpus)}#x"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("[1, 2]", "not a JSON object"),
        ('{"text": "no id"}', "no 'id'"),
        ('{"id": "a"}', "no 'text'"),
        ('{"id": true, "text": "t"}', "no 'id'"),
        ("[" * 100_000 + "]" * 100_000, "not JSON"),
        ('{"id": ' + "9" * 5000 + ', "text": "t"}', "not JSON"),
    ],
)
def test_a_malformed_record_is_a_one_line_error(
    tmp_path: Path, line: str, words: str
) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 1") as info:
        list(iter_sources([corpus]))
    assert words in str(info.value)
    assert "\n" not in str(info.value)


def test_a_repeated_id_is_refused(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "a", "text": "A."}\n{"id": "a", "text": "B."}\n')
    with pytest.raises(InputError, match="id 'a' repeats line 1"):
        list(iter_sources([corpus]))


def test_oversized_and_empty_records_are_skipped_with_a_reason(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    lines = [
        {"id": "big", "text": "word " * 100},
        {"id": "empty", "text": "  "},
        {"id": "ok", "text": "Fine."},
    ]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in lines))
    corpus_long = tmp_path / "long.jsonl"
    corpus_long.write_text(
        json.dumps({"id": "huge", "text": "x" * 5000}) + "\n"
        + json.dumps({"id": "after", "text": "Fine."}) + "\n"
    )  # fmt: skip
    items = list(iter_sources([corpus, corpus_long], max_chars=200))
    skipped = [str(i) for i in items if isinstance(i, Skipped)]
    kept = [i.label for i in items if isinstance(i, Source)]
    assert kept == ["ok", "after"]
    assert len(skipped) == 3
    assert "over the limit of 200" in skipped[0]
    assert "line 1" in skipped[0]
    assert "empty text" in skipped[1]
    assert "long.jsonl' line 1" in skipped[2]


# --- files: limits and special files ----------------------------------------------


def test_read_text_is_bounded(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("é" * 300, encoding="utf-8")
    assert len(read_text(path, max_chars=300)) == 300
    with pytest.raises(LimitError, match="over the limit of 299"):
        read_text(path, max_chars=299)
    with pytest.raises(LimitError):
        read_text(path, max_chars=10)  # refused from its size, unread


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file \\(a FIFO\\)"):
        list(iter_sources([fifo]))
    with pytest.raises(InputError, match="FIFO"):
        read_text(fifo)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("A.")
    os.mkfifo(folder / "b.txt")
    with pytest.raises(InputError, match="FIFO"):
        list(iter_sources([folder]))


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_a_device_is_a_one_line_error(tmp_path: Path, device: str) -> None:
    result = _kg("build", device, "--out", str(tmp_path / "out"))
    _one_line_error(result, "not a regular file", "character device")
    assert not (tmp_path / "out").exists()


def test_a_fifo_given_to_kg_build_is_a_one_line_error(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    _one_line_error(_kg("build", str(fifo), "--out", str(tmp_path / "o")), "FIFO")


def test_non_utf8_file_names_are_one_line_errors(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    raw = os.path.join(os.fsencode(folder), b"caf\xe9.txt")
    with open(raw, "w", encoding="utf-8") as fh:
        fh.write("Ada Lovelace wrote to Charles Babbage.")
    out = str(tmp_path / "out")
    _one_line_error(_kg("build", str(folder), "--out", out), "not valid UTF-8")
    result = subprocess.run(
        [sys.executable.encode(), b"-m", b"kg", b"build", raw, b"--out", out.encode()],
        capture_output=True,
        check=False,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode != 0
    err = result.stderr.decode("utf-8", "replace").strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith("kg: error:")
    assert "not valid UTF-8" in err[0]
    assert not Path(out).exists()
