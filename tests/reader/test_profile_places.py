"""Field readers on their own: representatives, dates, staff, addresses, places."""

from __future__ import annotations

import pytest

from graph.reader.casebook import read_region
from graph.reader.profile import (
    read_address,
    read_dates,
    read_representative,
    read_staff,
    read_website,
)
from graph.text.places import check_digit, gazetteer


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("理事長 井上 峰夫", "井上峰夫"),
        ("代表理事 長谷川 康浩", "長谷川康浩"),  # not 代表理事長 + 谷川
        ("代表理事長谷川康浩", "長谷川康浩"),
        ("理事長井上峰夫", "井上峰夫"),
        ("増田 三枝子", "増田三枝子"),
        ("代表 山田 太郎（理事長）", "山田太郎"),
    ],
)
def test_representative(text: str, name: str) -> None:
    assert read_representative(text) == name


@pytest.mark.parametrize(
    ("text", "founded", "incorporated"),
    [
        ("2000年8月21日 (NPO法人格取得：2002年9月2日)", "2000-08-21", "2002-09-02"),
        ("2007 年 1 月任意団体設立、2009 年 10 月法人化", "2007-01", "2009-10"),
        ("2017 年 3 月 12 日（法人化：2017 年 6 月 14 日）", "2017-03-12", "2017-06-14"),
        # a stray layout space inside the word (found by the layout-noise property test)
        ("2017 年 3 月 12 日（法 人化：2017 年 6 月 14 日）", "2017-03-12", "2017-06-14"),
        ("2011 年 4 月任意団体設立、2013 年 2 月 NPO 法\u3000人格取得", "2011-04", "2013-02"),
        ("平成 15 年 4 月", "2003-04", None),
        ("令和元年5月1日", "2019-05-01", None),
        ("２０１５年", "2015", None),
        ("不明", None, None),
    ],
)
def test_dates(text: str, founded: str | None, incorporated: str | None) -> None:
    assert read_dates(text) == (founded, incorporated)


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("総数 30 人 専任 5 人", 30),
        ("職員 99 人（2024 年 12 月時点）", 99),
        ("12", 12),
        ("多数", None),
    ],
)
def test_staff(text: str, count: int | None) -> None:
    assert read_staff(text) == count


@pytest.mark.parametrize(
    ("text", "pref", "muni"),
    [
        ("〒236-0051 神奈川県横浜市金沢区富岡東 6-30 E502", "神奈川県", "横浜市金沢区"),
        ("豊島区駒込 2-5-1-903", "東京都", "豊島区"),
        ("奈良県大和郡山市北郡山町 248", "奈良県", "大和郡山市"),
        ("愛知県蒲郡市旭町 17-1", "愛知県", "蒲郡市"),
        ("千葉県山武郡九十九里町片貝 1", "千葉県", "九十九里町"),
        ("大阪市北区梅田 1-1", "大阪府", "大阪市北区"),
    ],
)
def test_address(text: str, pref: str, muni: str) -> None:
    out = read_address(text)
    assert (out["address_prefecture"], out["address_municipality"]) == (pref, muni)


def test_address_not_public() -> None:
    assert read_address("非公開")["address"] is None


@pytest.mark.parametrize(
    ("text", "url"),
    [("https://kidsdoor.net/", "https://kidsdoor.net/"), ("制作中", None), ("", None),
     ("https://x.jp/ (Facebook)", "https://x.jp/")],
)  # fmt: skip
def test_website(text: str, url: str | None) -> None:
    assert read_website(text) == url


@pytest.mark.parametrize(
    ("text", "prefs", "munis", "note"),
    [
        ("東京都 豊島区、北区", ["東京都"], ["豊島区", "北区"], None),
        ("千葉県 匝瑳市及び近隣町村", ["千葉県"], ["匝瑳市"], "及び近隣町村"),
        ("神奈川県 横浜市港北区、青葉区", ["神奈川県"], ["横浜市港北区", "横浜市青葉区"], None),
        ("奈良県 大和郡山市", ["奈良県"], ["大和郡山市"], None),
        ("東京都 府中市", ["東京都"], ["府中市"], None),
        ("全国", [], [], "全国"),
    ],
)
def test_region(text: str, prefs: list[str], munis: list[str], note: str | None) -> None:
    got = read_region(text.replace(" ", ""))
    assert (got[0], got[1], got[3]) == (prefs, munis, note)


def test_gazetteer_has_the_official_list() -> None:
    gaz = gazetteer()
    assert len(gaz.prefectures) == 47
    # japancode's 1,916 municipalities and wards (2024), plus 浜松市's 3 wards of 2024-01-01;
    # its 7 former wards stay as historical places: 1,912 current (Japan Post's postal data of
    # 2026-10 names 1,892 of them: all but the 20 designated cities, which have no postcodes)
    places = [p for v in gaz.by_name.values() for p in v]
    assert len(places) == 1919
    assert sum(p.current for p in places) == 1912
    assert all(check_digit(code[:5]) == code[5] for code in gaz.by_code)
    assert gaz.municipality("北区", "東京都").code == "131172"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "text", ["代表 理事 林 容子", "代表理事 林 容子", "代表理 事 林容子", "代表理事林 容子"]
)
def test_representative_with_layout_spaces(text: str) -> None:
    assert read_representative(text) == "林容子"
