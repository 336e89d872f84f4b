"""The discourse state the sieves share: mentions in order, their clusters, the facts.

One :class:`Discourse` is built per document. It holds

- the mentions in text order with their token spans, and the maps from a token
  to the mentions holding it;
- the clusters built so far (:class:`Cluster`: an entity in the making, with
  what its mentions told of it: names, gender and class votes, number, roles,
  and its salience history), the cluster of each mention (``cluster_of``, a
  mention joins one cluster and clusters never merge, so a map is the
  union-find) and the rule that put it there (``links``);
- indexes that block name candidates by key (full key, surname, given name,
  nickname, acronym, short form, family-name form, spelling skeleton), so a
  sieve looks a name up instead of scanning every cluster;
- the per-document facts: sentence starts, quotations with their speakers and
  addressees, paragraphs (a dialogue's turns), the interviewee of an interview
  and the people given the floor in a transcript.

Sieves (:mod:`kg.coref.sieves`) read the state and add links through
:meth:`Discourse.add` (with salience) or :meth:`Discourse.attach` (without).
The features a later, learned ranker needs are here per mention (span, head,
sentence, quotation, role weight) and per cluster (votes, history).

Examples
--------
>>> from kg.mentions import extract_mentions
>>> doc = nlp("Ada Byrne left.")
>>> state = build_discourse(doc, list(extract_mentions(doc)))
>>> [m.text for m in state.mentions], state.clusters
(['Ada Byrne'], [])
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span, Token

from kg.coref.dialogue import (
    Quote,
    find_floors,
    find_interviewee,
    find_paragraphs,
    find_questioned,
    find_quotes,
)
from kg.coref.grammar import content_words, role_weight, same_phrase, span_head
from kg.coref.names import (
    Name,
    canonical_given,
    city_base,
    consonants,
    family_forms,
    initials,
    role_headed,
    spelling,
)
from kg.coref.voices import find_voices, speaker_labels
from kg.coref.words import COUNTRY_KEYS
from kg.mentions import FEMALE_NOUNS, MALE_NOUNS, sentence_starts
from kg.ontology import load_ontology
from kg.types import DocLike, Mention

if TYPE_CHECKING:
    from kg.coref.naming import NameInfo

__all__ = ["LATER", "Cluster", "Discourse", "Later", "build_discourse"]

#: Salience kept per sentence of distance.
DECAY = 0.5


class Later:
    """A referent not read yet (a name later in the text): the mention waits for it."""


#: The one :class:`Later`: what a sieve's lookup returns for a referent not read yet.
LATER = Later()
#: Mention events a cluster keeps for salience (older ones weigh nothing).
_HISTORY = 12
#: Sentences after its last mention that a cluster stays a candidate.
_ACTIVE = 6


@dataclass(slots=True)
class Cluster:
    """An entity in the making: its mentions and what they told of it (mutable)."""

    id: int
    kind: str  # "name", "nominal", "pronoun", "np" (a rival noun), "we"
    label_votes: Counter[str] = field(default_factory=Counter)
    gender_votes: Counter[str] = field(default_factory=Counter)
    # a lone word the first-name lexicon knows ("Hale"): maybe a surname
    weak_gender_votes: Counter[str] = field(default_factory=Counter)
    lexicon_words: set[str] = field(default_factory=set)  # counted for gender
    lexicon_votes: Counter[str] = field(default_factory=Counter)  # of gender_votes
    plural: bool = False
    person: bool | None = None
    keys: set[str] = field(default_factory=set)
    givens: set[str] = field(default_factory=set)
    surnames: set[str] = field(default_factory=set)
    nicks: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    name_words: set[str] = field(default_factory=set)
    mentions: list[int] = field(default_factory=list)
    #: (sentence, token, weight, role, quoted) of its latest mention events
    history: list[tuple[int, int, float, str, bool]] = field(default_factory=list)
    last_sent: int = -1
    last_token: int = -1
    locative: bool = False
    suffixes: set[str] = field(default_factory=set)
    person_cues: int = 0  # given names, titles, he/she, person nouns
    initialism: bool = False  # named by capitals ("NASA"): no surname
    plural_form: bool = False  # a plural name ("the Varda Islands", "Ruritanians")
    neuter: int = 0  # "it"/"its" taken by a name: no person
    common: bool = False  # also written in lower case ("Botany ... botany")

    @property
    def named(self) -> bool:
        """Tell a cluster with a proper name (only those become entities)."""
        return bool(self.keys)

    @property
    def gender(self) -> str | None:
        """The cluster's gender, from the text's own cues before the name lexicon's.

        Given names are male in one language and female in another: once the
        pronouns, titles or kin nouns the text gives lean one way, the
        lexicon's guess yields to them.
        """
        said = self.gender_votes - self.lexicon_votes
        if said["m"] != said["f"] and self.lexicon_votes:
            return "m" if said["m"] > said["f"] else "f"
        votes = self.gender_votes + self.weak_gender_votes
        m, f = votes["m"], votes["f"]
        if m > f:
            return "m"
        if f > m:
            return "f"
        return None

    @property
    def weak_gender(self) -> bool:
        """Tell a gender known only from a lone word the name lexicon knows."""
        gender = self.gender
        other = "f" if gender == "m" else "m"
        said = self.gender_votes - self.lexicon_votes
        if said[gender or "m"] > said[other] and self.lexicon_votes:
            return False  # the text's own cues ("he") outweigh a name's guess
        return self.gender_votes[gender or "m"] <= self.gender_votes[other]

    @property
    def top_label(self) -> str:
        """The NER label most of the cluster's mentions voted, or ""."""
        return self.label_votes.most_common(1)[0][0] if self.label_votes else ""

    @property
    def known_classes(self) -> frozenset[str]:
        """The classes the ontology lists the cluster's names under ("Country")."""
        onto = load_ontology()
        return frozenset(
            cls for key in self.keys if (cls := onto.class_for_name(key)) is not None
        )

    def is_person(self) -> bool | None:
        """Tell a person (True), no person (False), or not known (None)."""
        if self.person is not None:
            return self.person
        if not self.label_votes:
            return None
        # a tie goes to PERSON: the small model tags surnames ORG or GPE
        top = self.label_votes.most_common(1)[0][1]
        return self.label_votes["PERSON"] >= top


