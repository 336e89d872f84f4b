r"""The curation file: a person's decisions the entity resolution must follow.

``OUT/curation.txt`` is plain text, one decision per line, ``#`` starts a
comment::

    # same-as: NAME | NAME       one entity, whatever the rules say
    # not-same-as: NAME | NAME   never one entity
    # alias: ALIAS | NAME        ALIAS is another name of the entity called NAME
    # ignore: NAME               never linked across documents
    same-as: Acme Holdings | Acme Inc.
    not-same-as: Jordan @ sport.txt | Jordan @ travel.txt

An entity is named by any of the names a document uses for it (any case,
titles, accents and punctuation ignored, as kg compares names); ``NAME @
DOC`` narrows it to that document's entity (document id or file name).
kg applies the file on every build (:func:`kg.link.link_into_store`) and
``kg render``; ``kg merge A B`` and ``kg split A B`` append to it. Edit it
by hand freely; a line kg cannot read stops the build with its number.

Examples
--------
>>> c = parse_curation("same-as: Acme Inc. | ACME\nignore: Police")
>>> [(r.kind, [x.name for x in r.refs]) for r in c.rules]
[('same-as', ['Acme Inc.', 'ACME']), ('ignore', ['Police'])]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from kg.errors import ConfigError
from kg.link.summary import EntitySummary, block_keys, compact, normalize_name

__all__ = [
    "CURATION_FILE",
    "Curation",
    "CurationRule",
    "Ref",
    "append_rules",
    "curation_path",
    "format_rule",
    "parse_curation",
    "read_curation",
]

CURATION_FILE = "curation.txt"
RuleKind = Literal["same-as", "not-same-as", "alias", "ignore"]
_ARITY: dict[str, int] = {"same-as": 2, "not-same-as": 2, "alias": 2, "ignore": 1}
_HEADER = """\
# kg curation file: decisions kg follows on every build and on `kg render`.
# One per line; "#" starts a comment. Name an entity by any of its names
# (any case), optionally "NAME @ DOCUMENT" for one document's entity.
#   same-as: NAME | NAME       one entity, whatever the rules say
#   not-same-as: NAME | NAME   never one entity
#   alias: ALIAS | NAME        ALIAS is another name of the entity called NAME
#   ignore: NAME               never linked across documents
"""


@dataclass(frozen=True, slots=True)
class Ref:
    """A reference to entities by name, optionally in one document.

    Examples
    --------
    >>> Ref("Acme", "a.txt").matches_doc("news/a.txt")
    True
    """

    name: str
    doc: str | None = None

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("Ref: empty name")

    def __str__(self) -> str:
        return f"{self.name} @ {self.doc}" if self.doc else self.name

    def forms(self) -> frozenset[str]:
        """Return the name as kg compares it (as a person's and as any other name)."""
        out = {compact(" ".join(normalize_name(self.name)))}
        out.add(compact(" ".join(normalize_name(self.name, person=True))))
        return frozenset(f for f in out if f)

    def block_keys(self) -> tuple[str, ...]:
        """Return the ``n:`` block keys under which the named entities are stored."""
        return tuple(sorted(f"n:{f}" for f in self.forms()))

    def matches_doc(self, doc_id: str) -> bool:
        """Tell whether ``doc_id`` is the document this reference names (if any)."""
        if self.doc is None:
            return True
        return self.doc in {doc_id, Path(doc_id).name} or Path(self.doc).name in {
            doc_id,
            Path(doc_id).name,
        }

    def matches(self, summary: EntitySummary) -> bool:
        """Tell whether a document's entity answers to this reference.

        Examples
        --------
        >>> s = EntitySummary("a.txt", "acme", "Organization", "Acme Inc.",
        ...                   ("acme inc", "acme"))
        >>> Ref("ACME").matches(s), Ref("Acme @ b.txt").matches(s)
        (True, False)
        """
        if not self.matches_doc(summary.doc_id):
            return False
        have = {compact(f) for f in summary.forms}
        have |= {compact(" ".join(normalize_name(n))) for n in summary.names}
        return bool(have & self.forms())


@dataclass(frozen=True, slots=True)
class CurationRule:
    """One line of the curation file.

    Examples
    --------
    >>> CurationRule("ignore", (Ref("Police"),)).refs[0].name
    'Police'
    """

    kind: RuleKind
    refs: tuple[Ref, ...]
    line: int = 0

    def __post_init__(self) -> None:
        if self.kind not in _ARITY:
            raise ValueError(f"CurationRule: unknown kind {self.kind!r}")
        if len(self.refs) != _ARITY[self.kind]:
            raise ValueError(f"CurationRule: {self.kind} takes {_ARITY[self.kind]}")


@dataclass(frozen=True, slots=True)
class Curation:
    """The decisions of a curation file, in file order.

    Examples
    --------
    >>> Curation().rules
    ()
    """

    rules: tuple[CurationRule, ...] = ()

    def of(self, kind: RuleKind) -> list[CurationRule]:
        """Return the rules of one kind."""
        return [r for r in self.rules if r.kind == kind]

    def ignored(self, summary: EntitySummary) -> bool:
        """Tell an entity the file says never to link across documents."""
        return any(r.refs[0].matches(summary) for r in self.of("ignore"))

    def apart(self, a: EntitySummary, b: EntitySummary) -> bool:
        """Tell two entities the file keeps apart (``not-same-as``)."""
        for rule in self.of("not-same-as"):
            x, y = rule.refs
            if (x.matches(a) and y.matches(b)) or (x.matches(b) and y.matches(a)):
                return True
        return False

    def with_aliases(self, summary: EntitySummary) -> EntitySummary:
        """Give an entity called ALIAS the name of each ``alias`` rule naming it.

        Examples
        --------
        >>> c = parse_curation("alias: Big Sky | Arden Air")
        >>> s = EntitySummary("a", "x", "Organization", "Big Sky", ("big sky",))
        >>> c.with_aliases(s).forms
        ('big sky', 'arden air')
        """
        forms = list(summary.forms)
        for rule in self.of("alias"):
            alias, name = rule.refs
            if alias.matches(summary):
                form = " ".join(normalize_name(name.name))
                if form and form not in forms:
                    forms.append(form)
        if len(forms) == len(summary.forms):
            return summary
        keys = tuple(
            sorted(set(summary.keys) | set(block_keys(forms[len(summary.forms) :])))
        )
        return replace(summary, forms=tuple(forms), keys=keys)

    def same_pairs(
        self, summaries: Sequence[EntitySummary]
    ) -> list[tuple[tuple[str, str], tuple[str, str]]]:
        """Return the pairs of entities (uids) the file says are one (``same-as``)."""
        out: list[tuple[tuple[str, str], tuple[str, str]]] = []
        for rule in self.of("same-as"):
            found = [s.uid for s in summaries if any(r.matches(s) for r in rule.refs)]
            out.extend((found[0], other) for other in found[1:])
        return out

    def block_keys(self) -> tuple[str, ...]:
        """Return the block keys of every name a ``same-as`` or ``alias`` rule joins."""
        return tuple(
            sorted(
                {
                    k
                    for r in self.rules
                    if r.kind in ("same-as", "alias")
                    for ref in r.refs
                    for k in ref.block_keys()
                }
            )
        )


def curation_path(out_dir: Path | str) -> Path:
    """Return the path of the curation file of an output folder.

    Examples
    --------
    >>> curation_path("output")
    PosixPath('output/curation.txt')
    """
    return Path(out_dir) / CURATION_FILE


def _parse_ref(text: str) -> Ref:
    name, sep, doc = text.partition(" @ ")
    return Ref(name.strip(), doc.strip() or None if sep else None)


def parse_curation(text: str, *, source: str = CURATION_FILE) -> Curation:
    """Read the decisions of a curation file's text.

    Raises
    ------
    ConfigError
        A line that is not one of the four decisions, with its number.

    Examples
    --------
    >>> parse_curation("merge: A | B")
    Traceback (most recent call last):
    ...
    kg.errors.ConfigError: curation.txt line 1: ...
    """
    rules: list[CurationRule] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        kind, sep, rest = line.partition(":")
        kind = kind.strip().lower()
        parts = [p.strip() for p in rest.split("|")] if sep else []
        if kind not in _ARITY or len(parts) != _ARITY[kind] or not all(parts):
            raise ConfigError(
                f"{source} line {number}: cannot read {raw.strip()!r}; a line is "
                "'same-as: A | B', 'not-same-as: A | B', 'alias: ALIAS | NAME' "
                "or 'ignore: NAME'"
            )
        refs = tuple(_parse_ref(p) for p in parts)
        rules.append(CurationRule(kind, refs, number))  # type: ignore[arg-type]
    return Curation(tuple(rules))


def read_curation(out_dir: Path | str) -> Curation:
    """Read the curation file of an output folder (no file: no decisions).

    Raises
    ------
    ConfigError
        The file cannot be read or has a bad line.

    Examples
    --------
    >>> import tempfile
    >>> read_curation(tempfile.mkdtemp()).rules
    ()
    """
    path = curation_path(out_dir)
    if not path.is_file():
        return Curation()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {str(path)!r}: {exc}") from exc
    return parse_curation(text, source=str(path))


def format_rule(rule: CurationRule) -> str:
    """Return a decision as a line of the curation file.

    Examples
    --------
    >>> format_rule(CurationRule("same-as", (Ref("A"), Ref("B", "b.txt"))))
    'same-as: A | B @ b.txt'
    """
    return f"{rule.kind}: " + " | ".join(str(r) for r in rule.refs)


def append_rules(out_dir: Path | str, rules: Iterable[CurationRule]) -> Path:
    """Append decisions to the curation file (created with its header), atomically.

    Examples
    --------
    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> _ = append_rules(d, [CurationRule("ignore", (Ref("Police"),))])
    >>> read_curation(d).rules[0].kind
    'ignore'
    """
    from kg.rdf import write_atomic

    path = curation_path(out_dir)
    old = path.read_text(encoding="utf-8") if path.is_file() else _HEADER
    if old and not old.endswith("\n"):
        old += "\n"
    new = "".join(f"{format_rule(r)}\n" for r in rules)
    write_atomic(path, (old + new).encode("utf-8"))
    return path
