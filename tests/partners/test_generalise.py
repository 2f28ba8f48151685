"""The mechanisms added for the handwritten-styles-4..6 sets (partners11c), one test each.

Every input is written for the test (札幌市北区 cases), not copied from any gold set.
"""

from __future__ import annotations

from typing import Any

import pytest

from graph.partners.analyse import attributive_start, ends_as_noun
from graph.partners.categorise import categorise, generic_match
from graph.partners.extract import extract_partners, load_rules, resolution_key, resolve_partners
from tests.partners.cases import named_in, partners_of


def _partners(text: str) -> list[dict[str, Any]]:
    return partners_of(text, "北海道", "札幌市北区")


def _named(text: str) -> list[str]:
    return named_in(text, "北海道", "札幌市北区")


def test_a_te_form_clause_before_a_name_is_cut():
    assert attributive_start("区社協を通じて麻生いきいき支援センター") == len("区社協を通じて")
    got = _named("区社協を通じて麻生いきいき支援センターにも協力いただいた。")
    assert "麻生いきいき支援センター" in got


def test_a_relative_clause_before_a_company_is_cut_in_prose():
    got = _named("野菜を届けてくれる株式会社北のめぐみの協力で、毎週開催している。")
    assert got == ["北のめぐみ"]


def test_a_middot_between_common_nouns_inside_one_name_is_kept():
    whole = "北海道環境生活部くらし安全・消費生活課"
    assert _named(whole) == [whole]
    # a proper name before ・ and a body of its own after it: two bodies
    assert _named("ほっと未来・札幌市立新琴似小学校") == ["ほっと未来", "札幌市立新琴似小学校"]


def test_a_legal_form_marks_the_left_part_as_a_whole_name():
    assert _named("(株)丸井・コープさっぽろ") == ["丸井", "コープさっぽろ"]


def test_a_kind_written_with_a_middot_stays_whole_in_prose():
    got = [p["mention"] for p in _partners("町内会から紹介を受けた民生委員・児童委員")]
    assert "民生委員・児童委員" in got
    assert "児童委員" not in got


def test_a_members_group_of_a_university_is_one_kind():
    got = _partners("札幌学院大学の学生サークル、北区役所にも協力いただいた。")
    assert (got[0]["mention"], got[0]["generic"], got[0]["category"]) == (
        "札幌学院大学の学生サークル", True, "大学・専門学校")


def test_a_name_leading_its_clause_before_niwa_is_a_body():
    assert _named("円光寺には本堂を開放いただいた。") == ["円光寺"]


def test_no_hoka_closes_a_list():
    got = _named("北区社会福祉協議会、ハローワーク札幌北のほか、市内の農家")
    assert got == ["札幌市北区社会福祉協議会", "ハローワーク札幌北"]


def test_a_fragment_that_ends_in_a_verb_is_no_single_name():
    got = _named("食材は(株)丸井青果や地元の琴似商店街からの寄付に加え、北区役所の協力も得た。")
    assert got == ["丸井青果", "琴似商店街", "札幌市北区役所"]


def test_oyobi_inside_a_left_name_starts_the_next_body():
    assert _named("北海道大学及び藤女子大の学生が参加した。") == ["北海道大学", "藤女子大学"]


def test_a_name_in_latin_letters_and_kana_is_a_noun():
    assert ends_as_noun("FMあける")
    assert _named("<p>北海道新聞社、FMあける：広報</p>") == ["北海道新聞社", "FMあける"]


@pytest.mark.parametrize(("name", "category"), [
    ("旭川信用組合", "企業・店舗"),
    ("石狩湾漁業協同組合", "企業・店舗"),
    ("新琴似学区区政協力委員会", "町内会・自治会"),
    ("さっぽろ若者サポートステーション", "NPO・市民団体"),
    ("札幌市北区自治会連絡協議会", "町内会・自治会"),  # the longest federation word
    ("札幌市保健福祉局こども相談センター", "行政"),  # a unit under a government department
    ("名古屋市西部いきいき支援センター", "福祉・医療機関"),  # 西部 is no department
    ("北海道教育大学旭川校", "大学・専門学校"),  # a campus of a university
    ("札幌大谷大学附属小学校", "学校"),  # a school, not a campus
    ("ていね交流館", "行政"),
])
def test_kinds_of_body_are_typed_from_the_lexicon_and_grammar(name, category):
    assert categorise(load_rules(), name) == category


