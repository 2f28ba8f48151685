"""The triples the network reads from the RDF graph, indexed by subject and predicate.

IRIs are plain ``str``, blank nodes ``"_:" + id``, literals ``Lit``; the helpers below read
labels and first values from the index in a stable order.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable
from typing import Any, NamedTuple, cast

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal

from graph.parallel import gc_paused
from graph.rdf.namespaces import ORG, PROV, RDF, RDFS, SCHEMA, SKOS, TS

# Node kinds in legend order; the first class a node has in this order decides its kind, so a
# local government named as a partner stays a municipality and a casebook organisation named
# as another's partner stays an organisation.
KINDS: tuple[str, ...] = (
    "organisation", "partner", "municipality", "prefecture", "target", "activity",
)
_KIND_CLASSES: tuple[tuple[str, str], ...] = (
    (str(TS.Organisation), "organisation"),
    (str(TS.Municipality), "municipality"),
    (str(TS.Prefecture), "prefecture"),
    (str(TS.PartnerBody), "partner"),
    (str(TS.TargetGroup), "target"),
    (str(TS.ActivityType), "activity"),
)

VOCAB_KINDS = frozenset({"target", "activity"})
PLACE_KINDS = frozenset({"municipality", "prefecture"})


class _P:
    """Predicates as plain strings: the index is keyed by ``str``, and an rdflib ``URIRef``
    neither equals nor hashes like the string it spells."""

    type = str(RDF.type)
    label, pref_label, alt_label = str(RDFS.label), str(SKOS.prefLabel), str(SKOS.altLabel)
    notation = str(SKOS.notation)
    partnered_with, based_in, runs = str(TS.partneredWith), str(TS.basedIn), str(TS.runs)
    qualified_partnership, partner, role = (
        str(TS.qualifiedPartnership), str(TS.partner), str(TS.role)
    )
    region_text, has_outcome, qualifier = str(TS.regionText), str(TS.hasOutcome), str(TS.qualifier)
    value, unit_text, url = str(SCHEMA.value), str(SCHEMA.unitText), str(SCHEMA.url)
    described_in, derived_from = str(TS.describedIn), str(PROV.wasDerivedFrom)
    source_file, line_start, line_end = str(TS.sourceFile), str(TS.lineStart), str(TS.lineEnd)
    legal_form, partner_category = str(TS.legalForm), str(TS.partnerCategory)
    generic, lg_code = str(TS.generic), str(TS.lgCode)


_LABELS = (_P.label, _P.pref_label)
_INITIATIVE_LINKS: tuple[tuple[str, str], ...] = (
    (str(TS.activeIn), "runs_in"),
    (str(TS.primaryTarget), "targets_primary"),
    (str(TS.secondaryTarget), "targets_secondary"),
    (str(TS.primaryActivity), "activity_primary"),
    (str(TS.secondaryActivity), "activity_secondary"),
)
# ★ wins over ☆ when two initiatives of one organisation disagree.

_PARENT_LINKS: tuple[tuple[str, str], ...] = (
    (str(TS.locatedIn), "located_in"),
    (str(TS.inPrefecture), "located_in"),
    (str(TS.wardOf), "located_in"),
    (str(ORG.subOrganizationOf), "part_of"),
)


class Lit(NamedTuple):
    """A literal as the network reads it: its lexical form and language tag ("" for none)."""

    value: str
    lang: str = ""

    def __str__(self) -> str:
        return self.value


# IRIs are plain ``str``, blank nodes ``"_:" + id``, literals ``Lit``. rdflib terms are not used
# here: building a million ``URIRef``/``Literal`` objects cost more than the rest of the stage.
Term = str | Lit

# Every predicate ``build_network`` reads. The index keeps only these, which skips about a third
# of a casebook graph (prose, mentions, founding dates) without converting it.
_READ_PREDICATES: frozenset[str] = frozenset(
    v for k, v in vars(_P).items() if not k.startswith("_")
) | {p for p, _ in _INITIATIVE_LINKS} | {p for p, _ in _PARENT_LINKS}
# rdf:type is kept only for the classes that give a node its kind
_KIND_CLASS_SET = frozenset(cls for cls, _ in _KIND_CLASSES)


class TripleIndex:
    """The triples ``build_network`` reads, indexed by subject and predicate (graphs merged)."""

    def __init__(self) -> None:
        # a few terms as a tuple, many as a set (see _read_nquads)
        self._out: dict[tuple[Term, str], Any] = {}
        self._typed: dict[str, set[Term]] = defaultdict(set)

    def _add(self, s: Term, p: str, o: Term) -> None:
        bucket = self._out.get((s, p))
        if bucket is None:
            self._out[(s, p)] = {o}
        else:
            bucket.add(o)

    @classmethod
    def from_quads(cls, quads: Iterable[ox.Quad]) -> TripleIndex:
        """Index pyoxigraph quads, converting only the terms that are read.

        This loop runs once per quad (1.2 million at 10,000 cases), so it is written flat:
        subjects are converted once each, and unread predicates cost one dict look-up.
        """
        with gc_paused():
            return cls._from_quads(quads)

    @classmethod
    def _from_quads(cls, quads: Iterable[ox.Quad]) -> TripleIndex:
        index = cls()
        # keyed by pyoxigraph terms (Any: its stubs type term unions loosely)
        wanted: dict[Any, str] = {ox.NamedNode(p): p for p in _READ_PREDICATES if p != _P.type}
        rdf_type = ox.NamedNode(_P.type)
        kinds: dict[Any, str] = {ox.NamedNode(c): c for c in _KIND_CLASS_SET}
        subjects: dict[Any, Term] = {}
        named, literal = ox.NamedNode, ox.Literal
        out, typed = index._out, index._typed
        for quad in quads:
            pred = wanted.get(quad.predicate)
            obj: Term | None
            is_type = pred is None
            if is_type:
                if quad.predicate != rdf_type:
                    continue
                pred, obj = _P.type, kinds.get(quad.object)
                if obj is None:
                    continue
            else:
                term: Any = quad.object
                kind = type(term)
                obj = (term.value if kind is named
                       else Lit(term.value, term.language or "") if kind is literal
                       else "_:" + term.value)
            subject = subjects.get(quad.subject)
            if subject is None:
                subject = subjects[quad.subject] = _from_ox(quad.subject)
            key = (subject, cast(str, pred))
            bucket = out.get(key)
            if bucket is None:
                out[key] = {obj}
            else:
                bucket.add(obj)
            if is_type:
                typed[cast(str, obj)].add(subject)
        return index

    @classmethod
    def from_nquads(cls, chunks: Iterable[bytes]) -> TripleIndex:
        """Index N-Quads (or N-Triples) text as Oxigraph writes it, line by line, without
        making a term object of any statement the network does not read.

        The predicate is cut from each line first and looked up as bytes, so the third of a
        casebook graph that is never read costs one split and one dict look-up a line; only
        the objects of read predicates are decoded. The result is the index ``from_quads``
        makes of the same text (a test compares them).
        """
        with gc_paused():
            index = cls()
            index._read_nquads(chunks)
            return index

    def _read_nquads(self, chunks: Iterable[bytes]) -> None:
        wanted = {f"<{p}>".encode(): p for p in _READ_PREDICATES if p != _P.type}
        rdf_type = f"<{_P.type}>".encode()
        kinds = {f"<{c}>".encode(): c for c in _KIND_CLASS_SET}
        iris: dict[bytes, str] = {}  # "<iri>" or "_:id" → its str, made once
        langs: dict[bytes, str] = {}
        out, typed = self._out, self._typed
        obj: Term
        for chunk in chunks:
            for line in chunk.splitlines():
                subject_nt, pred_nt, rest = line.split(b" ", 2)
                pred = wanted.get(pred_nt)
                if pred is None:
                    if pred_nt != rdf_type:
                        continue
                    cls = kinds.get(rest[:rest.find(b" ")])
                    if cls is None:
                        continue
                    subject = iris.get(subject_nt)
                    if subject is None:
                        subject = iris[subject_nt] = _nt_resource(subject_nt)
                    typed[cls].add(subject)
                    pred, obj = _P.type, cls
                else:
                    subject = iris.get(subject_nt)
                    if subject is None:
                        subject = iris[subject_nt] = _nt_resource(subject_nt)
                    if rest[0] == 34:  # a quoted literal: it ends at the line's last quote
                        # (no IRI, language tag or datatype after it can hold a '"')
                        end = rest.rindex(b'"')
                        lexical = rest[1:end].decode("utf-8")
                        if "\\" in lexical:
                            lexical = _nt_unescape(lexical)
                        tag = b""
                        if rest[end + 1:end + 2] == b"@":
                            tag = rest[end + 2:rest.index(b" ", end)]
                        lang = langs.get(tag)
                        if lang is None:
                            lang = langs[tag] = tag.decode("ascii")
                        obj = Lit(lexical, lang)
                    else:
                        obj_nt = rest[:rest.find(b" ")]
                        resource = iris.get(obj_nt)
                        if resource is None:
                            resource = iris[obj_nt] = _nt_resource(obj_nt)
                        obj = resource
                key = (subject, pred)
                bucket = out.get(key)
                if bucket is None:
                    out[key] = (obj,)  # most buckets hold one term: a tuple is a quarter
                elif obj not in bucket:  # of a set's size (a statement may be in two graphs)
                    if type(bucket) is tuple:
                        out[key] = (*bucket, obj) if len(bucket) < 16 else {*bucket, obj}
                    else:
                        bucket.add(obj)

    @classmethod
    def from_rdflib(cls, graph: Graph) -> TripleIndex:
        """Index an rdflib graph."""
        index = cls()
        for s, p, o in graph.triples((None, None, None)):
            pred = str(p)
            if pred not in _READ_PREDICATES:
                continue
            obj = _from_rdflib(o)
            if pred == _P.type:
                if obj not in _KIND_CLASS_SET:
                    continue
                index._typed[cast(str, obj)].add(_from_rdflib(s))
            index._add(_from_rdflib(s), pred, obj)
        return index

    def objects(self, subject: Term | None, predicate: str) -> Collection[Term]:
        """Objects of ``subject predicate ?o``."""
        if predicate not in _READ_PREDICATES or type(predicate) is not str:
            raise KeyError(f"{predicate!r} is not an indexed plain-str predicate (see _P)")
        return self._out.get((subject, predicate), ()) if subject is not None else ()

    def typed(self, cls: str) -> Iterable[Term]:
        """Subjects of ``?s rdf:type cls``, for the node-kind classes."""
        return self._typed.get(cls, ())


_NT_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_NT_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'",
             "\\": "\\"}


def _nt_char(match: re.Match[str]) -> str:
    code = match.group(1) or match.group(2)
    return chr(int(code, 16)) if code else _NT_ECHAR[match.group(3)]


def _nt_unescape(text: str) -> str:
    """An N-Triples string's escapes (ECHAR, UCHAR) read back."""
    return _NT_ESCAPE.sub(_nt_char, text)


