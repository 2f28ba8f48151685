"""tsunagari-graph: casebook text → records → RDF graph → exports."""

__version__ = "0.1.0"
