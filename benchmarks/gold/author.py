"""Turn a hand-written annotation source (``*.ann``) into a news gold JSON file.

Writing character offsets by hand is error-prone, so the annotator writes
mentions and evidence by their surface text and lets this script find the
offsets. The JSON file it writes (``kg-news-gold/1``, see
``seeds/gold/README.md``) is the record that ``kg eval news`` and
``check_gold.py`` read; the ``.ann`` file is kept beside it so that a
correction is made in one place and the JSON regenerated.

Source format (one directive a line, ``#`` starts a comment line, strings in
double quotes with backslash escapes)::

    source 1/1_7ecb.txt
    entity tara-reid Person named "Tara Reid"
      name "Tara Reid"
      nom "The actress"#2
      pron "her"#*
      pron "she"@215

Mention kinds: ``name``, ``nom`` (nominal), ``pron`` (pronoun); ``"S"#k`` is the
k-th whole-word occurrence of S (from 1), ``"S"#*`` every occurrence, ``"S"@n``
the one starting at offset n. Source paths are relative to ``--root`` (the ECB+
``docs-train`` folder).
    fact tara-reid relatedTo promises "check into" asserted "has entered Promises"
    neg ross directed catching-fire "direct" reported "not be returning to direct"

A surface that occurs more than once needs ``#k``, ``#*`` or ``@n``; the
error message lists the occurrences with their context.

Usage::

    python benchmarks/gold/author.py SRC.ann [SRC.ann ...]    # writes ../NAME.json
    python benchmarks/gold/author.py --show SRC.ann    # the text with mentions marked
    python benchmarks/gold/author.py --find SRC.ann WORD      # where WORD occurs
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shlex
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # kg.ontology of this checkout
DEFAULT_ROOT = HERE.parents[1] / ".." / "shared" / "eval" / "ecbplus" / "docs-train"
# the article as seen from benchmarks/gold/news-dev/ of a worktree or of /work/main
SOURCE_PREFIX = "../../../../shared/eval/ecbplus/docs-train/"
KINDS = {"name": "name", "nom": "nominal", "pron": "pronoun"}
MODALITIES = ("asserted", "hedged", "reported")
_REF = re.compile(r"^(?P<s>.*?)(?:#(?P<k>\*|\d+)|@(?P<at>\d+))?$", re.S)


class AnnError(Exception):
    """A problem in an annotation source, with its line."""


#: The property of a ``relatedTo`` fact by its relation words (see the file).
RELATION_PROPERTIES = HERE / "relation-properties.tsv"


def relation_properties(path: Path = RELATION_PROPERTIES) -> dict[str, str]:
    """The table of relation words to ontology properties (``relation<TAB>property``)."""
    table: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.strip() and not raw.startswith("#"):
            relation, prop = raw.split("\t")
            table[relation.strip()] = prop.strip()
    return table


def _fits(onto: object, prop: str, subject_cls: str, object_cls: str) -> bool:
    """Tell whether the gold classes fit a property's domain and range."""
    info = onto.properties[prop]  # type: ignore[attr-defined]
    return onto.is_a(subject_cls, info.domain) and onto.is_a(  # type: ignore[attr-defined]
        object_cls, info.range
    )


def map_relations(gold: dict, table: dict[str, str] | None = None) -> int:
    """Give ``relatedTo`` facts the property the table names for their words.

    Mechanical: the fact's ``relation`` words pick the row, and the row
    applies only where the gold classes of the two entities fit the
    property's domain and range (``kg.ontology``). Returns how many facts
    changed.
    """
    from kg.ontology import load_ontology  # the project's ontology/*.ttl

    onto = load_ontology()
    table = relation_properties() if table is None else table
    types = {e["id"]: e["type"] for e in gold["entities"]}
    changed = 0
    for fact in (*gold["facts"], *gold["negated"]):
        prop = table.get(fact["relation"])
        if fact["property"] != "relatedTo" or prop is None:
            continue
        if prop not in onto.properties:
            raise AnnError(f"relation table: {prop!r} is no ontology property")
        if _fits(onto, prop, types[fact["subject"]], types[fact["object"]]):
            fact["property"] = prop
            changed += 1
    return changed


