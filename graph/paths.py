"""Every path the project uses, in one place."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
CASEBOOK_DIR = DATA_DIR / "casebooks"
VOCAB_DIR = DATA_DIR / "vocab"
PARTNER_RULES_DIR = DATA_DIR / "partners"
ONTOLOGY_DIR = ROOT / "ontology"
ONTOLOGY_FILE = ONTOLOGY_DIR / "tsunagari.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
QUERIES_DIR = Path(__file__).resolve().parent / "queries"
EXPORTS_DIR = ROOT / "exports"

CASES_JSON = "cases.json"
TURTLE_FILE = "tsunagari.ttl"
TRIG_FILE = "tsunagari.trig"
NETWORK_HTML = "network.html"
NETWORK_GRAPHML = "network.graphml"


def display_path(path: Path) -> str:
    """A path as shown in records: relative to the project root when inside it."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(ROOT).as_posix()
    except ValueError:
        return resolved.as_posix()
