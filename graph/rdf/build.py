"""Records → RDF knowledge graph → Turtle / TriG exports.

The graph is written as N-Quads text, one line per statement, and each case's named graph is
kept as one sorted byte string: a 10,000-case corpus has a million statements, which as rdflib
triples cost tens of seconds and as pyoxigraph quad objects 660 MB (copied into every forked
worker). Terms are written in Oxigraph's own N-Triples forms, so Oxigraph reads the text back
(Turtle, TriG, the SPARQL store) exactly. rdflib stays the graph API:
:meth:`KnowledgeGraph.to_rdflib` gives an ``rdflib.Dataset`` of the same statements.

Exports are byte-identical for the same input: statements are deduplicated and sorted as
N-Triples/N-Quads lines (code-point order) and then written by pyoxigraph's streaming
serialiser, which keeps the given order. No blank nodes are minted, so no labels can vary.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, cached_property, lru_cache
from itertools import groupby
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote, unquote

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.term import Node

from graph.errors import TsunagariError
from graph.rdf.namespaces import (
    ACTIVITY_TYPE_ID,
    BODY_ID,
    CASE_ID,
    DCTERMS,
    INITIATIVE_ID,
    LEGAL_FORM_ID,
    ORG,
    ORG_ID,
    PLACE_ID,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    SAC,
    SCHEMA,
    SCHEME_ID,
    SKOS,
    SOURCE_ID,
    TARGET_GROUP_ID,
    TS,
    XSD,
    new_dataset,
    new_graph,
)
from graph.resources import ontology_file
from graph.text import vocab
from graph.text.normalize import key as match_key
from graph.text.normalize import nfkc
from graph.text.places import Place, gazetteer


class GraphBuildError(TsunagariError, ValueError):
    """A record breaks the record contract in a way the graph cannot represent."""


# ---------------------------------------------------------------- IRIs

# RFC 3987 ucschar ranges: characters an IRI may carry unescaped besides ASCII unreserved.
_UCSCHAR = (
    (0xA0, 0xD7FF), (0xF900, 0xFDCF), (0xFDF0, 0xFFEF), (0x10000, 0x1FFFD), (0x20000, 0x2FFFD),
    (0x30000, 0x3FFFD), (0x40000, 0x4FFFD), (0x50000, 0x5FFFD), (0x60000, 0x6FFFD),
    (0x70000, 0x7FFFD), (0x80000, 0x8FFFD), (0x90000, 0x9FFFD), (0xA0000, 0xAFFFD),
    (0xB0000, 0xBFFFD), (0xC0000, 0xCFFFD), (0xD0000, 0xDFFFD), (0xE1000, 0xEFFFD),
)
_ASCII_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_WHITESPACE = re.compile(r"\s+")


# The characters _iri_char escapes: anything but ASCII unreserved and the ucschar ranges.
_IRI_ESCAPED = re.compile("[^A-Za-z0-9\\-._~" + "".join(
    f"{chr(lo)}-{chr(hi)}" for lo, hi in _UCSCHAR) + "]")


def _iri_char(char: str) -> str:
    if char in _ASCII_SAFE:
        return char
    code = ord(char)
    if code > 0x7F and any(lo <= code <= hi for lo, hi in _UCSCHAR):
        return char
    return quote(char, safe="")


def slug(text: str) -> str:
    """One IRI path segment from a name: NFKC, whitespace runs as ``_``, the rest percent-encoded.

    Kanji and kana stay readable (they are legal IRI characters); ASCII punctuation such as
    ``(`` ``/`` ``:`` ``%`` and spaces are percent-encoded, so every segment parses in rdflib,
    Oxigraph and Jena and stays one segment.
    """
    text = _WHITESPACE.sub("_", unicodedata.normalize("NFC", nfkc(text)).strip())
    if not text:
        raise GraphBuildError("cannot mint an IRI from an empty name")
    segment = _IRI_ESCAPED.sub(lambda m: _iri_char(m.group()), text)
    if segment in {".", ".."}:  # would be removed by IRI path normalisation
        segment = segment.replace(".", "%2E")
    return segment


def org_iri(org_name: str) -> URIRef:
    """The IRI of a casebook organisation, from its normalised name."""
    return ORG_ID[slug(org_name)]


def initiative_iri(org_name: str, title: str) -> URIRef:
    """The IRI of an initiative: its organisation and its normalised title."""
    return INITIATIVE_ID[f"{slug(org_name)}/{slug(title)}"]


def body_iri(key: str) -> URIRef:
    """The IRI of a partner body, from its resolution key (``body:<key>``)."""
    return BODY_ID[slug(key)]


def place_iri(lgcode: str) -> URIRef:
    """The IRI of a municipality or prefecture, from its 6-digit local government code."""
    if not re.fullmatch(r"\d{6}", lgcode):
        raise GraphBuildError(f"not a 6-digit local government code: {lgcode!r}")
    return PLACE_ID[lgcode]


def case_iri(case_id: str) -> URIRef:
    """The IRI of a case (and of its named graph in the TriG export)."""
    return CASE_ID[slug(case_id)]


def source_iri(file: str) -> URIRef:
    """The IRI of a casebook file, from its path as recorded (slashes kept)."""
    return SOURCE_ID["/".join(slug(part) for part in file.strip("/").split("/"))]


def ref_iri(ref: str) -> URIRef:
    """The node of a partner reference: ``org:<name>``, ``place:<lgcode>`` or ``body:<key>``."""
    kind, sep, rest = ref.partition(":")
    if sep and rest:
        if kind == "org":
            return org_iri(rest)
        if kind == "place":
            return place_iri(rest)
        if kind == "body":
            return body_iri(rest)
    raise GraphBuildError(f"unknown partner reference {ref!r}")


# ---------------------------------------------------------------- term conversion

_DefaultGraph = ox.DefaultGraph()


# Bounded: a national corpus mints millions of case, initiative and outcome IRIs, each used
# only while its record is built.
@lru_cache(maxsize=1 << 16)
def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


@lru_cache(maxsize=1 << 16)
def _nt(node: ox.NamedNode) -> str:
    """A node's N-Triples form (``<iri>``): predicates and a case's own nodes recur often."""
    return str(node)


class _Lit(NamedTuple):
    """A literal as the builder makes it; turned into N-Triples text (or, on the reference
    path, a pyoxigraph Literal) only when the statement is added."""

    value: str
    language: str | None = None
    datatype: str | None = None  # None: xsd:string

    def to_ox(self) -> ox.Literal:
        if self.language:
            return ox.Literal(self.value, language=self.language)
        return ox.Literal(self.value, datatype=_n(self.datatype or str(XSD.string)))


# Characters Oxigraph escapes inside a quoted literal (controls, quote, backslash and the two
# noncharacters U+FFFE/U+FFFF; tests/rdf check every code point); others are written as is.
_NT_ESCAPED = re.compile('[\x00-\x1f"\\\\\x7f\ufffe\uffff]')


def _lit_nt(lit: _Lit) -> str:
    """A literal's N-Triples form, as Oxigraph writes it (it does the escaping when needed)."""
    value = lit.value
    quoted = f'"{value}"' if _NT_ESCAPED.search(value) is None else str(ox.Literal(value))
    if lit.language:
        return f"{quoted}@{lit.language}"
    if lit.datatype:
        return f"{quoted}^^<{lit.datatype}>"
    return quoted


_Term = ox.NamedNode | _Lit


def _to_ox(term: Node) -> _Term:
    if isinstance(term, URIRef):
        return _n(str(term))
    if isinstance(term, RdfLiteral):
        if term.language:
            return _Lit(str(term), term.language)
        datatype = str(term.datatype or XSD.string)
        return _Lit(str(term), None, None if datatype == str(XSD.string) else datatype)
    raise GraphBuildError(f"blank nodes are not allowed in the graph: {term!r}")


def _ja(text: str) -> _Lit:
    return _Lit(text, "ja")


def _en(text: str) -> _Lit:
    return _Lit(text, "en")


def _str(text: str) -> _Lit:
    return _Lit(text)


_XSD_INTEGER = str(XSD.integer)
_XSD_BOOLEAN = str(XSD.boolean)


def _int(value: int) -> _Lit:
    return _Lit(str(value), None, _XSD_INTEGER)


def _bool(value: bool) -> _Lit:
    return _Lit("true" if value else "false", None, _XSD_BOOLEAN)


def _number(value: Any) -> _Lit:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise GraphBuildError(f"metric value is not a number: {value!r}")
    if isinstance(value, int) or float(value).is_integer():
        return _int(int(value))
    # xsd:decimal, not double: these are counts and averages read from text, not measurements.
    return _Lit(format(Decimal(str(value)), "f"), None, str(XSD.decimal))


_DATE_TYPES = (
    (re.compile(r"\d{4}-\d{2}-\d{2}"), XSD.date),
    (re.compile(r"\d{4}-\d{2}"), XSD.gYearMonth),
    (re.compile(r"\d{4}"), XSD.gYear),
)


def _date(value: str) -> _Lit:
    for pattern, datatype in _DATE_TYPES:
        if pattern.fullmatch(value):
            return _Lit(value, None, str(datatype))
    raise GraphBuildError(f"not an ISO 8601 date at year, month or day precision: {value!r}")


# Predicate and class nodes, converted once from the checked namespaces.
A = _n(str(RDF.type))
LABEL = _n(str(RDFS.label))
PREF_LABEL = _n(str(SKOS.prefLabel))
ALT_LABEL = _n(str(SKOS.altLabel))
EXACT_MATCH = _n(str(SKOS.exactMatch))
IS_REPLACED_BY = _n(str(DCTERMS.isReplacedBy))


@cache  # the ontology's names: a few dozen
def _ts(name: str) -> ox.NamedNode:
    return ox.NamedNode(str(TS[name]))  # TS is closed: an unknown name raises here


# ---------------------------------------------------------------- the built graph


def rdflib_term(term: Any) -> Node:
    """A pyoxigraph term as the rdflib term that parsing its N-Triples would give."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return RdfLiteral(term.value, lang=term.language)
    if term.datatype.value == _XSD_STRING:  # rdflib reads "x" as a plain literal
        return RdfLiteral(term.value)
    return RdfLiteral(term.value, datatype=URIRef(term.datatype.value))


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class _QuadView:
    """The graph's quads, parsed from its N-Quads on each pass (nothing is held as objects)."""

    def __init__(self, graph: KnowledgeGraph) -> None:
        self._graph = graph

    def __len__(self) -> int:
        return self._graph.quad_count

    def __iter__(self) -> Iterator[ox.Quad]:
        for chunk in self._graph.nquads_chunks():
            yield from ox.parse(chunk, format=ox.RdfFormat.N_QUADS)


class _ChunkReader(io.RawIOBase):
    """A read-only file over byte chunks, so Oxigraph can load them without one joined copy."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self._rest = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._rest:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._rest = memoryview(chunk)
        n = min(len(buffer), len(self._rest))
        buffer[:n] = self._rest[:n]
        self._rest = self._rest[n:]
        return n


def chunk_reader(chunks: Iterable[bytes]) -> io.BufferedReader:
    """A buffered binary file over ``chunks`` (Oxigraph parses or loads it as one stream)."""
    return io.BufferedReader(_ChunkReader(chunks), buffer_size=1 << 20)


@dataclass(frozen=True)
class KnowledgeGraph:
    """The graph built from records, held as N-Quads text rather than as Python objects.

    ``default`` is the default graph (vocabularies, places, partner bodies) as sorted distinct
    N-Triples lines; ``graphs`` each case's named graph as sorted distinct N-Quads lines, in
    graph-name order. That is the TriG export's statement order already, and a few large byte
    strings cost a fraction of a million quad objects (and stay shared, untouched, in forked
    workers). The lines are Oxigraph's own N-Triples forms of the terms (``str(term)``).
    """

    default: bytes
    graphs: tuple[tuple[str, bytes], ...]  # ("<graph IRI>", N-Quads lines)
    warnings: tuple[str, ...] = ()

    def nquads_chunks(self) -> Iterator[bytes]:
        """The N-Quads in export order: default graph first, then each named graph."""
        yield self.default
        for _name, chunk in self.graphs:
            yield chunk

    @property
    def sorted_nquads(self) -> bytes:
        """The quads as one N-Quads text, default graph first, then each named graph."""
        return b"".join(self.nquads_chunks())

    @property
    def quads(self) -> _QuadView:
        """The quads as pyoxigraph objects, parsed lazily on each iteration; ``len()`` is free."""
        return _QuadView(self)

    @cached_property
    def quad_count(self) -> int:
        """The number of quads (a statement in two graphs counts twice)."""
        return sum(chunk.count(b"\n") for chunk in self.nquads_chunks())

    def union_lines(self) -> list[bytes]:
        """All statements, named graphs merged, as sorted distinct N-Triples lines (no "\\n")."""
        lines = self.default.splitlines()
        for name, chunk in self.graphs:
            # Every line of a named graph ends in " <name> ."; cut the name off.
            cut = len(f" {name} .".encode())
            lines.extend(line[:-cut] + b" ." for line in chunk.splitlines())
        # Sort, then drop repeats (a statement in several graphs): a list costs far less
        # than a set of ten million lines.
        lines.sort()
        union = [line for line, _ in groupby(lines)]
        del lines
        # Remember the count (a cached_property reads the instance dict first).
        self.__dict__.setdefault("triple_count", len(union))
        return union

    @property
    def union_ntriples(self) -> bytes:
        """All statements, named graphs merged, as sorted N-Triples (computed on each call)."""
        lines = self.union_lines()
        return b"\n".join(lines) + b"\n" if lines else b""

    @cached_property
    def triple_count(self) -> int:
        """The number of distinct triples (named graphs merged)."""
        return len(self.union_lines())

    def __len__(self) -> int:
        """The number of distinct triples (named graphs merged)."""
        return self.triple_count

    def to_rdflib(self) -> Dataset:
        """The graph as an rdflib Dataset (case graphs as named graphs), prefixes bound."""
        dataset = new_dataset()
        dataset.parse(data=self.sorted_nquads, format="nquads")
        return dataset

    def to_rdflib_graph(self) -> Graph:
        """All statements merged into one rdflib Graph, prefixes bound.

        Built term by term rather than by parsing N-Triples: rdflib's N-Triples regex is
        quadratic in a literal's length (a 100,000-character name took 20 s to parse).
        """
        graph = new_graph()
        for quad in self.quads:
            graph.add((rdflib_term(quad.subject), rdflib_term(quad.predicate),
                       rdflib_term(quad.object)))  # fmt: skip
        return graph

    def to_store(self, path: Path | None = None) -> ox.Store:
        """A pyoxigraph Store holding the quads, for SPARQL: in memory, or on disk at ``path``."""
        store = ox.Store() if path is None else ox.Store(str(path))
        store.bulk_load(chunk_reader(self.nquads_chunks()), format=ox.RdfFormat.N_QUADS)
        return store


def _serialize(items: Iterable[Any], fmt: ox.RdfFormat, prefixes: dict[str, str] | None = None
               ) -> bytes:
    data = ox.serialize(items, format=fmt, prefixes=prefixes)
    assert data is not None  # no output file given, so pyoxigraph returns the bytes
    return data


def _serialize_to(items: Iterable[Any], fmt: ox.RdfFormat, output: Path | None) -> bytes | Path:
    """Serialise with the export prefixes: to bytes, or streamed into the file ``output``."""
    if output is None:
        return _serialize(items, fmt, PREFIXES)
    ox.serialize(items, str(output), format=fmt, prefixes=PREFIXES)
    return output


def export_turtle(graph: KnowledgeGraph, union: list[bytes] | None = None) -> bytes:
    """The whole graph (named graphs merged) as Turtle; same input, same bytes.

    ``union``: the graph's :meth:`~KnowledgeGraph.union_lines` if already computed."""
    data = write_turtle(graph, None, union)
    assert isinstance(data, bytes)
    return data


def write_turtle(graph: KnowledgeGraph, output: Path | None,
                 union: list[bytes] | None = None) -> bytes | Path:
    """:func:`export_turtle` streamed into the file ``output`` (returned), or as bytes if None."""
    lines = graph.union_lines() if union is None else union
    triples = ox.parse(chunk_reader(_with_newlines(lines)), format=ox.RdfFormat.N_TRIPLES)
    return _serialize_to(triples, ox.RdfFormat.TURTLE, output)


def _with_newlines(lines: list[bytes], batch: int = 4096) -> Iterator[bytes]:
    for start in range(0, len(lines), batch):
        yield b"\n".join(lines[start : start + batch]) + b"\n"


def export_trig(graph: KnowledgeGraph) -> bytes:
    """The graph as TriG: each case in its own named graph, vocabularies, places and
    provenance in the default graph; same input, same bytes."""
    data = write_trig(graph, None)
    assert isinstance(data, bytes)
    return data


def write_trig(graph: KnowledgeGraph, output: Path | None) -> bytes | Path:
    """:func:`export_trig` streamed into the file ``output`` (returned), or as bytes if None."""
    quads = ox.parse(chunk_reader(graph.nquads_chunks()), format=ox.RdfFormat.N_QUADS)
    return _serialize_to(quads, ox.RdfFormat.TRIG, output)


# ---------------------------------------------------------------- the reference path
# The former in-memory path: pyoxigraph quad objects serialised by Oxigraph itself. Kept so a
# test can check the N-Quads text path above gives byte-identical exports.


def _sorted_lines(data: bytes) -> bytes:
    lines = sorted(set(data.splitlines()))
    return b"\n".join(lines) + b"\n" if lines else b""


def _groups(quads: Iterable[ox.Quad]) -> dict[str, list[ox.Quad]]:
    groups: dict[str, list[ox.Quad]] = {}
    for quad in quads:
        name = "" if isinstance(quad.graph_name, ox.DefaultGraph) else str(quad.graph_name)
        groups.setdefault(name, []).append(quad)
    return groups


def reference_exports(records: Iterable[Mapping[str, Any]]) -> tuple[bytes, bytes]:
    """Turtle and TriG of the records the old way, through a list of quad objects (slow)."""
    builder = _Builder(keep_quads=True)
    _build(builder, records)
    parts = []
    groups = _groups(builder.quads)
    for name, group in groups.items():
        data = _serialize(group, ox.RdfFormat.N_QUADS)
        parts.append(data.replace(f" {name} .\n".encode(), b" .\n") if name else data)
    union = _sorted_lines(b"".join(parts))
    nquads = b"".join(_sorted_lines(_serialize(groups[name], ox.RdfFormat.N_QUADS))
                      for name in sorted(groups))
    turtle = _serialize(ox.parse(union, format=ox.RdfFormat.N_TRIPLES), ox.RdfFormat.TURTLE,
                        PREFIXES)
    trig = _serialize(ox.parse(nquads, format=ox.RdfFormat.N_QUADS), ox.RdfFormat.TRIG, PREFIXES)
    return turtle, trig


# ---------------------------------------------------------------- vocabularies


@cache
def _ontology() -> Graph:
    graph = Graph()
    graph.parse(ontology_file(), format="turtle")
    return graph


@cache
def partner_categories() -> dict[str, URIRef]:
    """Partner category label (行政 …) → concept IRI, from the scheme in the ontology."""
    graph = _ontology()
    index: dict[str, URIRef] = {}
    for concept in graph.subjects(RDF.type, TS.PartnerCategory):
        for label in graph.objects(concept, SKOS.prefLabel):
            if isinstance(label, RdfLiteral) and label.language == "ja":
                index[str(label)] = URIRef(str(concept))
    return index


def _partner_category_triples() -> Iterator[tuple[Node, Node, Node]]:
    graph = _ontology()
    scheme = SCHEME_ID["partner-categories"]
    subjects = {scheme, *partner_categories().values()}
    for s, p, o in graph:
        if s in subjects:
            yield s, p, o


def _vocabulary_quads() -> list[tuple[ox.NamedNode, ox.NamedNode, _Term]]:
    """All concept schemes, used or not, so labels are queryable and gaps visible."""
    out: list[tuple[ox.NamedNode, ox.NamedNode, _Term]] = []

    def add(s: ox.NamedNode, p: ox.NamedNode, o: _Term) -> None:
        out.append((s, p, o))

    def concept(node: ox.NamedNode, cls: str, scheme: ox.NamedNode, term: vocab.Term) -> None:
        add(node, A, _n(str(SKOS.Concept)))
        add(node, A, _ts(cls))
        add(node, _n(str(SKOS.inScheme)), scheme)
        add(node, _n(str(SKOS.notation)), _str(term.id))
        for prop in (LABEL, PREF_LABEL):
            add(node, prop, _ja(term.ja))
            add(node, prop, _en(term.en))
        for alias in term.aliases:
            add(node, ALT_LABEL, _ja(alias))
        if term.note:
            add(node, _n(str(SKOS.note)), _en(term.note))

    def scheme_node(name: str, ja: str, en: str) -> ox.NamedNode:
        node = _n(str(SCHEME_ID[name]))
        add(node, A, _n(str(SKOS.ConceptScheme)))
        for prop in (LABEL, PREF_LABEL):
            add(node, prop, _ja(ja))
            add(node, prop, _en(en))
        return node

    top = _n(str(SKOS.topConceptOf))
    has_top = _n(str(SKOS.hasTopConcept))

    activities = scheme_node("activity-types", "取組の種類", "Activity types")
    for group in vocab.activity_groups():
        node = _n(str(ACTIVITY_TYPE_ID[group.id]))
        concept(node, "ActivityGroup", activities, group)
        add(node, top, activities)
        add(activities, has_top, node)
    for term in vocab.activity_types():
        node = _n(str(ACTIVITY_TYPE_ID[term.id]))
        concept(node, "ActivityType", activities, term)
        parent = _n(str(ACTIVITY_TYPE_ID[term.group or ""]))
        add(node, _n(str(SKOS.broader)), parent)
        add(parent, _n(str(SKOS.narrower)), node)

    targets = scheme_node("target-groups", "取組の対象", "Target groups")
    for term in vocab.target_groups():
        node = _n(str(TARGET_GROUP_ID[term.id]))
        concept(node, "TargetGroup", targets, term)
        add(node, top, targets)
        add(targets, has_top, node)

    forms = scheme_node("legal-forms", "法人格", "Legal forms")
    for term, _prefixes in vocab.legal_forms():
        node = _n(str(LEGAL_FORM_ID[term.id]))
        concept(node, "LegalForm", forms, term)
        add(node, top, forms)
        add(forms, has_top, node)

    for s, p, o in _partner_category_triples():
        add(_to_ox(s), _to_ox(p), _to_ox(o))  # type: ignore[arg-type]
    partners = _n(str(SCHEME_ID["partner-categories"]))
    for iri in partner_categories().values():
        add(partners, has_top, _n(str(iri)))
    return out


@cache
def _term_indexes() -> dict[str, dict[str, vocab.Term]]:
    return {
        "activity": vocab.label_index(vocab.activity_types()),
        "target": vocab.label_index(vocab.target_groups()),
        "legal": vocab.label_index(tuple(term for term, _ in vocab.legal_forms())),
    }


# ---------------------------------------------------------------- records


@dataclass
class _Builder:
    keep_quads: bool = False  # the reference path: quad objects instead of N-Quads lines
    quads: list[ox.Quad] = field(default_factory=list)
    default: set[str] = field(default_factory=set)  # N-Triples lines of the default graph
    named: dict[str, list[str]] = field(default_factory=dict)  # "<graph>" → N-Quads lines
    chunks: dict[str, bytes] = field(default_factory=dict)  # "<graph>" → its sorted N-Quads
    warnings: list[str] = field(default_factory=list)
    places: set[str] = field(default_factory=set)
    bodies: set[str] = field(default_factory=set)  # IRIs of bodies given a node of their own
    parents: set[str] = field(default_factory=set)  # bodies named as another body's parent
    shared: set[tuple[str, str, str]] = field(default_factory=set)

    def add_shared(self, s: ox.NamedNode, p: ox.NamedNode, o: _Term) -> None:
        """A statement about a node many cases name (a partner body): default graph, once."""
        if not self.keep_quads:
            self.add(s, p, o)  # the default graph is a set of lines already
            return
        key = (s.value, p.value, str(o))
        if key not in self.shared:
            self.shared.add(key)
            self.add(s, p, o)

    def add(
        self,
        s: ox.NamedNode,
        p: ox.NamedNode,
        o: _Term,
        g: ox.NamedNode | ox.DefaultGraph = _DefaultGraph,
    ) -> None:
        if self.keep_quads:
            self.quads.append(ox.Quad(s, p, o.to_ox() if isinstance(o, _Lit) else o, g))
            return
        obj = _lit_nt(o) if type(o) is _Lit else _nt(o)  # type: ignore[arg-type]
        if g is _DefaultGraph:
            self.default.add(f"{_nt(s)} {_nt(p)} {obj} .")
        else:
            name = _nt(g)  # type: ignore[arg-type]
            lines = self.named.get(name)
            if lines is None:
                lines = self.named[name] = []
            lines.append(f"{_nt(s)} {_nt(p)} {obj} {name} .")

    def flush(self) -> None:
        """Turn the named graphs of the records added so far into sorted N-Quads bytes, so
        only one record's statements are ever held as Python strings."""
        for name, lines in self.named.items():
            old = self.chunks.get(name)
            if old is not None:  # a graph spread over two records: merge them
                lines += old.decode("utf-8").splitlines()
            self.chunks[name] = _lines_bytes(lines)
        self.named.clear()

    def text(
        self, s: ox.NamedNode, p: ox.NamedNode, value: str | None, g: ox.NamedNode
    ) -> None:
        if value:
            self.add(s, p, _ja(value), g)

    # -- places (facts of the official list, so in the default graph, once each)

    def place(self, place: Place) -> ox.NamedNode:
        node = _n(str(place_iri(place.code)))
        if place.code in self.places:
            return node
        self.places.add(place.code)
        gaz = gazetteer()
        self.add(node, LABEL, _ja(place.name))
        self.add(node, _ts("lgCode"), _str(place.code))
        self.add(node, EXACT_MATCH, _n(f"{SAC}C{place.sac_code}"))
        if place.kind == "prefecture":
            self.add(node, A, _ts("Prefecture"))
            if place.name_en:
                self.add(node, LABEL, _en(place.name_en))
            return node
        self.add(node, A, _ts("Municipality"))
        self.add(node, _ts("inPrefecture"), self.place(gaz.prefectures[place.prefecture]))
        if place.kind == "ward":
            self.add(node, A, _ts("Ward"))
            city = gaz.parent(place)
            if city.kind != "prefecture":
                self.add(node, _ts("wardOf"), self.place(city))
        for successor in gaz.successors(place):  # a historical place (浜松市中区 → 中央区)
            self.add(node, IS_REPLACED_BY, self.place(successor))
        return node

    def place_by_code(self, code: str) -> ox.NamedNode | None:
        place = gazetteer().by_code.get(code)
        return self.place(place) if place else None

    def place_by_name(self, name: str, prefectures: Iterable[str]) -> ox.NamedNode | None:
        place = _find_place(name, prefectures)
        return self.place(place) if place else None

    # -- one record

    def record(self, rec: Mapping[str, Any]) -> None:
        case_id = _required(rec, "case_id")
        # A case without 団体名 or 取組名 is kept (the reader warned with file:line): its node is
        # minted from the case id, says so with ts:nameMissing, and is labelled as unnamed.
        name = _optional(rec, "org_name")
        title_text = _optional(rec, "initiative_title")
        org_name = name or f"（団体名の記載なし：事例 {case_id}）"
        title = title_text or f"（取組名の記載なし：事例 {case_id}）"
        org_path = slug(name) if name else f"unnamed/{slug(case_id)}"
        ini_path = f"{org_path}/{slug(title_text) if title_text else 'untitled/' + slug(case_id)}"
        case = _n(str(case_iri(case_id)))
        org = _n(str(ORG_ID[org_path]))
        ini = _n(str(INITIATIVE_ID[ini_path]))
        for node, known in ((org, name), (ini, title_text)):
            if not known:
                self.add(node, _ts("nameMissing"), _bool(True), case)
        self.provenance(rec, case_id, case, org_name)
        self.organisation(rec, case_id, case, org, org_name)
        self.initiative(rec, case_id, case, org, ini, title)
        self.outcomes(rec, case, ini, title)
        self.partners(rec, case_id, case, org, ini, org_name)

    def provenance(self, rec: Mapping[str, Any], case_id: str, case: ox.NamedNode,
                   org_name: str) -> None:
        source = rec.get("source") or {}
        self.add(case, A, _ts("Case"))
        self.add(case, A, _n(str(PROV.Entity)))
        self.add(case, LABEL, _ja(f"事例 {case_id}（{org_name}）"))
        self.add(case, _n(str(DCTERMS.identifier)), _str(case_id))
        if source.get("file"):
            file = str(source["file"])
            book = _n(str(source_iri(file)))
            self.add(book, A, _ts("Casebook"))
            self.add(book, A, _n(str(PROV.Entity)))
            self.add(book, LABEL, _ja(Path(file).name))
            self.add(book, _ts("sourceFile"), _str(file))
            self.add(case, _n(str(PROV.wasDerivedFrom)), book)
        for key, prop in (("line_start", "lineStart"), ("line_end", "lineEnd")):
            if isinstance(source.get(key), int):
                self.add(case, _ts(prop), _int(source[key]))

    def organisation(self, rec: Mapping[str, Any], case_id: str, case: ox.NamedNode,
                     org: ox.NamedNode, org_name: str) -> None:
        self.add(org, A, _ts("Organisation"), case)
        self.add(org, LABEL, _ja(org_name), case)
        for alias in rec.get("org_aliases") or ():
            if alias != org_name:
                self.add(org, ALT_LABEL, _ja(alias), case)
        self.add(org, _ts("describedIn"), case, case)
        form = rec.get("legal_form")
        if form:
            term = _term_indexes()["legal"].get(match_key(form))
            if term is None:
                self.warnings.append(f"{case_id}: unknown legal form {form!r}")
            else:
                self.add(org, _ts("legalForm"), _n(str(LEGAL_FORM_ID[term.id])), case)
        municipality = rec.get("address_municipality")
        if municipality:
            prefectures = [rec["address_prefecture"]] if rec.get("address_prefecture") else []
            node = self.place_by_name(municipality, prefectures)
            if node is None:
                self.warnings.append(f"{case_id}: address municipality {municipality!r} "
                                     "is not in the official list")
            else:
                self.add(org, _ts("basedIn"), node, case)
        self.text(org, _n(str(SCHEMA.address)), rec.get("address"), case)
        if rec.get("postal_code"):
            self.add(org, _n(str(SCHEMA.postalCode)), _str(rec["postal_code"]), case)
        website = rec.get("website")
        if website:
            try:
                self.add(org, _n(str(SCHEMA.url)), ox.NamedNode(website), case)
            except ValueError:
                self.warnings.append(f"{case_id}: website {website!r} is not a valid IRI")
        for key, prop in (("founded", _n(str(SCHEMA.foundingDate))),
                          ("incorporated", _ts("incorporated"))):
            if rec.get(key):
                try:
                    self.add(org, prop, _date(str(rec[key])), case)
                except GraphBuildError as err:
                    self.warnings.append(f"{case_id}: {key}: {err}")
        self.text(org, _ts("representative"), rec.get("representative"), case)
        if isinstance(rec.get("staff_count"), int):
            self.add(org, _ts("staffCount"), _int(rec["staff_count"]), case)
        self.text(org, _ts("message"), rec.get("message"), case)

    def initiative(self, rec: Mapping[str, Any], case_id: str, case: ox.NamedNode,
                   org: ox.NamedNode, ini: ox.NamedNode, title: str) -> None:
        self.add(org, _ts("runs"), ini, case)
        self.add(ini, A, _ts("Initiative"), case)
        self.add(ini, LABEL, _ja(title), case)
        self.add(ini, _ts("describedIn"), case, case)
        for key, prop, index, namespace in (
            ("activity_primary", "primaryActivity", "activity", ACTIVITY_TYPE_ID),
            ("activity_secondary", "secondaryActivity", "activity", ACTIVITY_TYPE_ID),
            ("target_primary", "primaryTarget", "target", TARGET_GROUP_ID),
            ("target_secondary", "secondaryTarget", "target", TARGET_GROUP_ID),
        ):
            for label in rec.get(key) or ():
                term = _term_indexes()[index].get(match_key(label))
                if term is None:
                    raise GraphBuildError(f"{case_id}: {key}: unknown label {label!r}")
                concept = _n(str(namespace[term.id]))
                self.add(ini, _ts(prop), concept, case)
                # The super-property too, so plain SPARQL (no RDFS inference) finds both.
                self.add(ini, _ts(index if index == "activity" else "targets"), concept, case)
        prefectures = list(rec.get("region_prefectures") or ())
        covered: set[str] = set()
        for name in rec.get("region_municipalities") or ():
            place = _find_place(name, prefectures)
            if place is None:
                self.warnings.append(f"{case_id}: region municipality {name!r} "
                                     "is not in the official list")
                continue
            self.add(ini, _ts("activeIn"), self.place(place), case)
            covered.add(place.prefecture)
        for name in prefectures:
            if name in covered:
                continue  # the municipality is more precise; its prefecture is one hop away
            node = self.place_by_name(name, ())
            if node is None:
                self.warnings.append(f"{case_id}: region prefecture {name!r} is unknown")
            else:
                self.add(ini, _ts("activeIn"), node, case)
        for key, prop in (
            ("region_text", "regionText"), ("region_note", "regionNote"),
            ("purpose", "purpose"), ("audience", "audience"), ("content", "content"),
            ("outreach", "outreach"), ("outcomes_text", "outcomesText"),
            ("scenes_text", "scenesText"), ("partners_text", "partnersText"),
        ):
            self.text(ini, _ts(prop), rec.get(key), case)

    def outcomes(self, rec: Mapping[str, Any], case: ox.NamedNode, ini: ox.NamedNode,
                 title: str) -> None:
        for number, metric in enumerate(rec.get("metrics") or (), start=1):
            # Position in the case's own metric list: stable unless the case text changes.
            node = _n(f"{ini.value}/outcome/{number}")
            label = metric.get("label") or metric.get("text") or f"{title}の成果{number}"
            self.add(ini, _ts("hasOutcome"), node, case)
            self.add(node, A, _ts("Outcome"), case)
            self.add(node, LABEL, _ja(str(label)), case)
            self.add(node, _n(str(SCHEMA.value)), _number(metric.get("value")), case)
            if metric.get("unit"):
                self.add(node, _n(str(SCHEMA.unitText)), _str(str(metric["unit"])), case)
            for qualifier in str(metric.get("qualifier") or "").split(","):
                if qualifier.strip():
                    self.add(node, _ts("qualifier"), _str(qualifier.strip()), case)
            self.text(node, _ts("sourceText"), metric.get("text"), case)

    def partners(self, rec: Mapping[str, Any], case_id: str, case: ox.NamedNode,
                 org: ox.NamedNode, ini: ox.NamedNode, org_name: str) -> None:
        partnerships: dict[str, ox.NamedNode] = {}
        prefectures = list(rec.get("region_prefectures") or ())
        categories = partner_categories()
        for item in rec.get("partners") or ():
            ref = str(item.get("ref") or "")
            try:
                target = _n(str(ref_iri(ref)))
            except GraphBuildError as err:
                self.warnings.append(f"{case_id}: partner {item.get('mention')!r}: {err}")
                continue
            kind, _, rest = ref.partition(":")
            if kind == "place" and self.place_by_code(rest) is None:
                self.warnings.append(f"{case_id}: partner place {rest!r} is not in the list")
                continue
            if target == org:
                continue  # an organisation does not partner with itself
            category = categories.get(str(item.get("category") or ""))
            if category is None:
                self.warnings.append(
                    f"{case_id}: partner {item.get('mention')!r}: unknown category "
                    f"{item.get('category')!r}")
            canonical = str(item.get("canonical") or item.get("mention") or rest)
            mention = str(item.get("mention") or canonical)
            self.add(org, _ts("partneredWith"), target, case)
            node = partnerships.get(ref)
            if node is None:
                node = _n(f"{ini.value}/partner/{kind}/{slug(rest)}")
                partnerships[ref] = node
                self.add(org, _ts("qualifiedPartnership"), node, case)
                self.add(node, A, _ts("Partnership"), case)
                self.add(node, LABEL, _ja(f"{org_name}と{canonical}の連携"), case)
                self.add(node, _ts("partner"), target, case)
                self.add(node, _ts("initiative"), ini, case)
            self.add(node, _ts("mention"), _ja(mention), case)
            if category is not None:
                self.add(node, _ts("partnerCategory"), _n(str(category)), case)
            if item.get("role"):
                self.add(node, _ts("role"), _ja(str(item["role"])), case)
            if kind == "body":
                self.body(item, target, canonical, mention, category, prefectures)

    def body(self, item: Mapping[str, Any], node: ox.NamedNode, canonical: str, mention: str,
             category: URIRef | None, prefectures: list[str]) -> None:
        """A partner body's own statements: the default graph, since many cases name it."""
        self.bodies.add(node.value)
        self.add_shared(node, A, _ts("PartnerBody"))
        self.add_shared(node, LABEL, _ja(canonical))
        if mention != canonical:
            self.add_shared(node, ALT_LABEL, _ja(mention))
        if category is not None:
            self.add_shared(node, _ts("partnerCategory"), _n(str(category)))
        self.add_shared(node, _ts("generic"), _bool(bool(item.get("generic"))))
        parent: ox.NamedNode | None = None
        parent_ref = item.get("parent")
        if parent_ref:
            kind, _, rest = str(parent_ref).partition(":")
            try:
                parent = _n(str(ref_iri(str(parent_ref))))
            except GraphBuildError as err:
                self.warnings.append(f"{canonical}: parent: {err}")
            else:
                if kind == "place" and self.place_by_code(rest) is None:
                    parent = None
                elif kind == "body":
                    self.parents.add(parent.value)
            if parent is not None:
                self.add_shared(node, _n(str(ORG.subOrganizationOf)), parent)
        located = _municipality_node(self, item.get("municipality"), prefectures)
        if located is None and parent is not None and parent.value.startswith(str(PLACE_ID)):
            located = parent  # a department of a local government is located in it
        if located is not None:
            self.add_shared(node, _ts("locatedIn"), located)

    def finish(self) -> None:
        # A body named only as another body's parent still needs a type and a label.
        for iri in sorted(self.parents):
            if iri in self.bodies:
                continue
            node = _n(iri)
            self.add_shared(node, A, _ts("PartnerBody"))
            self.add_shared(node, LABEL, _ja(unquote(iri[len(str(BODY_ID)) :])))


def _find_place(name: str, prefectures: Iterable[str]) -> Place | None:
    gaz = gazetteer()
    if name in gaz.prefectures:
        return gaz.prefectures[name]
    for prefecture in (*prefectures, None):
        place = gaz.municipality(name, prefecture)
        if place is not None:
            return place
    return None


def _municipality_node(builder: _Builder, value: Any,
                       prefectures: list[str]) -> ox.NamedNode | None:
    if not value:
        return None
    text = str(value)
    if text.startswith("place:"):
        text = text[len("place:"):]
    if re.fullmatch(r"\d{6}", text):
        return builder.place_by_code(text)
    return builder.place_by_name(text, prefectures)


def _optional(rec: Mapping[str, Any], key: str) -> str | None:
    value = rec.get(key)
    return value if isinstance(value, str) and value.strip() else None


def _required(rec: Mapping[str, Any], key: str, case_id: str | None = None) -> str:
    value = rec.get(key)
    if not isinstance(value, str) or not value.strip():
        where = f"{case_id}: " if case_id else ""
        raise GraphBuildError(f"{where}record has no {key}")
    return value


def _build(builder: _Builder, records: Iterable[Mapping[str, Any]]) -> None:
    for s, p, o in _vocabulary_quads():
        builder.add(s, p, o)
    for rec in records:
        builder.record(rec)
        builder.flush()
    builder.finish()
    builder.flush()


def _lines_bytes(lines: Iterable[str]) -> bytes:
    text = "\n".join(sorted(set(lines)))
    return (text + "\n").encode("utf-8") if text else b""


def consumed(records: list[Any]) -> Iterator[Any]:
    """Each record of ``records`` in order, taken out of the list as it is handed over, so
    :func:`build_graph` releases each record as soon as its statements are made (the list
    is empty afterwards): the records and the graph's bytes are never both whole at once."""
    records.reverse()  # popping from the end is O(1); the order given is kept
    while records:
        yield records.pop()


def build_graph(records: Iterable[Mapping[str, Any]]) -> KnowledgeGraph:
    """The knowledge graph of the records (dicts of the cases.json contract), with all
    vocabularies; raises GraphBuildError on a record that breaks the contract."""
    builder = _Builder()
    _build(builder, records)
    # Code-point order of str is byte order of UTF-8, so sorting the str lines sorts the bytes.
    graphs = tuple((name, builder.chunks.pop(name)) for name in sorted(builder.chunks))
    return KnowledgeGraph(_lines_bytes(builder.default), graphs, tuple(builder.warnings))
