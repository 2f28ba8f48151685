"""One case around a partner cell, as every partner test builds it."""

from __future__ import annotations

from typing import Any

from graph.partners.extract import extract_partners


def case_record(text: str, prefecture: str = "北海道", municipality: str = "札幌市北区", *,
                municipalities: tuple[str, ...] | None = None, case_id: str = "t-001",
                org: str = "テスト団体") -> dict[str, Any]:
    """A record whose partner cell is ``text``, set in ``municipality`` (the first of
    ``municipalities`` when several are named) of ``prefecture``."""
    places = list(municipalities or (municipality,))
    return {
        "case_id": case_id, "org_name": org, "org_aliases": [],
        "region_prefectures": [prefecture], "region_municipalities": places,
        "address_prefecture": prefecture, "address_municipality": places[0],
        "partners_text": text, "scenes_text": None,
    }


def partners_of(text: str, prefecture: str = "北海道", municipality: str = "札幌市北区",
                **kw: Any) -> list[dict[str, Any]]:
    """The partners extracted from ``text`` in such a case."""
    return extract_partners(case_record(text, prefecture, municipality, **kw))


def named_in(text: str, prefecture: str = "北海道", municipality: str = "札幌市北区",
             **kw: Any) -> list[str]:
    """The canonical names of the named (non-generic) bodies among them."""
    return [p["canonical"] for p in partners_of(text, prefecture, municipality, **kw)
            if not p["generic"]]
