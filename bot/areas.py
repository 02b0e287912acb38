"""China's administrative area codes (GB/T 2260) in every period, from python-stdnum's table.

Two uses: a resident ID's first six digits must name an area that existed at *some* time (the
code is where the number was first issued, so an area created in 1993 is carried by residents
born long before); and a place a resident types ("河南省新乡县", "湘阴") is placed in its
province, so a cross-archive request can be kept to the archives the service covers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    province: str


def _walk() -> list[Area]:
    """The table read once, not through `numdb.get` (which would keep its 3.5 MB parse for the
    process's life: only these areas are kept)."""
    from importlib.resources import files

    from stdnum import numdb

    with files("stdnum").joinpath("cn/loc.dat").open(encoding="utf-8") as fp:
        table = numdb.read(fp)
    areas: list[Area] = []
    for _len, low, high, props, children in table.prefixes:  # type: ignore[attr-defined]
        if low != high:
            continue  # the table lists each province by its own 2-digit prefix
        province = _simplified(props.get("province", ""))
        for _sub_len, sub_low, sub_high, sub_props, _grand in children:
            names = sub_props.get("county", "")
            for number in range(int(sub_low), int(sub_high) + 1):
                for entry in names.split(","):
                    name = re.sub(r"^\[[^\]]*\]", "", entry).strip()
                    if name:
                        areas.append(Area(f"{low}{number:04d}", name, province))
    return areas


#: Traditional spellings in the table's province names and their simplified forms.
_TRADITIONAL = {"特別行政區": "特别行政区", "澳門": "澳门"}


def _simplified(name: str) -> str:
    for traditional, simplified in _TRADITIONAL.items():
        name = name.replace(traditional, simplified)
    return name


@cache
def all_areas() -> tuple[Area, ...]:
    return tuple(_walk())


@cache
def area_codes() -> frozenset[str]:
    """Every 6-digit code the table lists in any period (current or historical)."""
    return frozenset(a.code for a in all_areas())


@cache
def provinces() -> tuple[str, ...]:
    return tuple(sorted({a.province for a in all_areas() if a.province}, key=len, reverse=True))


#: Administrative suffixes residents add or leave out ("湘阴县" / "湘阴").
_SUFFIX = re.compile(r"(?:自治县|自治旗|自治州|特别行政区|县|市|区|旗|省|盟)$")
_GENERIC = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "郊区", "矿区", "城区"}


def _stem(name: str) -> str:
    return _SUFFIX.sub("", name) if len(name) > 2 else name


@cache
def _by_stem() -> dict[str, frozenset[str]]:
    """Area name (and its stem without 县/市/区) -> the provinces having an area so named."""
    index: dict[str, set[str]] = {}
    for area in all_areas():
        if area.name in _GENERIC or not area.province:
            continue
        for key in {area.name, _stem(area.name)}:
            if len(key) >= 2:
                index.setdefault(key, set()).add(area.province)
    return {k: frozenset(v) for k, v in index.items()}


def province_of(place: str) -> str | None:
    """The province a typed place lies in, or None when unknown or ambiguous.

    A province named in the text wins ("河南省新乡县"); otherwise the longest area name found
    in the text decides, if all areas of that name lie in one province."""
    text = re.sub(r"\s", "", place or "")
    for province in provinces():
        short = re.sub(r"(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$", "", province)
        if province in text or (len(short) >= 2 and text.startswith(short)):
            return province
    index = _by_stem()
    best: tuple[int, frozenset[str]] | None = None
    for i in range(len(text)):
        for j in range(len(text), i + 1, -1):
            found = index.get(text[i:j])
            if found and (best is None or j - i > best[0]):
                best = (j - i, found)
                break
    if best is None or len(best[1]) != 1:
        return None
    return next(iter(best[1]))


#: City names that are everyday words too ("接待来宾", "日照时间"): never read as a place.
_COMMON_WORDS = frozenset(
    {
        "来宾",
        "白银",
        "日照",
        "大同",
        "中山",
        "长治",
        "安康",
        "中卫",
        "吉安",
        "永安",
        "太平",
        "朝阳",
        "三明",
        "安顺",
    }
    | {"普洱", "四平"}
)


@cache
def place_names() -> frozenset[str]:
    """Names a resident types for a place: provinces and prefecture-level cities with or without
    their suffix (河北, 邯郸, 天津市), other areas only in full and of three characters at least
    (宁晋县): a bare county name is too often a word ("长安", "和平"), and so is a short full one
    ("我和县里说了", "新县城", "市区")."""
    names: set[str] = set()
    for area in all_areas():
        if area.name in _GENERIC:
            continue
        if area.code.endswith("00"):
            names.update((area.name, _stem(area.name)))
        elif len(area.name) >= 3:
            names.add(area.name)
    for province in provinces():
        names.add(re.sub(r"(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$", "", province))
    return frozenset(n for n in names if len(n) >= 2 and n not in _COMMON_WORDS)


@cache
def _name_starts() -> frozenset[str]:
    """The first two characters of every place name (`mark_places`)."""
    return frozenset(name[:2] for name in place_names())


def mark_places(text: str, own: frozenset[str], marker: str) -> str:
    """`text` with each place name it holds, other than `own` (this office's counties), replaced
    by `marker`, the longest name first at each position. A province or city right before one
    of ours is its address ("河北柏乡", "邢台市柏乡县"), not elsewhere."""
    names = place_names()
    starts = _name_starts()
    out: list[str] = []
    i = 0
    while i < len(text):
        # most positions begin no name: one probe of their first two characters, not eight
        for j in range(min(len(text), i + 8) if text[i : i + 2] in starts else i + 1, i + 1, -1):
            piece = text[i:j]
            if piece in names and piece not in own and not _before_own(text, j, own):
                out.append(marker)
                i = j
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _before_own(text: str, at: int, own: frozenset[str]) -> bool:
    """Whether one of `own` starts at `at`, or after one suffix character (省, 市)."""
    return any(text.startswith(o, at) or text.startswith(o, at + 1) for o in own)
