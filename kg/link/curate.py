"""Apply the curation file to a store; ``kg merge`` and ``kg split``.

:func:`apply_curation` brings a (writable) store in line with the curation
file, one decision after another, touching only the entities it names
(found through their ``n:`` block keys):

- ``same-as``: the corpus entities holding the named entities are merged
  (into the one with most documents); the link of a merged entity records
  ``kg.link.curated.v1``;
- ``not-same-as``: a corpus entity holding both is re-resolved without the
  forbidden link (:func:`kg.link.cluster.resolve` over its members); the
  largest group keeps the node, the others move to new nodes;
- ``alias``: the named entities get the name (their summaries and block
  keys, so later documents link to them) and are merged with the entity
  called by it when no document keeps them apart;
- ``ignore``: the named entities leave their corpus entities and lose their
  block keys (never linked again).

:func:`merge` and :func:`split` check their input against the store (a
bad name is a :class:`~kg.errors.ConfigError` and nothing changes), then
apply the new decision and append it to the curation file in one write:
the store, ``graph.ttl``/``graph.html`` and ``curation.txt`` are staged
and published together. :func:`curate_output` is what ``kg render`` runs:
it writes only when the store does not yet follow the file (a hand edit).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pyoxigraph as ox

from kg.errors import ConfigError
from kg.link.cluster import CURATED_RULE, resolve
from kg.link.curation import (
    Curation,
    CurationRule,
    Ref,
    curation_path,
    format_rule,
    read_curation,
)
from kg.link.explanation import find_entity
from kg.link.index import StoredLink, links_with_key, members_of
from kg.link.rewrite import (
    entity_class,
    entity_key,
    entity_node,
    link_node,
    move_link,
    rename_entity,
)
from kg.ontology import KGO_URI

__all__ = [
    "CurationReport",
    "apply_curation",
    "apply_rule",
    "curate_output",
    "merge",
    "merge_rule",
    "split",
    "split_rule",
]

_DEFAULT = ox.DefaultGraph()
_RULE = ox.NamedNode(f"{KGO_URI}linkRule")
_SCORE = ox.NamedNode(f"{KGO_URI}linkScore")
_WITH = ox.NamedNode(f"{KGO_URI}linkedWith")
_SUMMARY = ox.NamedNode(f"{KGO_URI}linkSummary")
_BLOCK = ox.NamedNode(f"{KGO_URI}blockKey")
_DECIMAL = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")


@dataclass(frozen=True, slots=True)
class CurationReport:
    """What a curation write changed.

    Examples
    --------
    >>> CurationReport(("merged a into b",), "").changes
    ('merged a into b',)
    """

    changes: tuple[str, ...]
    line: str


def _matching(store: ox.Store, refs: Sequence[Ref]) -> list[StoredLink]:
    """Return the stored entity links answering to any of ``refs``."""
    found: dict[str, StoredLink] = {}
    for ref in refs:
        for key in ref.block_keys():
            for link in links_with_key(store, key):
                if ref.matches(link.summary):
                    found[link.link.value] = link
    return [found[k] for k in sorted(found)]


def _set_decision(
    store: ox.Store,
    link: ox.NamedNode,
    rule: str,
    score: float,
    partner: ox.NamedNode | None,
) -> None:
    from kg.link.persist import score_text

    for p in (_RULE, _SCORE, _WITH):
        for q in list(store.quads_for_pattern(link, p, None, _DEFAULT)):
            store.remove(q)
    store.add(ox.Quad(link, _RULE, ox.Literal(rule), _DEFAULT))
    lexical = score_text(score)
    store.add(ox.Quad(link, _SCORE, ox.Literal(lexical, datatype=_DECIMAL), _DEFAULT))
    if partner is not None:
        store.add(ox.Quad(link, _WITH, partner, _DEFAULT))


def _survivor(store: ox.Store, entities: Sequence[ox.NamedNode]) -> ox.NamedNode:
    """Return the entity the others merge into: most documents, then smallest key."""
    return max(
        entities,
        key=lambda e: (
            len(members_of(store, e)),
            [-ord(c) for c in entity_key(store, e)],
        ),
    )


def _merge_all(
    store: ox.Store,
    links: Sequence[StoredLink],
    partners: Sequence[StoredLink],
) -> list[str]:
    """Merge the corpus entities of ``links``; mark one joined link as curated."""
    entities = sorted({link.entity.value for link in links})
    if len(entities) < 2:
        return []
    nodes = [ox.NamedNode(e) for e in entities]
    keep = _survivor(store, nodes)
    key = entity_key(store, keep)
    changes = []
    for node in nodes:
        if node == keep:
            continue
        joined = next((x for x in links if x.entity == node), None)
        old_key = entity_key(store, node)
        rename_entity(store, node, key)
        anchor = next((x for x in partners if x.entity == keep), None)
        if joined is not None:
            _set_decision(
                store, joined.link, CURATED_RULE, 1.0, anchor.link if anchor else None
            )
        changes.append(f"merged {old_key!r} into {key!r}")
    return changes


def _fresh_key(store: ox.Store, wanted: str, used: set[str]) -> str:
    key, n = wanted, 1
    while entity_node(key).value in used or any(
        True for _ in store.quads_for_pattern(entity_node(key), None, None, _DEFAULT)
    ):
        n += 1
        key = f"{wanted} {n}"
    used.add(entity_node(key).value)
    return key


def _split_entity(
    store: ox.Store, entity: ox.NamedNode, curation: Curation
) -> list[str]:
    """Re-resolve a corpus entity's members under the curation; move groups off."""
    members = members_of(store, entity)
    summaries = [m.summary for m in members]
    decisions = resolve(
        summaries, same=curation.same_pairs(summaries), apart=curation.apart
    )
    groups: dict[str, list[int]] = {}
    for i, d in enumerate(decisions):
        groups.setdefault(d.target, []).append(i)
    if len(groups) < 2:
        return []
    ranked = sorted(
        groups.values(), key=lambda g: (-len(g), min(summaries[i].uid for i in g))
    )
    old_key = entity_key(store, entity)
    label = entity_class(store, entity) or "Thing"
    used = {entity.value}
    changes = []
    for group in ranked[1:]:
        first = min(group, key=lambda i: summaries[i].uid)
        key = _fresh_key(store, summaries[first].key, used)
        cls = summaries[first].label if summaries[first].label != "Thing" else label
        for i in group:
            move_link(store, summaries[i], entity, key, cls)
            d = decisions[i]
            partner = link_node(*d.partner) if d.partner else None
            _set_decision(store, members[i].link, d.rule, d.score, partner)
        _set_decision(store, members[first].link, CURATED_RULE, 1.0, None)
        changes.append(
            f"moved {len(group)} document entity(ies) from {old_key!r} to {key!r}"
        )
    return changes


