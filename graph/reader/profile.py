"""The 団体概要 (organisation profile) table: representative, dates, staff, address, website."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Protocol

from graph.text.normalize import nfkc, norm_name, norm_prose
from graph.text.places import gazetteer

_TITLES = (
    "代表取締役社長", "代表取締役", "代表理事", "共同代表", "副理事長", "理事長",
    "代表社員", "代表者", "代表", "会長", "施設長", "所長", "事務局長", "運営委員長", "委員長",
    "学長", "院長", "社長", "センター長", "団長", "座長", "室長",
)  # fmt: skip
_TITLE_IN_PARENS = re.compile(r"\((?:" + "|".join(_TITLES) + r")\)$")
_STAFF = re.compile(r"(\d+)\s*(?:人|名)")
_BARE_NUMBER = re.compile(r"\s*(\d+)\s*")
_UNDISCLOSED = re.compile(r"[(\[【]?[^()\[\]【】]*非公開")
_ERAS = {"明治": 1867, "大正": 1911, "昭和": 1925, "平成": 1988, "令和": 2018}
_DATE = re.compile(
    r"(?:(?P<era>明治|大正|昭和|平成|令和)\s*(?P<eyear>\d{1,2}|元)|(?P<year>(?:18|19|20)\d{2}))"
    r"\s*(?:年|[./-])\s*(?:(?P<month>\d{1,2})\s*(?:月|[./-])?\s*(?:(?P<day>\d{1,2})\s*日?)?)?"
)
_CLAUSE_END = re.compile(r"[、,()（）;]")
_INCORPORATION = re.compile(r"法人|認証|登記")
_LAYOUT_SPACE = re.compile(r"\s+")
_POSTAL = re.compile(r"^〒?\s*(\d{3})\s*[-ー－]?\s*(\d{4})\s*")
_URL = re.compile(r"https?://[^\s<>\"'、。]+|www\.[^\s<>\"'、。]+")
_NO_VALUE = re.compile(r"^(?:なし|無し|ー|-|―|制作中|作成中|準備中|非公開|未定|未開設)?$")


class Warn(Protocol):
    """Where field problems go: (line, field, message, raw text)."""

    def __call__(self, line: int, field_name: str, message: str, text: str | None = None) -> None:
        """Record a warning."""


def read_representative(text: str) -> str | None:
    """代表者 without titles and spaces: ``理事長 井上 峰夫`` → ``井上峰夫``."""
    # Titles are taken word by word first, so "代表理事 長谷川 康浩" keeps 長 (代表理事長 is
    # not read across the space); a title split by layout ("代表 理事") still joins up.
    words = nfkc(text).split()
    stripped = True
    while stripped and len(words) > 1:
        stripped = False
        for k in range(len(words) - 1, 0, -1):
            if "".join(words[:k]) in _TITLES:
                words, stripped = words[k:], True
                break
    if words:  # a title glued to the name: 理事長井上峰夫
        first = words[0]
        for title in _TITLES:
            if first.startswith(title) and len(first) > len(title):
                words[0] = first[len(title) :].lstrip(":・")
                break
    name = norm_name(" ".join(words))
    name = _TITLE_IN_PARENS.sub("", name)
    for title in _TITLES:
        if name.endswith(title) and len(name) > len(title) + 1:
            name = name[: -len(title)]
    return name.replace(" ", "") or None


def _iso(match: re.Match[str]) -> str:
    if match.group("era"):
        eyear = match.group("eyear")
        year = _ERAS[match.group("era")] + (1 if eyear == "元" else int(eyear))
    else:
        year = int(match.group("year"))
    parts = [f"{year:04d}"]
    if match.group("month"):
        parts.append(f"{int(match.group('month')):02d}")
        if match.group("day"):
            parts.append(f"{int(match.group('day')):02d}")
    return "-".join(parts)


def read_dates(text: str) -> tuple[str | None, str | None]:
    """設立年月日 → (founded, incorporated): the first founding date and a later 法人化 date."""
    norm = nfkc(text)
    found = list(_DATE.finditer(norm))
    founded: str | None = None
    incorporated: str | None = None
    for n, match in enumerate(found):
        before = norm[found[n - 1].end() if n else 0 : match.start()]
        after = _CLAUSE_END.split(
            norm[match.end() : found[n + 1].start() if n + 1 < len(found) else len(norm)],
        )[0]
        # layout spaces are noise inside words too (法 人化 as the PDF splits it)
        words = _LAYOUT_SPACE.sub("", before + after)
        about_incorporation = bool(_INCORPORATION.search(words)) and n > 0
        if about_incorporation and incorporated is None:
            incorporated = _iso(match)
        elif founded is None:
            founded = _iso(match)
    return founded, incorporated


def read_staff(text: str) -> int | None:
    """The first staff figure written: ``総数 30 人 専任 5 人`` → 30."""
    norm = nfkc(text).replace(",", "")
    found = _STAFF.search(norm) or _BARE_NUMBER.fullmatch(norm)
    return int(found.group(1)) if found else None


def read_address(text: str) -> dict[str, Any]:
    """団体住所 → address, postal code, prefecture and municipality (ward for designated cities)."""
    norm = norm_name(text)
    out: dict[str, Any] = {"address": None, "postal_code": None,
                           "address_prefecture": None, "address_municipality": None,
                           "address_municipality_code": None}  # fmt: skip
    if not norm:
        return out
    postal = _POSTAL.match(norm)
    if postal:
        out["postal_code"] = f"{postal.group(1)}-{postal.group(2)}"
        norm = norm[postal.end() :]
    if "非公開" in norm:
        # 神奈川県横浜市(住所非公開): no street address, but the place written still counts
        norm = _UNDISCLOSED.split(norm, maxsplit=1)[0]
    else:
        out["address"] = norm
    gaz = gazetteer()
    rest = norm
    pref = None
    found = gaz.match_at(rest)
    if found and found[0].kind == "prefecture":
        pref = found[0].name
        rest = rest[found[1] :]
        found = gaz.match_at(rest, pref)
    if found and found[0].kind != "prefecture":
        place = found[0]
        if place.city is None and gaz.has_wards(place.name):
            ward = gaz.match_at(rest, place.prefecture)
            place = ward[0] if ward else place
        out["address_municipality"] = place.name
        out["address_municipality_code"] = place.code
        pref = place.prefecture
    out["address_prefecture"] = pref
    return out


def read_website(text: str) -> str | None:
    """ウェブサイト: the URL, or None when absent or 制作中."""
    norm = norm_name(text)
    if _NO_VALUE.match(norm) or "制作中" in norm or "準備中" in norm:
        return None
    found = _URL.search(nfkc(text))  # before layout spaces go: they end the URL
    return found.group(0) if found else norm


# 団体概要 row label → field; the reader also uses the labels to split rows without a tab.
PROFILE_LABELS: dict[str, str] = {
    "代表者": "representative", "設立年月日": "founded", "設立年月": "founded", "設立": "founded",
    "スタッフ数": "staff", "職員数": "staff", "団体住所": "address", "所在地": "address",
    "住所": "address", "ウェブサイト": "website", "ホームページ": "website", "URL": "website",
    "メッセージ": "message", "団体名": "name",
}  # fmt: skip


def read_profile(cells: dict[str, Any], warn: Callable[..., None]) -> dict[str, Any]:
    """Fields of the 団体概要 table; unknown rows are warned about and kept."""
    rec: dict[str, Any] = {
        "representative": None, "founded": None, "incorporated": None, "founded_text": None,
        "staff_count": None, "staff_text": None, "website": None, "message": None,
    }  # fmt: skip
    rec.update(read_address(""))
    for label, cell in cells.items():
        name = PROFILE_LABELS.get(label)
        text = cell.text
        if name is None:
            warn(cell.line, "profile", f"unknown row label {label}", text)
        elif name == "representative":
            rec["representative"] = read_representative(text)
        elif name == "founded":
            rec["founded_text"] = norm_name(text) or None
            rec["founded"], rec["incorporated"] = read_dates(text)
            if rec["founded"] is None and rec["founded_text"]:
                warn(cell.line, "founded", f"no date in 設立年月日: {text.strip()}", text)
        elif name == "staff":
            rec["staff_text"] = norm_name(text) or None
            rec["staff_count"] = read_staff(text)
            if rec["staff_count"] is None and rec["staff_text"]:
                warn(
                    cell.line, "staff_count", f"no staff figure in スタッフ数: {text.strip()}", text
                )
        elif name == "address":
            rec.update(read_address(text))
            if rec["address"] and rec["address_prefecture"] is None:
                warn(
                    cell.line,
                    "address",
                    f"no prefecture or municipality in 団体住所: {text.strip()}",
                )
        elif name == "website":
            rec["website"] = read_website(text)
        elif name == "message":
            rec["message"] = norm_prose(text)
    if not cells:
        return rec
    for label, name in (("代表者", "representative"), ("団体住所", "address")):
        if not any(PROFILE_LABELS.get(lab) == name for lab in cells):
            line = min(c.line for c in cells.values())
            warn(line, name, f"no {label} row in 団体概要")
    return rec
