"""The map step: what one document says about each of its named entities.

:func:`summarize_document` is a pure function of one :class:`~kg.types.Document`
(so it can run where the document was extracted, on a cluster worker): for
each named entity it gives an :class:`EntitySummary` with

- the entity's *name forms*: its name and every other name the document
  established for it (aliases: "X Co." and "X", an acronym and its full
  name), normalised (:func:`normalize_name`: accents and case folded, runs
  of initials joined, "the" dropped, British spellings made American), plus
  each form with a company suffix stripped ("x corp" gives "x");
- its *block keys* (:func:`block_keys`): ``n:`` a name form written without
  spaces or hyphens ("t-mobile" and "t mobile" share ``n:tmobile``; a
  hyphenated name stays whole), ``a:`` an acronym (of a multi-word form,
  or a form written in capitals), ``w:`` the first and the last word of a
  form (a surname, "Sea" of "X Sea");
- the evidence the scores need: class, the NER labels of its names, whether
  a personal pronoun refers to it, the names of the other entities of the
  document, the content words around its mentions and the dates of the
  document; and its mention spans (to move it in the store).

Entities that only share a block key are ever compared (the reduce step,
:mod:`kg.link.cluster`).

Examples
--------
>>> from kg.types import Document, Entity, Mention
>>> m = Mention("Acme Corp.", "ORG", 0, 10, 0)
>>> e = Entity("acme corp", "Organization", "Acme Corp.", (m,), aliases=("ACME",))
>>> s = summarize_document(Document("a.txt", "a.txt", "0" * 64, (), (e,)))
>>> s[0].forms, s[0].keys
(('acme corp', 'acme'), ('a:ac', 'a:acme', 'n:acme', 'n:acmecorp', 'w:acme', 'w:corp'))
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS

from kg.lexicon import load_mapping, load_words
from kg.ontology import load_ontology
from kg.types import Document, Entity

__all__ = [
    "PLACE_CLASSES",
    "DocumentSummary",
    "EntitySummary",
    "acronyms_of",
    "block_keys",
    "compact",
    "normalize_name",
    "summarize_document",
]

#: Classes of places: a place's name is compared more strictly.
PLACE_CLASSES = frozenset({"Place", "Country", "Continent"})
_MAX_WORDS = 30
_MAX_COOCCUR = 40
_MAX_DATES = 10
_TOKEN = re.compile(r"[a-z0-9&]+(?:['-][a-z0-9&]+)*")
_WORD = re.compile(r"[a-z][a-z'-]+[a-z]")
_DASHED_POSSESSIVE = re.compile(r"(?<=[a-z0-9]{2})\s*-\s*s(?=\s|$)")
_ACRONYM_TEXT = re.compile(r"^(?:[A-Z]\.?){2,8}$|^[A-Z][A-Z&]{1,7}$")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def _join_initials(tokens: Sequence[str]) -> list[str]:
    """Join runs of single letters into one token: "l a times" is "la times"."""
    out: list[str] = []
    run: list[str] = []
    for token in (*tokens, ""):
        if len(token) == 1 and token.isalpha():
            run.append(token)
            continue
        if len(run) > 1:
            out.append("".join(run))
        else:
            out.extend(run)
        run = []
        if token:
            out.append(token)
    return out


def normalize_name(text: str, *, person: bool = False) -> tuple[str, ...]:
    """Return a name's words as compared across documents.

    Accents and case are folded, a possessive dropped (also one whose
    apostrophe became a hyphen in copied text: "Roe - s"), runs of initials
    joined ("L.A." is "la"), a leading "the" dropped, British spellings
    made American ("centre" is "center"); a hyphenated word stays one word.
    A person's name loses its titles first (:func:`kg.coref.name_key`).

    Examples
    --------
    >>> normalize_name("The Bureau of Fish Studies' ")
    ('bureau', 'of', 'fish', 'studies')
    >>> normalize_name("L.A. Harbour Centre")
    ('la', 'harbor', 'center')
    >>> normalize_name("Dr. Ada Lovelace", person=True)
    ('ada', 'lovelace')
    >>> normalize_name("T-Mobile"), normalize_name("Ada Roe - s", person=True)
    (('t-mobile',), ('ada', 'roe'))
    """
    if person:
        from kg.coref import name_key

        text = name_key(text) or text
    folded = _fold(text)
    folded = re.sub(r"'s?(?=\s|$)", "", folded.strip())
    # "roe - s": a possessive whose apostrophe became a hyphen in copied text
    folded = _DASHED_POSSESSIVE.sub("", folded)
    tokens = _join_initials(_TOKEN.findall(folded))
    spelling = load_mapping("link-spelling-variants")
    tokens = [spelling.get(t, t) for t in tokens]
    while len(tokens) > 1 and tokens[0] == "the":
        tokens = tokens[1:]
    if person and len(tokens) > 2 and len(tokens[-1]) == 1:
        tokens = tokens[:-1]  # a stray letter after a surname, not an initial
    return tuple(tokens)


_COMPACT = re.compile(r"[\s'-]")


@functools.lru_cache(maxsize=1 << 18)
def compact(form: str) -> str:
    """Return a name form without spaces, hyphens or apostrophes (a block key).

    Examples
    --------
    >>> compact("t-mobile"), compact("t mobile")
    ('tmobile', 'tmobile')
    """
    return _COMPACT.sub("", form)


def acronyms_of(tokens: Sequence[str]) -> tuple[str, ...]:
    """Return the acronyms a multi-word name may be written as.

    The initials of its significant words and, when different, of all its
    words; none for a one-word name.

    Examples
    --------
    >>> acronyms_of(("bureau", "of", "fish", "studies"))
    ('bfs', 'bofs')
    >>> acronyms_of(("acme",))
    ()
    """
    if len(tokens) < 2:
        return ()
    skip = load_words("link-acronym-skip")
    words = [t for t in tokens if t[:1].isalnum()]
    significant = "".join(t[0] for t in words if t not in skip)
    every = "".join(t[0] for t in words if t != "the")
    return tuple(a for a in dict.fromkeys((significant, every)) if len(a) >= 2)


def _strip_suffix(tokens: tuple[str, ...]) -> tuple[str, ...]:
    suffixes = load_words("link-company-suffixes")
    while len(tokens) > 1 and tokens[-1] in suffixes:
        tokens = tokens[:-1]
    return tokens


@dataclass(frozen=True, slots=True)
class EntitySummary:
    """What the reduce step needs to know of one document's named entity.

    ``forms`` are normalised names, the entity's own name first; ``written``
    the forms the document wrote as an acronym ("ACME"); ``keys`` the block
    keys; ``labels`` the NER labels of its name mentions; ``person_cue``
    whether a personal pronoun refers to it; ``names`` its name and aliases
    as written; ``votes`` how many of its name mentions carry an NER label
    of its class; ``cooccur`` the first forms of the document's other named
    entities; ``words`` content words around its mentions, most frequent
    first; ``dates`` the dates the document states; ``spans`` its mention
    spans.

    Examples
    --------
    >>> s = EntitySummary("a.txt", "acme", "Organization", "Acme", ("acme",))
    >>> EntitySummary.from_json(s.to_json()) == s
    True
    """

    doc_id: str
    key: str
    label: str
    name: str
    forms: tuple[str, ...]
    keys: tuple[str, ...] = ()
    written: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    votes: int = 0
    person_cue: bool = False
    names: tuple[str, ...] = ()
    cooccur: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    spans: tuple[tuple[int, int], ...] = ()

    def __post_init__(self) -> None:
        if not self.doc_id or not self.key or not self.forms:
            raise ValueError("EntitySummary: doc_id, key and forms must not be empty")

    @property
    def uid(self) -> tuple[str, str]:
        """The entity's identity in the corpus: (document id, local key)."""
        return (self.doc_id, self.key)

    def to_json(self) -> str:
        """Return the summary as compact JSON (stored on the entity's link node)."""
        data = {
            "d": self.doc_id,
            "k": self.key,
            "c": self.label,
            "n": self.name,
            "f": list(self.forms),
            "b": list(self.keys),
            "a": list(self.written),
            "l": list(self.labels),
            "v": self.votes,
            "p": self.person_cue,
            "N": list(self.names),
            "o": list(self.cooccur),
            "w": list(self.words),
            "t": list(self.dates),
            "s": [list(s) for s in self.spans],
        }
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> EntitySummary:
        """Read a summary written by :meth:`to_json`."""
        d = json.loads(text)
        return cls(
            doc_id=d["d"],
            key=d["k"],
            label=d["c"],
            name=d["n"],
            forms=tuple(d["f"]),
            keys=tuple(d["b"]),
            written=tuple(d["a"]),
            labels=tuple(d["l"]),
            votes=int(d["v"]),
            person_cue=bool(d["p"]),
            names=tuple(d["N"]),
            cooccur=tuple(d["o"]),
            words=tuple(d["w"]),
            dates=tuple(d["t"]),
            spans=tuple((int(a), int(b)) for a, b in d["s"]),
        )


