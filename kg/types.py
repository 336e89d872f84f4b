"""Plain, immutable data types that flow between the pipeline stages.

Fields hold plain values (str, int, float, tuples), never spaCy objects, so
instances hash, pickle (for Dask workers) and compare with ``==``.

Examples
--------
>>> m = Mention("Ada Lovelace", "PERSON", 0, 12, 0)
>>> m.kind, m == Mention("Ada Lovelace", "PERSON", 0, 12, 0)
('name', True)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

__all__ = [
    "Clause",
    "DocLike",
    "Document",
    "Entity",
    "Mention",
    "MentionKind",
    "Modality",
    "Provenance",
    "Sentence",
    "Triple",
    "Value",
    "ValueKind",
]

if TYPE_CHECKING:
    DocLike = Doc | Span


def __getattr__(name: str) -> object:
    # spaCy is imported on first use of DocLike, so reading a store (kg query,
    # kg render) never loads it
    if name == "DocLike":
        from spacy.tokens import Doc, Span

        return Doc | Span
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


MentionKind = Literal["name", "nominal", "pronoun", "value"]
Modality = Literal["asserted", "hedged", "reported", "negated", "question"]
ValueKind = Literal["date", "number"]
_MENTION_KINDS = frozenset({"name", "nominal", "pronoun", "value"})
#: XSD datatypes a value's literal may have ("string": a plain literal).
_VALUE_DATATYPES = frozenset(
    {"date", "gYearMonth", "gYear", "integer", "decimal", "string"}
)
_MODALITIES = frozenset({"asserted", "hedged", "reported", "negated", "question"})


def _check_span(start: int, end: int, what: str) -> None:
    if not 0 <= start <= end:
        raise ValueError(f"{what}: bad character span [{start}, {end})")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a document: its index, character span and text.

    Examples
    --------
    >>> Sentence(0, 0, 3, "Hi.").text
    'Hi.'
    """

    index: int
    start_char: int
    end_char: int
    text: str

    def __post_init__(self) -> None:
        _check_span(self.start_char, self.end_char, "Sentence")


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a fact was read: document, sentence and the character span.

    ``start_char``/``end_char`` cover the text from the first to the last
    argument of the fact, in document offsets.

    Examples
    --------
    >>> p = Provenance("a.txt", 0, 0, 5, "Hello world.")
    >>> p.sent_index
    0
    """

    doc_id: str
    sent_index: int
    start_char: int
    end_char: int
    sentence: str

    def __post_init__(self) -> None:
        _check_span(self.start_char, self.end_char, "Provenance")
        if not self.doc_id:
            raise ValueError("Provenance: empty doc_id")


@dataclass(frozen=True, slots=True)
class Mention:
    """A stretch of text that refers to an entity.

    ``label`` is the spaCy NER label for names (``PERSON``, ``ORG``...) and a
    coarse class for other mentions; ``kind`` says whether the mention is a
    proper name, a nominal description or a pronoun; ``value`` mentions
    state a date or a number (:class:`Value`), never an entity.
    ``source`` is the id of the mention pass that found it
    (``kg.mentions.names.v1``) and ``link`` the id of the coreference rule
    that put it on its entity ("" for an entity's first mention); both are
    kept in the RDF (``kgo:foundBy``, ``kgo:linkedBy``) so a user can see
    why a mention is where it is.

    Examples
    --------
    >>> Mention("she", "PERSON", 10, 13, 1, kind="pronoun").kind
    'pronoun'
    """

    text: str
    label: str
    start_char: int
    end_char: int
    sent_index: int
    kind: MentionKind = "name"
    # provenance of the decisions, not identity: equal mentions stay equal
    source: str = field(default="", compare=False, repr=False)
    link: str = field(default="", compare=False, repr=False)

    def __post_init__(self) -> None:
        _check_span(self.start_char, self.end_char, "Mention")
        if self.kind not in _MENTION_KINDS:
            raise ValueError(
                f"Mention: kind {self.kind!r} not one of {sorted(_MENTION_KINDS)}"
            )


@dataclass(frozen=True, slots=True)
class Entity:
    """One real-world entity of a document and every mention of it.

    ``key`` is unique within its document and stable across runs; ``label`` is
    the local name of an ontology class (``Person``, ``Organization``...);
    ``name`` is the most complete proper name; ``aliases`` the other names.
    ``named`` is False for things only described ("the zoo").

    Examples
    --------
    >>> e = Entity("ada-lovelace", "Person", "Ada Lovelace", ())
    >>> e.named
    True
    """

    key: str
    label: str
    name: str
    mentions: tuple[Mention, ...]
    aliases: tuple[str, ...] = ()
    named: bool = True

    def __post_init__(self) -> None:
        if not self.key or not self.name:
            raise ValueError("Entity: key and name must not be empty")


@dataclass(frozen=True, slots=True)
class Value:
    """A date or number a document states: a literal, never an entity node.

    ``key`` is ``lexical^^datatype`` (unique within its document, never an
    entity key); ``datatype`` the local name of an XSD datatype (``date``,
    ``gYearMonth``, ``gYear``, ``integer``, ``decimal``) or ``string`` for
    a plain literal ("the 1990s"); ``mentions`` every place the text states
    it. A :class:`Triple` whose ``object`` is a value key ends in this
    literal.

    Examples
    --------
    >>> m = Mention("1990", "DATE", 3, 7, 0, kind="value")
    >>> Value("1990^^gYear", "gYear", "1990", "date", (m,)).lexical
    '1990'
    """

    key: str
    datatype: str
    lexical: str
    kind: ValueKind
    mentions: tuple[Mention, ...]

    def __post_init__(self) -> None:
        if self.datatype not in _VALUE_DATATYPES:
            raise ValueError(
                f"Value: datatype {self.datatype!r} not one of "
                f"{sorted(_VALUE_DATATYPES)}"
            )
        if not self.key or not self.lexical:
            raise ValueError("Value: key and lexical form must not be empty")


@dataclass(frozen=True, slots=True)
class Triple:
    """A relation between two entities, with the sentence that states it.

    ``subject``/``object`` are entity keys of the same document (``object``
    may instead be the key of one of its :class:`Value` objects),
    ``predicate`` the local name of an ontology property, ``confidence`` in
    [0, 1], ``rule`` the extractor rule that fired, ``lemma`` the relation
    words as written (kept as a label when the property is generic).

    Examples
    --------
    >>> p = Provenance("a.txt", 0, 0, 20, "Ada met Charles Babbage.")
    >>> t = Triple("ada", "meets", "charles-babbage", p, confidence=0.9)
    >>> t.modality
    'asserted'
    """

    subject: str
    predicate: str
    object: str
    provenance: Provenance
    confidence: float = 1.0
    rule: str = ""
    lemma: str = ""
    modality: Modality = "asserted"

    def __post_init__(self) -> None:
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"Triple: confidence {self.confidence} not in [0, 1]")
        if self.modality not in _MODALITIES:
            raise ValueError(
                f"Triple: modality {self.modality!r} not one of {sorted(_MODALITIES)}"
            )


@dataclass(frozen=True, slots=True)
class Document:
    """Everything extracted from one document, ready to be merged and stored.

    ``values`` are the dates and numbers it states, kept apart from the
    entities: they are literals, not nodes.

    Examples
    --------
    >>> d = Document("a.txt", "a.txt", "0" * 64, ())
    >>> d.entities, d.triples, d.values
    ((), (), ())
    """

    doc_id: str
    source: str
    sha256: str
    sentences: tuple[Sentence, ...]
    entities: tuple[Entity, ...] = field(default=())
    triples: tuple[Triple, ...] = field(default=())
    values: tuple[Value, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Clause:
    """An open-domain relation read from one clause (open information extraction).

    ``relation`` and ``arguments`` are text as written in the sentence (the
    relation may add an inserted "be"/preposition as OpenIE systems do);
    ``arguments[0]`` is the subject. ``confidence`` is in [0, 1].

    Examples
    --------
    >>> c = Clause("wrote to", ("Ada", "Charles"), 0.8, 0)
    >>> c.arguments[1]
    'Charles'
    """

    relation: str
    arguments: tuple[str, ...]
    confidence: float
    sent_index: int
    rule: str = ""
    modality: Modality = "asserted"
    negated: bool = False

    def __post_init__(self) -> None:
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"Clause: confidence {self.confidence} not in [0, 1]")
