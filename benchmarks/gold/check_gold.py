"""Validate news gold files (``kg-news-gold/1``) and count what they hold.

Checks every file (or every ``*.json`` in a folder) for:

- the format tag, a readable source article and its SHA-256;
- entities: unique ids, a class of the kg ontology, mentions as
  ``[start, end, surface, kind]`` with ``surface == text[start:end]``, no span
  given to two entities, no mention with surrounding white space;
- facts and negated facts (``negated`` is optional): known subject and object,
  no self-loop, a property of the ontology (``relatedTo`` or one of its
  sub-properties), ``evidence`` inside the text and inside one sentence,
  ``quote == text[start:end]``, a known modality, a ``relation`` string when
  present, and a mention of the subject and of the object in the evidence's
  sentence;
- warnings (not errors): a fact whose classes break the property's domain or
  range, a described (unnamed) entity taking part in no fact with a named
  entity, the same fact twice.

Sentences: for an ECB+ article the sentence offsets of the ECB+ gold file
beside its ``docs-*`` folder (``ecb_train_gold.json``/``ecb_dev_gold.json``),
else a plain splitter (paragraphs, then ``. ! ?`` before a capital, except
after common abbreviations and initials).

Standard library only. Usage::

    python benchmarks/gold/check_gold.py benchmarks/gold/news-dev seeds/gold
    python benchmarks/gold/check_gold.py --strict benchmarks/gold/news-dev

``--strict`` also requires ``relation`` on every fact and a ``negated`` list.
Exit status 1 when any file has an error.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

FORMAT = "kg-news-gold/1"
KINDS = ("name", "nominal", "pronoun")
MODALITIES = ("asserted", "hedged", "reported")
ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY = ROOT / "ontology"

# --- a small Turtle reader (enough for ontology/*.ttl) ------------------------

_TOKEN = re.compile(
    r'"(?:[^"\\]|\\.)*"(?:@[\w-]+|\^\^\S+)?'  # string literal
    r"|<[^>]*>"  # IRI
    r"|[A-Za-z][\w-]*:[\w.-]*[\w-]|[A-Za-z][\w-]*:"  # prefixed name
    r"|@prefix|\ba\b|[;,.()\[\]]"
    r"|[^\s;,()\[\]]+"
)


def _tokens(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        out.extend(_TOKEN.findall(line))
    return out


def read_turtle(paths: list[Path]) -> list[tuple[str, str, str]]:
    """(subject, predicate, object) triples of plain statements; blank nodes skipped."""
    triples = []
    for path in paths:
        toks = _tokens(path.read_text(encoding="utf-8"))
        i = 0
        while i < len(toks):
            if toks[i] == "@prefix":
                while toks[i] != ".":
                    i += 1
                i += 1
                continue
            subject, i = toks[i], i + 1
            predicate = None
            expect_pred = True
            depth = 0
            while i < len(toks):
                t = toks[i]
                i += 1
                if t in "([":
                    depth += 1
                elif t in ")]":
                    depth -= 1
                elif depth:
                    continue
                elif t == ".":
                    break
                elif t == ";":
                    expect_pred = True
                elif t == ",":
                    pass
                elif expect_pred:
                    predicate, expect_pred = ("rdf:type" if t == "a" else t), False
                elif predicate is not None:
                    triples.append((subject, predicate, t))
    return triples


class Ontology:
    """Classes and relation properties of kg's ontology, with domains and ranges."""

    def __init__(self, folder: Path = ONTOLOGY) -> None:
        paths = sorted(
            p for p in folder.glob("*.ttl") if not p.name.endswith(".shapes.ttl")
        )
        triples = read_turtle(paths)
        local = lambda t: t.split(":", 1)[1] if t.startswith("kgo:") else None  # noqa: E731
        self.classes: set[str] = set()
        self.superclasses: dict[str, set[str]] = defaultdict(set)
        subprop: dict[str, set[str]] = defaultdict(set)
        self.domain: dict[str, str] = {}
        self.range: dict[str, str] = {}
        self.union: dict[str, set[str]] = {}
        object_props: set[str] = set()
        for s, p, o in triples:
            name = local(s)
            if name is None:
                continue
            if p == "rdf:type" and o == "owl:Class":
                self.classes.add(name)
            elif p == "rdf:type" and o == "owl:ObjectProperty":
                object_props.add(name)
            elif p == "rdfs:subClassOf" and local(o):
                self.superclasses[name].add(local(o))  # type: ignore[arg-type]
            elif p == "rdfs:subPropertyOf" and local(o):
                subprop[name].add(local(o))  # type: ignore[arg-type]
            elif p == "rdfs:domain" and local(o):
                self.domain[name] = local(o)  # type: ignore[assignment]
            elif p == "rdfs:range" and local(o):
                self.range[name] = local(o)  # type: ignore[assignment]
        # kgo:Nation is the union of Country and Nationality (a list: read by hand)
        self.union["Nation"] = {"Country", "Nationality"}

        def reaches(prop: str, seen: frozenset[str] = frozenset()) -> bool:
            if prop == "relatedTo":
                return True
            return any(
                reaches(q, seen | {prop}) for q in subprop[prop] if q not in seen
            )

        self.properties = {p for p in object_props if reaches(p)}

    def is_a(self, cls: str, target: str) -> bool:
        """Is ``cls`` ``target`` or one of its subclasses (or union members)?"""
        if target in ("Entity", "Thing") and cls in self.classes:
            return target == "Entity" or cls == "Thing"
        todo, seen = [cls], set()
        while todo:
            c = todo.pop()
            if c == target or c in self.union.get(target, ()):
                return True
            if c not in seen:
                seen.add(c)
                todo.extend(self.superclasses[c])
        return False


