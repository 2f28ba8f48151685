"""tsunagari-graph: casebooks of NPO work against loneliness → a knowledge graph.

The public API, one stage after another (``casebook text → records → graph → exports``)::

    import graph

    read = graph.read_casebooks([graph.casebook_dir()])      # reader: records
    graph.resolve_partners(read.records)                     # partners: bodies, one key each
    kg = graph.build_graph(read.records)                     # rdf: the knowledge graph
    graph.check_graph(kg)                                    # validate: SHACL
    net = graph.build_network(kg)                            # network: who works with whom
    html = graph.render_html(net)                            # view: the offline page
    rows = graph.run_query("gaps", kg)                       # sparql: a bundled query

or all of it at once: ``graph.run_build([...])``. Names are imported on first use, so
``import graph`` stays cheap for the command line.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# name → module that defines it
_API = {
    # errors
    "TsunagariError": "graph.errors",
    "InputError": "graph.errors",
    "SystemFaultError": "graph.errors",
    # resources
    "casebook_dir": "graph.resources",
    # the record contract
    "Record": "graph.reader.record",
    "Partner": "graph.reader.record",
    "Metric": "graph.reader.record",
    "Warning": "graph.reader.record",
    "RECORD_KEYS": "graph.reader.record",
    "PARTNER_KEYS": "graph.reader.record",
    # reader
    "CasebookError": "graph.reader.casebook",
    "ReadResult": "graph.reader.casebook",
    "read_casebooks": "graph.reader.casebook",
    "read_casebook_text": "graph.reader.casebook",
    "ReadCache": "graph.reader.cache",
    # partners
    "extract_partners": "graph.partners.extract",
    "resolve_partners": "graph.partners.extract",
    "partner_bodies": "graph.partners.extract",
    "shared_partners": "graph.partners.extract",
    # rdf
    "KnowledgeGraph": "graph.rdf.build",
    "GraphBuildError": "graph.rdf.build",
    "build_graph": "graph.rdf.build",
    "export_turtle": "graph.rdf.build",
    "export_trig": "graph.rdf.build",
    "DataFileError": "graph.rdf.io",
    "load_store": "graph.rdf.io",
    # validate
    "ValidationError": "graph.validate.shacl",
    "ValidationReport": "graph.validate.shacl",
    "check_graph": "graph.validate.shacl",
    "validate_graph": "graph.validate.shacl",
    "validate_file": "graph.validate.shacl",
    # network and view
    "build_network": "graph.network.analysis",
    "analyse_network": "graph.network.analysis",
    "export_graphml": "graph.network.graphml",
    "export_gexf": "graph.network.gephi",
    "render_html": "graph.view.render",
    # sparql
    "QueryError": "graph.sparql.query",
    "bundled_queries": "graph.sparql.query",
    "run_query": "graph.sparql.query",
    "format_result": "graph.sparql.query",
    "start_server": "graph.sparql.serve",
    "push_graph": "graph.sparql.push",
    # the whole build
    "BuildResult": "graph.pipeline",
    "cases_json": "graph.pipeline",
    "run_build": "graph.pipeline",
    "write_outputs": "graph.pipeline",
}

__all__ = sorted(_API)


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'graph' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if TYPE_CHECKING:  # for type checkers and editors: the same names, imported eagerly
    from graph.errors import InputError, SystemFaultError, TsunagariError
    from graph.network.analysis import analyse_network, build_network
    from graph.network.gephi import export_gexf
    from graph.network.graphml import export_graphml
    from graph.partners.extract import (
        extract_partners,
        partner_bodies,
        resolve_partners,
        shared_partners,
    )
    from graph.pipeline import BuildResult, cases_json, run_build, write_outputs
    from graph.rdf.build import (
        GraphBuildError,
        KnowledgeGraph,
        build_graph,
        export_trig,
        export_turtle,
    )
    from graph.rdf.io import DataFileError, load_store
    from graph.reader.cache import ReadCache
    from graph.reader.casebook import CasebookError, ReadResult, read_casebook_text, read_casebooks
    from graph.reader.record import PARTNER_KEYS, RECORD_KEYS, Metric, Partner, Record, Warning
    from graph.resources import casebook_dir
    from graph.sparql.push import push_graph
    from graph.sparql.query import QueryError, bundled_queries, format_result, run_query
    from graph.sparql.serve import start_server
    from graph.validate.shacl import (
        ValidationError,
        ValidationReport,
        check_graph,
        validate_file,
        validate_graph,
    )
    from graph.view.render import render_html
