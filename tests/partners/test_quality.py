"""Partner quality on every gold set, and one unit test per error class of issue 11.

The floors sit just below what was measured (``python -m graph.partners.evaluate GOLD TEXT``),
so a regression fails. The dev-set figures are on text the rules were partly developed on
(odd cases) or never looked at (even cases); see the notes for the honest reading.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.partners.analyse import attributive_start, drop_honorifics, ends_as_noun
from graph.partners.evaluate import evaluate, load_gold, misses, select
from graph.partners.extract import extract_partners, load_rules, shared_partners
from graph.reader.casebook import read_casebooks
from tests.partners.cases import case_record
from tests.repo import ROOT

GOLD = Path(__file__).parent / "gold"
# ../shared beside the checkout (main, CI) or beside the worktrees folder (a helper's worktree)
SHARED = next((p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()),
              ROOT.parent / "shared")
DEVSET = SHARED / "devsets"
# the second chapter: embedded in data/casebooks once it is, else the shared copy
PART2 = next((p for p in (ROOT / "data/casebooks/kanto-2024-part2.txt",
                          SHARED / "casebooks/kanto-2024-part2.txt") if p.is_file()),
             SHARED / "casebooks/kanto-2024-part2.txt")

# (gold, text, cases): floors of canonical F1, mention F1, category accuracy, just below what
# python -m graph.partners.evaluate GOLD TEXT [--cases …] measured (see the notes). Rules were
# developed on part 1 and the odd dev cases; the even half was scored only once they were done.
_DEV = (DEVSET / "regions-dev.gold.json", DEVSET / "regions-dev.txt")
SETS = {
    "part1": (GOLD / "kanto-2024-part1.gold.json", ROOT / "data/casebooks/kanto-2024-part1.txt",
              "all", (0.99, 0.99, 0.99)),
    "part2": (GOLD / "kanto-2024-part2.gold.json", PART2, "all", (0.97, 0.98, 0.99)),
    # category 0.965 → 0.957 (partners11e): 社協連携避難者支援センター郡山 is now found
    # (Xを構成する) and typed by categorise.py (partners11f's) as NPO; no body found before
    # changed its type
    "dev-odd": (*_DEV, "odd", (0.98, 0.99, 0.95)),
    # held out until 0.796 → 0.825 canonical over the two rounds of 2026-12-01, then developed on
    # (partners11e). Category 0.914 → 0.902: the bodies now found (センター run by a body, counted
    # kinds) are typed by categorise.py (partners11f's), not a drop on the bodies found before
    "dev-even": (*_DEV, "even", (0.97, 0.99, 0.90)),
    # cells written by hand in the dev-set README's styles (partners11b): set 1 scored 0.870
    # before the rules were changed for it, set 2 0.917 (both developed on since)
    "hand": (GOLD / "handwritten-styles.gold.json", GOLD / "handwritten-styles.txt", "all",
             (0.96, 0.94, 0.98)),
    "hand2": (GOLD / "handwritten-styles-2.gold.json", GOLD / "handwritten-styles-2.txt", "all",
              (0.99, 0.99, 0.95)),
    # set 3 scored 0.837 before the rules were changed for it
    "hand3": (GOLD / "handwritten-styles-3.gold.json", GOLD / "handwritten-styles-3.txt", "all",
              (0.99, 0.99, 0.99)),
    # sets 4-6 (partners11c: Kansai, Kyushu, Tohoku, Hokkaido, Shikoku, designated-city wards)
    # scored 0.887 / 0.935 / 0.922 canonical before the rules were changed for them
    "hand4": (GOLD / "handwritten-styles-4.gold.json", GOLD / "handwritten-styles-4.txt", "all",
              (0.99, 0.99, 0.99)),
    "hand5": (GOLD / "handwritten-styles-5.gold.json", GOLD / "handwritten-styles-5.txt", "all",
              (0.99, 0.99, 0.98)),
    "hand6": (GOLD / "handwritten-styles-6.gold.json", GOLD / "handwritten-styles-6.txt", "all",
              (0.98, 0.98, 0.98)),
    # set 7 was written after that round and scored 0.918 before the rules were changed for it
    "hand7": (GOLD / "handwritten-styles-7.gold.json", GOLD / "handwritten-styles-7.txt", "all",
              (0.98, 0.99, 0.93)),
    # set 8, written after set 7's round, scored 0.967 before the rules were changed for it
    "hand8": (GOLD / "handwritten-styles-8.gold.json", GOLD / "handwritten-styles-8.txt", "all",
              (0.99, 0.99, 0.99)),
    # written by an independent author (gold/independent-README.md, its set "a"): scored
    # 0.869 / 0.880 / 0.926 on main, then DEVELOPED ON (partners11d): no longer held out
    "independent-a": (GOLD / "independent-a.gold.json", GOLD / "independent-a.txt", "all",
                      (0.95, 0.98, 0.98)),
    # HELD OUT (never opened by the rules' developers; scored by the lead only; a developer runs
    # the tests with these four deselected): canonical / mention / category
    # - the first author's set "b": 0.793 on main before partners11c, 0.854 after partners11d,
    #   0.864 / 0.884 / 0.951 after the rounds partners11e–k
    "independent-b": (GOLD / "independent-b.gold.json", GOLD / "independent-b.txt", "all",
                      (0.86, 0.88, 0.95)),
    # - the second author's set "d" (sister of "c"): 0.913 / 0.877 / 0.882 at first scoring
    #   (e9f6800), 0.925 / 0.894 / 0.947 after partners11e–k
    "independent-d": (GOLD / "independent-d.gold.json", GOLD / "independent-d.txt", "all",
                      (0.92, 0.89, 0.94)),
    # - the third author's sets "e", "f": 0.947 / 0.945 / 0.942 and 0.908 / 0.917 / 0.922 at
    #   first scoring (e9f6800), 0.961 / 0.973 / 0.971 and 0.938 / 0.923 / 0.985 after
    "independent-e": (GOLD / "independent-e.gold.json", GOLD / "independent-e.txt", "all",
                      (0.96, 0.97, 0.97)),
    "independent-f": (GOLD / "independent-f.gold.json", GOLD / "independent-f.txt", "all",
                      (0.93, 0.92, 0.98)),
    # a second independent author's set (gold/independent-README.md, last section): scored
    # 0.735 / 0.826 / 0.922 on main (e9f6800), then DEVELOPED ON (partners11g, partners11i)
    "independent-c": (GOLD / "independent-c.gold.json", GOLD / "independent-c.txt", "all",
                      (0.97, 0.96, 0.96)),
    # sets by a third and a fourth author who never saw the rules (gold/independent-README.md,
    # last sections), first scored on partners11i's branch (main's rules c4d64c1 give the same
    # canonical / mention / category figures): g 0.900 / 0.917 / 0.950, h 0.818 / 0.851 / 0.902,
    # i 0.931 / 0.915 / 0.969, j 0.865 / 0.861 / 0.910; then DEVELOPED ON (partners11i)
    "author3-g": (GOLD / "author3-g.gold.json", GOLD / "author3-g.txt", "all",
                  (0.95, 0.96, 0.95)),
    # (h's category went 0.902 → 0.887 when partners11i found the 〜市X支所 offices, then to
    # 0.986 once partners11j typed a town's branch office as 行政)
    "author3-h": (GOLD / "author3-h.gold.json", GOLD / "author3-h.txt", "all",
                  (0.96, 0.97, 0.98)),
    "author4-i": (GOLD / "author4-i.gold.json", GOLD / "author4-i.txt", "all",
                  (0.96, 0.95, 0.97)),
    "author4-j": (GOLD / "author4-j.gold.json", GOLD / "author4-j.txt", "all",
                  (0.97, 0.95, 0.97)),
}


@pytest.mark.parametrize("name", sorted(SETS))
def test_quality_floor(name):
    gold, text, which, (canonical, mention, category) = SETS[name]
    if not text.exists():
        pytest.skip(f"{text} is not here")
    figures, expected, predicted = evaluate(gold, text, which)
    lines = "\n".join(m.line() for m in misses(expected, predicted))
    assert figures["canonical"]["f1"] >= canonical, lines
    assert figures["mention"]["f1"] >= mention, lines
    assert figures["category"]["accuracy"] >= category, lines


def test_halves_split_the_cases():
    ids = [f"c{i}" for i in range(1, 8)]
    assert select(ids, "odd") == ["c1", "c3", "c5", "c7"]
    assert select(ids, "even") == ["c2", "c4", "c6"]
    assert select(ids, "all") == ids


def test_gold_case_numbers_are_checked(tmp_path):
    path = tmp_path / "g.json"
    path.write_text('[{"case_no": 3, "partners": []}]', encoding="utf-8")
    with pytest.raises(ValueError, match="case_no 3"):
        load_gold(path, ["a", "b"])


def test_a_body_named_in_two_casebooks_is_one_node():
    """仙台市子供未来局 and 日本財団 are each named by two organisations of the dev set."""
    text = DEVSET / "regions-dev.txt"
    if not text.exists():
        pytest.skip("no dev set here")
    records = read_casebooks([text]).records
    shared = {label: orgs for _, label, orgs in shared_partners(records)}
    assert len(shared.get("仙台市子供未来局", [])) == 2
    assert len(shared.get("日本財団", [])) == 2


# --- one unit test per error class (texts written for the tests) -----------------------------


def _record(text: str, *, municipalities: tuple[str, ...] = ("札幌市西区",),
            prefecture: str = "北海道", org: str = "テスト団体") -> dict[str, Any]:
    return case_record(text, prefecture, municipalities=municipalities, org=org)


def _canonical(text: str, **kw: Any) -> list[str]:
    return [p["canonical"] for p in extract_partners(_record(text, **kw)) if not p["generic"]]


def test_conjunction_between_bodies_is_split():
    got = _canonical("山鼻小学校及び札幌市西区役所と協力した。", )
    assert "山鼻小学校" in got and "札幌市西区役所" in got
    got = _canonical("琴似神社や札幌市西区社会福祉協議会に協力いただいた。")
    assert "琴似神社" in got and "札幌市西区社会福祉協議会" in got


def test_middle_dot_inside_a_name_is_kept():
    got = _canonical("【広報】ICT・地域交流推進センター、こどもの未来・若者支援課")
    assert "ICT・地域交流推進センター" in got


def test_relative_clause_is_cut_from_the_name():
    got = _canonical("夏祭りで知り合った北星学園大学の協力を得た。")
    assert got == ["北星学園大学"]
    assert attributive_start("夏祭りで知り合った北星学園大学") == len("夏祭りで知り合った")
    assert attributive_start("徳島を良くし隊") is None  # a verb stem inside a name stays


def test_sentence_fragments_are_not_bodies():
    assert not ends_as_noun("委託で連携し")
    assert ends_as_noun("札幌市西区社会福祉協議会")
    got = _canonical("【連携】委託で連携し、二十四軒町内会")
    assert "委託で連携し" not in got


def test_abbreviation_defined_in_parentheses_is_the_same_body():
    got = extract_partners(_record(
        "札幌市西区社会福祉協議会（以下、区社協）と連携した。区社協からは講師を派遣いただいた。"))
    named = [p for p in got if not p["generic"]]
    assert [p["canonical"] for p in named] == ["札幌市西区社会福祉協議会"]


def test_a_short_name_defined_in_the_text_is_the_same_body():
    got = extract_partners(_record(
        "北海道ひきこもり支援ネットワーク（以下、ＨＳＮ）と連携し、ＨＳＮの紹介で相談会を開いた。"))
    assert [p["canonical"] for p in got] == ["北海道ひきこもり支援ネットワーク"]
    got = extract_partners(_record("【広報】石狩地域生活支援センター（石狩支援）、石狩支援"))
    assert [p["canonical"] for p in got] == ["石狩地域生活支援センター"]
    assert got[0]["role"] == "広報"  # the bracket is a short name, not a role


def test_a_secretariat_in_brackets_is_a_second_body():
    got = _canonical("NPO法人ゆうゆう（事務局：札幌市西区社会福祉協議会）と共催した。")
    assert got == ["ゆうゆう", "札幌市西区社会福祉協議会"]


def test_a_shared_owner_before_no_completes_the_kinds_after_it():
    for text in ("【見守り】琴似学区の町内会・愛育委員会・社会福祉協議会",
                 "琴似学区の町内会・愛育委員会・社会福祉協議会と連携した。"):
        assert _canonical(text) == [
            "琴似学区町内会", "琴似学区愛育委員会", "琴似学区社会福祉協議会"]
    got = _canonical("【連携】旭川市生涯学習課・健康推進課", municipalities=("旭川市",))
    assert got == ["旭川市生涯学習課", "旭川市健康推進課"]


def test_a_prefectural_office_is_not_completed_with_the_case_place():
    got = extract_partners(_record("【協力】石狩振興局、札幌保護観察所"))
    assert [(p["canonical"], p["municipality"]) for p in got] == [
        ("石狩振興局", None), ("札幌保護観察所", None)]


def test_a_district_council_without_its_district_is_a_kind():
    got = extract_partners(_record("地区社協や民生委員と連携した。"))
    assert [(p["canonical"], p["generic"]) for p in got] == [
        ("地区社会福祉協議会", True), ("民生委員", True)]


def test_a_group_of_a_body_s_members_is_a_kind_of_its_category():
    got = extract_partners(_record("【協力】北星学園大学の学生サークル"))
    assert [(p["generic"], p["category"]) for p in got] == [(True, "大学・専門学校")]


def test_a_facility_in_brackets_is_the_same_body_not_a_role():
    got = extract_partners(_record("【会場】社会福祉法人さくら会（特別養護老人ホームあおぞら）"))
    assert [(p["canonical"], p["role"]) for p in got] == [("さくら会", "会場")]
    got = extract_partners(_record("社会福祉法人さくら会（特別養護老人ホームあおぞら）、琴似神社"))
    assert [(p["canonical"], p["role"]) for p in got] == [("さくら会", None), ("琴似神社", None)]


def test_offices_sharing_a_department_give_one_department_each():
    got = _canonical("札幌市役所、江別市役所の各子育て支援課")
    assert got == ["札幌市子育て支援課", "江別市子育て支援課"]
    assert _canonical("県の子ども政策課") == ["北海道子ども政策課"]


def test_an_activity_heading_a_list_is_the_role_of_its_bodies():
    got = extract_partners(_record(
        "(1)相談支援：札幌市西区社会福祉協議会(2)食材の提供：フードバンク札幌、北海青果(株)、丸山商店"))
    assert [(p["canonical"], p["role"]) for p in got] == [
        ("札幌市西区社会福祉協議会", "相談支援"), ("フードバンク札幌", "食材の提供"),
        ("北海青果", "食材の提供"), ("丸山商店", "食材の提供")]


def test_both_places_of_the_case_give_a_body_each():
    got = extract_partners(_record("両市の社会福祉協議会と連携した。",
                                   municipalities=("北見市", "網走市")))
    assert [(p["mention"], p["canonical"]) for p in got] == [
        ("両市の社会福祉協議会", "北見市社会福祉協議会"),
        ("両市の社会福祉協議会", "網走市社会福祉協議会")]


def test_places_used_as_places_are_not_partners():
    assert _canonical("石狩市・当別町から避難している方々の交流会と連携した。") == []
    assert _canonical("札幌市から委託を受け、江別市と連携した。") == ["札幌市", "江別市"]


def test_bodies_named_in_a_bracket_after_a_kind_are_partners():
    got = _canonical("道内の大学（北海学園大学、北星学園大学）")
    assert got == ["北海学園大学", "北星学園大学"]


def test_vague_scopes_and_branches_leave_the_named_body():
    got = _canonical("地元の札幌東高校、区内のセイコーマート各店")
    assert got == ["札幌東高等学校", "セイコーマート"]
    got = _canonical("各務原市社会福祉協議会（情報共有）", municipalities=("各務原市",),
                     prefecture="岐阜県")
    assert got == ["各務原市社会福祉協議会"]  # a place is no scope (各)
    assert _canonical("【連携】地域振興課、地域の自治会") == ["札幌市西区地域振興課"]


def test_ward_councils_follow_the_city_s_organisation():
    got = _canonical("区社協と連携した。", municipalities=("仙台市青葉区",), prefecture="宮城県")
    assert got == ["仙台市社会福祉協議会青葉区事務所"]
    got = _canonical("区社協と連携した。", municipalities=("広島市南区",), prefecture="広島県")
    assert got == ["広島市社会福祉協議会"]
    assert _canonical("区社協と連携した。") == ["札幌市西区社会福祉協議会"]


def test_a_sentence_is_read_as_prose_even_without_a_listed_verb_ending():
    got = _canonical("北海道ひきこもり支援協会（以下、ＨＩＣＥ）と共催し、"
                     "ＨＩＣＥのスタッフが相談に応じた。")
    assert got == ["北海道ひきこもり支援協会"]
    got = _canonical("札幌こども食堂ネットワーク（事務局：札幌市西区社会福祉協議会）に加盟")
    assert got == ["札幌こども食堂ネットワーク", "札幌市西区社会福祉協議会"]


def test_people_of_a_body_are_not_bodies():
    got = extract_partners(_record(
        "北海道大学の教員や学生、地域包括支援センターの職員が参加した。"))
    assert [(p["canonical"], p["generic"]) for p in got] == [
        ("北海道大学", False), ("地域包括支援センター", True)]


def test_a_topic_before_a_name_is_no_part_of_it():
    got = extract_partners(_record("チラシの配布は札幌市内の小中学校と公民館に依頼した。"))
    assert [p["mention"] for p in got] == ["札幌市内の小中学校", "公民館"]
    assert _canonical("【協力】えがお子ども食堂、志木のまも愛内人の会") == [
        "えがお子ども食堂", "志木のまも愛内人の会"]  # kana inside a name are no particles


def test_a_counted_list_vouches_for_its_names():
    got = _canonical("NPO法人あおぞら、みんなで支え隊及びつばさベース（以下、3団体）と"
                     "共同で実施した。")
    assert got == ["あおぞら", "みんなで支え隊", "つばさベース"]
    # a count that does not match the list vouches for nothing
    assert _canonical("みんなで支え隊及びつばさベース（以下、3団体）と実施した。") == []


def test_a_named_body_after_the_clause_qualifying_it_is_found():
    got = _canonical("先に活動している琴似こども食堂に運営の仕方を教わった。")
    assert got == ["琴似こども食堂"]


def test_a_list_after_a_lead_in_starts_with_its_first_name():
    got = _canonical("他にも、さっぽろ若者すまいサポートセンター、札幌市、北海道と"
                     "それぞれ連携した。")
    assert got == ["さっぽろ若者すまいサポートセンター", "札幌市", "北海道"]


def test_entries_on_one_line_are_separated():
    got = _canonical("西野公民館：会場の提供 北洋信用金庫：寄付の受付 発寒郵便局：チラシの設置")
    assert got == ["西野公民館", "北洋信用金庫", "発寒郵便局"]


def test_context_shorthand_is_completed_from_the_case():
    got = _canonical("区社協と同区役所保健福祉課、当区の地域包括支援センター")
    assert "札幌市西区社会福祉協議会" in got
    assert "札幌市西区役所保健福祉課" in got
    got = _canonical("当町の商工会から紹介を受けた。", municipalities=("藤里町",),
                     prefecture="秋田県")
    assert got == ["藤里町商工会"]
    assert _canonical("【協力】本町自治会", municipalities=("藤里町",), prefecture="秋田県") == [
        "本町自治会"]  # 本町 is a place name, not this town


def test_ward_level_body_takes_the_ward():
    got = extract_partners(_record("【広報】西区役所保健福祉課"))
    assert got[0]["canonical"] == "札幌市西区役所保健福祉課"
    assert got[0]["municipality"] == "札幌市西区"


def test_a_sub_area_body_keeps_its_own_name():
    got = _canonical("山の手地区社会福祉協議会と連携した。")
    assert got == ["山の手地区社会福祉協議会"]


def test_short_university_names_are_expanded():
    assert _canonical("【協力】北星大、藤女子大") == ["北星大学", "藤女子大学"]
    assert _canonical("【協力】高校") == []  # a bare kind stays a kind


def test_legal_forms_give_one_key():
    for text in ("株式会社ノースパン", "(株)ノースパン", "ノースパン株式会社", "ノースパン(株)"):
        assert _canonical(f"【協賛】{text}") == ["ノースパン"], text
    assert _canonical("【協賛】北海電業(株)札幌支店") == ["北海電業札幌支店"]
    assert _canonical("【協賛】北海電業株式会社札幌支店") == ["北海電業札幌支店"]


def test_honorifics_and_attached_persons_are_left_out():
    assert drop_honorifics("ノースパン様、西野商店様から") == "ノースパン、西野商店から"
    assert drop_honorifics("様々な団体") == "様々な団体"
    got = _canonical("北星学園大学の学生と札幌市西区社会福祉協議会の職員が参加した。")
    assert "北星学園大学" in got


@pytest.mark.parametrize(("name", "category"), [
    ("北洋信用金庫", "企業・店舗"), ("発寒郵便局", "企業・店舗"), ("札幌西警察署", "行政"),
    ("札幌市西消防署", "行政"), ("石狩振興局", "行政"), ("札幌保護観察所", "行政"),
    ("西区保健センター", "行政"), ("琴似まちづくり協議会", "町内会・自治会"),
    ("北海電業札幌支店", "企業・店舗"), ("札幌市社会福祉協議会西区事務所", "社会福祉協議会"),
    ("藤女子大", "大学・専門学校"), ("スーパーマルヤマ", "企業・店舗"),
    ("JAさっぽろ", "企業・店舗"), ("札幌市民活動サポートセンター", "NPO・市民団体"),
    ("西区ソーシャルデザインセンター", "NPO・市民団体"), ("コストコ倉庫店札幌店", "企業・店舗"),
])
def test_kinds_of_body_are_typed(name, category):
    got = extract_partners(_record(f"【協力】{name}"))
    assert got[0]["category"] == category, got


# --- properties --------------------------------------------------------------------------------

_NAMES = st.sampled_from(["北洋信用金庫", "琴似神社", "山鼻小学校", "ノースパン", "西野公民館",
                          "北星学園大学", "二十四軒町内会"])


@settings(max_examples=40, deadline=None)
@given(st.lists(_NAMES, min_size=1, max_size=5, unique=True), st.sampled_from(["、", "・"]))
def test_a_list_of_bodies_gives_each_once(names, sep):
    got = _canonical("【協力】" + sep.join(names))
    assert got == names


@settings(max_examples=40, deadline=None)
@given(_NAMES, st.sampled_from(["株式会社", "(株)", "一般社団法人", "NPO法人", "認定NPO法人"]))
def test_legal_form_never_changes_the_key(name, form):
    rules = load_rules()
    plain = extract_partners(_record(f"【協力】{name}"), rules=rules)
    formed = extract_partners(_record(f"【協力】{form}{name}"), rules=rules)
    assert [p["canonical"] for p in formed] == [p["canonical"] for p in plain]


def test_one_key_per_body_across_cases_and_casebooks():
    """Spellings that name one body meet in one node, whichever case or chapter writes them."""
    texts = [
        ("a", "【連携】旭川市健康推進課、株式会社ノースパン、旭川市社会福祉協議会"),
        ("b", "健康推進課、ノースパン株式会社と連携した。"),
        ("c", "市社協（旭川市社会福祉協議会）、(株)ノースパン"),
        ("d", "旭川市社会福祉協議会（以下、市社協）と連携し、市社協の紹介で健康推進課とも"
              "協力した。"),
    ]
    records = [
        {**_record(text, municipalities=("旭川市",)), "case_id": f"book{i}-{cid}",
         "org_name": f"団体{cid}"}
        for i, (cid, text) in enumerate(texts)
    ]
    shared = {label: sorted(orgs) for _, label, orgs in shared_partners(records)}
    assert shared["旭川市健康推進課"] == ["団体a", "団体b", "団体d"]
    assert shared["ノースパン"] == ["団体a", "団体b", "団体c"]
    assert shared["旭川市社会福祉協議会"] == ["団体a", "団体c", "団体d"]


def test_the_scorer_command_scores_pairs_together(capsys):
    from graph.partners.evaluate import main

    part1 = (str(GOLD / "kanto-2024-part1.gold.json"),
             str(ROOT / "data/casebooks/kanto-2024-part1.txt"))
    assert main([*part1, *part1, "-v"]) == 0
    out = capsys.readouterr().out
    assert "11 cases (all)" in out and "canonical (non-generic)" in out
    with pytest.raises(SystemExit):
        main([part1[0]])