# --- sentences -----------------------------------------------------------------

_ABBREV = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gov",
        "sen",
        "rep",
        "st",
        "jr",
        "sr",
        "capt",
        "lt",
        "gen",
        "col",
        "sgt",
        "cmdr",
        "adm",
        "det",
        "insp",
        "supt",
        "rev",
        "fr",
        "mt",
        "ft",
        "co",
        "corp",
        "inc",
        "ltd",
        "bros",
        "no",
        "vs",
        "etc",
        "jan",
        "feb",
        "mar",
        "apr",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "calif",
        "miss",
        "mo",
        "fla",
        "ala",
        "ariz",
        "ark",
        "colo",
        "conn",
        "del",
        "ga",
        "ill",
        "ind",
        "kan",
        "ky",
        "la",
        "md",
        "mass",
        "mich",
        "minn",
        "neb",
        "nev",
        "okla",
        "ore",
        "pa",
        "tenn",
        "tex",
        "va",
        "wash",
        "wis",
        "wyo",
        "u.s",
        "u.k",
        "a.m",
        "p.m",
        "e.g",
        "i.e",
    }
)
_END = re.compile(r'[.!?]["\'\u201d)]*(?=\s+["\'\u201c(]?[A-Z0-9])')


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans by paragraphs and end punctuation (a plain heuristic)."""
    spans = []
    for para in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text):
        start = para.start()
        for m in _END.finditer(para.group()):
            before = para.group()[: m.start()].split()
            word = before[-1].lower().strip("(\"'") if before else ""
            if (
                word in _ABBREV
                or re.fullmatch(r"[a-z]", word)
                or re.fullmatch(r"(?:[a-z]\.)+[a-z]", word)
            ):
                continue
            end = para.start() + m.end()
            spans.append((start, end))
            start = end
            while start < para.end() and text[start].isspace():
                start += 1
        if start < para.end():
            spans.append((start, para.end()))
    return spans


_ECB_CACHE: dict[Path, dict[str, list[tuple[int, int]]]] = {}


def ecb_sentences(article: Path, text: str) -> list[tuple[int, int]] | None:
    """Sentence spans of an ECB+ article from the gold file beside its docs folder."""
    docs = article.parent.parent
    if not docs.name.startswith("docs-"):
        return None
    gold = docs.parent / f"ecb_{docs.name[5:]}_gold.json"
    if not gold.is_file():
        return None
    if gold not in _ECB_CACHE:
        data = json.loads(gold.read_text(encoding="utf-8"))
        _ECB_CACHE[gold] = {
            d["id"]: [(s["start"], s["end"]) for s in d["sentences"]]
            for d in data["documents"]
            if d.get("sentences")
        }
    spans = _ECB_CACHE[gold].get(article.stem)
    if spans is None or spans[-1][1] > len(text):
        return None
    return spans


# --- checking ------------------------------------------------------------------


class Report:
    """Errors, warnings and counts over all files checked."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.files = 0
        self.entities = Counter[str]()
        self.types = Counter[str]()
        self.mentions = Counter[str]()
        self.facts = Counter[tuple[str, str]]()
        self.negated = Counter[tuple[str, str]]()
        self.relations = Counter[str]()
        self.sources: list[str] = []


