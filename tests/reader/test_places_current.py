"""The gazetteer as of today: 浜松市's wards since 2024-01-01, and the former wards kept as
historical places that still resolve, each linked to its successors (data/places)."""

from __future__ import annotations

import pytest

from graph.reader.casebook import read_casebook_text, read_region
from graph.reader.profile import read_address
from graph.resources import places_dir
from graph.text.places import check_digit, gazetteer
from graph.text.vocab import load_json
from tests.repo import DATA_DIR, EMBEDDED

# 浜松市「行政区の再編について」: 中区・東区・西区・南区 and 北区's 三方原地区 became 中央区,
# 浜北区 and the rest of 北区 became 浜名区, 天竜区 kept its area under a new code.
NEW = {"浜松市中央区": "221384", "浜松市浜名区": "221392", "浜松市天竜区": "221406"}
OLD = {
    "浜松市中区": ("221317", ["浜松市中央区"]),
    "浜松市東区": ("221325", ["浜松市中央区"]),
    "浜松市西区": ("221333", ["浜松市中央区"]),
    "浜松市南区": ("221341", ["浜松市中央区"]),
    "浜松市北区": ("221350", ["浜松市中央区", "浜松市浜名区"]),
    "浜松市浜北区": ("221368", ["浜松市浜名区"]),
}


@pytest.mark.parametrize(("name", "code"), sorted(NEW.items()))
def test_current_wards_resolve(name: str, code: str) -> None:
    place = gazetteer().municipality(name, "静岡県")
    assert place is not None
    assert (place.code, place.kind, place.city, place.current) == (code, "ward", "浜松市", True)
    assert check_digit(code[:5]) == code[5]
    assert gazetteer().municipality(name) == place  # without the prefecture too
    assert gazetteer().parent(place).name == "浜松市"


@pytest.mark.parametrize(("name", "expected"), sorted(OLD.items()))
def test_former_wards_resolve_with_their_successors(
    name: str, expected: tuple[str, list[str]]
) -> None:
    code, successors = expected
    place = gazetteer().municipality(name, "静岡県")
    assert place is not None
    assert (place.code, place.current, place.until) == (code, False, "2023-12-31")
    assert [s.name for s in gazetteer().successors(place)] == successors
    assert all(s.current for s in gazetteer().successors(place))


def test_former_tenryu_code_is_kept_and_the_name_means_todays_ward() -> None:
    gaz = gazetteer()
    old = gaz.by_code["221376"]
    assert (old.name, old.current) == ("浜松市天竜区", False)
    assert [s.code for s in gaz.successors(old)] == ["221406"]
    assert gaz.municipality("浜松市天竜区", "静岡県").code == "221406"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("静岡県浜松市中央区", (["静岡県"], ["浜松市中央区"], ["221384"], None)),
        ("静岡県 浜松市中区", (["静岡県"], ["浜松市中区"], ["221317"], None)),
        ("静岡県浜松市浜名区", (["静岡県"], ["浜松市浜名区"], ["221392"], None)),
        ("浜松市中央区、浜名区", (["静岡県"], ["浜松市中央区", "浜松市浜名区"],
                                 ["221384", "221392"], None)),
        ("東京都中央区", (["東京都"], ["中央区"], ["131024"], None)),  # still Tokyo's
    ],
)
def test_regions_with_the_new_and_old_wards(text: str, expected: tuple) -> None:
    assert read_region(text) == expected


def test_address_in_the_new_ward() -> None:
    got = read_address("静岡県浜松市中央区鍛冶町 100-1")
    assert (got["address_prefecture"], got["address_municipality"],
            got["address_municipality_code"]) == ("静岡県", "浜松市中央区", "221384")


def _case_set_in(region: str, address: str) -> str:
    """The first embedded case, moved to another place (header region and 団体住所)."""
    text = EMBEDDED.read_text(encoding="utf-8")
    first = text[: text.index("団 体 名：特定非営利活動法人 KOMPOSITION")]
    first = first.replace("取組地域：埼玉県 志木市", f"取組地域：{region}")
    return first.replace("埼玉県志木市柏町 3-3-31-106", address)


def test_reader_reads_a_case_set_in_hamamatsu_chuo() -> None:
    text = _case_set_in("静岡県 浜松市中央区", "静岡県浜松市中央区鍛冶町 100-1")
    (rec,), _ = read_casebook_text(text, "moved.txt", "moved")
    assert rec["region_prefectures"] == ["静岡県"]
    assert rec["region_municipalities"] == ["浜松市中央区"]
    assert rec["region_municipality_codes"] == ["221384"]
    assert rec["region_note"] is None
    assert (rec["address_prefecture"], rec["address_municipality"],
            rec["address_municipality_code"]) == ("静岡県", "浜松市中央区", "221384")
    assert rec["warnings"] == []


def test_reader_reads_an_older_case_in_a_former_ward() -> None:
    text = _case_set_in("静岡県 浜松市中区", "静岡県浜松市中区元城町 103-2")
    (rec,), _ = read_casebook_text(text, "old.txt", "old")
    assert rec["region_municipalities"] == ["浜松市中区"]
    assert rec["region_municipality_codes"] == ["221317"]
    assert rec["address_municipality_code"] == "221317"
    assert rec["warnings"] == []


def test_change_list_is_packaged_sorted_and_sourced() -> None:
    assert places_dir().resolve() == (DATA_DIR / "places").resolve()
    doc = load_json(DATA_DIR / "places" / "changes.json")
    codes = [p["code"] for p in doc["places"]]
    assert codes == sorted(codes) and len(set(codes)) == len(codes)
    assert doc["sources"] and all(s["url"].startswith("https://") for s in doc["sources"])
    for row in doc["places"]:
        assert check_digit(row["code"][:5]) == row["code"][5], row["code"]
        assert ("until" in row) == bool(row.get("replaced_by")) != ("since" in row), row["code"]
