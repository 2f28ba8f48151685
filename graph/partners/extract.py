"""Partner bodies: the public functions of the partner stage.

The partner cells are free prose written by each organisation. The stage reads them in steps,
one module each: ``rules`` (the curated tables of ``data/partners``, checked when loaded),
``grammar`` (the list grammar of a cell), ``mentions`` (cell → candidate mentions),
``context`` (the case's places, shorthand such as 区社協 or 本市), ``categorise`` (legal forms,
kinds of body, categories), ``bodies`` (candidates → the partner bodies of one case) and
``resolve`` (one reference per real body across cases and casebooks).
"""

from __future__ import annotations

from graph.partners.bodies import extract_partners
from graph.partners.categorise import categorise, generic_match, strip_legal_form
from graph.partners.resolve import (
    PartnerBody,
    partner_bodies,
    resolution_key,
    resolve_partners,
    shared_partners,
)
from graph.partners.rules import Rules, load_rules
from graph.reader.record import PARTNER_KEYS

__all__ = [
    "PARTNER_KEYS", "PartnerBody", "Rules", "categorise", "extract_partners", "generic_match",
    "load_rules", "partner_bodies", "resolution_key", "resolve_partners", "shared_partners",
    "strip_legal_form",
]
