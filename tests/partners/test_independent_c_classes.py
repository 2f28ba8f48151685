"""The mechanisms added for the error classes of independent-c (partners11g), one test each.

Every input is written for the test (other places, other names), not copied from any gold set.
"""

from __future__ import annotations

from tests.partners.cases import named_in as _named
from tests.partners.cases import partners_of as _partners


def test_each_row_of_a_two_row_cell_numbers_its_own_list():
    text = "①那須町社会福祉協議会 ②那須町役場保健福祉課\n①黒田原公民館 ②芦野小学校（読み聞かせ）"
    assert _named(text, "栃木県", "那須町") == [
        "那須町社会福祉協議会", "那須町役場保健福祉課", "黒田原公民館", "芦野小学校"]
    text = "1.遠野市社会福祉協議会 2.遠野市健康福祉部\n1.遠野商工会 2.岩手県立遠野高校"
    assert _named(text, "岩手県", "遠野市") == [
        "遠野市社会福祉協議会", "遠野市健康福祉部", "遠野商工会", "岩手県立遠野高等学校"]


def test_a_second_row_may_go_on_numbering_from_the_first():
    text = ("1) 遠野市社会福祉協議会：会場の調整 2) 遠野市立遠野小学校：周知\n"
            "3) JR東日本遠野駅：ポスター掲示 4) 遠野商工会：協賛")
    got = [(p["canonical"], p["role"]) for p in _partners(text, "岩手県", "遠野市")]
    assert got[2:] == [("JR東日本遠野駅", "ポスター掲示"), ("遠野商工会", "協賛")]


def test_a_space_inside_the_head_of_a_name_role_entry_is_layout():
    text = "・ 阿智村役場 協働活動推進課・保健福祉課:周知 ・ 阿智村社会福祉協議会:共催"
    got = [(p["canonical"], p["role"]) for p in _partners(text, "長野県", "阿智村")]
    assert got == [("阿智村役場協働活動推進課", "周知"), ("阿智村役場保健福祉課", "周知"),
                   ("阿智村社会福祉協議会", "共催")]
    text = "・ 西米良村役場 福祉健康課:見守り ・ 西米良村社会福祉協議会:共催 ・ 村内の診療所:送迎"
    assert _named(text, "宮崎県", "西米良村") == [
        "西米良村役場福祉健康課", "西米良村社会福祉協議会"]


def test_a_body_founded_by_the_city_or_prefecture_is_the_cases_one():
    assert _named("県立大船渡高校、市立中央公民館", "岩手県", "大船渡市") == [
        "岩手県立大船渡高等学校", "大船渡市立中央公民館"]
    assert _named("区立光が丘図書館", "東京都", "練馬区") == ["練馬区立光が丘図書館"]
    # in a ward of a designated city 市立 is the city's, 県立 the prefecture's
    got = {p["canonical"]: p["municipality"]
           for p in _partners("市立日吉台小学校、県立港北高校", "神奈川県", "横浜市港北区")}
    assert got == {"横浜市立日吉台小学校": "横浜市港北区", "神奈川県立港北高等学校": "横浜市港北区"}


def test_a_bare_kind_founded_by_some_government_is_not_completed():
    got = [p["canonical"] for p in _partners("県立高校、市立小学校", "岩手県", "大船渡市")]
    assert not any(name.startswith("岩手県") or name.startswith("大船渡市") for name in got)


def test_a_city_founded_facility_in_a_ward_case_stands_in_the_ward():
    got = {p["canonical"]: p["municipality"] for p in _partners(
        "市立岸町公民館、さいたま市立岸町図書館", "埼玉県", "さいたま市浦和区")}
    assert got == {"さいたま市立岸町公民館": "さいたま市浦和区",
                   "さいたま市立岸町図書館": "さいたま市浦和区"}
    got = {p["canonical"]: p["municipality"] for p in _partners(
        "仙台市立荒町公民館、市立南小泉図書館", "宮城県", "仙台市若林区")}
    assert set(got.values()) == {"仙台市若林区"}


def test_a_facility_named_with_the_wards_stem_is_the_citys_for_that_ward():
    got = [(p["canonical"], p["municipality"]) for p in _partners(
        "西区役所保健福祉課・西保健センター", "北海道", "札幌市西区")]
    assert got == [("札幌市西区役所保健福祉課", "札幌市西区"),
                   ("札幌市西保健センター", "札幌市西区")]
    got = [(p["canonical"], p["municipality"]) for p in _partners(
        "中央図書館", "千葉県", "千葉市中央区")]
    assert got == [("千葉市中央図書館", "千葉市中央区")]


def test_a_stem_named_facility_typed_by_its_suffix_is_completed_too():
    got = [(p["canonical"], p["municipality"]) for p in _partners(
        "港北区役所福祉保健課・港北福祉保健センター：相談", "神奈川県", "横浜市港北区")]
    assert got[1] == ("横浜市港北福祉保健センター", "横浜市港北区")


def test_a_ward_of_a_designated_city_founds_nothing():
    assert _named("区立生野会館", "大阪府", "大阪市生野区") == ["区立生野会館"]


def test_a_station_or_a_non_ward_case_keeps_a_stem_named_facility():
    assert _named("西警察署", "北海道", "札幌市西区") == ["西警察署"]
    # the stem begins a longer proper name of the facility's own
    assert _named("西野公民館", "北海道", "札幌市西区") == ["西野公民館"]
    assert _named("港北山田図書館", "神奈川県", "横浜市港北区") == ["港北山田図書館"]
    assert _named("中央図書館", "千葉県", "千葉市") == ["中央図書館"]