#: One document's named-entity summaries.
DocumentSummary = tuple[EntitySummary, ...]


def _entity_forms(entity: Entity) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return an entity's name forms (own name first) and those written as acronyms."""
    person = entity.label == "Person"
    forms: list[str] = []
    written: list[str] = []
    for text in (entity.name, *entity.aliases):
        tokens = normalize_name(text, person=person)
        if not tokens:
            continue
        forms.append(" ".join(tokens))
        if len(tokens) == 1 and _ACRONYM_TEXT.match(text.strip()):
            written.append(tokens[0])
        if not person and entity.label not in PLACE_CLASSES:
            stripped = _strip_suffix(tokens)
            if stripped != tokens:
                forms.append(" ".join(stripped))
    return tuple(dict.fromkeys(forms)), tuple(dict.fromkeys(written))


def block_keys(forms: Iterable[str], written: Iterable[str] = ()) -> tuple[str, ...]:
    """Return the block keys of an entity with these name forms, sorted.

    Examples
    --------
    >>> block_keys(["bureau of fish studies"], [])
    ('a:bfs', 'a:bofs', 'n:bureauoffishstudies', 'w:bureau', 'w:studies')
    >>> block_keys(["bfs"], ["bfs"])
    ('a:bfs', 'n:bfs', 'w:bfs')
    """
    keys: set[str] = {f"a:{w}" for w in written}
    for form in forms:
        tokens = form.split()
        keys.add(f"n:{compact(form)}")
        keys.update(f"a:{a}" for a in acronyms_of(tokens))
        for word in {tokens[0], tokens[-1]}:
            if len(word) > 1 and word not in STOP_WORDS:
                keys.add(f"w:{word}")
    return tuple(sorted(keys))


