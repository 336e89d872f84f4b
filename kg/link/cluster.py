"""The reduce step: candidate pairs per block, scores, constrained clustering.

Entities are compared only when they share a block key
(:func:`candidate_pairs`) and come from different documents. Each pair is
judged by the rules (:func:`kg.link.rules.judge`); a name that fits several
entities the rules keep apart ("Roe" beside "Ann Roe" and "Tom Roe") with
no clear winner links to none of them. Pairs are then taken best first and
their corpus entities merged (union-find) when

- the score reaches :data:`THRESHOLD`;
- no document has an entity on both sides (**cannot-link**: entities one
  document keeps apart are never merged);
- no conflict rule holds between any two of their members (two people of
  one surname, a place and its qualified namesake...);
- the curation file does not keep them apart.

Entities already resolved (stored in an earlier build) start in their
corpus entities (``fixed``), so a new document only joins or bridges them.
The result gives every entity its corpus key and the evidence (rule, score
and the entity it was joined to) that put it there.

Examples
--------
>>> from kg.link.summary import EntitySummary as S
>>> a = S("a", "acme", "Organization", "Acme", ("acme",), keys=("n:acme",),
...       cooccur=("arden",))
>>> b = S("b", "acme inc", "Organization", "Acme Inc.", ("acme inc", "acme"),
...       keys=("n:acme", "n:acmeinc"), cooccur=("arden",))
>>> [(d.uid, d.target, d.rule) for d in resolve([a, b])]
[(('a', 'acme'), 'acme inc', 'kg.link.alias.v1'),
 (('b', 'acme inc'), 'acme inc', 'kg.link.new.v1')]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from kg.link.rules import (
    NAME_RULES,
    WEAK_RULES,
    Evidence,
    classes_agree,
    conflicts,
    judge,
    weakly_typed,
)
from kg.link.summary import PLACE_CLASSES, EntitySummary
from kg.link.variants import surname_group

__all__ = [
    "MAX_BLOCK",
    "THRESHOLD",
    "Decision",
    "Pair",
    "candidate_pairs",
    "class_weight",
    "resolve",
    "score_pairs",
]

#: Blocks up to this size are compared pair by pair; bigger ones are sampled.
SMALL_BLOCK = 40
#: In a big block, how many same-named members each member is compared with.
WINDOW = 5
#: Lowest score that links two entities.
THRESHOLD = 0.6
#: Blocks with more members than this are too common a word to compare by
#: (a ``w:`` key); name and acronym keys are always used.
MAX_BLOCK = 200
#: A weak name (surname, short name, acronym) fitting two entities kept
#: apart links to the better one only when it wins by this much.
AMBIGUITY_MARGIN = 0.1
#: Typed evidence (NER labels of names, two per personal pronoun) a
#: cluster needs before its class keeps it from clusters of other classes.
STRONG_CLASS = 2
NEW_RULE = "kg.link.new.v1"
CURATED_RULE = "kg.link.curated.v1"

UID = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Pair:
    """Two entities of different documents and the evidence they are one.

    Examples
    --------
    >>> Pair(0, 1, Evidence("kg.link.name.v1", 0.9)).evidence.rule
    'kg.link.name.v1'
    """

    left: int
    right: int
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class Decision:
    """Where the reduce step put one document's entity, and why.

    ``target`` is the corpus key; ``rule``/``score`` the evidence of the
    best link that joined it to another member, ``partner`` that member's
    (document id, local key); the member whose name labels the corpus
    entity (the fullest), and an entity alone, get ``kg.link.new.v1``.

    Examples
    --------
    >>> Decision(("a.txt", "acme"), "acme", "kg.link.new.v1", 1.0, None).target
    'acme'
    """

    uid: UID
    target: str
    rule: str
    score: float
    partner: UID | None


def _block_pairs(
    members: Sequence[int], summaries: Sequence[EntitySummary]
) -> Iterator[tuple[int, int]]:
    """Yield the pairs to compare in a block: all, or a linear sample of a big one.

    A big block (more than :data:`SMALL_BLOCK` members: a name many documents
    use) is split by name (class and first form): members with one name are
    compared with the :data:`WINDOW` before them, and the first
    :data:`WINDOW` of each name with the first of each other name.
    """
    if len(members) <= SMALL_BLOCK:
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                yield (i, j)
        return
    by_name: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i in members:
        by_name[(summaries[i].label, summaries[i].forms[0])].append(i)
    for group in by_name.values():
        for x, i in enumerate(group):
            for j in group[max(0, x - WINDOW) : x]:
                yield (j, i)
    heads = [group[:WINDOW] for _name, group in sorted(by_name.items())]
    for x, left in enumerate(heads):
        for right in heads[x + 1 :]:
            for i in left:
                for j in right:
                    yield (min(i, j), max(i, j))


def candidate_pairs(
    summaries: Sequence[EntitySummary],
    *,
    max_block: int = MAX_BLOCK,
    only: Callable[[str], bool] | None = None,
    settled: frozenset[int] = frozenset(),
) -> Iterator[tuple[int, int]]:
    """Yield index pairs of entities of different documents sharing a block key.

    Each pair once, smaller index first, in a deterministic order; big
    blocks are sampled (:func:`_block_pairs`), and a ``w:`` block (a first
    or last word) of more than ``max_block`` members is too common to use.
    ``only`` keeps the blocks whose key it accepts (a reduce task's share of
    the blocks, :mod:`kg.link.shuffle`; each block must then hold all its
    members). Pairs of two ``settled`` entities (stored ones, resolved
    before) are left out, and not remembered: against a big store the
    stored members of a common name's blocks are most of the pairs, and
    remembering them would hold memory in proportion to the store.

    Examples
    --------
    >>> from kg.link.summary import EntitySummary as S
    >>> s = [S("a", "x", "Place", "X", ("x",), keys=("n:x",)),
    ...      S("b", "x", "Place", "X", ("x",), keys=("n:x",)),
    ...      S("b", "y", "Place", "Y", ("y",), keys=("n:y",))]
    >>> list(candidate_pairs(s))
    [(0, 1)]
    """
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(summaries):
        for key in s.keys:
            if only is None or only(key):
                blocks[key].append(i)
    seen: set[tuple[int, int]] = set()
    for key in sorted(blocks):
        members = blocks[key]
        if len(members) > max_block and key.startswith("w:"):
            continue
        for i, j in _block_pairs(members, summaries):
            if i in settled and j in settled:
                continue
            if summaries[i].doc_id == summaries[j].doc_id or (i, j) in seen:
                continue
            seen.add((i, j))
            yield (i, j)


Rep = tuple[str, str, bool, int]


def _rep(s: EntitySummary) -> Rep:
    """Return what the conflict rules read of a summary: class, first form, cues."""
    return (s.label, s.forms[0], s.person_cue, s.votes)


class _Conflicts:
    """The conflict rules between two summaries, memoised by what they read."""

    def __init__(self) -> None:
        self._seen: dict[tuple[Rep, Rep], bool] = {}

    def __call__(self, a: EntitySummary, b: EntitySummary) -> bool:
        key = (_rep(a), _rep(b))
        found = self._seen.get(key)
        if found is None:
            found = self._seen[key] = conflicts(a, b) is not None
        return found


def _strong_groups(
    pairs: Sequence[Pair], size: int, cluster_of: Callable[[int], int] | None
) -> list[int]:
    """Return a group id per entity: entities joined by a precise name rule.

    Two entities are in one group when a pair of them has evidence from a
    rule not in :data:`WEAK_RULES` (any score: the name itself fits) or
    when they are one corpus entity already (``cluster_of``), transitively.
    """
    parent = list(range(size))
    if cluster_of is not None:
        first: dict[int, int] = {}
        for i in range(size):
            parent[i] = first.setdefault(cluster_of(i), i)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for p in pairs:
        if p.evidence.rule not in WEAK_RULES:
            parent[find(p.left)] = find(p.right)
    return [find(i) for i in range(size)]


def _drop_ambiguous(
    pairs: list[Pair],
    summaries: Sequence[EntitySummary],
    apart: _Conflicts,
    cluster_of: Callable[[int], int] | None = None,
) -> list[Pair]:
    """Drop weak-name pairs whose name fits rival entities about as well.

    Rivals are partners with different names that conflict, share a
    document, or that no precise name rule joins (an acronym "MC" that fits
    "Marin County" and "Mill Creek", none of which is the other's name);
    partners with one name are one candidate. ``cluster_of`` gives the
    corpus entity an entity is already in (stored, or curated as one).
    """
    groups = _strong_groups(pairs, len(summaries), cluster_of)
    weak: dict[int, list[Pair]] = defaultdict(list)
    for p in pairs:
        if p.evidence.rule in WEAK_RULES:
            weak[p.left].append(p)
            weak[p.right].append(p)
    dropped: set[int] = set()
    for i, found in weak.items():
        by_rep: dict[Rep, list[Pair]] = defaultdict(list)
        for p in found:
            other = p.right if p.left == i else p.left
            by_rep[_rep(summaries[other])].append(p)
        if len(by_rep) < 2:
            continue
        reps = sorted(by_rep)
        info = {}
        for r in reps:
            partners = [p.right if p.left == i else p.left for p in by_rep[r]]
            info[r] = (
                max(p.evidence.score for p in by_rep[r]),
                {summaries[j].doc_id for j in partners},
                summaries[partners[0]],
                {groups[j] for j in partners},
            )
        for x, r in enumerate(reps):
            for q in reps[x + 1 :]:
                (s1, docs1, one, g1), (s2, docs2, two, g2) = info[r], info[q]
                rivals = bool(docs1 & docs2) or apart(one, two) or not g1 & g2
                if rivals and abs(s1 - s2) < AMBIGUITY_MARGIN:
                    dropped.update(id(p) for p in (*by_rep[r], *by_rep[q]))
    return [p for p in pairs if id(p) not in dropped]


def _drop_document_rivals(
    pairs: list[Pair], summaries: Sequence[EntitySummary]
) -> list[Pair]:
    """Drop the pairs of an entity with a document's entity a rival matches better.

    When one entity's name fits two entities one document keeps apart
    ("Roe" beside "Tom Roe" and an alias "Roe" of another's), it can be at
    most one of them: the pairs whose name rule is less precise (later in
    :data:`~kg.link.rules.NAME_RULES`) than another partner's of that
    document are dropped. Partners matched by equally precise rules are
    left to the scores and constraints.
    """
    rank = {rule: i for i, rule in enumerate(NAME_RULES)}
    by_doc: dict[tuple[int, str], list[Pair]] = defaultdict(list)
    for p in pairs:
        by_doc[(p.left, summaries[p.right].doc_id)].append(p)
        by_doc[(p.right, summaries[p.left].doc_id)].append(p)
    dropped: set[int] = set()
    for found in by_doc.values():
        if len(found) < 2:
            continue
        best = min(rank.get(p.evidence.rule, len(rank)) for p in found)
        dropped.update(
            id(p) for p in found if rank.get(p.evidence.rule, len(rank)) > best
        )
    return [p for p in pairs if id(p) not in dropped]


def score_pairs(
    summaries: Sequence[EntitySummary],
    *,
    judge_pair: Callable[[EntitySummary, EntitySummary], Evidence | None] = judge,
    memo: _Conflicts | None = None,
    settled: frozenset[int] = frozenset(),
    scored: Iterable[Pair] | None = None,
    cluster_of: Callable[[int], int] | None = None,
) -> list[Pair]:
    """Judge the candidate pairs; keep those with evidence, best first.

    Pairs of two ``settled`` entities (stored ones, resolved before) are
    not judged again. ``scored`` are the pairs with evidence judged ahead
    (the reduce tasks of a cluster build, :mod:`kg.link.shuffle`): they
    replace the candidates and judging here.

    Examples
    --------
    >>> from kg.link.summary import EntitySummary as S
    >>> s = [S("a", "x", "Place", "Arden", ("arden",), keys=("n:arden",)),
    ...      S("b", "x", "Place", "Arden", ("arden",), keys=("n:arden",))]
    >>> score_pairs(s)[0].evidence
    Evidence(rule='kg.link.name.v1', score=0.65)
    """
    pairs = []
    if scored is not None:
        pairs = list(scored)
    else:
        for i, j in candidate_pairs(summaries, settled=settled):
            evidence = judge_pair(summaries[i], summaries[j])
            if evidence is not None:
                pairs.append(Pair(i, j, evidence))
    pairs = _drop_ambiguous(pairs, summaries, memo or _Conflicts(), cluster_of)
    pairs = _drop_document_rivals(pairs, summaries)
    pairs.sort(
        key=lambda p: (
            -p.evidence.score,
            summaries[p.left].uid,
            summaries[p.right].uid,
        )
    )
    return pairs


@dataclass
class _Clusters:
    """Clusters of entities as explicit sets, with each cluster's documents.

    ``fixed`` members (stored entities) never leave their cluster.
    """

    summaries: Sequence[EntitySummary]
    fixed: frozenset[int] = frozenset()
    cid: list[int] = field(default_factory=list)
    members: dict[int, list[int]] = field(default_factory=dict)
    docs: dict[int, dict[str, list[int]]] = field(default_factory=dict)
    _next: int = 0

    def __post_init__(self) -> None:
        n = len(self.summaries)
        self.cid = list(range(n))
        self.members = {i: [i] for i in range(n)}
        self.docs = {i: {s.doc_id: [i]} for i, s in enumerate(self.summaries)}
        self._next = n

    def find(self, i: int) -> int:
        return self.cid[i]

    def union(self, i: int, j: int) -> int:
        a, b = self.cid[i], self.cid[j]
        if a == b:
            return a
        if len(self.members[a]) < len(self.members[b]):
            a, b = b, a
        for m in self.members.pop(b):
            self.cid[m] = a
            self.members[a].append(m)
        for doc, found in self.docs.pop(b).items():
            self.docs[a].setdefault(doc, []).extend(found)
        return a

    def evict(self, m: int) -> None:
        """Take one member out of its cluster, alone in a new one."""
        c = self.cid[m]
        self.members[c].remove(m)
        doc = self.summaries[m].doc_id
        self.docs[c][doc].remove(m)
        if not self.docs[c][doc]:
            del self.docs[c][doc]
        k, self._next = self._next, self._next + 1
        self.cid[m] = k
        self.members[k] = [m]
        self.docs[k] = {doc: [m]}

    def evictions(self, i: int, j: int) -> list[int] | None:
        """Return who must leave for the clusters of ``i`` and ``j`` to merge.

        Entities of one document on both sides (cannot-link) cannot all
        stay: the smaller cluster's ones leave, when they are few (a third
        of it at most), none is stored and none is ``i`` or ``j``; else
        None (no merge).
        """
        a, b = self.cid[i], self.cid[j]
        shared = self.docs[a].keys() & self.docs[b].keys()
        if not shared:
            return []
        small = b if len(self.members[b]) <= len(self.members[a]) else a
        out = [m for doc in sorted(shared) for m in self.docs[small][doc]]
        if (
            len(out) > max(1, len(self.members[small]) // 3)
            or len(out) >= len(self.members[small])
            or any(m in self.fixed or m in (i, j) for m in out)
        ):
            return None
        return out

    def compatible(
        self,
        i: int,
        j: int,
        apart: Callable[[EntitySummary, EntitySummary], bool],
        memo: _Conflicts,
        leaving: Sequence[int] = (),
    ) -> bool:
        a, b = self.find(i), self.find(j)
        if a == b:
            return True
        gone = set(leaving)
        left_members = [m for m in self.members[a] if m not in gone]
        right_members = [m for m in self.members[b] if m not in gone]
        left_class, right_class = self.vote(left_members), self.vote(right_members)
        left = _distinct(self.summaries, left_members)
        right = _distinct(self.summaries, right_members)
        if (
            left_class
            and right_class
            and not classes_agree(left_class, right_class)
            and not _surname_groups(left, right)
        ):
            return False
        return not any(memo(x, y) or apart(x, y) for x in left for y in right)

    def vote(self, members: Iterable[int]) -> str:
        """Return the class some members' typed evidence gives ("" if too little)."""
        weights: dict[str, int] = defaultdict(int)
        for i in members:
            s = self.summaries[i]
            weights[s.label] += class_weight(s)
        if not weights:
            return ""
        label, weight = max(weights.items(), key=lambda kv: (kv[1], kv[0]))
        return label if weight >= STRONG_CLASS else ""


def class_weight(s: EntitySummary) -> int:
    """How much a member's class counts in its cluster's vote.

    An unknown class (``Thing``) counts nothing, nor does the class of a
    weakly typed member (one NER label, no pronoun), since a tagger repeats
    its mistakes across documents ("Roe" tagged an organisation in each);
    a place's one label still counts.

    Examples
    --------
    >>> from kg.link.summary import EntitySummary as S
    >>> class_weight(S("a", "x", "Person", "Roe", ("roe",), votes=2, person_cue=True))
    4
    """
    if s.label == "Thing":
        return 0
    if weakly_typed(s):
        return 1 if s.label in PLACE_CLASSES else 0
    return s.votes + 2 * s.person_cue


def _distinct(
    summaries: Sequence[EntitySummary], members: Iterable[int]
) -> list[EntitySummary]:
    """One member per (class, first form): conflicts depend on nothing else."""
    seen: dict[tuple[str, str, bool], EntitySummary] = {}
    for i in members:
        s = summaries[i]
        seen.setdefault((s.label, s.forms[0], s.person_cue), s)
    return list(seen.values())


def _surname_groups(
    left: Sequence[EntitySummary], right: Sequence[EntitySummary]
) -> bool:
    """Tell a cluster of groups that are all a person's surname, the other's.

    ``kg.link.conflict.class.v2`` (:func:`kg.link.variants.surname_group`)
    at the level of clusters: the tagger's class of a surname ("Roe" read
    as a nationality) does not keep it from the person it names.
    """
    for groups, people in ((left, right), (right, left)):
        if all(any(surname_group(g, p) for p in people) for g in groups):
            return True
    return False


def _never(_a: EntitySummary, _b: EntitySummary) -> bool:
    return False


def _preferred(summaries: Sequence[EntitySummary], members: Sequence[int]) -> int:
    """Return the member naming the corpus entity (fullest name, then order)."""
    return max(
        members,
        key=lambda i: (
            len(summaries[i].name.split()),
            len(summaries[i].name),
            summaries[i].name,
            tuple(-ord(c) for c in summaries[i].doc_id),
        ),
    )


def resolve(
    summaries: Sequence[EntitySummary],
    *,
    fixed: Mapping[UID, str] | None = None,
    same: Iterable[tuple[UID, UID]] = (),
    apart: Callable[[EntitySummary, EntitySummary], bool] = _never,
    taken: Callable[[str], bool] | None = None,
    iri_of: Callable[[str], str] = str,
    threshold: float = THRESHOLD,
    pairs: Iterable[Pair] | None = None,
) -> list[Decision]:
    """Cluster entities into corpus entities; return one decision per entity.

    Parameters
    ----------
    summaries
        The entities to resolve (the new documents' and the stored ones of
        the same blocks).
    fixed
        Stored entities and the corpus key they already have; they start
        clustered by it, a cluster holding them keeps that key, and two of
        them are only brought together through a new entity.
    same
        Pairs the curation file says are one (merged first, whatever the
        rules say).
    apart
        Tells two entities the curation file keeps apart.
    taken
        Tells a corpus key already used by another stored entity; a new
        corpus entity then gets ``"key 2"``, ``"key 3"``...
    iri_of
        The node a key names: two keys naming one node are one key.
    threshold
        Lowest score that links.
    pairs
        The candidate pairs with evidence, judged ahead (by the reduce
        tasks of a cluster build); None finds and judges them here.

    Returns
    -------
    list of Decision
        In the order of ``summaries``.

    Examples
    --------
    >>> from kg.link.summary import EntitySummary as S
    >>> s = [S("a", "roe", "Person", "Roe", ("roe",), keys=("n:roe",)),
    ...      S("b", "roe", "Person", "Roe", ("roe",), keys=("n:roe",))]
    >>> [d.target for d in resolve(s, fixed={("a", "roe"): "tom roe"})]
    ['tom roe', 'roe']
    """
    fixed = dict(fixed or {})
    index = {s.uid: i for i, s in enumerate(summaries)}
    clusters = _Clusters(summaries, frozenset(index[u] for u in fixed if u in index))
    edges: dict[int, list[tuple[Evidence, int]]] = defaultdict(list)

    def remember(i: int, j: int, evidence: Evidence) -> None:
        edges[i].append((evidence, j))
        edges[j].append((evidence, i))

    by_key: dict[str, list[int]] = defaultdict(list)
    for uid, key in sorted(fixed.items()):
        if uid in index:
            by_key[key].append(index[uid])
    for members in by_key.values():
        for j in members[1:]:
            clusters.union(members[0], j)
    for left, right in same:
        if left in index and right in index:
            i, j = index[left], index[right]
            clusters.union(i, j)
            remember(i, j, Evidence(CURATED_RULE, 1.0))
    memo = _Conflicts()
    scored = score_pairs(
        summaries,
        memo=memo,
        settled=clusters.fixed,
        scored=pairs,
        cluster_of=clusters.find,
    )
    for pair in scored:
        if pair.evidence.score < threshold:
            break
        i, j = pair.left, pair.right
        if clusters.find(i) == clusters.find(j):
            remember(i, j, pair.evidence)
            continue
        leaving = clusters.evictions(i, j)
        if leaving is None:
            continue  # cannot-link: one document keeps them apart
        if clusters.compatible(i, j, apart, memo, leaving):
            for m in leaving:
                clusters.evict(m)
            clusters.union(i, j)
            remember(i, j, pair.evidence)
    return _decide(summaries, clusters, fixed, edges, taken, iri_of)


def _decide(
    summaries: Sequence[EntitySummary],
    clusters: _Clusters,
    fixed: Mapping[UID, str],
    edges: Mapping[int, list[tuple[Evidence, int]]],
    taken: Callable[[str], bool] | None,
    iri_of: Callable[[str], str] = str,
) -> list[Decision]:
    """Name each cluster (a stored key, else its fullest member's key) and decide."""
    used: set[str] = set()
    targets: dict[int, str] = {}
    roots = sorted(
        clusters.members,
        key=lambda r: min(summaries[i].uid for i in clusters.members[r]),
    )
    # clusters holding stored entities keep their key (the most shared one)
    for root in roots:
        held: dict[str, list[EntitySummary]] = defaultdict(list)
        for i in clusters.members[root]:
            key = fixed.get(summaries[i].uid)
            if key:
                held[key].append(summaries[i])
        if held:
            # the node of most members, then of the fullest name, survives
            best = max(
                held,
                key=lambda k: (
                    len(held[k]),
                    max((len(s.name.split()), len(s.name)) for s in held[k]),
                    [-ord(c) for c in k],
                ),
            )
            targets[root] = best
            used.add(iri_of(best))
    for root in roots:
        if root in targets:
            continue
        wanted = summaries[_preferred(summaries, clusters.members[root])].key
        key, n = wanted, 1
        while iri_of(key) in used or (taken is not None and taken(key)):
            n += 1
            key = f"{wanted} {n}"
        targets[root] = key
        used.add(iri_of(key))
    anchors = {
        root: _preferred(summaries, clusters.members[root]) for root in clusters.members
    }
    out = []
    for i, s in enumerate(summaries):
        root = clusters.find(i)
        # the best link to a member it is still with (evictions undo some)
        kept = [(e, j) for e, j in edges.get(i, ()) if clusters.find(j) == root]
        if kept and anchors[root] != i:
            evidence, j = max(kept, key=lambda x: (x[0].score, summaries[x[1]].uid))
            out.append(
                Decision(
                    s.uid,
                    targets[root],
                    evidence.rule,
                    evidence.score,
                    summaries[j].uid,
                )
            )
        else:
            out.append(Decision(s.uid, targets[root], NEW_RULE, 1.0, None))
    return out