def _nt_resource(term: bytes) -> str:
    """``<iri>`` → the IRI, ``_:id`` → ``"_:id"`` (Oxigraph writes IRIs unescaped)."""
    return term[1:-1].decode("utf-8") if term[:1] == b"<" else term.decode("utf-8")


def _from_ox(term: Any) -> Term:
    kind = type(term)
    if kind is ox.NamedNode:
        return cast(str, term.value)
    if kind is ox.Literal:
        return Lit(term.value, term.language or "")
    return "_:" + str(term.value)


def _from_rdflib(term: Any) -> Term:
    if isinstance(term, Literal):
        return Lit(str(term), term.language or "")
    if isinstance(term, BNode):
        return "_:" + str(term)
    return str(term)


def as_triples(graph: Any) -> TripleIndex:
    """A ``KnowledgeGraph`` (its N-Quads text) or an rdflib ``Graph``, indexed for reading."""
    if isinstance(graph, TripleIndex):
        return graph
    if hasattr(graph, "nquads_chunks"):
        return TripleIndex.from_nquads(graph.nquads_chunks())
    if hasattr(graph, "quads") and not hasattr(graph, "triples"):
        return TripleIndex.from_quads(graph.quads)
    return TripleIndex.from_rdflib(graph)


def _is_iri(node: Term | None) -> bool:
    return isinstance(node, str) and not node.startswith("_:")


def _text(value: Term | None) -> str | None:
    return str(value) if isinstance(value, Lit) or _is_iri(value) else None


def _lang_literal(graph: TripleIndex, node: Term, preds: Iterable[str], lang: str) -> str | None:
    """First literal in ``lang`` over ``preds`` (the least, so the choice is stable)."""
    for pred in preds:
        found = [
            o.value for o in graph.objects(node, pred) if isinstance(o, Lit) and o.lang == lang
        ]
        if found:
            return min(found)
    return None


def _label(graph: TripleIndex, node: Term, lang: str = "ja") -> str | None:
    label = _lang_literal(graph, node, _LABELS, lang)
    if label is None and lang == "ja":
        # an untagged label is the Japanese one in this project's data
        label = _lang_literal(graph, node, _LABELS, "")
    return label


def _first(graph: TripleIndex, node: Term | None, preds: Iterable[str]) -> Term | None:
    for pred in preds:
        values = graph.objects(node, pred)
        if values:
            return min(values, key=str) if len(values) > 1 else next(iter(values))
    return None


def _kind_of(graph: TripleIndex, node: Term) -> str | None:
    types = graph.objects(node, _P.type)
    for cls, kind in _KIND_CLASSES:
        if cls in types:
            return kind
    return None