def test_a_count_or_a_place_scope_makes_a_kind():
    rules = load_rules()
    assert generic_match(rules, "精肉店3店舗") == "企業・店舗"
    assert generic_match(rules, "函館市内のコンビニエンスストア") == "企業・店舗"
    assert generic_match(rules, "丸井青果") is None


def test_a_campus_name_is_a_body_and_its_students_leave_it():
    assert _named("北海道教育大学旭川校の学生ボランティアが参加した。") == ["北海道教育大学旭川校"]


def test_what_the_partners_formed_is_no_partner():
    got = _named("北区社会福祉協議会とともに実行委員会を組織した。")
    assert got == ["札幌市北区社会福祉協議会"]


def test_people_words_together_are_no_body():
    assert _partners("北海道大学には学生ボランティアの派遣で協力いただいた。")[0]["canonical"] == \
        "北海道大学"
    assert len(_partners("北海道大学には学生ボランティアの派遣で協力いただいた。")) == 1


def test_a_plain_name_joined_by_to_to_a_body_is_a_body():
    assert _named("北区役所とふれあい交流館には回収箱を設置いただいた。") == [
        "札幌市北区役所", "ふれあい交流館"]
    assert _named("北区役所と官民連携が進んだ。") == ["札幌市北区役所"]


def test_a_written_out_legal_form_vouches_for_a_name_with_a_middot_in_prose():
    got = _partners("NPO法人 さっぽろ・ほっかいどう子ども支援センター、北区役所と連携した。")
    assert [p["canonical"] for p in got] == [
        "さっぽろ・ほっかいどう子ども支援センター", "札幌市北区役所"]


def test_a_middot_between_katakana_words_is_inside_a_foreign_name():
    assert _named("【寄付】セカンドハーベスト・ホッカイドウ、北区役所") == [
        "セカンドハーベスト・ホッカイドウ", "札幌市北区役所"]
    assert _named("ガールスカウト・ボーイスカウト") == ["ガールスカウト", "ボーイスカウト"]


def test_a_stop_kana_the_analyser_reads_inside_a_word_is_part_of_the_name():
    got = _named("ときはら子ども食堂ネットワーク(事務局：北区社会福祉協議会)に加盟した。")
    assert "ときはら子ども食堂ネットワーク" in got


def test_the_venue_of_a_quoted_programme_makes_it_an_event():
    got = _named("「ほくほく食堂」の会場は、新琴似商店街振興組合に提供いただいた。")
    assert got == ["新琴似商店街振興組合"]


def test_a_jurisdiction_scope_makes_a_kind():
    got = _partners("石狩管内の農協(JAさっぽろ、JA北石狩)")
    assert [(p["mention"], p["generic"]) for p in got] == [
        ("石狩管内の農協", True), ("JAさっぽろ", False), ("JA北石狩", False)]
    assert categorise(load_rules(), "新琴似地域活動協議会") == "町内会・自治会"


def _roles(text: str) -> list[tuple[str, str | None]]:
    return [(p["canonical"], p["role"]) for p in _partners(text)]


def test_a_role_note_after_a_name_in_prose_is_its_role():
    assert _roles("北海学園大学(学習支援)、札幌北警察署(防犯教室)等と連携した。") == [
        ("北海学園大学", "学習支援"), ("札幌北警察署", "防犯教室")]
    assert _roles("新琴似神社・龍雲寺(会場の提供)にも協力いただいた。") == [
        ("新琴似神社", "会場の提供"), ("龍雲寺", "会場の提供")]


def test_an_acronym_in_brackets_and_a_listing_label_are_no_roles():
    assert _roles("札幌国際交流協会(SIF)、北区役所") == [
        ("札幌国際交流協会", None), ("札幌市北区役所", None)]
    assert _roles("<p>地域：新琴似商店街、新琴似連合町内会</p>") == [
        ("新琴似商店街", None), ("新琴似連合町内会", None)]