def _index(table: dict[str, list[int]], key: str, cluster: int) -> None:
    """Add a cluster to a blocking table under ``key`` once."""
    bucket = table.setdefault(key, [])
    if cluster not in bucket:
        bucket.append(cluster)


@dataclass(slots=True)
class Discourse:
    """The state of coreference over one document (see the module docstring)."""

    doc: Doc
    mentions: list[Mention]
    spans: list[Span | None]
    starts: dict[int, int]
    quotes: list[Quote]
    quote_of: dict[int, Quote]
    #: token -> the mentions containing it (names first)
    token_mentions: dict[int, list[int]]
    #: nominals that are a name with more words ("Ada Byrne, who wrote it")
    described: set[int]
    #: token -> the mention it heads
    head_mention: dict[int, int]
    #: paragraphs as token ranges (a dialogue's turns) and their sentences
    turns: list[tuple[int, int]]
    turn_starts: list[int]
    turn_sents: list[list[Span]]
    #: the tokens of a name's words, and each name's words -> its first mention
    name_token_set: set[int]
    name_words: dict[tuple[str, ...], int]
    #: the first and last words of longer names ("Varda Island")
    name_ends: set[str]
    #: every word the text writes in lower case
    lower_words: frozenset[str]
    #: the coordination each token is in: its first conjunct, and the members
    conj_root: list[int]
    conj_members: dict[int, list[int]]
    clusters: list[Cluster] = field(default_factory=list)
    #: mention -> its cluster id, and the id of the rule that linked it
    cluster_of: dict[int, int] = field(default_factory=dict)
    links: dict[int, str] = field(default_factory=dict)
    #: mention -> the sieve that decided for it (also one that started a
    #: cluster, made it wait, or kept it out of every cluster)
    decided: dict[int, str] = field(default_factory=dict)
    # blocking tables: key -> cluster ids
    by_key: dict[str, list[int]] = field(default_factory=dict)
    by_surname: dict[str, list[int]] = field(default_factory=dict)
    by_given: dict[str, list[int]] = field(default_factory=dict)
    by_nick: dict[str, list[int]] = field(default_factory=dict)
    by_role: dict[str, list[int]] = field(default_factory=dict)  # roles, name words
    by_acronym: dict[str, list[int]] = field(default_factory=dict)
    by_short: dict[str, list[int]] = field(default_factory=dict)  # "the Rovers"
    #: family-name forms of a long personal name ("de masi") and its inner words
    by_family: dict[str, list[int]] = field(default_factory=dict)
    #: names by their spelling skeleton ("vallmora" and "valmora")
    by_spelling: dict[str, list[int]] = field(default_factory=dict)
    #: blocks of keys: the order keys entered ``by_key``, and the keys by
    #: their first word, last word and consonants (one inner vowel apart)
    key_order: dict[str, int] = field(default_factory=dict)
    keys_by_first_word: dict[str, list[str]] = field(default_factory=dict)
    keys_by_last_word: dict[str, list[str]] = field(default_factory=dict)
    keys_by_consonants: dict[str, list[str]] = field(default_factory=dict)
    #: clusters by the first and last word of their own names
    clusters_by_first_word: dict[str, list[int]] = field(default_factory=dict)
    clusters_by_last_word: dict[str, list[int]] = field(default_factory=dict)
    #: cluster id -> its last sentence, for clusters still in reach
    active: dict[int, int] = field(default_factory=dict)
    # links to later mentions: a name -> the nominals / pronouns waiting for it
    pending: dict[int, list[int]] = field(default_factory=dict)
    pending_of: dict[int, int] = field(default_factory=dict)  # nominal -> name
    pending_pronouns: dict[int, list[int]] = field(default_factory=dict)
    #: the rule that made a mention wait for a later one
    waiting_rule: dict[int, str] = field(default_factory=dict)
    #: kin said in the text: child -> parents, person -> spouses (cluster ids)
    parents: dict[int, list[int]] = field(default_factory=dict)
    spouses: dict[int, list[int]] = field(default_factory=dict)
    #: clusters named on their own, not only inside a longer name
    standalone: set[int] = field(default_factory=set)
    #: a voice -> its "we"
    we_clusters: dict[int, Cluster] = field(default_factory=dict)
    turn_cache: dict[int, tuple[list[Span], bool]] = field(default_factory=dict)
    #: (cue token, the interlocutor's token) of an interview, and of each floor
    interviewee: tuple[int, int] | None = None
    floors: list[tuple[int, int]] = field(default_factory=list)
    #: the tokens of the names of the text's writer and reader, when it
    #: names them (:func:`kg.coref.voices.find_voices`)
    writer: int | None = None
    reader: int | None = None
    #: paragraph -> the token of the name its speaker label gives
    labels: dict[int, int] = field(default_factory=dict)
    #: what each name mention is (see :func:`kg.coref.naming.name_info`)
    name_infos: dict[int, NameInfo | None] = field(default_factory=dict)
    #: names whose only name matches were the child they name a parent of
    blocked: set[int] = field(default_factory=set)
    #: first and second person pronouns left for after the pass
    deferred: list[int] = field(default_factory=list)
    final: bool = False
    #: resolve another mention now (set by the driver; ``skip`` names sieves)
    resolve: Callable[..., None] = field(default=lambda index, **_: None)

    # -- clusters --------------------------------------------------------------

    def new_cluster(self, kind: str) -> Cluster:
        """Start a cluster of the given kind."""
        cluster = Cluster(len(self.clusters), kind)
        self.clusters.append(cluster)
        return cluster

    def add(
        self,
        cluster: Cluster,
        index: int | None,
        sent: int,
        token: Token | None,
        quoted: bool = False,
        *,
        rule: str = "",
    ) -> None:
        """Put a mention on a cluster, its head ``token`` adding salience.

        ``rule`` is the id of the sieve that made the link; the mention that
        starts a cluster keeps none.
        """
        if index is not None:
            self.links[index] = rule if cluster.mentions else ""
            self.cluster_of[index] = cluster.id
            cluster.mentions.append(index)
        if token is not None:
            weight, role = role_weight(token)
            if cluster.history and same_phrase(token, cluster.history[-1][1]):
                # a name apposed to its description ("the painter, Ada Byrne")
                # is one mention event: keep the stronger role, count it once
                old = cluster.history.pop()
                if old[2] > weight:
                    weight, role = old[2], old[3]
            cluster.history.append((sent, token.i, weight, role, quoted))
            if len(cluster.history) > _HISTORY:
                del cluster.history[0]
            cluster.last_token = max(cluster.last_token, token.i)
        cluster.last_sent = max(cluster.last_sent, sent)
        self.active[cluster.id] = cluster.last_sent

    def wait(self, index: int) -> bool:
        """Leave mention ``index`` for after the pass, whose referent is not read yet.

        Returns True when it will be tried again, False on the final pass
        (nothing is left to wait for).
        """
        if self.final:
            return False
        self.deferred.append(index)
        return True

    def attach(self, cluster: Cluster, index: int, *, rule: str = "") -> None:
        """Put a mention on a cluster without salience or recency ("we")."""
        self.links[index] = rule if cluster.mentions else ""
        self.cluster_of[index] = cluster.id
        cluster.mentions.append(index)

    def salience(self, cluster: Cluster, sent: int) -> float:
        """Return the cluster's salience at sentence ``sent`` (decayed by distance)."""
        return sum(
            h[2] * DECAY ** (sent - h[0]) for h in cluster.history if h[0] <= sent
        )

    def recent(self, sent: int, window: int) -> list[Cluster]:
        """Return the clusters mentioned in the last ``window`` sentences."""
        stale = [r for r, s in self.active.items() if s < sent - _ACTIVE]
        for r in stale:
            del self.active[r]
        return [self.clusters[r] for r, s in self.active.items() if s >= sent - window]

    def add_role(self, cluster: Cluster, role: str) -> None:
        """Record a role or class noun the cluster was called ("the president")."""
        if role not in cluster.roles:
            cluster.roles.add(role)
            self.by_role.setdefault(role, []).append(cluster.id)

    def learn_from_noun(self, cluster: Cluster, head: Token, cls: str) -> None:
        """Record what a description's head noun says: role, class, gender."""
        lemma = head.lemma_.lower()
        self.add_role(cluster, lemma)
        if cls == "PERSON":
            cluster.label_votes["PERSON"] += 1
            # "a friendly people", "guests": people, but no one person
            if head.tag_ not in {"NNS", "NNPS"}:
                cluster.person_cues += 1
        if lemma in FEMALE_NOUNS:
            cluster.gender_votes["f"] += 2
        elif lemma in MALE_NOUNS:
            cluster.gender_votes["m"] += 2

    def attach_nominal(
        self, cluster: Cluster, index: int, *, salient: bool = True, rule: str = ""
    ) -> None:
        """Add a nominal to a cluster; appositives add no salience of their own."""
        span = self.spans[index]
        if span is None or index in self.cluster_of:
            return
        head = span_head(span)
        if head.pos_ != "PROPN":  # a name with its clause teaches no role
            self.learn_from_noun(cluster, head, self.mentions[index].label)
        token = head if salient else None
        self.add(
            cluster,
            index,
            self.mentions[index].sent_index,
            token,
            head.i in self.quote_of,
            rule=rule,
        )

    def wait_for_name(self, name_index: int, nominal_index: int, rule: str) -> None:
        """Attach a nominal to a later name ("her husband, Tom") once it is read."""
        self.pending.setdefault(name_index, []).append(nominal_index)
        self.pending_of[nominal_index] = name_index
        self.waiting_rule[nominal_index] = rule

    def index_name(self, cluster: Cluster, name: Name, person: bool) -> None:
        """Enter a name of the cluster in the blocking tables."""
        cluster.suffixes.update(name.suffix)
        if name.key and name.key not in cluster.keys:
            self._index_key(cluster, name, person)
        if len(name.words) > 1 and not person:
            words = name.whole or name.words
            for acronym in {initials(words), "".join(w[0] for w in words)}:
                if len(acronym) > 1:
                    _index(self.by_acronym, acronym, cluster.id)
        for word in name.words:
            if word not in cluster.name_words:
                cluster.name_words.add(word)
                self.by_role.setdefault(word, []).append(cluster.id)
        if person:
            self._index_person(cluster, name)

    def _add_key(self, key: str, cluster: int) -> None:
        """Enter ``key`` in ``by_key`` and a new key in the tables that block keys."""
        if key not in self.by_key:
            self.key_order[key] = len(self.key_order)
            words = key.split()
            if words:
                self.keys_by_first_word.setdefault(words[0], []).append(key)
                self.keys_by_last_word.setdefault(words[-1], []).append(key)
            self.keys_by_consonants.setdefault(consonants(key), []).append(key)
        self.by_key.setdefault(key, []).append(cluster)

    def keys_in(self, keys: Iterable[str]) -> list[tuple[str, list[int]]]:
        """Return the given keys of ``by_key`` with their clusters, in entry order."""
        return [
            (key, self.by_key[key])
            for key in sorted(set(keys), key=self.key_order.__getitem__)
        ]

    def clusters_in(self, ids: Iterable[int]) -> list[Cluster]:
        """Return the clusters of the given ids in the order they were started."""
        return [self.clusters[r] for r in sorted(set(ids))]

    def _index_key(self, cluster: Cluster, name: Name, person: bool) -> None:
        """Enter a new key of the cluster and the keys equivalent to it."""
        cluster.keys.add(name.key)
        words = name.key.split()
        _index(self.clusters_by_first_word, words[0], cluster.id)
        _index(self.clusters_by_last_word, words[-1], cluster.id)
        self._add_key(name.key, cluster.id)
        canon = " ".join(
            [canonical_given(name.words[0]), *name.words[1:], *name.suffix]
        )
        if canon != name.key:
            self._add_key(canon, cluster.id)
        if len(name.words) == 1 and name.suffix:
            # "Otto" alone after "Otto II"
            self._add_key(name.words[0], cluster.id)
        _index(self.by_spelling, spelling(name.key), cluster.id)
        if person:
            return
        country = COUNTRY_KEYS.get(name.key)
        if country is not None:
            self._add_key(country, cluster.id)
        base = city_base(name.key)
        if base is not None:
            self._add_key(base, cluster.id)

    def _index_person(self, cluster: Cluster, name: Name) -> None:
        """Enter a person's surname, given name, family-name forms and nickname."""
        if len(name.words) > 1 and not role_headed(name):
            for table, value, bucket in (
                (self.by_surname, name.surname, cluster.surnames),
                (self.by_given, name.given, cluster.givens),
            ):
                if value is not None and value not in bucket:
                    bucket.add(value)
                    table.setdefault(value, []).append(cluster.id)
        if len(name.words) > 2:
            for form in family_forms(name.words):
                _index(self.by_family, form, cluster.id)
        for word in name.nick:
            if word not in cluster.nicks:
                cluster.nicks.add(word)
                self.by_nick.setdefault(word, []).append(cluster.id)
        if name.nick and len(name.words) > 1:
            form = " ".join([name.words[0], *name.nick])
            self._add_key(form, cluster.id)

    # -- where mentions are -----------------------------------------------------

    def mention_at(self, token_i: int) -> int | None:
        """Return the mention headed by the token, else the smallest holding it."""
        if token_i in self.head_mention:
            return self.head_mention[token_i]
        found = self.token_mentions.get(token_i)
        if not found:
            return None
        return min(
            found, key=lambda i: self.mentions[i].end_char - self.mentions[i].start_char
        )

    def cluster_at(self, token_i: int) -> Cluster | None:
        """Return the cluster of the mention at the token, if it is resolved."""
        index = self.mention_at(token_i)
        if index is None or index not in self.cluster_of:
            return None
        return self.clusters[self.cluster_of[index]]

    def person_name_at(self, token_i: int) -> bool:
        """Tell a token of a person's name (a name mention tagged PERSON)."""
        index = self.mention_at(token_i)
        return (
            index is not None
            and self.mentions[index].kind == "name"
            and self.mentions[index].label == "PERSON"
        )

    def names_ending_at(self, token_i: int) -> list[int]:
        """Return the name mentions that end with the token."""
        token = self.doc[token_i]
        end = token.idx + len(token.text)
        return [
            i
            for i in self.token_mentions.get(token_i, ())
            if self.mentions[i].end_char == end and self.mentions[i].kind == "name"
        ]

    def name_ending_at(self, token_i: int) -> Cluster | None:
        """Return the cluster of the outermost name that ends with the token."""
        ending = self.names_ending_at(token_i)
        if not ending:
            return None
        index = min(ending, key=lambda i: self.mentions[i].start_char)
        ref_id = self.cluster_of.get(index)
        ref = self.clusters[ref_id] if ref_id is not None else None
        return ref if ref is not None and ref.named else None

    def inside_longer_name(self, span: Span) -> bool:
        """Tell a name nested in a longer name mention ("Varda" of "Varda Telecom")."""
        return any(
            self.mentions[i].kind == "name"
            and self.mentions[i].start_char <= span.start_char
            and self.mentions[i].end_char >= span.end_char
            and self.mentions[i].end_char - self.mentions[i].start_char
            > span.end_char - span.start_char
            for i in self.token_mentions.get(span.start, ())
        )

    def name_mentions_between(self, start: int, end: int) -> list[int]:
        """Return the resolved name mentions between two tokens, in text order."""
        found: list[int] = []
        for i in range(start, end):
            for index in self.token_mentions.get(i, ()):
                if (
                    index not in found
                    and index in self.cluster_of
                    and self.mentions[index].kind == "name"
                ):
                    found.append(index)
        return found

    def clusters_inside(self, span: Span) -> set[int]:
        """Return the clusters of the mentions inside a span ("the owner of X")."""
        return {
            self.cluster_of[m]
            for i in range(span.start, span.end)
            for m in self.token_mentions.get(i, ())
            if m in self.cluster_of
        }

    def conjuncts(self, token_i: int) -> list[int]:
        """Return the other members of the coordination a token is in."""
        members = self.conj_members.get(self.conj_root[token_i], ())
        return [i for i in members if i != token_i]

    def turn_of(self, token_i: int) -> int | None:
        """Return the paragraph (turn) a token is in."""
        k = bisect.bisect_right(self.turn_starts, token_i) - 1
        if k < 0 or token_i >= self.turns[k][1]:
            return None
        return k


