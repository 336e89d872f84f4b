"""kg.sparql: tokens, structure, limits, errors in words; kg query on hostile input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import ConfigError, QueryError
from kg.query import PREFIXES, is_update, query_kind, uses_service
from kg.sparql import (
    MAX_QUERY_DEPTH,
    check_query,
    inspect_query,
    read_query_file,
    tokenize_query,
)
from kg.sparql_messages import describe_syntax_error

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("query", "service", "update", "kind"),
    [
        ("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", True, False, "select"),
        ("select * { service silent ?e { ?s ?p ?o } }", True, False, "select"),
        ('SELECT * { ?s ?p "SERVICE" }', False, False, "select"),
        ("SELECT * { ?s ?p '''x\nSERVICE <a:b> {}''' }", False, False, "select"),
        ("SELECT * { ?s <http://x/SERVICE> ?o }", False, False, "select"),
        ("PREFIX service: <http://x/> ASK { ?s service:x ?o }", False, False, "ask"),
        ("ASK { ?s ex:a\\'SERVICE ?o }", False, False, "ask"),
        ("ASK { ?service ?p $load } # SERVICE", False, False, "ask"),
        ('ASK { ?s ?p "a"@service }', False, False, "ask"),
        ("ASK { _:service ?p ?o }", False, False, "ask"),
        ("LOAD <http://x/data.ttl>", False, True, None),
        ("# LOAD\nPREFIX a: <http://a/> INSERT DATA { a:a a:b a:c }", False, True, None),
        ("BASE <http://x/> DROP ALL", False, True, None),
        ("CONSTRUCT WHERE { ?s ?p ?o }", False, False, "construct"),
        ("DESCRIBE <http://x/load>", False, False, "describe"),
    ],
)
def test_structure_is_read_from_tokens(
    query: str, service: bool, update: bool, kind: str | None
) -> None:
    shape = inspect_query(query)
    assert (shape.service, shape.update, shape.kind) == (service, update, kind)
    assert uses_service(query) is service and is_update(query) is update
    if kind is None:
        with pytest.raises(QueryError):
            query_kind(query)
    else:
        assert query_kind(query) == kind


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * WHERE { ?s <http://example.org/service> "LOAD" }',
        "SELECT ?service WHERE { ?service ?p ?o } # SERVICE <x> {}",
        "PREFIX load: <http://example.org/> SELECT * { ?s load:service ?o }",
    ],
)
def test_queries_naming_service_or_load_run_on_the_engine(query: str) -> None:
    # the tokens say "no SERVICE" and the engine agrees: it runs them
    assert not uses_service(query) and not is_update(query)
    assert isinstance(ox.Store().query(query), ox.QuerySolutions)


def test_the_engine_sees_no_keyword_in_codepoint_escapes() -> None:
    # SPARQL allows \u escapes anywhere; Oxigraph applies them only in strings
    # and IRIs, so text that spells SERVICE with escapes never reaches SERVICE
    with pytest.raises(SyntaxError):
        ox.Store().query(r"SELECT * { \u0053ERVICE <http://x/> { ?s ?p ?o } }")
    assert inspect_query(r"SELECT * { \u0053ERVICE <x:y> {} }").lexical_error


@given(st.text(alphabet="ab:.'\"<>{}()?$_-\\#@ \n1SERVICE", max_size=300))
@settings(max_examples=300, deadline=None)
def test_tokenizer_covers_any_text(text: str) -> None:
    tokens = tokenize_query(text)
    covered = "".join(t.text for t in tokens)
    # every character is in a token, whitespace, or a comment; order is kept
    assert [t.start for t in tokens] == sorted(t.start for t in tokens)
    assert len(covered) <= len(text)
    for token in tokens:
        assert text[token.start : token.start + len(token.text)] == token.text


def test_limits_are_one_line_errors() -> None:
    deep = "ASK { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"
    with pytest.raises(QueryError, match="nested 5002 levels deep"):
        check_query(deep)
    with pytest.raises(QueryError, match="levels deep"):
        check_query("ASK { FILTER(" + "!" * 1000 + "true) }")
    with pytest.raises(QueryError, match="tokens"):
        check_query("ASK { " + " ".join(["MINUS {}"] * 9000) + " }")
    with pytest.raises(QueryError, match="characters"):
        check_query("ASK {} #" + "x" * 1_000_000)
    # data in VALUES is not counted
    values = "SELECT * { VALUES ?x { " + " ".join(map(str, range(30000))) + " } }"
    assert check_query(values).tokens < 20
    inner = MAX_QUERY_DEPTH - 1
    assert check_query("ASK { " + "{" * inner + "}" * inner + " }").depth == MAX_QUERY_DEPTH


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "SELECT WHERE { ?s ?p ?o }",
            "line 1, column 8: expected a variable, '*' or '(expression AS ?var)' "
            "after SELECT, found 'WHERE'",
        ),
        ("SELECT ?s WHERE { ?s ?p ?o } LIMIT x", "expected a whole number after LIMIT"),
        ("SELECT ?s { ?s ?p ?o } GROUP ?s", "expected BY after GROUP, found '?s'"),
        ("ASK { ?s ?p ?o", "expected '}' to close the '{' at line 1, column 5"),
        ("SELECT ?s WHERE { ?s ?p ?o }\n}", "line 2, column 1: unexpected '}'"),
        ('ASK { ?s ?p "abc }', "line 1, column 13: this string is not closed"),
        ("ASK { ?s ex:p ?o }", "unknown prefix 'ex:' in 'ex:p'"),
        ("SELEC ?s WHERE {}", "expected SELECT, ASK, CONSTRUCT or DESCRIBE"),
        ("ASK { ?s ?p ?o } LIMT 5", "unknown word 'LIMT'"),
        ("ASK { FILTER(?o > ) }", "expected an expression after '>', found ')'"),
        ("ASK { ?s <http://a b> ?o }", "this IRI cannot hold ' '"),
        ("ASK { ?s kgo:owns }", "found '}'"),
    ],
)
def test_syntax_errors_in_words(query: str, expected: str) -> None:
    try:
        ox.Store().query(query, prefixes=PREFIXES)
    except SyntaxError as exc:
        message = describe_syntax_error(query, str(exc), PREFIXES)
    else:
        pytest.fail("the engine accepted a broken query")
    assert expected in message
    assert message.startswith("line ") and "\n" not in message


def test_read_query_file_refuses_what_is_no_query(tmp_path: Path) -> None:
    good = tmp_path / "q.rq"
    good.write_bytes(b"\xef\xbb\xbfASK {}\n")
    assert read_query_file(good) == "ASK {}\n"
    latin = tmp_path / "latin.rq"
    latin.write_bytes(b"ASK { ?s ?p 'caf\xe9' }")
    with pytest.raises(ConfigError, match="not UTF-8 text"):
        read_query_file(latin)
    with pytest.raises(ConfigError, match="binary"):
        read_query_file("/bin/ls" if Path("/bin/ls").exists() else sys.executable)
    with pytest.raises(ConfigError, match="not a regular file"):
        read_query_file(tmp_path)
    fifo = tmp_path / "fifo.rq"
    os.mkfifo(fifo)
    with pytest.raises(ConfigError, match="not a regular file"):
        read_query_file(fifo)  # and it does not block
    huge = tmp_path / "huge.rq"
    with huge.open("wb") as handle:
        handle.truncate(2_000_000)
    with pytest.raises(ConfigError, match="too large"):
        read_query_file(huge)
    with pytest.raises(ConfigError, match="cannot read"):
        read_query_file(tmp_path / "missing.rq")


@pytest.fixture(scope="module")
def out(build_text) -> Path:  # type: ignore[no-untyped-def]
    return build_text("Grace Hopper wrote to Howard Aiken.\n", "sparql")


def _kg(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "kg", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )


def test_kg_query_on_hostile_input_is_one_line_errors(out: Path, tmp_path: Path) -> None:
    deep = tmp_path / "deep.rq"
    deep.write_text("ASK { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }")
    minus = tmp_path / "minus.rq"  # overflows an 8 MB stack; fits the query thread's
    minus.write_text("ASK { " + " ".join(["MINUS {}"] * 4000) + " }")
    for args, expected, code in (
        (["-f", str(deep)], "levels deep", 2),
        (["-f", sys.executable], "binary", 2),
        (["-f", str(tmp_path)], "not a regular file", 2),
        (["SELECT WHERE { ?s ?p ?o }"], "after SELECT, found 'WHERE'", 2),
        (["-f", str(minus), "--format", "csv"], "", 0),
    ):
        done = _kg("query", *args, "--out", str(out))
        assert done.returncode == code, (args, done.stderr[-500:])
        if code:
            assert done.stderr.startswith("kg: error: ") and expected in done.stderr
            assert done.stderr.count("\n") == 1
        else:
            assert done.stdout.strip() == "true"
