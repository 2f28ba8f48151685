"""Corpus-wide resolution: one reference per real body across cases and casebooks."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from graph.parallel import fork_map
from graph.partners.bodies import bodies
from graph.partners.categorise import strip_legal_form
from graph.partners.rules import Rules, load_rules
from graph.text.normalize import key


def resolution_key(rules: Rules, canonical: str, category: str, municipality: str | None) -> str:
    """The key under which the same real body meets across cases."""
    name = key(canonical)
    for brand, official in rules.brand_forms:  # JA豊橋 and 豊橋農業協同組合: one body
        if name.startswith(brand) and len(name) > len(brand) + 1:
            name = name[len(brand) :] + official
            break
    local = category in rules.local_categories or name.endswith(rules.local_name_endings)
    if local and municipality and not name.startswith(municipality):
        return municipality + name  # 城町内会, ひまわり保育園 exist in many towns
    return name


def _org_index(rules: Rules, records: list[dict[str, Any]]) -> dict[str, str]:
    index: dict[str, str] = {}
    for rec in records:
        org = rec.get("org_name")
        if not org:
            continue
        for name in [org, *(rec.get("org_aliases") or [])]:
            index.setdefault(key(strip_legal_form(rules, name)[0]), org)
    return index


def resolve_partners(records: list[dict[str, Any]], rules: Rules | None = None) -> None:
    """Set ``partners`` on every record, each partner with its ``ref`` and ``parent`` (in place)."""
    rules = rules or load_rules()
    orgs = _org_index(rules, records)
    # Extraction is per case; only the organisation index spans the corpus.
    found = fork_map(partial(_resolve_case, rules, orgs=orgs), records)
    for rec, partners in zip(records, found, strict=True):
        rec["partners"] = partners


def _resolve_case(rules: Rules, rec: dict[str, Any], orgs: dict[str, str]) -> list[dict[str, Any]]:
    """The partners of one case, each with its ``ref`` and ``parent``."""
    partners = []
    for body in bodies(rules, rec):
        item = body.public()
        org = orgs.get(key(body.canonical))
        if body.place is not None:
            ref = f"place:{body.place.code}"
        elif org is not None and org != rec.get("org_name"):
            ref = f"org:{org}"
        elif body.generic:  # a kind as the case writes it: 熊本市の農家, 菊陽町の農家 are two
            ref = f"body:{rec.get('case_id')}/{key(body.mention)}"
        else:
            ref = "body:" + resolution_key(rules, body.canonical, body.category, body.municipality)
        item["ref"] = ref
        item["parent"] = f"place:{body.parent.code}" if body.parent is not None else None
        partners.append(item)
    return partners


@dataclass(frozen=True)
class PartnerBody:
    """A resolved partner body and the organisations that name it, with their roles."""

    ref: str
    label: str
    category: str
    generic: bool
    orgs: dict[str, tuple[str, ...]]  # organisation → roles, in record order


def partner_bodies(
    records: list[dict[str, Any]], rules: Rules | None = None
) -> list[PartnerBody]:
    """Every body named as a partner, most organisations first, then by label."""
    rules = rules or load_rules()
    if any("partners" not in rec for rec in records):
        resolve_partners(records, rules)
    gz = rules.places
    found: dict[str, tuple[dict[str, Any], dict[str, set[str]]]] = {}
    for rec in records:
        for partner in rec["partners"]:
            _, orgs = found.setdefault(partner["ref"], (partner, {}))
            roles = orgs.setdefault(rec["org_name"], set())
            if partner["role"]:
                roles.add(partner["role"])
    bodies = []
    for ref, (first, orgs) in found.items():
        if ref.startswith("place:"):
            label = gz.by_code[ref[6:]].name
        elif ref.startswith("org:"):
            label = ref[4:]
        else:
            label = first["canonical"]
        roles_of = {org: tuple(sorted(roles)) for org, roles in orgs.items()}
        bodies.append(PartnerBody(ref, label, first["category"], first["generic"], roles_of))
    return sorted(bodies, key=lambda body: (-len(body.orgs), body.label, body.ref))


def shared_partners(
    records: list[dict[str, Any]], rules: Rules | None = None
) -> list[tuple[str, str, list[str]]]:
    """Bodies linked to two or more organisations: (ref, label, org names), most shared first."""
    return [
        (body.ref, body.label, list(body.orgs))
        for body in partner_bodies(records, rules)
        if not body.generic and len(body.orgs) >= 2
    ]