def _replace_summary(store: ox.Store, link: StoredLink, new: object) -> None:
    from kg.link.summary import EntitySummary

    assert isinstance(new, EntitySummary)
    for p in (_SUMMARY, _BLOCK):
        for q in list(store.quads_for_pattern(link.link, p, None, _DEFAULT)):
            store.remove(q)
    store.add(ox.Quad(link.link, _SUMMARY, ox.Literal(new.to_json()), _DEFAULT))
    for key in new.keys:
        store.add(ox.Quad(link.link, _BLOCK, ox.Literal(key), _DEFAULT))


def _apply_rule(store: ox.Store, rule: CurationRule, curation: Curation) -> list[str]:
    """Bring the store in line with one decision; return what changed."""
    if rule.kind == "same-as":
        links = _matching(store, rule.refs)
        return _merge_all(store, links, _matching(store, rule.refs[:1]))
    if rule.kind == "not-same-as":
        left, right = (_matching(store, [r]) for r in rule.refs)
        shared = {x.entity.value for x in left} & {x.entity.value for x in right}
        changes: list[str] = []
        for entity in sorted(shared):
            changes += _split_entity(store, ox.NamedNode(entity), curation)
        return changes
    if rule.kind == "alias":
        changes = []
        for link in _matching(store, rule.refs[:1]):
            new = curation.with_aliases(link.summary)
            if new != link.summary:
                _replace_summary(store, link, new)
                changes.append(
                    f"gave {link.summary.name!r} the name {str(rule.refs[1])!r}"
                )
        links = _matching(store, rule.refs)
        docs: dict[str, set[str]] = {}
        for x in links:
            docs.setdefault(x.entity.value, set()).update(
                m.summary.doc_id for m in members_of(store, x.entity)
            )
        sets = list(docs.values())
        clash = any(a & b for i, a in enumerate(sets) for b in sets[i + 1 :])
        if not clash:
            changes += _merge_all(store, links, _matching(store, rule.refs[1:]))
        return changes
    changes = []
    for link in _matching(store, rule.refs):
        if link.summary.keys:
            _replace_summary(store, link, replace(link.summary, keys=()))
            changes.append(f"unlinked {link.summary.name!r} in {link.summary.doc_id}")
        if len(members_of(store, link.entity)) > 1:
            key = _fresh_key(store, link.summary.key, {link.entity.value})
            move_link(store, link.summary, link.entity, key, link.summary.label)
            _set_decision(store, link.link, CURATED_RULE, 1.0, None)
    return changes


