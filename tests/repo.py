"""Paths of the repository the tests check (the source of truth, not the installed copy)."""

from pathlib import Path

from graph.resources import (  # noqa: F401  (re-exported for the tests)
    CASES_JSON,
    NETWORK_GRAPHML,
    NETWORK_HTML,
    TRIG_FILE,
    TURTLE_FILE,
)

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
CASEBOOK_DIR = DATA_DIR / "casebooks"
VOCAB_DIR = DATA_DIR / "vocab"
PARTNER_RULES_DIR = DATA_DIR / "partners"
ONTOLOGY_FILE = ROOT / "ontology" / "tsunagari.ttl"
SHAPES_FILE = ROOT / "ontology" / "shapes.ttl"
EXPORTS_DIR = ROOT / "exports"
EMBEDDED = CASEBOOK_DIR / "kanto-2024-part1.txt"