def test_a_short_name_defined_before_a_role_note_is_no_part_of_the_name():
    got = [(p["canonical"], p["category"], p["role"]) for p in _partners(
        "・ 遠野市社会福祉協議会（以下、市社協）（配食先の調整） ・ 市社協（見守り）",
        "岩手県", "遠野市")]
    assert got == [("遠野市社会福祉協議会", "社会福祉協議会", "配食先の調整")]
    got = [(p["canonical"], p["role"]) for p in _partners(
        "遠野市教育委員会（以下、市教委）（学校への周知）、遠野市立遠野小学校", "岩手県", "遠野市")]
    assert got[0] == ("遠野市教育委員会", "学校への周知")


def test_an_office_of_a_body_named_by_its_short_name_is_the_bodys_office():
    got = [(p["canonical"], p["category"]) for p in _partners(
        "・ 遠野市社会福祉協議会（以下、市社協） ・ 市社協 土淵支所（車両の貸出）",
        "岩手県", "遠野市")]
    assert got[1] == ("遠野市社会福祉協議会土淵支所", "社会福祉協議会")
    got = [(p["canonical"], p["municipality"]) for p in _partners(
        "西区社協 琴似支部、西区役所", "北海道", "札幌市西区")]
    assert got[0] == ("札幌市西区社会福祉協議会琴似支部", "札幌市西区")
    got = [p["canonical"] for p in _partners(
        "久留米市教育委員会（以下、市教委）、市教委 田主丸分室", "福岡県", "久留米市")]
    assert got == ["久留米市教育委員会", "久留米市教育委員会田主丸分室"]


def test_a_sect_before_a_temples_name_leaves_the_canonical_name():
    got = [(p["mention"], p["canonical"], p["category"]) for p in _partners(
        "曹洞宗 大慈寺、臨済宗妙心寺派 龍雲寺、宗隣寺", "岩手県", "遠野市")]
    assert got == [("曹洞宗大慈寺", "大慈寺", "寺社"), ("臨済宗妙心寺派龍雲寺", "龍雲寺", "寺社"),
                   ("宗隣寺", "宗隣寺", "寺社")]


def test_a_place_and_no_before_a_legal_form_place_the_body():
    got = [(p["mention"], p["canonical"], p["municipality"]) for p in _partners(
        "・ 盛岡市のNPO法人もりおか送迎ネット:運転研修 ・ 北上市の株式会社きたかみ食品:食材",
        "岩手県", "遠野市")]
    assert got == [("NPO法人もりおか送迎ネット", "もりおか送迎ネット", "盛岡市"),
                   ("株式会社きたかみ食品", "きたかみ食品", "北上市")]


def test_an_areas_own_body_or_a_kind_in_the_area_after_no():
    got = [(p["canonical"], p["municipality"], p["generic"]) for p in _partners(
        "・ 土淵地区の自治会連合会（見守り） ・ 綾織地区の老人クラブ連合会 ・ 上郷地区の農家",
        "岩手県", "遠野市")]
    assert got == [("土淵地区自治会連合会", "遠野市", False),
                   ("綾織地区老人クラブ連合会", "遠野市", False), ("農家", "遠野市", True)]
    # a region is wider than the case's municipality; a vague scope is no area of its own
    got = [(p["canonical"], p["municipality"])
           for p in _partners("東北地域の農家", "岩手県", "遠野市")]
    assert got == [("農家", None)]
    assert [p["canonical"] for p in _partners("地域の民生委員", "岩手県", "遠野市")] == ["民生委員"]


def test_the_people_of_a_body_named_by_its_defined_short_name_are_that_body():
    text = ("若林区役所障害高齢課（以下、高齢課）と"
            "若林区中央市民センター（以下、センター）が加わり、"
            "センターの保健師が講座を紹介し、高齢課の職員が訪問に同行した。")
    assert [p["canonical"] for p in _partners(text, "宮城県", "仙台市若林区")] == [
        "仙台市若林区役所障害高齢課", "仙台市若林区中央市民センター"]
    text = "鹿角市地域包括支援センター（以下、センター）と連携し、センターの看護師が同行した。"
    assert [p["canonical"] for p in _partners(text, "秋田県", "鹿角市")] == [
        "鹿角市地域包括支援センター"]


def test_hoka_joins_a_named_body_to_a_kind_in_a_list_head():
    got = [(p["mention"], p["generic"], p["role"]) for p in _partners(
        "遠野市社会福祉協議会ほか市内の子ども食堂3団体：食材の提供", "岩手県", "遠野市")]
    assert got == [("遠野市社会福祉協議会", False, "食材の提供"),
                   ("市内の子ども食堂3団体", True, "食材の提供")]
    got = _named("遠野市社会福祉協議会のほか遠野市立遠野小学校", "岩手県", "遠野市")
    assert got == ["遠野市社会福祉協議会", "遠野市立遠野小学校"]
    got = [(p["mention"], p["municipality"]) for p in _partners(
        "運転研修は盛岡市のNPO法人サポートネット岩手に依頼し、北上市の株式会社キタカミ食品と連携した。",
        "岩手県", "遠野市")]
    assert got == [("NPO法人サポートネット岩手", "盛岡市"), ("株式会社キタカミ食品", "北上市")]


def test_a_named_street_or_area_before_a_legal_form_places_the_body():
    got = [(p["canonical"], p["municipality"], p["generic"]) for p in _partners(
        "軽食は、幕張本郷商店街の（株）ほんごうベーカリーや地元の喫茶店から提供いただいた。",
        "千葉県", "千葉市花見川区")]
    assert got == [("ほんごうベーカリー", "千葉市花見川区", False), ("喫茶店", None, True)]
    got = [(p["canonical"], p["municipality"]) for p in _partners(
        "・ 花見川団地の株式会社ハナミ商事：会場", "千葉県", "千葉市花見川区")]
    assert got == [("ハナミ商事", "千葉市花見川区")]
