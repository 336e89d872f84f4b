"""kg export: every format opened by a real reader, and where output may go.

The store holds constructed documents (made-up names, known facts, a reported
and a hedged one); expected values come from the store with SPARQL.
"""

from __future__ import annotations

import csv
import io
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph

from kg.cli import main
from kg.errors import ConfigError
from kg.export import NEO4J_FILES, check_destination, export_graph, write_file
from kg.query import KnowledgeGraph
from tests.test_render import ADA, BO, NOR, VEX, Fact, _doc

STATEMENTS = """
SELECT ?st ?s ?p ?o ?modality WHERE {
  ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
      kgo:modality ?modality .
  ?s kgo:mention ?ms . ?o kgo:mention ?mo .
}"""
ENTITIES = "SELECT DISTINCT ?e ?label WHERE { ?e kgo:mention ?m ; rdfs:label ?label }"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kg.store import write_documents

    facts: list[Fact] = [
        (ADA, "employer", VEX, 0.9, "asserted"),
        (BO, "meets", ADA, 0.4, "asserted"),
        (VEX, "headquarters", NOR, 0.7, "asserted"),
        (('Cyra, "the" Dunmore', "Person"), "meets", BO, 0.8, "reported"),
        (("Dalk Orrin", "Person"), "employer", VEX, 0.5, "hedged"),
    ]
    again: list[Fact] = [(ADA, "employer", VEX, 0.7, "asserted")]
    folder = tmp_path_factory.mktemp("export") / "out"
    write_documents(folder, [_doc("a.txt", facts), _doc("b.txt", again)])
    return folder