# --- partners11d: mechanisms found on text by another author (independent-a); every input
# below is written for the test (札幌市北区 cases), none copied from a gold set.


def test_one_line_entries_whose_next_head_holds_a_bracket_or_a_list():
    got = _roles("北区役所地域振興課：広報、関係課との調整 "
                 "札幌市北区社会福祉協議会（以下、区社協）：ボランティアの紹介 "
                 "札幌市立新川中学校、札幌市立新琴似小学校：会場の提供")
    assert got == [
        ("札幌市北区役所地域振興課", "広報、関係課との調整"),  # 関係課: a vague kind in a role
        ("札幌市北区社会福祉協議会", "ボランティアの紹介"),
        ("札幌市立新川中学校", "会場の提供"), ("札幌市立新琴似小学校", "会場の提供")]


def test_a_head_ending_in_a_noun_made_from_a_verb_is_a_role():
    # (a list with a kind in it: the head decides, not the list)
    got = _roles("(1)相談：札幌北警察署、新琴似商店街振興組合 (2)備品の貸出し：株式会社北のめぐみ、"
                 "区内の喫茶店3軒")
    assert got == [("札幌北警察署", "相談"), ("新琴似商店街振興組合", "相談"),
                   ("北のめぐみ", "備品の貸出し"), ("喫茶店", "備品の貸出し")]  # a kind: its kind


def test_a_bracket_headed_by_an_act_is_a_role_note_and_besides_the_above_lists_more():
    got = _partners("・ 札幌市北区保健福祉課（補助金の交付、子ども食堂マップの作成） "
                    "・ 上記のほか、町内会や商店など計5団体から寄付を受けた")
    assert [(p["canonical"], p["generic"], p["role"]) for p in got] == [
        ("札幌市北区保健福祉課", False, "補助金の交付、子ども食堂マップの作成"),
        ("町内会", True, None), ("商店", True, None)]


def test_a_unit_of_a_university_and_lexicon_rows():
    rules = load_rules()
    assert categorise(rules, "北海道科学大学地域連携センター") == "大学・専門学校"
    assert categorise(rules, "札幌学院大学社会連携機構") == "大学・専門学校"
    assert categorise(rules, "北海道大学病院") == "福祉・医療機関"  # its own kind wins
    assert categorise(rules, "篠路行政区") == "町内会・自治会"


def test_a_plain_name_joined_by_oyobi_to_a_body_is_a_body():
    assert _named("北区社協及びさっぽろYWCAからは通訳者を紹介いただいた。") == [
        "札幌市北区社会福祉協議会", "さっぽろYWCA"]


def test_a_proper_name_after_a_vague_scope_with_its_premises_is_the_body():
    got = _partners("会場として、近くの龍雲寺の本堂をお借りした。")
    assert [(p["mention"], p["generic"]) for p in got] == [("龍雲寺", False)]
    assert generic_match(load_rules(), "近くの寺") == "寺社"  # a scope before a bare kind


def test_members_groups_shop_keepers_and_a_kinds_pta():
    got = _partners("北海道大学の留学生サークルや新琴似商店街の店主の皆さん、近隣の中学校のPTAに"
                    "協力いただいた。")
    assert [(p["mention"], p["generic"], p["category"]) for p in got] == [
        ("北海道大学の留学生サークル", True, "大学・専門学校"),
        ("新琴似商店街", False, "企業・店舗"),
        ("中学校のPTA", True, "NPO・市民団体")]


def test_a_shop_named_by_what_it_sells_is_a_kind():
    rules = load_rules()
    for kind in ("青果店", "鮮魚店", "ケーキ屋", "市内の旅館3軒"):
        assert generic_match(rules, kind) == "企業・店舗", kind
    for name in ("丸十商店", "ひまわり薬局", "松本精肉店"):  # a proper noun or kana: a name
        assert generic_match(rules, name) is None, name