def occurrences(text: str, surface: str) -> list[int]:
    """Start offsets of ``surface`` in ``text`` at word boundaries."""
    out = []
    start = text.find(surface)
    while start >= 0:
        end = start + len(surface)
        left_ok = start == 0 or not (surface[0].isalnum() and text[start - 1].isalnum())
        right_ok = end == len(text) or not (
            surface[-1].isalnum() and text[end].isalnum()
        )
        if left_ok and right_ok:
            out.append(start)
        start = text.find(surface, start + 1)
    return out


def _context(text: str, start: int, end: int, width: int = 30) -> str:
    left = text[max(0, start - width) : start].replace("\n", " ")
    right = text[end : end + width].replace("\n", " ")
    return f"{left}[{text[start:end]}]{right}"


def resolve(text: str, ref: str, *, many: bool) -> list[tuple[int, int]]:
    """Spans of a ``surface[#k|#*|@n]`` reference."""
    m = _REF.match(ref)
    assert m is not None
    surface, k, at = m.group("s"), m.group("k"), m.group("at")
    found = occurrences(text, surface)
    if not found:
        raise AnnError(f"{surface!r} does not occur in the text")
    if at is not None:
        if int(at) not in found:
            raise AnnError(f"{surface!r} does not start at {at}; starts: {found}")
        found = [int(at)]
    elif k == "*":
        if not many:
            raise AnnError(f"{ref!r}: '#*' is only for mentions")
    elif k is not None:
        if not 1 <= int(k) <= len(found):
            raise AnnError(f"{ref!r}: only {len(found)} occurrences")
        found = [found[int(k) - 1]]
    elif len(found) > 1:
        ctx = "\n    ".join(
            f"#{i} @{s}: {_context(text, s, s + len(surface))}"
            for i, s in enumerate(found, 1)
        )
        raise AnnError(f"{surface!r} occurs {len(found)} times:\n    {ctx}")
    return [(s, s + len(surface)) for s in found]


def parse(path: Path, root: Path) -> tuple[Path, str, dict]:
    """Read an annotation source: the article's path, its text, the gold dict."""
    article: Path | None = None
    rel = ""
    text = ""
    entities: list[dict] = []
    facts: list[dict] = []
    negated: list[dict] = []
    notes: list[str] = []
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            words = shlex.split(line, posix=True)
            if not words:
                continue
            head, args = words[0], words[1:]
            if head == "source":
                rel = args[0]
                article = (root / rel).resolve()
                text = article.read_bytes().decode("utf-8-sig")
            elif head == "note":
                notes.append(" ".join(args))
            elif head == "entity":
                eid, etype, named, name = args
                if named not in ("named", "described"):
                    raise AnnError("entity: 'named' or 'described'")
                entities.append(
                    {
                        "id": eid,
                        "type": etype,
                        "name": name,
                        "named": named == "named",
                        "mentions": [],
                    }
                )
            elif head in KINDS:
                if not entities:
                    raise AnnError("mention before any entity")
                for ref in args:
                    for s, e in resolve(text, ref, many=True):
                        entities[-1]["mentions"].append([s, e, text[s:e], KINDS[head]])
            elif head in ("fact", "neg"):
                subj, prop, obj, relation, modality, ref = args
                if modality not in MODALITIES:
                    raise AnnError(f"modality {modality!r} not in {MODALITIES}")
                ((s, e),) = resolve(text, ref, many=False)
                (facts if head == "fact" else negated).append(
                    {
                        "subject": subj,
                        "property": prop,
                        "object": obj,
                        "relation": relation,
                        "evidence": [s, e],
                        "quote": text[s:e],
                        "modality": modality,
                    }
                )
            else:
                raise AnnError(f"unknown directive {head!r}")
        except (AnnError, ValueError, OSError) as exc:
            raise AnnError(f"{path}:{lineno}: {exc}") from None
    if article is None:
        raise AnnError(f"{path}: no 'source' line")
    for ent in entities:
        ent["mentions"].sort(key=lambda m: (m[0], m[1]))
    gold = {
        "format": "kg-news-gold/1",
        "source": SOURCE_PREFIX + rel,
        "sha256": hashlib.sha256(article.read_bytes()).hexdigest(),
        "annotator": "hand-annotated for kg (what the article says; "
        "annotated without looking at kg's output)",
        "entities": entities,
        "facts": facts,
        "negated": negated,
    }
    if notes:
        gold["notes"] = notes
    map_relations(gold)
    return article, text, gold