def _coordinations(doc: Doc) -> tuple[list[int], dict[int, list[int]]]:
    """Group the tokens joined by "conj" relations, in one pass over the parse.

    Each token maps to the first conjunct of its coordination (itself if it
    is in none); the members of a coordination are what spaCy's
    ``Token.conjuncts`` gives any of them, plus that token.
    """
    root = list(range(len(doc)))
    known = [False] * len(doc)
    for token in doc:
        path = []
        node = token
        while not known[node.i] and node.dep_ == "conj" and node.head.i != node.i:
            path.append(node.i)
            node = node.head
        top = root[node.i] if known[node.i] else node.i
        known[node.i] = True
        root[node.i] = top
        for i in path:
            root[i], known[i] = top, True
    members: dict[int, list[int]] = {}
    for i, top in enumerate(root):
        if top != i or doc[i].dep_ == "conj":
            members.setdefault(top, [top] if top != i else []).append(i)
    return root, members


def _token_spans(doc: Doc, mentions: Sequence[Mention]) -> list[Span | None]:
    return [
        doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
        for m in mentions
    ]


def _token_mentions(
    mentions: Sequence[Mention], spans: Sequence[Span | None]
) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for index, span in enumerate(spans):
        if span is None:
            continue
        if mentions[index].kind == "nominal" and span.root.pos_ == "PROPN":
            # "X, which they sent ...": the clause's words are not X
            span = span[: span.root.i - span.start + 1]
        for token in span:
            out.setdefault(token.i, []).append(index)
    return out