def test_a_facility_after_a_legal_persons_name_is_the_corporations():
    got = _partners("会場は社会福祉法人はるにれの里のデイサービスセンターの交流スペースを使わせて"
                    "いただいた。")
    assert [(p["mention"], p["canonical"]) for p in got] == [
        ("社会福祉法人はるにれの里", "はるにれの里")]


def test_a_quoted_name_given_a_short_name_is_a_body():
    got = _partners("区社協が事務局を務める「きたく子ども応援ネットワーク」（以下、ネットワーク）に"
                    "参加した。ネットワークの会員から紹介を受けた。")
    assert [p["canonical"] for p in got] == [
        "きたく子ども応援ネットワーク", "札幌市北区社会福祉協議会"]


def test_a_network_is_typed_by_its_members_or_its_theme():
    rules = load_rules()
    assert categorise(rules, "きたく見守りネットワーク連絡会") == "その他"
    assert categorise(rules, "札幌多文化共生ネットワーク") == "その他"
    assert categorise(rules, "北区子ども食堂ネットワーク") == "NPO・市民団体"
    assert categorise(rules, "さっぽろ災害ボランティアネットワーク") == "NPO・市民団体"


def test_a_brand_and_the_official_name_of_one_body_resolve_to_one_key():
    rules = load_rules()
    assert resolution_key(rules, "JA札幌北", "企業・店舗", None) == \
        resolution_key(rules, "札幌北農業協同組合", "企業・店舗", None)
    assert resolution_key(rules, "ハローワーク札幌北", "行政", "札幌市") == \
        resolution_key(rules, "札幌北公共職業安定所", "行政", "札幌市")
    assert resolution_key(rules, "JA", "企業・店舗", None) != \
        resolution_key(rules, "農業協同組合", "企業・店舗", None)  # no area: no body
    records = [
        {"case_id": f"g-00{n}", "org_name": f"テスト団体{n}", "org_aliases": [],
         "region_prefectures": ["北海道"], "region_municipalities": ["札幌市北区"],
         "address_prefecture": "北海道", "address_municipality": "札幌市北区",
         "partners_text": text, "scenes_text": None}
        for n, text in ((1, "JA札幌北（野菜の提供）"), (2, "札幌北農業協同組合、北区役所"))]
    resolve_partners(records)
    refs = [{p["canonical"]: p["ref"] for p in r["partners"]} for r in records]
    assert refs[0]["JA札幌北"] == refs[1]["札幌北農業協同組合"]


def test_a_strong_kind_then_the_proper_name_of_its_area_keeps_the_kind():
    rules = load_rules()
    assert categorise(rules, "札幌市地域包括支援センター篠路") == "福祉・医療機関"
    assert categorise(rules, "子ども食堂ひまわり") == "NPO・市民団体"  # a common noun after


def test_the_post_of_a_body_or_a_kind_is_its_people():
    got = _partners("札幌市立新川中学校の生徒指導担当と、近隣の高校の進路指導担当の先生方に協力"
                    "いただいた。")
    assert [(p["mention"], p["generic"]) for p in got] == [
        ("札幌市立新川中学校", False), ("高校", True)]
    # a place's post is a unit of its government, kept
    assert _named("札幌市の子育て支援担当の職員に協力いただいた。") == ["札幌市子育て支援担当"]


def _places(text: str) -> list[tuple[str, str | None]]:
    return [(p["canonical"], p["municipality"]) for p in _partners(text)]


def test_neighbourhood_bodies_schools_and_universities_are_placed_by_convention():
    got = _places("新琴似商店街振興組合、札幌新琴似郵便局、新琴似校区民生委員児童委員協議会、"
                  "札幌市立新琴似小学校、北海道札幌北高等学校、札幌市立大学、株式会社北のめぐみ")
    assert got == [
        ("新琴似商店街振興組合", "札幌市北区"),  # a shopping street: the case's ward
        ("札幌新琴似郵便局", "札幌市北区"),
        ("新琴似校区民生委員児童委員協議会", "札幌市北区"),  # named with its own sub-area
        ("札幌市立新琴似小学校", "札幌市北区"),  # a city school in the case's ward
        ("北海道札幌北高等学校", "札幌市北区"),  # a prefectural school where the case is
        ("札幌市立大学", None),  # a university serves a region, even one a city runs
        ("北のめぐみ", None),  # a company the text does not place
    ]