def _fact_errors(
    f: dict,
    key: str,
    text: str,
    ids: dict[str, dict],
    sents: list[tuple[int, int]],
    onto: Ontology,
    strict: bool,
) -> tuple[list[str], list[str]]:
    errs, warns = [], []
    where = f"{key} {f.get('subject')} {f.get('property')} {f.get('object')}"
    for field in ("subject", "property", "object", "evidence"):
        if field not in f:
            return [f"{where}: no {field!r}"], warns
    for role in ("subject", "object"):
        if f[role] not in ids:
            errs.append(f"{where}: unknown {role} {f[role]!r}")
    if f["subject"] == f["object"]:
        errs.append(f"{where}: subject and object are the same entity")
    prop = f["property"]
    if prop not in onto.properties:
        errs.append(f"{where}: {prop!r} is not a relation property of ontology/")
    mod = f.get("modality", "asserted")
    if mod not in MODALITIES:
        errs.append(f"{where}: modality {mod!r} not in {MODALITIES}")
    rel = f.get("relation")
    if rel is not None and (not isinstance(rel, str) or not rel.strip()):
        errs.append(f"{where}: empty relation")
    elif rel is None and strict:
        errs.append(f"{where}: no 'relation'")
    ev = f["evidence"]
    if not (
        isinstance(ev, list)
        and len(ev) == 2
        and all(isinstance(x, int) for x in ev)
        and 0 <= ev[0] < ev[1] <= len(text)
    ):
        errs.append(f"{where}: bad evidence {ev!r}")
        return errs, warns
    if "quote" in f and f["quote"] != text[ev[0] : ev[1]]:
        errs.append(
            f"{where}: quote {f['quote']!r} is not text[{ev[0]}:{ev[1]}] "
            f"{text[ev[0] : ev[1]]!r}"
        )
    sent = next(((s, e) for s, e in sents if s <= ev[0] and ev[1] <= e), None)
    if sent is None:
        errs.append(
            f"{where}: evidence {text[ev[0] : ev[1]]!r} crosses a sentence boundary"
        )
    elif not errs:
        for role in ("subject", "object"):
            if not any(
                m[0] < sent[1] and sent[0] < m[1] for m in ids[f[role]]["mentions"]
            ):
                errs.append(
                    f"{where}: the evidence's sentence has no mention of the {role}"
                )
    if not errs:
        st, ot = ids[f["subject"]]["type"], ids[f["object"]]["type"]
        dom, rng = onto.domain.get(prop), onto.range.get(prop)
        if dom and st in onto.classes and not onto.is_a(st, dom):
            warns.append(f"{where}: subject class {st} is not in the domain {dom}")
        if rng and ot in onto.classes and not onto.is_a(ot, rng):
            warns.append(f"{where}: object class {ot} is not in the range {rng}")
    return errs, warns


def check_file(path: Path, onto: Ontology, report: Report, *, strict: bool) -> None:
    """Check one gold file, adding its errors, warnings and counts to ``report``."""
    errs: list[str] = []
    warns: list[str] = []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        report.errors.append(f"{path}: unreadable JSON ({exc})")
        return
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        report.errors.append(f"{path}: not {FORMAT!r}")
        return
    article = (path.parent / str(data.get("source", ""))).resolve()
    try:
        raw = article.read_bytes()
    except OSError:
        report.errors.append(f"{path}: cannot read source {data.get('source')!r}")
        return
    digest = hashlib.sha256(raw).hexdigest()
    if "sha256" in data and data["sha256"] != digest:
        errs.append(f"sha256 {data['sha256']} is not the article's {digest}")
    elif "sha256" not in data and strict:
        errs.append("no sha256")
    text = raw.decode("utf-8-sig")
    sents = ecb_sentences(article, text) or split_sentences(text)
    ids: dict[str, dict] = {}
    spans: dict[tuple[int, int], str] = {}
    for ent in data.get("entities", []):
        eid = ent.get("id")
        if not isinstance(eid, str) or not eid:
            errs.append(f"entity without an id: {ent!r:.80}")
            continue
        if eid in ids:
            errs.append(f"duplicate entity id {eid!r}")
        ids[eid] = ent
        if ent.get("type") not in onto.classes:
            errs.append(
                f"entity {eid!r}: type {ent.get('type')!r} is not an ontology class"
            )
        if not isinstance(ent.get("named", True), bool) or not ent.get("name"):
            errs.append(f"entity {eid!r}: 'name' and boolean 'named' needed")
        if not ent.get("mentions"):
            errs.append(f"entity {eid!r}: no mentions")
        for m in ent.get("mentions", []):
            if not (
                isinstance(m, list)
                and len(m) == 4
                and isinstance(m[0], int)
                and isinstance(m[1], int)
                and 0 <= m[0] < m[1] <= len(text)
            ):
                errs.append(f"entity {eid!r}: bad mention {m!r}")
                continue
            s, e, surface, kind = m
            if text[s:e] != surface:
                errs.append(
                    f"entity {eid!r}: text[{s}:{e}] is {text[s:e]!r}, not {surface!r}"
                )
            if surface != surface.strip():
                errs.append(
                    f"entity {eid!r}: mention {surface!r} has white space at an end"
                )
            if kind not in KINDS:
                errs.append(f"entity {eid!r}: mention kind {kind!r} not in {KINDS}")
            if (s, e) in spans:
                errs.append(
                    f"entity {eid!r}: span {s}-{e} {surface!r} also belongs to "
                    f"{spans[(s, e)]!r}"
                )
            spans[(s, e)] = eid
            report.mentions[kind] += 1
        report.entities["named" if ent.get("named", True) else "described"] += 1
        report.types[str(ent.get("type"))] += 1
    if "negated" not in data and strict:
        errs.append("no 'negated' list")
    seen: set[tuple] = set()
    linked: set[str] = set()
    for key in ("facts", "negated"):
        for f in data.get(key, []):
            ferrs, fwarns = _fact_errors(f, key, text, ids, sents, onto, strict)
            errs += ferrs
            warns += fwarns
            sig = (
                key,
                f.get("subject"),
                f.get("property"),
                f.get("object"),
                f.get("relation"),
            )
            if sig in seen:
                warns.append(f"{key} {sig[1:]} twice")
            seen.add(sig)
            counter = report.facts if key == "facts" else report.negated
            counter[(str(f.get("property")), str(f.get("modality", "asserted")))] += 1
            if f.get("property") == "relatedTo" and f.get("relation"):
                report.relations[
                    f"{f['relation']}" + (" (negated)" if key == "negated" else "")
                ] += 1
            if f.get("subject") in ids and f.get("object") in ids:
                for a, b in ((f["subject"], f["object"]), (f["object"], f["subject"])):
                    if ids[b].get("named", True):
                        linked.add(a)
    for eid, ent in ids.items():
        if not ent.get("named", True) and eid not in linked:
            warns.append(
                f"described entity {eid!r} takes part in no fact with a named entity"
            )
    report.files += 1
    report.sources.append(str(data.get("source")))
    report.errors += [f"{path}: {e}" for e in errs]
    report.warnings += [f"{path}: {w}" for w in warns]


