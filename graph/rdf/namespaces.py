"""Every RDF namespace and prefix the project uses, in one place.

Our own terms live in a :class:`~rdflib.namespace.ClosedNamespace`, so a misspelt term
(``TS.partnerWith``) raises at import time instead of minting a silent new IRI; a test checks
that these terms and the ones declared in ``ontology/tsunagari.ttl`` are the same set.
"""

from __future__ import annotations

from rdflib import Dataset, Graph, Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SH, SKOS, XSD, ClosedNamespace

DEF_IRI = "https://w3id.org/tsunagari/def#"
ID_IRI = "https://w3id.org/tsunagari/id/"

TS_CLASSES = (
    "ActivityGroup", "ActivityType", "Case", "Casebook", "Initiative", "LegalForm",
    "Municipality", "Organisation", "Outcome", "PartnerBody", "PartnerCategory", "Partnership",
    "Prefecture", "TargetGroup", "Ward",
)
TS_OBJECT_PROPERTIES = (
    "activeIn", "activity", "basedIn", "describedIn", "hasOutcome", "inPrefecture",
    "initiative", "legalForm", "locatedIn", "partner", "partnerCategory", "partneredWith",
    "primaryActivity", "primaryTarget", "qualifiedPartnership", "runs", "secondaryActivity",
    "secondaryTarget", "targets", "wardOf",
)
TS_DATA_PROPERTIES = (
    "audience", "content", "generic", "incorporated", "lgCode", "lineEnd", "lineStart",
    "mention", "message", "nameMissing", "outcomesText", "outreach", "partnersText",
    "purpose", "qualifier", "regionNote", "regionText", "representative", "role",
    "scenesText", "sourceFile", "sourceText", "staffCount",
)

TS = ClosedNamespace(DEF_IRI, [*TS_CLASSES, *TS_OBJECT_PROPERTIES, *TS_DATA_PROPERTIES])
ID = Namespace(ID_IRI)
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = SDO  # https://schema.org/
SAC = Namespace("http://data.e-stat.go.jp/lod/sac/")

# Namespaces of IRIs minted from our data; each kind under its own path so the kinds never clash.
ORG_ID = Namespace(ID_IRI + "org/")
INITIATIVE_ID = Namespace(ID_IRI + "initiative/")
BODY_ID = Namespace(ID_IRI + "body/")
PLACE_ID = Namespace(ID_IRI + "place/")
CASE_ID = Namespace(ID_IRI + "case/")
SOURCE_ID = Namespace(ID_IRI + "source/")
SCHEME_ID = Namespace(ID_IRI + "scheme/")
TARGET_GROUP_ID = Namespace(ID_IRI + "target-group/")
ACTIVITY_TYPE_ID = Namespace(ID_IRI + "activity-type/")
PARTNER_CATEGORY_ID = Namespace(ID_IRI + "partner-category/")
LEGAL_FORM_ID = Namespace(ID_IRI + "legal-form/")

# Prefixes written into the exports and offered to queries. Only namespaces whose local
# names are plain ASCII are bound: names of organisations and bodies would need backslash
# escapes as prefixed names, which some tools read badly, so those stay full IRIs.
PREFIXES: dict[str, str] = {
    "ts": DEF_IRI,
    "place": str(PLACE_ID),
    "case": str(CASE_ID),
    "tg": str(TARGET_GROUP_ID),
    "at": str(ACTIVITY_TYPE_ID),
    "pc": str(PARTNER_CATEGORY_ID),
    "lf": str(LEGAL_FORM_ID),
    "scheme": str(SCHEME_ID),
    "sac": str(SAC),
    "org": str(ORG),
    "schema": str(SCHEMA),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "sh": str(SH),
}


def bind_prefixes(graph: Graph) -> Graph:
    """Bind every project prefix on ``graph`` (replacing rdflib's defaults) and return it."""
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)
    return graph


def new_graph() -> Graph:
    """An empty rdflib graph with all project prefixes bound."""
    return bind_prefixes(Graph(bind_namespaces="none"))


def new_dataset() -> Dataset:
    """An empty rdflib dataset (named graphs) with all project prefixes bound."""
    dataset = Dataset(default_union=True)
    bind_prefixes(dataset)
    return dataset


def sparql_prologue() -> str:
    """``PREFIX`` lines for every project prefix, for queries written in code or tests."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