def dumps(gold: dict) -> str:
    """JSON with one mention or fact a line, like seeds/gold."""
    head = {k: v for k, v in gold.items() if k not in ("entities", "facts", "negated")}
    lines = ["{"]
    for k, v in head.items():
        lines.append(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)},")
    lines.append('  "entities": [')
    for i, ent in enumerate(gold["entities"]):
        top = {k: v for k, v in ent.items() if k != "mentions"}
        inner = json.dumps(top, ensure_ascii=False)[1:-1]
        lines.append(f'    {{{inner}, "mentions": [')
        ms = [f"      {json.dumps(m, ensure_ascii=False)}" for m in ent["mentions"]]
        lines.append(",\n".join(ms))
        lines.append("    ]}" + ("," if i < len(gold["entities"]) - 1 else ""))
    lines.append("  ],")
    for key in ("facts", "negated"):
        items = [f"    {json.dumps(f, ensure_ascii=False)}" for f in gold[key]]
        lines.append(
            f'  "{key}": [' + ("\n" + ",\n".join(items) + "\n  " if items else "")
        )
        lines[-1] += "]" + ("," if key == "facts" else "")
    lines.append("}")
    return "\n".join(lines) + "\n"


def show(text: str, gold: dict) -> str:
    """The article with every mention bracketed and tagged with its entity."""
    events: list[tuple[int, int, int, str]] = []
    for ent in gold["entities"]:
        for s, e, _, _ in ent["mentions"]:
            events.append((s, 1, -(e - s), "["))  # opens: outer first
            events.append((e, 0, e - s, f"]{{{ent['id']}}}"))  # closes: inner first
    events.sort()
    out, pos = [], 0
    for off, _, _, mark in events:
        out.append(text[pos:off])
        out.append(mark)
        pos = off
    out.append(text[pos:])
    lines = ["".join(out), ""]
    for key in ("facts", "negated"):
        for f in gold[key]:
            lines.append(
                f"{key[:4]}: {f['subject']} --{f['property']}[{f['relation']}]--> "
                f"{f['object']} ({f['modality']}): {f['quote']!r}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sources", nargs="+", type=Path)
    ap.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    ap.add_argument("--show", action="store_true")
    ap.add_argument("--find", action="store_true", help="SRC WORD: list occurrences")
    args = ap.parse_args(argv)
    try:
        if args.find:
            src, word = args.sources[0], str(args.sources[1])
            _, text, _ = parse_source_only(src, args.root)
            for i, s in enumerate(occurrences(text, word), 1):
                print(f"#{i} @{s}: {_context(text, s, s + len(word))}")
            return 0
        for src in args.sources:
            article, text, gold = parse(src, args.root)
            if args.show:
                print(show(text, gold))
                continue
            out = src.resolve().parent.parent / (src.stem + ".json")
            if (out.parent / gold["source"]).resolve() != article:
                raise AnnError(f"{src}: source does not resolve from {out.parent}")
            out.write_text(dumps(gold), encoding="utf-8")
            print(f"wrote {out}")
    except AnnError as exc:
        print(f"author: {exc}", file=sys.stderr)
        return 1
    return 0


def parse_source_only(path: Path, root: Path) -> tuple[Path, str, None]:
    """The article named by a source's ``source`` line, without the rest."""
    for raw in path.read_text(encoding="utf-8").splitlines():
        words = shlex.split(raw.strip()) if raw.strip() else []
        if words and words[0] == "source":
            article = (root / words[1]).resolve()
            return article, article.read_bytes().decode("utf-8-sig"), None
    raise AnnError(f"{path}: no 'source' line")


if __name__ == "__main__":
    sys.exit(main())
