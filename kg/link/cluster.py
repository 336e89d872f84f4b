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
    WEAK_RULES,
    Evidence,
    classes_agree,
    conflicts,
    judge,
    weakly_typed,
)
from kg.link.summary import PLACE_CLASSES, EntitySummary

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
MAX_BLOCK = 400
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
    summaries: Sequence[EntitySummary], *, max_block: int = MAX_BLOCK
) -> Iterator[tuple[int, int]]:
    """Yield index pairs of entities of different documents sharing a block key.

    Each pair once, smaller index first, in a deterministic order; big
    blocks are sampled (:func:`_block_pairs`), and a ``w:`` block (a first
    or last word) of more than ``max_block`` members is too common to use.

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
            blocks[key].append(i)
    seen: set[tuple[int, int]] = set()
    for key in sorted(blocks):
        members = blocks[key]
        if len(members) > max_block and key.startswith("w:"):
            continue
        for i, j in _block_pairs(members, summaries):
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


def _drop_ambiguous(
    pairs: list[Pair], summaries: Sequence[EntitySummary], apart: _Conflicts
) -> list[Pair]:
    """Drop weak-name pairs whose name fits rival entities about as well.

    Rivals are partners with different names that conflict or share a
    document; partners with one name are one candidate.
    """
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
            )
        for x, r in enumerate(reps):
            for q in reps[x + 1 :]:
                (s1, docs1, one), (s2, docs2, two) = info[r], info[q]
                rivals = bool(docs1 & docs2) or apart(one, two)
                if rivals and abs(s1 - s2) < AMBIGUITY_MARGIN:
                    dropped.update(id(p) for p in (*by_rep[r], *by_rep[q]))
    return [p for p in pairs if id(p) not in dropped]


def score_pairs(
    summaries: Sequence[EntitySummary],
    *,
    judge_pair: Callable[[EntitySummary, EntitySummary], Evidence | None] = judge,
    memo: _Conflicts | None = None,
) -> list[Pair]:
    """Judge the candidate pairs; keep those with evidence, best first.

    Examples
    --------
    >>> from kg.link.summary import EntitySummary as S
    >>> s = [S("a", "x", "Place", "Arden", ("arden",), keys=("n:arden",)),
    ...      S("b", "x", "Place", "Arden", ("arden",), keys=("n:arden",))]
    >>> score_pairs(s)[0].evidence
    Evidence(rule='kg.link.name.v1', score=0.65)
    """
    pairs = []
    for i, j in candidate_pairs(summaries):
        evidence = judge_pair(summaries[i], summaries[j])
        if evidence is not None:
            pairs.append(Pair(i, j, evidence))
    pairs = _drop_ambiguous(pairs, summaries, memo or _Conflicts())
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
    """Union-find over entities, with each cluster's documents and members."""

    summaries: Sequence[EntitySummary]
    parent: list[int] = field(default_factory=list)
    members: dict[int, list[int]] = field(default_factory=dict)
    docs: dict[int, set[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.parent = list(range(len(self.summaries)))
        self.members = {i: [i] for i in range(len(self.summaries))}
        self.docs = {i: {s.doc_id} for i, s in enumerate(self.summaries)}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> int:
        a, b = self.find(i), self.find(j)
        if a == b:
            return a
        if len(self.members[a]) < len(self.members[b]):
            a, b = b, a
        self.parent[b] = a
        self.members[a] += self.members.pop(b)
        self.docs[a] |= self.docs.pop(b)
        return a

    def compatible(
        self,
        i: int,
        j: int,
        apart: Callable[[EntitySummary, EntitySummary], bool],
        memo: _Conflicts,
    ) -> bool:
        a, b = self.find(i), self.find(j)
        if a == b:
            return True
        if self.docs[a] & self.docs[b]:
            return False  # cannot-link: one document keeps them apart
        left_class, right_class = self.vote(a), self.vote(b)
        if left_class and right_class and not classes_agree(left_class, right_class):
            return False
        left = _distinct(self.summaries, self.members[a])
        right = _distinct(self.summaries, self.members[b])
        return not any(memo(x, y) or apart(x, y) for x in left for y in right)

    def vote(self, root: int) -> str:
        """Return the class a cluster's typed evidence gives ("" if too little)."""
        weights: dict[str, int] = defaultdict(int)
        for i in self.members[root]:
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
) -> list[Decision]:
    """Cluster entities into corpus entities; return one decision per entity.

    Parameters
    ----------
    summaries
        The entities to resolve (the new documents' and the stored ones of
        the same blocks).
    fixed
        Stored entities and the corpus key they already have; they start
        clustered by it and a cluster holding them keeps that key.
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

    Returns
    -------
    list of Decision
        In the order of ``summaries``.
    """
    fixed = dict(fixed or {})
    index = {s.uid: i for i, s in enumerate(summaries)}
    clusters = _Clusters(summaries)
    edges: dict[int, tuple[Evidence, int]] = {}

    def remember(i: int, j: int, evidence: Evidence) -> None:
        for x, y in ((i, j), (j, i)):
            if x not in edges or edges[x][0].score < evidence.score:
                edges[x] = (evidence, y)

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
    for pair in score_pairs(summaries, memo=memo):
        if pair.evidence.score < threshold:
            break
        i, j = pair.left, pair.right
        if clusters.find(i) == clusters.find(j):
            remember(i, j, pair.evidence)
            continue
        if clusters.compatible(i, j, apart, memo):
            clusters.union(i, j)
            remember(i, j, pair.evidence)
    return _decide(summaries, clusters, fixed, edges, taken, iri_of)


def _decide(
    summaries: Sequence[EntitySummary],
    clusters: _Clusters,
    fixed: Mapping[UID, str],
    edges: Mapping[int, tuple[Evidence, int]],
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
        if i in edges and anchors[root] != i:
            evidence, j = edges[i]
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