def _kg(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_csv_tables_hold_entities_and_statements_with_provenance(out: Path) -> None:
    kg = KnowledgeGraph.open(out)
    entities = {str(r["e"]): str(r["label"]) for r in kg.select(ENTITIES)}
    statements = {str(r["st"]): r for r in kg.select(STATEMENTS)}
    _fmt, data, _ = export_graph(out, None, format="nodes-csv")
    nodes = _rows(data or b"")
    assert {n["entity"]: n["label"] for n in nodes} == entities
    ada = next(n for n in nodes if n["label"] == ADA[0])
    assert ada["class"] == "Person"
    assert int(ada["documents"]) == 2
    assert int(ada["mentions"]) == 3
    _fmt, data, _ = export_graph(out, None, format="edges-csv")
    edges = _rows(data or b"")
    assert {e["statement"] for e in edges} == set(statements)
    for edge in edges:
        row = statements[edge["statement"]]
        assert edge["subject"] == str(row["s"])
        assert edge["object"] == str(row["o"])
        assert edge["modality"] == str(row["modality"])
        assert edge["subject_label"] in edge["text"]
        assert edge["object_label"] in edge["text"]
        assert edge["document"] in {"a.txt", "b.txt"}
        assert edge["rule"].startswith("test.")
        assert 0 < float(edge["confidence"]) <= 1
        assert int(edge["start"]) < int(edge["end"])
        assert edge["predicate"].startswith("kgo:")
    assert {e["modality"] for e in edges} == {"asserted", "reported", "hedged"}


def test_graphml_and_gexf_open_in_networkx(out: Path, tmp_path: Path) -> None:
    kg = KnowledgeGraph.open(out)
    entities = {str(r["e"]) for r in kg.select(ENTITIES)}
    relations = {(str(r["s"]), str(r["p"]), str(r["o"])) for r in kg.select(STATEMENTS)}
    for fmt, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        path = tmp_path / f"g.{fmt}"
        assert main(["export", str(path), "--out", str(out)]) == 0  # from the suffix
        graph = read(path)
        assert set(graph.nodes) == entities
        assert graph.number_of_edges() == len(relations)
        labels = {d["label"] for _n, d in graph.nodes(data=True)}
        assert {ADA[0], BO[0], VEX[0], NOR[0]} <= labels
        twice = [
            d
            for s, o, d in graph.edges(data=True)
            if graph.nodes[s]["label"] == ADA[0] and graph.nodes[o]["label"] == VEX[0]
        ]
        assert len(twice) == 1
        assert twice[0]["sentences"] == 2
        assert twice[0]["confidence"] == pytest.approx(0.9)
        assert {d["modality"] for _s, _o, d in graph.edges(data=True)} == {
            "asserted",
            "reported",
            "hedged",
        }


# neo4j-admin import header syntax (Neo4j operations manual, "CSV header format"):
# name:TYPE with TYPE one of the property types, optionally an array "[]", or a
# special field :ID / :LABEL / :START_ID / :END_ID / :TYPE / :IGNORE, an ID
# optionally with an ID space in parentheses.
_PROPERTY_TYPES = (
    "int|long|float|double|boolean|byte|short|char|string|point|date|localtime|"
    "time|localdatetime|datetime|duration"
)
_HEADER = re.compile(
    rf"^(?:(?P<name>[^:]+))?(?::(?P<special>ID|LABEL|START_ID|END_ID|TYPE|IGNORE)"
    rf"(?:\((?P<space>[^)]+)\))?|:(?P<type>{_PROPERTY_TYPES})(?P<array>\[\])?)?$"
)
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _check_value(kind: str | None, array: bool, value: str) -> None:
    values = value.split(";") if array and value else [value]
    for v in values:
        if v == "":
            continue
        if kind in ("int", "long", "short", "byte"):
            int(v)
        elif kind in ("float", "double"):
            float(v)
        elif kind == "boolean":
            assert v in ("true", "false")


def _read_neo4j(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    for field in header:
        match = _HEADER.match(field)
        assert match, f"bad header field {field!r} in {path.name}"
    for row in body:
        assert len(row) == len(header)
        assert not any("\n" in cell for cell in row), "multi-line fields need a flag"
        for field, cell in zip(header, row, strict=True):
            match = _HEADER.match(field)
            assert match is not None
            _check_value(match["type"], bool(match["array"]), cell)
    return header, body


def test_neo4j_files_follow_the_import_header_syntax(out: Path, tmp_path: Path) -> None:
    kg = KnowledgeGraph.open(out)
    entities = {str(r["e"]) for r in kg.select(ENTITIES)}
    relations = {(str(r["s"]), str(r["p"]), str(r["o"])) for r in kg.select(STATEMENTS)}
    dest = tmp_path / "neo4j"
    assert main(["export", str(dest), "--format", "neo4j", "--out", str(out)]) == 0
    assert sorted(p.name for p in dest.iterdir()) == sorted(NEO4J_FILES)
    header, nodes = _read_neo4j(dest / "entities.csv")
    ids = [i for i, f in enumerate(header) if _HEADER.match(f)["special"] == "ID"]  # type: ignore[index]
    labels = header.index(":LABEL")
    assert len(ids) == 1
    assert {row[ids[0]] for row in nodes} == entities
    assert len(nodes) == len(entities)
    for row in nodes:
        assert all(_IDENTIFIER.match(label) for label in row[labels].split(";"))
        assert "Entity" in row[labels].split(";")
    header, rels = _read_neo4j(dest / "relations.csv")
    start, end, kind = (header.index(f) for f in (":START_ID", ":END_ID", ":TYPE"))
    assert all(row[start] in entities and row[end] in entities for row in rels)
    assert all(_IDENTIFIER.match(row[kind]) for row in rels)
    found = {(row[start], row[header.index("property")], row[end]) for row in rels}
    assert found == relations
    readme = (dest / "README.txt").read_text(encoding="utf-8")
    assert "--nodes=entities.csv" in readme
    assert "--relationships=relations.csv" in readme
    # an earlier neo4j export may be replaced; a folder holding anything else not
    assert main(["export", str(dest), "--format", "neo4j", "--out", str(out)]) == 0
    (dest / "mine.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(ConfigError, match="other files"):
        export_graph(out, dest, format="neo4j")
    assert (dest / "mine.txt").read_text(encoding="utf-8") == "keep me"


def test_rdf_export_to_standard_output_parses(out: Path) -> None:
    result = _kg("export", "--out", str(out))
    assert result.returncode == 0, result.stderr
    graph = Graph().parse(data=result.stdout, format="turtle")
    assert len(graph) == len(KnowledgeGraph.open(out))


def _one_line_error(result: subprocess.CompletedProcess[str], words: str) -> None:
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("kg: error:"), lines[0]
    assert words in lines[0], lines[0]


def test_export_refuses_what_is_not_a_file(out: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    cases = {
        "/dev/full": "system file system",
        "/dev/null": "system file system",
        "/proc/self/status": "system file system",
        str(tmp_path): "a directory",
        str(fifo): "a FIFO",
        str(tmp_path / "missing" / "x.ttl"): "does not exist",
    }
    for dest, words in cases.items():
        _one_line_error(_kg("export", dest, "--out", str(out)), words)
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode), "the device node is untouched"
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    # a link through /proc (/dev/stdout is one) is refused as well
    sneaky = tmp_path / "sneaky.ttl"
    sneaky.symlink_to("/proc/self/fd/1")
    _one_line_error(_kg("export", str(sneaky), "--out", str(out)), "system file system")
    assert sneaky.is_symlink()
    _one_line_error(
        _kg("export", str(tmp_path / "x.csv"), "--out", str(out)), "--format"
    )
    _one_line_error(_kg("export", "--format", "nope", "--out", str(out)), "nope")
    _one_line_error(_kg("export", "--out", str(tmp_path / "no-store")), "no kg store")


def test_export_writes_through_links_and_replaces_files_atomically(
    out: Path, tmp_path: Path
) -> None:
    target = tmp_path / "real.csv"
    target.write_text("old", encoding="utf-8")
    os.chmod(target, 0o640)
    inode = os.stat(target).st_ino
    link = tmp_path / "link.csv"
    link.symlink_to(target.name)
    result = _kg("export", str(link), "--format", "nodes-csv", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink()
    assert os.readlink(link) == target.name
    assert target.read_text(encoding="utf-8").startswith("entity,label")
    assert os.stat(target).st_ino != inode  # a new file renamed over the old one
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640
    dangling = tmp_path / "to-new.ttl"
    dangling.symlink_to("new.ttl")
    assert main(["export", str(dangling), "--out", str(out)]) == 0
    assert dangling.is_symlink()
    assert (tmp_path / "new.ttl").stat().st_size > 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_failed_write_leaves_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "graph.ttl"
    target.write_bytes(b"before")

    def broken(_src: object, _dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(ConfigError, match="No space left"):
        write_file(target, b"after")
    assert target.read_bytes() == b"before"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into any folder")
def test_an_unwritable_folder_is_a_one_line_error(out: Path, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    os.chmod(locked, 0o500)
    _one_line_error(
        _kg("export", str(locked / "g.ttl"), "--out", str(out)), "cannot write"
    )


def test_check_destination_accepts_new_and_regular_files(tmp_path: Path) -> None:
    assert check_destination(tmp_path / "new.gexf") == tmp_path / "new.gexf"
    existing = tmp_path / "old.gexf"
    existing.write_text("x", encoding="utf-8")
    assert check_destination(existing) == existing
