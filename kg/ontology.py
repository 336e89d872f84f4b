"""The kg ontology: classes, relation properties and their lexical triggers.

The ontology lives in Turtle files under ``ontology/`` (shipped inside the
package as well); this module loads it once and answers the questions the
other stages ask: which class a NER label maps to, which property a verb or
relational noun expresses, what a property's label, domain and range are.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from rdflib import OWL, RDF, RDFS, Graph, Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from kg.errors import OntologyError

__all__ = [
    "KGO",
    "KGO_URI",
    "WDT",
    "Ontology",
    "PropertyInfo",
    "TriggerKind",
    "load_ontology",
    "ontology_dir",
]

KGO_URI = "https://w3id.org/kg/ontology#"
TriggerKind = Literal["verb", "noun", "prep", "modifier", "structure"]
_TRIGGER_PREDICATES = {
    "verb": "verb_triggers",
    "noun": "noun_triggers",
    "prep": "prep_triggers",
    "modifier": "modifier_triggers",
    "structure": "structure_triggers",
}
WDT = Namespace("http://www.wikidata.org/prop/direct/")


class KGO(DefinedNamespace):
    """Terms of the kg ontology that code refers to by name.

    Relation properties are looked up through :class:`Ontology` instead, so
    that adding one to ``ontology/`` needs no change here.

    Examples
    --------
    >>> KGO.Person
    rdflib.term.URIRef('https://w3id.org/kg/ontology#Person')
    """

    _fail = True
    _NS = Namespace(KGO_URI)

    # classes
    Entity: URIRef
    Agent: URIRef
    Person: URIRef
    Organization: URIRef
    Group: URIRef
    Place: URIRef
    Country: URIRef
    Continent: URIRef
    Nationality: URIRef
    Nation: URIRef
    Facility: URIRef
    CreativeWork: URIRef
    Event: URIRef
    Product: URIRef
    Software: URIRef
    Publication: URIRef
    Belief: URIRef
    Language: URIRef
    Law: URIRef
    Thing: URIRef
    Document: URIRef
    Sentence: URIRef
    Mention: URIRef
    EntityLink: URIRef
    # annotation properties
    verbTrigger: URIRef
    nounTrigger: URIRef
    prepTrigger: URIRef
    modifierTrigger: URIRef
    structureTrigger: URIRef
    knownName: URIRef
    classNoun: URIRef
    canonicalNoun: URIRef
    variantNoun: URIRef
    nerLabel: URIRef
    # provenance
    contentHash: URIRef
    documentPath: URIRef
    sentenceIndex: URIRef
    startChar: URIRef
    endChar: URIRef
    mention: URIRef
    inSentence: URIRef
    mentionKind: URIRef
    foundBy: URIRef
    linkedBy: URIRef
    confidence: URIRef
    rule: URIRef
    modality: URIRef
    relationText: URIRef
    # corpus entity resolution (kg.link)
    inDocument: URIRef
    localKey: URIRef
    linksTo: URIRef
    linkRule: URIRef
    linkScore: URIRef
    linkedWith: URIRef
    blockKey: URIRef
    linkSummary: URIRef
    # the generic relation
    relatedTo: URIRef
    # values (literal-valued properties) and their datatype
    hasValue: URIRef
    DateValue: URIRef


_OPEN_KGO = Namespace(KGO_URI)


@dataclass(frozen=True, slots=True)
class PropertyInfo:
    """What the ontology says about one relation property.

    Examples
    --------
    >>> info = load_ontology().properties["owns"]
    >>> info.label, info.inverse
    ('owns', 'ownedBy')
    """

    name: str
    iri: URIRef
    label: str
    domain: str
    range: str
    verb_triggers: tuple[str, ...]
    noun_triggers: tuple[str, ...]
    inverse: str | None
    symmetric: bool
    wikidata: tuple[str, ...]
    prep_triggers: tuple[str, ...] = ()
    modifier_triggers: tuple[str, ...] = ()
    structure_triggers: tuple[str, ...] = ()
    parents: tuple[str, ...] = ()


def ontology_dir() -> Path:
    """Return the folder holding the ontology's Turtle files.

    A source checkout's top-level ``ontology/`` wins; an installed wheel
    falls back to the copy shipped in ``kg/_ontology``.

    Examples
    --------
    >>> (ontology_dir() / "kg.ttl").is_file()
    True
    """
    checkout = Path(__file__).resolve().parent.parent / "ontology"
    if (checkout / "kg.ttl").is_file():
        return checkout
    return Path(str(resources.files("kg") / "_ontology"))


def _local(iri: object) -> str:
    text = str(iri)
    return text[len(KGO_URI) :] if text.startswith(KGO_URI) else text


@dataclass(frozen=True, slots=True)
class Ontology:
    """The loaded ontology: its graph plus indexes over classes and properties.

    Examples
    --------
    >>> onto = load_ontology()
    >>> onto.class_for_ner_label("GPE")
    'Place'
    >>> onto.property_iri("owns")
    rdflib.term.URIRef('https://w3id.org/kg/ontology#owns')
    """

    graph: Graph
    classes: frozenset[str]
    properties: Mapping[str, PropertyInfo]
    ner_classes: Mapping[str, str]
    superclasses: Mapping[str, tuple[str, ...]]
    triggers: Mapping[tuple[str, str], tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    known_names: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    class_nouns: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    #: informal or variant noun -> its usual form ("dad" -> "father")
    noun_variants: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType({})
    )
    #: literal-valued properties (sub-properties of ``kgo:hasValue``: dates)
    value_properties: Mapping[str, PropertyInfo] = field(
        default_factory=lambda: MappingProxyType({})
    )
    value_triggers: Mapping[tuple[str, str], tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )

    def value_properties_for(
        self, kind: TriggerKind, trigger: str
    ) -> tuple[PropertyInfo, ...]:
        """Return the value properties whose ``kind`` trigger list holds ``trigger``.

        Value properties (dates) keep their triggers apart from the relation
        properties', so a verb such as "bear" never links two entities
        through a date property.

        Examples
        --------
        >>> [p.name for p in load_ontology().value_properties_for("verb", "bear")]
        ['birthDate']
        """
        return tuple(
            self.value_properties[n]
            for n in self.value_triggers.get((kind, trigger), ())
        )

    def canonical_noun(self, lemma: str) -> str:
        """Return the usual form of a noun lemma ("dad" -> "father"), else the lemma.

        Examples
        --------
        >>> load_ontology().canonical_noun("mum"), load_ontology().canonical_noun("zoo")
        ('mother', 'zoo')
        """
        return self.noun_variants.get(lemma, lemma)

    def classes_for_noun(self, lemma: str) -> tuple[str, ...]:
        """Return the classes whose ``kgo:classNoun`` list holds a noun lemma.

        Examples
        --------
        >>> load_ontology().classes_for_noun("village")
        ('Place',)
        >>> load_ontology().classes_for_noun("table")
        ()
        """
        return self.class_nouns.get(lemma.lower(), ())

    def class_for_name(self, name: str) -> str | None:
        """Return the class whose ``kgo:knownName`` list holds ``name``, if any.

        Examples
        --------
        >>> load_ontology().class_for_name("the Netherlands")
        'Country'
        >>> load_ontology().class_for_name("Springfield") is None
        True
        """
        return self.known_names.get(_name_key(name))

    def properties_for(
        self, kind: TriggerKind, trigger: str
    ) -> tuple[PropertyInfo, ...]:
        """Return the properties whose ``kind`` trigger list holds ``trigger``.

        ``kind`` is ``verb`` (a lemma, optionally with its preposition:
        "write to"), ``noun`` (a relational noun: "X, owner of Y"), ``prep``
        (a preposition joining two nouns: "X in Y"), ``modifier`` (the NER
        label of a noun's modifier: "an American actor") or ``structure``
        (a construction: ``possessive``, ``apposition``).

        Examples
        --------
        >>> [p.name for p in load_ontology().properties_for("noun", "owner")]
        ['owns']
        """
        return tuple(self.properties[n] for n in self.triggers.get((kind, trigger), ()))

    def wikidata_relations(self, name: str) -> tuple[tuple[str, bool], ...]:
        """Wikidata property ids a triple with property ``name`` states.

        Each id comes with ``True`` when the Wikidata statement runs from the
        triple's object to its subject (it is aligned through the inverse
        property, or both ways for a symmetric property). A sub-property
        states its super-properties' ids too (``country`` is a ``locatedIn``).

        Examples
        --------
        >>> load_ontology().wikidata_relations("owns")
        (('P1830', False), ('P127', True))
        >>> load_ontology().wikidata_relations("country")
        (('P17', False), ('P131', False), ('P150', True))
        """
        found: list[tuple[str, bool]] = []
        todo, seen = [name], set()
        while todo:
            key = todo.pop(0)
            info = self.properties.get(key) or self.value_properties.get(key)
            if info is None or info.name in seen:
                continue
            seen.add(info.name)
            found += [(pid, False) for pid in info.wikidata]
            if info.symmetric:
                found += [(pid, True) for pid in info.wikidata]
            inverse = self.properties.get(info.inverse) if info.inverse else None
            if inverse is not None:
                found += [(pid, True) for pid in inverse.wikidata]
            todo.extend(info.parents)
        return tuple(dict.fromkeys(found))

    def class_for_ner_label(self, label: str) -> str | None:
        """Return the class local name for a spaCy NER label, if kg keeps it."""
        return self.ner_classes.get(label)

    def class_iri(self, name: str) -> URIRef:
        """Return the IRI of a class, raising :class:`OntologyError` if unknown."""
        if name not in self.classes:
            raise OntologyError(
                f"class {name!r} is not declared in the ontology; "
                f"known classes: {', '.join(sorted(self.classes))}"
            )
        return _OPEN_KGO[name]

    def property_iri(self, name: str) -> URIRef:
        """Return the IRI of a relation or value property, raising if undeclared."""
        info = self.properties.get(name) or self.value_properties.get(name)
        if info is None:
            raise OntologyError(
                f"property {name!r} is not declared in the ontology; "
                f"known properties: {', '.join(sorted(self.properties))}"
            )
        return info.iri

    def is_a(self, cls: str, ancestor: str) -> bool:
        """Tell whether class ``cls`` is ``ancestor`` or a subclass of it."""
        return cls == ancestor or ancestor in self.superclasses.get(cls, ())


def _name_key(name: str) -> str:
    words = name.casefold().split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def _class_nouns(graph: Graph) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for cls, noun in sorted(graph.subject_objects(KGO.classNoun)):
        found.setdefault(str(noun).lower(), []).append(_local(cls))
    return {noun: tuple(classes) for noun, classes in found.items()}


def _noun_variants(graph: Graph) -> dict[str, str]:
    return {
        str(variant).lower(): str(canonical).lower()
        for node, canonical in graph.subject_objects(KGO.canonicalNoun)
        for variant in graph.objects(node, KGO.variantNoun)
    }


def _strings(graph: Graph, subject: URIRef, predicate: URIRef) -> tuple[str, ...]:
    return tuple(sorted(str(o) for o in graph.objects(subject, predicate)))


def _ancestors(graph: Graph, cls: URIRef) -> tuple[str, ...]:
    seen: list[str] = []
    stack = list(graph.objects(cls, RDFS.subClassOf))
    while stack:
        parent = stack.pop()
        name = _local(parent)
        if name not in seen and str(parent).startswith(KGO_URI):
            seen.append(name)
            stack.extend(graph.objects(parent, RDFS.subClassOf))
    return tuple(seen)


def _index(graph: Graph) -> Ontology:
    classes = {
        _local(c)
        for c in graph.subjects(RDF.type, OWL.Class)
        if str(c).startswith(KGO_URI)
    }
    ner_classes: dict[str, str] = {}
    for cls in sorted(classes):
        for label in _strings(graph, _OPEN_KGO[cls], KGO.nerLabel):
            ner_classes[label] = cls
    properties: dict[str, PropertyInfo] = {}
    for prop in graph.subjects(RDF.type, OWL.ObjectProperty):
        if not str(prop).startswith(KGO_URI):
            continue
        name = _local(prop)
        provenance = name in {"mention", "inSentence"}
        if (prop, RDFS.range, KGO.Mention) in graph or provenance:
            continue
        properties[name] = _property_info(graph, URIRef(str(prop)), KGO.Entity)
    triggers: dict[tuple[str, str], list[str]] = {}
    for name in sorted(properties):
        for kind, attr in _TRIGGER_PREDICATES.items():
            for trigger in getattr(properties[name], attr):
                triggers.setdefault((kind, trigger), []).append(name)
    superclasses = {c: _ancestors(graph, _OPEN_KGO[c]) for c in classes}
    values = _value_properties(graph)
    _check_verb_triggers([*properties.values(), *values.values()])
    value_triggers: dict[tuple[str, str], list[str]] = {}
    for name in sorted(values):
        for kind, attr in _TRIGGER_PREDICATES.items():
            for trigger in getattr(values[name], attr):
                value_triggers.setdefault((kind, trigger), []).append(name)
    return Ontology(
        graph=graph,
        classes=frozenset(classes),
        properties=MappingProxyType(properties),
        ner_classes=MappingProxyType(ner_classes),
        superclasses=MappingProxyType(superclasses),
        triggers=MappingProxyType({k: tuple(v) for k, v in triggers.items()}),
        class_nouns=MappingProxyType(_class_nouns(graph)),
        noun_variants=MappingProxyType(_noun_variants(graph)),
        known_names=MappingProxyType(
            {
                _name_key(str(name)): _local(cls)
                for cls, name in sorted(graph.subject_objects(KGO.knownName))
            }
        ),
        value_properties=MappingProxyType(values),
        value_triggers=MappingProxyType(
            {k: tuple(v) for k, v in value_triggers.items()}
        ),
    )


def _property_info(graph: Graph, iri: URIRef, default_range: URIRef) -> PropertyInfo:
    """Read one property of the ontology: labels, domain, range, triggers, links."""
    name = _local(iri)
    inverse = graph.value(iri, OWL.inverseOf)
    return PropertyInfo(
        name=name,
        iri=iri,
        label=str(graph.value(iri, RDFS.label) or name),
        domain=_local(graph.value(iri, RDFS.domain) or KGO.Entity),
        range=_local(graph.value(iri, RDFS.range) or default_range),
        verb_triggers=_strings(graph, iri, KGO.verbTrigger),
        noun_triggers=_strings(graph, iri, KGO.nounTrigger),
        inverse=_local(inverse) if inverse is not None else None,
        symmetric=(iri, RDF.type, OWL.SymmetricProperty) in graph,
        wikidata=tuple(
            sorted(
                str(eq)[len(str(WDT)) :]
                for eq in graph.objects(iri, OWL.equivalentProperty)
                if str(eq).startswith(str(WDT))
            )
        ),
        prep_triggers=_strings(graph, iri, KGO.prepTrigger),
        modifier_triggers=_strings(graph, iri, KGO.modifierTrigger),
        structure_triggers=_strings(graph, iri, KGO.structureTrigger),
        parents=tuple(
            sorted(
                _local(p)
                for p in graph.objects(iri, RDFS.subPropertyOf)
                if str(p).startswith(KGO_URI) and p not in {KGO.relatedTo, KGO.hasValue}
            )
        ),
    )


def _value_properties(graph: Graph) -> dict[str, PropertyInfo]:
    """Index the datatype properties under ``kgo:hasValue`` (dates a text states)."""
    found: dict[str, PropertyInfo] = {}
    for prop in graph.subjects(RDFS.subPropertyOf, KGO.hasValue):
        if (prop, RDF.type, OWL.DatatypeProperty) not in graph:
            continue
        info = _property_info(graph, URIRef(str(prop)), KGO.DateValue)
        found[info.name] = info
    return found


#: Inflected forms of "be": a clause's words are lemmas, so they never match.
_BE_FORMS = frozenset({"am", "is", "are", "was", "were", "been", "being", "'s"})


def _trigger_problem(trigger: str) -> str | None:
    """Tell why the relation extractor can never form a verb trigger, if it cannot.

    The extractor matches a clause's lowercase lemma (with its particle, a
    noun or a preposition after it: "take part in"); a passive-only trigger
    writes "be" before that lemma ("be find in": "X was found in Y"), and the
    copula's own triggers are "be" and a preposition. So "be" stands first
    or not at all, and no word is inflected or capitalised.

    Examples
    --------
    >>> _trigger_problem("be find in") is None
    True
    >>> _trigger_problem("was found in")
    "'was' is not a lemma: write the passive as 'be <lemma>'"
    >>> _trigger_problem("find be")
    "'be' only starts a trigger (a passive: 'be <lemma> ...')"
    """
    words = trigger.split()
    if not words or " ".join(words) != trigger:
        return "empty or with stray spaces"
    if trigger != trigger.lower():
        return "not lowercase: clause lemmas are"
    inflected = next((w for w in words if w in _BE_FORMS), None)
    if inflected is not None:
        return f"{inflected!r} is not a lemma: write the passive as 'be <lemma>'"
    if "be" in words[1:]:
        return "'be' only starts a trigger (a passive: 'be <lemma> ...')"
    return None


def _check_verb_triggers(infos: Iterable[PropertyInfo]) -> None:
    """Refuse an ontology with a verb trigger no clause can ever match."""
    for info in infos:
        for trigger in info.verb_triggers:
            problem = _trigger_problem(trigger)
            if problem is not None:
                raise OntologyError(
                    f"verb trigger {trigger!r} of {info.name} never matches: {problem}"
                )


def _parse(paths: Iterable[Path]) -> Graph:
    graph = Graph()
    for path in paths:
        try:
            graph.parse(path, format="turtle")
        except (OSError, SyntaxError, ValueError) as exc:
            raise OntologyError(f"cannot parse ontology file {path}: {exc}") from exc
    return graph


@functools.cache
def load_ontology(directory: Path | None = None) -> Ontology:
    """Load and index every ``*.ttl`` file of the ontology folder (once).

    Parameters
    ----------
    directory
        Folder of Turtle files; default :func:`ontology_dir`.

    Raises
    ------
    OntologyError
        The folder has no Turtle file or one does not parse.

    Examples
    --------
    >>> "Person" in load_ontology().classes
    True
    """
    folder = directory or ontology_dir()
    paths = sorted(folder.glob("*.ttl"))
    if not paths:
        raise OntologyError(f"no ontology (*.ttl) found in {folder}")
    graph = _parse(p for p in paths if not p.name.endswith(".shapes.ttl"))
    return _index(graph)