def test_a_scope_of_the_cases_government_places_the_body_or_kind():
    assert _places("区内の新琴似商店街、区内の小学校、市内の子ども食堂12団体、道内の大学") == [
        ("新琴似商店街", "札幌市北区"), ("小学校", "札幌市北区"),  # a kind: its kind, placed
        ("子ども食堂", "札幌市"),  # 市内 in a ward's case: the ward's city
        ("大学", None)]


def test_a_station_named_with_the_cases_ward_serves_the_ward():
    assert _places("札幌北警察署、札幌市消防局北消防署、札幌東警察署") == [
        ("札幌北警察署", "札幌市北区"), ("札幌市消防局北消防署", "札幌市北区"),
        ("札幌東警察署", "札幌市")]  # another ward's station: the city, as before


def test_a_role_note_closing_a_short_list_line_is_each_items_role():
    assert _roles("1) 札幌市北区保健福祉課（相談窓口の周知） "
                  "2) 北海道大学、札幌学院大学（学生ボランティア） 3) 札幌北警察署（見守り）") == [
        ("札幌市北区保健福祉課", "相談窓口の周知"), ("北海道大学", "学生ボランティア"),
        ("札幌学院大学", "学生ボランティア"), ("札幌北警察署", "見守り")]
    # a place note or a short name of the last item is no shared role
    assert _roles("北海道大学、北海道大学病院（北区）") == [
        ("北海道大学", None), ("北海道大学病院", None)]


def _places_in(municipality: str, prefecture: str, text: str) -> list[tuple[str, str | None]]:
    found = extract_partners({
        "case_id": "g-002", "org_name": "テスト団体", "org_aliases": [],
        "region_prefectures": [prefecture], "region_municipalities": [municipality],
        "address_prefecture": prefecture, "address_municipality": municipality,
        "partners_text": text, "scenes_text": None,
    })
    return [(p["canonical"], p["municipality"]) for p in found]


def test_a_name_starting_with_the_reading_of_the_cases_place_is_placed_there():
    assert _places_in("世田谷区", "東京都", "せたがや子ども食堂ネット、たまがわ見守り会") == [
        ("せたがや子ども食堂ネット", "世田谷区"), ("たまがわ見守り会", None)]
    # a reading the prefecture shares (和歌山市, 和歌山県) says nothing about the city
    assert _places_in("和歌山市", "和歌山県", "わかやま未来ネット") == [
        ("わかやま未来ネット", None)]


def test_a_scope_before_a_kind_is_shared_by_the_kind_joined_to_it():
    assert _places("区内の小学校や中学校の先生方に協力をいただいた。") == [
        ("小学校", "札幌市北区"), ("中学校", "札幌市北区")]
    assert _places("区内の小学校や北海道大学と連携した。") == [
        ("小学校", "札幌市北区"), ("北海道大学", None)]  # a named body: no shared scope


def test_a_clause_that_places_a_body_in_the_cases_ward_places_it():
    assert _places("区内で活動する NPO法人ほくほく子ども応援団及びさっぽろYWCAから紹介"
                   "いただいた。") == [
        ("ほくほく子ども応援団", "札幌市北区"), ("さっぽろYWCA", "札幌市")]
    # (the clause's ward is not shared; さっぽろYWCA is named with its city, like 札幌YWCA, and
    # a group named with a city gets that city: independent-README convention, partners11i)


def test_a_stem_the_prefecture_shares_names_no_city_except_an_offices():
    assert _places_in("和歌山市", "和歌山県", "フードバンク和歌山、ハローワーク和歌山、"
                      "和歌山青年会議所") == [
        ("フードバンク和歌山", None), ("ハローワーク和歌山", "和歌山市"),
        ("和歌山青年会議所", None)]
    assert _places_in("弘前市", "青森県", "フードバンク弘前") == [("フードバンク弘前", "弘前市")]