def _turn_sentences(doc: Doc, turns: list[tuple[int, int]]) -> list[list[Span]]:
    starts = [start for start, _end in turns]
    out: list[list[Span]] = [[] for _ in turns]
    for sent in doc.sents:
        k = max(bisect.bisect_right(starts, sent.start) - 1, 0)
        while k < len(turns) and turns[k][0] < sent.end:
            start, end = turns[k]
            piece = doc[max(start, sent.start) : min(end, sent.end)]
            if end > sent.start and piece.text.strip():
                out[k].append(piece)
            k += 1
    return out


def _name_words(
    mentions: Sequence[Mention], spans: Sequence[Span | None]
) -> tuple[dict[tuple[str, ...], int], set[str]]:
    """Map each name's words to its first mention; collect longer names' ends."""
    name_words: dict[tuple[str, ...], int] = {}
    name_ends: set[str] = set()
    for index, span in enumerate(spans):
        if span is not None and mentions[index].kind == "name":
            words = content_words(span)
            name_words.setdefault(words, index)
            if len(words) > 1:
                name_ends.update((words[0], words[-1]))
    return name_words, name_ends


def build_discourse(doclike: DocLike, mentions: Sequence[Mention]) -> Discourse:
    """Build the state of one document: mentions in text order and its facts.

    Examples
    --------
    >>> from kg.mentions import extract_mentions
    >>> doc = nlp('Ada said: "I agree." Tom left.')
    >>> state = build_discourse(doc, list(extract_mentions(doc)))
    >>> len(state.quotes), state.turns
    (1, [(0, 11)])
    """
    doc = doclike.doc
    order = sorted(
        range(len(mentions)),
        key=lambda i: (mentions[i].start_char, -mentions[i].end_char),
    )
    ordered = [mentions[i] for i in order]
    spans = _token_spans(doc, ordered)
    quotes = find_quotes(doc)
    quote_of = {i: quote for quote in quotes for i in range(quote.start, quote.end)}
    token_mentions = _token_mentions(ordered, spans)
    # "Ada Byrne, who wrote it": a name's phrase with its relative clause,
    # whose head is the name's (a pronoun in the clause may be the name's)
    described = {
        index
        for index, span in enumerate(spans)
        if span is not None
        and ordered[index].kind == "nominal"
        and any(
            ordered[other].kind == "name" and other != index
            for other in token_mentions.get(span_head(span).i, ())
        )
    }
    head_mention: dict[int, int] = {}
    for index, span in enumerate(spans):
        if span is not None and index not in described:
            head_mention.setdefault(span_head(span).i, index)
    name_words, name_ends = _name_words(ordered, spans)
    turns = find_paragraphs(doc)
    conj_root, conj_members = _coordinations(doc)
    state = Discourse(
        doc=doc,
        mentions=ordered,
        spans=spans,
        starts=sentence_starts(doc),
        quotes=quotes,
        quote_of=quote_of,
        token_mentions=token_mentions,
        described=described,
        head_mention=head_mention,
        turns=turns,
        turn_starts=[start for start, _end in turns],
        turn_sents=_turn_sentences(doc, turns),
        name_token_set={
            t.i
            for index, span in enumerate(spans)
            if span is not None and ordered[index].kind == "name"
            for t in span
        },
        name_words=name_words,
        name_ends=name_ends,
        lower_words=frozenset(t.lower_ for t in doc if t.is_lower),
        conj_root=conj_root,
        conj_members=conj_members,
    )
    state.interviewee = find_interviewee(state) or find_questioned(state)
    state.floors = find_floors(state)
    state.writer, state.reader = find_voices(state)
    state.labels = speaker_labels(state)
    return state