def apply_rule(store: ox.Store, rule: CurationRule, curation: Curation) -> list[str]:
    """Bring a writable store in line with one decision of ``curation``.

    Examples
    --------
    >>> from kg.link.curation import parse_curation
    >>> c = parse_curation("same-as: Acme | Apex")
    >>> apply_rule(ox.Store(), c.rules[0], c)
    []
    """
    return _apply_rule(store, rule, curation)


def apply_curation(store: ox.Store, curation: Curation) -> list[str]:
    """Bring a writable store in line with the curation file; return the changes.

    Decisions are applied in file order; one the store already follows
    changes nothing.

    Examples
    --------
    >>> from kg.link.curation import parse_curation
    >>> apply_curation(ox.Store(), parse_curation("same-as: Acme | Apex"))
    []
    """
    changes: list[str] = []
    for rule in curation.rules:
        changes += _apply_rule(store, rule, curation)
    return changes


def _needs(store: ox.Store, curation: Curation) -> bool:
    """Tell whether the store does not yet follow the curation file (read only)."""
    for rule in curation.rules:
        names = _matching(store, rule.refs)
        if not names:
            continue
        if rule.kind == "ignore":
            if any(
                x.summary.keys or len(members_of(store, x.entity)) > 1 for x in names
            ):
                return True
            continue
        entities = {x.entity.value for x in names}
        if rule.kind == "same-as" and len(entities) > 1:
            return True
        if rule.kind == "not-same-as":
            left, right = (_matching(store, [r]) for r in rule.refs)
            if {x.entity.value for x in left} & {x.entity.value for x in right}:
                return True
        if rule.kind == "alias" and (
            len(entities) > 1
            or any(curation.with_aliases(x.summary) != x.summary for x in names)
        ):
            return True
    return False


def _write(
    out_dir: Path | str,
    change: Callable[[ox.Store], list[str]],
    curation_text: bytes | None,
) -> list[str]:
    """Apply ``change`` to the store; publish it with its files and the curation.

    The curation file goes with the store whatever happens to the derived
    files (written under the ``auto`` policy, :func:`kg.store.wants_derived`;
    a full disk leaves them recorded as behind the store, and says so).
    """
    from kg.derived import derived_files
    from kg.generations import _stage_files, _stage_outputs, _transact, derived_failed
    from kg.store import wants_derived

    out = Path(out_dir)
    failed: list[OSError] = []

    def outputs(stage: Path, result: list[str]) -> dict[Path, Path]:
        staged = {}
        if curation_text is not None:
            staged.update(_stage_files(out, {curation_path(out).name: curation_text}))
        if wants_derived("auto", stage):
            try:
                staged |= _stage_outputs(out, derived_files, "graph.ttl", stage)
            except OSError as exc:
                failed.append(exc)
        return staged

    changes, _staged = _transact(out, change, outputs)
    if failed:
        raise derived_failed(out, failed[0])
    return changes