def _keys_of(
    label: str, forms: Sequence[str], written: Sequence[str]
) -> tuple[str, ...]:
    """Return an entity's block keys; a place's also by the full names of its forms.

    "Calif." shares ``n:california`` with "California" (the names
    ``kg.link.place-name.v1`` reads, :func:`kg.link.places.place_names`).
    """
    keys = block_keys(forms, written)
    if label not in PLACE_CLASSES:
        return keys
    from kg.link.places import place_names

    full = {f"n:{compact(name)}" for name in place_names(forms, written)}
    return tuple(sorted(set(keys) | full))


def _pronoun_words() -> frozenset[str]:
    return load_words("pronouns-masculine") | load_words("pronouns-feminine")


def _context_words(
    document: Document, entity: Entity, own: frozenset[str]
) -> tuple[str, ...]:
    """Return the content words of the entity's sentences, most frequent first."""
    texts = {s.index: s.text for s in document.sentences}
    counts: Counter[str] = Counter()
    for index in sorted({m.sent_index for m in entity.mentions}):
        for word in _WORD.findall(_fold(texts.get(index, ""))):
            if word not in STOP_WORDS and word not in own:
                counts[word] += 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return tuple(w for w, _n in ranked[:_MAX_WORDS])


def summarize_entity(
    document: Document, entity: Entity, cooccur: Sequence[str] = ()
) -> EntitySummary | None:
    """Return the summary of one named entity of ``document`` (None if nameless).

    Examples
    --------
    >>> from kg.types import Mention
    >>> e = Entity("ada", "Person", "Ada", (Mention("she", "", 9, 12, 0, "pronoun"),))
    >>> summarize_entity(Document("a", "a", "0" * 64, ()), e).person_cue
    True
    """
    if not entity.named:
        return None
    forms, written = _entity_forms(entity)
    if not forms:
        return None
    unique = forms
    own = frozenset(w for f in unique for w in f.split())
    pronouns = _pronoun_words()
    onto = load_ontology()
    dates = sorted(v.lexical for v in document.values if v.kind == "date")
    return EntitySummary(
        doc_id=document.doc_id,
        key=entity.key,
        label=entity.label,
        name=entity.name,
        forms=forms,
        keys=_keys_of(entity.label, unique, written),
        written=written,
        labels=tuple(sorted({m.label for m in entity.mentions if m.kind == "name"})),
        votes=sum(
            1
            for m in entity.mentions
            if m.kind == "name" and onto.class_for_ner_label(m.label) == entity.label
        ),
        person_cue=any(
            m.kind == "pronoun" and m.text.casefold() in pronouns
            for m in entity.mentions
        ),
        names=tuple(dict.fromkeys((entity.name, *entity.aliases))),
        cooccur=tuple(sorted(set(cooccur)))[:_MAX_COOCCUR],
        words=_context_words(document, entity, own),
        dates=tuple(dict.fromkeys(dates))[:_MAX_DATES],
        spans=tuple(sorted({(m.start_char, m.end_char) for m in entity.mentions})),
    )


def summarize_document(document: Document) -> DocumentSummary:
    """Return the summaries of a document's named entities (the map step).

    A pure function of the document, in the order of its entities.

    Examples
    --------
    >>> summarize_document(Document("a.txt", "a.txt", "0" * 64, ()))
    ()
    """
    heads: dict[str, set[str]] = {}
    for entity in document.entities:
        if entity.named:
            forms, _written = _entity_forms(entity)
            heads[entity.key] = {f.split()[-1] for f in forms}
    out: list[EntitySummary] = []
    for entity in document.entities:
        own = heads.get(entity.key, set())
        others = {w for k, words in heads.items() if k != entity.key for w in words}
        summary = summarize_entity(document, entity, sorted(others - own))
        if summary is not None:
            out.append(summary)
    return tuple(out)
