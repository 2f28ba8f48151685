"""The network stage: the RDF graph read as a network of organisations, partners and places.

``index`` reads the triples, ``analysis`` builds and measures the network, ``shared`` finds
what organisations have in common, ``aggregate`` cuts a large network down to a view,
``layout`` places its nodes, ``gephi`` adds what Gephi needs and ``graphml``/``gephi``
write it for Gephi (GraphML, GEXF); ``xmltext`` keeps every XML export well-formed.
"""

from __future__ import annotations

from graph.network.aggregate import Aggregation, aggregate_network
from graph.network.analysis import (
    BETWEENNESS_WORK,
    MIN_PIVOTS,
    RELATIONS,
    analyse_network,
    betweenness,
    build_network,
    communities,
)
from graph.network.gephi import export_gexf, gephi_attributes, write_gexf
from graph.network.graphml import export_graphml, write_graphml
from graph.network.index import KINDS, PLACE_KINDS, VOCAB_KINDS, Lit, TripleIndex, as_triples
from graph.network.layout import layout_network
from graph.network.shared import (
    organisation_contacts,
    organisation_links,
    organisations_of,
    project_organisations,
    shared_collaborators,
    shared_places,
)

__all__ = [
    "BETWEENNESS_WORK",
    "KINDS",
    "MIN_PIVOTS",
    "PLACE_KINDS",
    "RELATIONS",
    "VOCAB_KINDS",
    "Aggregation",
    "Lit",
    "TripleIndex",
    "aggregate_network",
    "analyse_network",
    "as_triples",
    "betweenness",
    "build_network",
    "communities",
    "export_gexf",
    "export_graphml",
    "gephi_attributes",
    "layout_network",
    "organisation_contacts",
    "organisation_links",
    "organisations_of",
    "project_organisations",
    "shared_collaborators",
    "shared_places",
    "write_gexf",
    "write_graphml",
]