def _ref_for(store: ox.Store, entity: ox.NamedNode, label: str) -> Ref:
    """Return a name (in one document if need be) answering to this entity only."""
    members = members_of(store, entity)
    if not members:
        raise ConfigError(
            f"{label!r} <{entity.value}> has no entity links (built by an older kg); "
            "build its documents again with --refresh"
        )
    candidates = [Ref(label)]
    candidates += [Ref(m.summary.name, m.summary.doc_id) for m in members]
    for ref in candidates:
        found = _matching(store, [ref])
        if found and all(x.entity == entity for x in found):
            return ref
    raise ConfigError(
        f"no name of {label!r} <{entity.value}> is its own; "
        "write the decision in curation.txt by hand (NAME @ DOCUMENT)"
    )


def _with_rule(
    out_dir: Path | str, rule: CurationRule, drop: Sequence[CurationRule] = ()
) -> tuple[Curation, bytes]:
    """Return the curation file with ``rule`` appended, the ``drop`` lines out."""
    from kg.link.curation import _HEADER

    path = curation_path(out_dir)
    current = read_curation(out_dir)
    text = path.read_text(encoding="utf-8") if path.is_file() else _HEADER
    gone = {r.line for r in drop}
    lines = [line for n, line in enumerate(text.splitlines(), 1) if n not in gone]
    kept = tuple(r for r in current.rules if r.line not in gone)
    if any(format_rule(r) == format_rule(rule) for r in kept):
        return Curation(kept), ("\n".join(lines) + "\n").encode("utf-8")
    lines.append(format_rule(rule))
    return Curation((*kept, rule)), ("\n".join(lines) + "\n").encode("utf-8")


def _contradicted(
    store: ox.Store,
    curation: Curation,
    kind: str,
    left: Sequence[StoredLink],
    right: Sequence[StoredLink],
) -> list[CurationRule]:
    """Earlier decisions of ``kind`` about the same two sides (the new one wins)."""
    a = {x.link.value for x in left}
    b = {x.link.value for x in right}
    out = []
    for rule in curation.of(kind):  # type: ignore[arg-type]
        one, two = ({x.link.value for x in _matching(store, [r])} for r in rule.refs)
        if (one & a and two & b) or (one & b and two & a):
            out.append(rule)
    return out


def merge(out_dir: Path | str, a: str, b: str) -> CurationReport:
    """Make two corpus entities one (``same-as``), now and in every later build.

    ``a`` and ``b`` name entities as ``kg explain`` does (label, alias, key
    or IRI). The decision is appended to the curation file and the store is
    brought in line in the same write.

    Raises
    ------
    ConfigError
        Either names no entity or several, both name the same one, or the
        curation file keeps them apart; nothing is changed.

    Examples
    --------
    >>> import tempfile
    >>> from kg.store import write_documents
    >>> from kg.types import Document, Entity, Mention
    >>> d = tempfile.mkdtemp()
    >>> def doc(name, text):
    ...     m = Mention(text, "ORG", 0, len(text), 0)
    ...     e = Entity(text.lower(), "Organization", text, (m,))
    ...     return Document(name, name, "0" * 64, (), (e,))
    >>> docs = [doc("a", "Acme"), doc("b", "Apex")]
    >>> _ = write_documents(d, docs)
    >>> merge(d, "Acme", "Apex").line
    'same-as: Acme | Apex'
    >>> split(d, "Acme", "Apex").line
    'not-same-as: Acme | Apex'
    """
    from kg.store import open_store

    rule, curation, text = merge_rule(open_store(out_dir), out_dir, a, b)
    changes = _write(out_dir, lambda s: _apply_rule(s, rule, curation), text)
    return CurationReport(tuple(changes), format_rule(rule))