def print_counts(report: Report) -> None:
    """Counts of everything checked."""
    nf = sum(report.facts.values())
    print(f"articles: {report.files}")
    print(
        f"entities: {sum(report.entities.values())} "
        f"({report.entities['named']} named, {report.entities['described']} described)"
    )
    print("  by class: " + ", ".join(f"{t} {n}" for t, n in report.types.most_common()))
    print(
        f"mentions: {sum(report.mentions.values())} ("
        + ", ".join(f"{k} {report.mentions[k]}" for k in KINDS)
        + ")"
    )
    print(f"facts: {nf}")
    by_prop: dict[str, Counter[str]] = defaultdict(Counter)
    for (prop, mod), n in report.facts.items():
        by_prop[prop][mod] += n
    for prop, mods in sorted(by_prop.items(), key=lambda kv: -sum(kv[1].values())):
        detail = ", ".join(f"{m} {mods[m]}" for m in MODALITIES if mods[m])
        print(f"  {prop:<20} {sum(mods.values()):>4}  ({detail})")
    mods = Counter[str]()
    for (_, mod), n in report.facts.items():
        mods[mod] += n
    print("  by modality: " + ", ".join(f"{m} {mods[m]}" for m in MODALITIES))
    print(
        f"negated: {sum(report.negated.values())}"
        + (
            ""
            if not report.negated
            else " ("
            + ", ".join(f"{p}/{m} {n}" for (p, m), n in sorted(report.negated.items()))
            + ")"
        )
    )
    if report.relations:
        print("relatedTo by relation:")
        for rel, n in sorted(report.relations.items(), key=lambda kv: (-kv[1], kv[0])):
            print(f"  {n:>3}  {rel}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="Validate kg news gold files and count them."
    )
    ap.add_argument("paths", nargs="+", type=Path, help="gold files or folders of them")
    ap.add_argument(
        "--strict",
        action="store_true",
        help="require relation, negated and sha256 (the news-dev conventions)",
    )
    ap.add_argument("--quiet", action="store_true", help="no warnings")
    args = ap.parse_args(argv)
    onto = Ontology()
    failed = False
    for path in args.paths:
        files = sorted(path.glob("*.json")) if path.is_dir() else [path]
        if not files:
            print(f"{path}: no *.json files", file=sys.stderr)
            return 1
        report = Report()
        for f in files:
            check_file(f, onto, report, strict=args.strict)
        print(f"== {path}")
        print_counts(report)
        if not args.quiet:
            for w in report.warnings:
                print(f"warning: {w}")
        for e in report.errors:
            print(f"error: {e}")
        print(f"{len(report.errors)} errors, {len(report.warnings)} warnings\n")
        failed = failed or bool(report.errors)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
