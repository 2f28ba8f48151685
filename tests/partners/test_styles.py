"""The error classes found by the handwritten-styles gold sets (partners11b), one test each.

Texts written for the tests (札幌市中央区 cases), not copied from any gold set.
"""

from __future__ import annotations

from typing import Any

import pytest

from graph.partners.analyse import attributive_start
from graph.partners.categorise import categorise, generic_match
from graph.partners.extract import load_rules
from tests.partners.cases import named_in, partners_of


def _partners(text: str) -> list[dict[str, Any]]:
    return partners_of(text, "北海道", "札幌市中央区")


def _named(text: str) -> list[str]:
    return named_in(text, "北海道", "札幌市中央区")


def test_a_conjunction_after_an_abbreviation_bracket_starts_the_next_body():
    got = _named("札幌市中央区社会福祉協議会（以下、区社協）及び中央区役所保健福祉課と連携した。")
    assert got == ["札幌市中央区社会福祉協議会", "札幌市中央区役所保健福祉課"]


def test_a_department_listed_after_a_ward_office_department_is_the_ward_office_s():
    got = _named("【広報】中央区役所総務企画課・地域振興課")
    assert got == ["札幌市中央区役所総務企画課", "札幌市中央区役所地域振興課"]


def test_people_of_a_department_or_school_leave_the_body():
    got = _named("札幌市中央区役所保健福祉課の保健師、札幌市立中央中学校の生徒")
    assert got == ["札幌市中央区役所保健福祉課", "札幌市立中央中学校"]


@pytest.mark.parametrize(("name", "category"), [
    ("東札幌地区自治会連合会", "町内会・自治会"),  # a federation of 自治会
    ("白石校区自治協議会", "町内会・自治会"),
    ("中央区役所地域みまもり支援センター", "行政"),  # a unit of a government office
    ("中央区まちづくりセンター", "行政"),
    ("中央区地域見守りネットワーク会議", "その他"),
    ("村雲学区民生委員児童委員協議会", "その他"),  # the longer suffix of the rules wins
])
def test_kinds_of_body_are_typed_by_what_they_are(name, category):
    assert categorise(load_rules(), name) == category


def test_a_scoped_kind_before_a_colon_is_one_body_not_a_heading():
    got = _partners("区内の薬局：チラシの配架")
    assert [(p["mention"], p["generic"]) for p in got] == [("区内の薬局", True)]


def test_a_kind_in_a_role_text_is_the_head_s_own_people():
    got = _partners("札幌大学：学生ボランティアの派遣")
    assert [p["canonical"] for p in got] == ["札幌大学"]


def test_a_count_after_a_kind_leaves_it_a_kind():
    got = _partners("区内の小学校3校、区内の飲食店5店舗、市内のパン屋２店舗")
    assert [p["mention"] for p in got] == [
        "区内の小学校3校", "区内の飲食店5店舗", "市内のパン屋2店舗"]
    assert all(p["generic"] for p in got)
    assert generic_match(load_rules(), "市内のパン屋") == "企業・店舗"


def test_a_conjunction_before_a_comma_ends_the_name():
    assert _named("宮の森連合町内会と、北海道大学") == ["宮の森連合町内会", "北海道大学"]
    assert _named("JAさっぽろや、北海道大学") == ["JAさっぽろ", "北海道大学"]
    assert _named("JAうつのみや、北海道大学") == ["JAうつのみや", "北海道大学"]  # や of a name


def test_a_body_with_a_name_of_its_own_drops_the_shorthand_scope():
    got = _partners("当区の円山地区自治連合協議会")
    assert [(p["mention"], p["canonical"]) for p in got] == [
        ("円山地区自治連合協議会", "円山地区自治連合協議会")]
    assert _named("本市の北区役所") == ["札幌市北区役所"]  # a ward of the city: completed


def test_a_quoted_name_held_or_run_is_no_body():
    assert _named("円山商店街振興組合と「まるやま夏まつり」を開催した。") == ["円山商店街振興組合"]


def test_a_body_suffix_longer_than_an_event_word_wins():
    assert _named("中央区地域見守りネットワーク会議、情報交換会") == [
        "札幌市中央区地域見守りネットワーク会議"]


def test_narabini_joins_two_bodies():
    both = ["札幌市中央区役所保健福祉課", "札幌市中央区社会福祉協議会"]
    assert _named("中央区役所保健福祉課並びに札幌市中央区社会福祉協議会") == both
    assert _named("中央区役所保健福祉課並びに札幌市中央区社会福祉協議会と連携した。") == both


def test_a_name_that_starts_with_its_legal_form_is_not_cut():
    got = _partners("生活協同組合コープさっぽろ")
    assert [(p["mention"], p["canonical"], p["category"]) for p in got] == [
        ("生活協同組合コープさっぽろ", "コープさっぽろ", "企業・店舗")]


def test_kana_at_the_start_of_a_name_is_no_clause():
    assert attributive_start("ふくやま子ども食堂ネットワーク") is None
    assert attributive_start("夏祭りで知り合った北星学園大学") == len("夏祭りで知り合った")


def test_a_legal_form_vouches_for_a_name_holding_a_middle_dot():
    got = _named("NPO法人 ちくご・ひとり親サポートの会・札幌市母子寡婦福祉会")
    assert got == ["ちくご・ひとり親サポートの会", "札幌市母子寡婦福祉会"]
    # a legal form after ・ starts a new body
    assert _named("NPO法人あおぞら・一般社団法人みどりの手") == ["あおぞら", "みどりの手"]


def test_a_kana_name_before_its_legal_form_is_no_clause():
    got = _partners("とりせん株式会社、市内の農家")
    assert (got[0]["mention"], got[0]["canonical"]) == ("とりせん株式会社", "とりせん")