def merge_rule(
    store: ox.Store, out_dir: Path | str, a: str, b: str
) -> tuple[CurationRule, Curation, bytes]:
    """Check a ``kg merge`` against ``store``; return its rule and the new file.

    Returns the ``same-as`` rule, the curation with it (earlier decisions
    it contradicts dropped) and the text of the new curation file.

    Raises
    ------
    ConfigError
        As :func:`merge`.
    """
    first, second = find_entity(store, a), find_entity(store, b)
    if first == second:
        raise ConfigError(f"{a!r} and {b!r} are already one entity <{first}>")
    ref_a = _ref_for(store, ox.NamedNode(first), a)
    ref_b = _ref_for(store, ox.NamedNode(second), b)
    rule = CurationRule("same-as", (ref_a, ref_b))
    left, right = _matching(store, [ref_a]), _matching(store, [ref_b])
    drop = _contradicted(store, read_curation(out_dir), "not-same-as", left, right)
    curation, text = _with_rule(out_dir, rule, drop)
    if any(curation.apart(x.summary, y.summary) for x in left for y in right):
        raise ConfigError(
            f"the curation file keeps {a!r} and {b!r} apart (not-same-as, "
            f"another name); edit {str(curation_path(out_dir))!r} first"
        )
    return rule, curation, text


def _parse_name(text: str) -> Ref:
    name, sep, doc = text.partition(" @ ")
    if not name.strip():
        raise ConfigError("give a name (or 'NAME @ DOCUMENT'), not an empty string")
    return Ref(name.strip(), doc.strip() or None if sep else None)


def split(out_dir: Path | str, a: str, b: str) -> CurationReport:
    """Keep two names apart (``not-same-as``), now and in every later build.

    ``a`` and ``b`` are names a node carries (``"NAME @ DOCUMENT"`` for one
    document's entity); the documents' entities called ``b`` leave the node
    of those called ``a`` (the larger group keeps the node).

    Raises
    ------
    ConfigError
        A name no document uses, two names on different nodes, or one
        document that itself calls them one entity; nothing is changed.

    Examples
    --------
    >>> import tempfile
    >>> from kg.store import write_documents
    >>> d = tempfile.mkdtemp()
    >>> _ = write_documents(d, [])
    >>> split(d, "Acme", "Apex")
    Traceback (most recent call last):
    ...
    kg.errors.ConfigError: no document's entity is called 'Acme'
    """
    from kg.store import open_store

    rule, curation, text = split_rule(open_store(out_dir), out_dir, a, b)
    changes = _write(out_dir, lambda s: _apply_rule(s, rule, curation), text)
    return CurationReport(tuple(changes), format_rule(rule))


def split_rule(
    store: ox.Store, out_dir: Path | str, a: str, b: str
) -> tuple[CurationRule, Curation, bytes]:
    """Check a ``kg split`` against ``store``; return its rule and the new file.

    Raises
    ------
    ConfigError
        As :func:`split`.
    """
    ref_a, ref_b = _parse_name(a), _parse_name(b)
    left, right = _matching(store, [ref_a]), _matching(store, [ref_b])
    for ref, found in ((ref_a, left), (ref_b, right)):
        if not found:
            raise ConfigError(f"no document's entity is called {str(ref)!r}")
    shared = {x.entity.value for x in left} & {x.entity.value for x in right}
    if not shared:
        raise ConfigError(
            f"{a!r} and {b!r} are not on one node; there is nothing to split"
        )
    both = [x for x in left if x.entity.value in shared and ref_b.matches(x.summary)]
    if both:
        raise ConfigError(
            f"{both[0].summary.doc_id} itself calls {a!r} and {b!r} one entity; "
            "kg split separates documents' entities, not one document's"
        )
    rule = CurationRule("not-same-as", (ref_a, ref_b))
    drop = _contradicted(store, read_curation(out_dir), "same-as", left, right)
    curation, text = _with_rule(out_dir, rule, drop)
    return rule, curation, text


def curate_output(out_dir: Path | str) -> list[str]:
    """Apply a hand-edited curation file to the store of ``out_dir`` (``kg render``).

    Writes only when the store does not yet follow the file.

    Raises
    ------
    ConfigError
        No store, or a bad line in the curation file.

    Examples
    --------
    >>> import tempfile
    >>> curate_output(tempfile.mkdtemp())
    []
    """
    from kg.store import has_store, open_store

    curation = read_curation(out_dir)
    if not curation.rules or not has_store(out_dir):
        return []
    if not _needs(open_store(out_dir), curation):
        return []
    return _write(out_dir, lambda s: apply_curation(s, curation), None)
