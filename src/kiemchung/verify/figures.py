"""The figures of a text, read as a Vietnamese news reader reads them, and which of them another
text gives.

A figure is one figure however it is written: "3,3 tỷ", "3.300 triệu" and "3300000000" match, and
so do "9,5 GWp" and "9.500 MWp", "71 tạ/ha" and "7,1 tấn/ha". A claim may also round or bound its
figure: "hơn 50 nghìn MW" is given by evidence that says 50.200 MW, "dưới 59 USD" by 58,7 USD,
"25,5 nghìn tỷ" by 25.540 tỷ. Without these, a true claim in other words reads as one whose figure
the evidence contradicts — the false REFUTED the tool must not give.

A claim's figure that the evidence does not give is *rivalled* when the evidence has another
figure of the same kind in the same words ("xuất khẩu … 7,1 triệu tấn" against "xuất khẩu … 6,2
triệu tấn"): that is a contradiction. Without a rival the evidence is silent on it ("xuất khẩu 7,1
triệu tấn gạo" against a passage on 1.000 tấn of rice given to pupils): not enough information.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass

#: Scale words that follow a figure in Vietnamese news ("3,3 tỷ", "14,3 nghìn tỷ").
SCALES = {"nghìn": 1e3, "ngàn": 1e3, "triệu": 1e6, "tỷ": 1e9, "tỉ": 1e9}
#: Units whose multiples convert: unit (lower case) -> (base unit, factor).
UNITS = {
    **{f"{p}{u}": (u, f) for p, f in (("k", 1e3), ("m", 1e6), ("g", 1e9)) for u in ("w", "wh")},
    **{f"{p}wp": ("wp", f) for p, f in (("k", 1e3), ("m", 1e6), ("g", 1e9))},
    "tấn": ("kg", 1e3),
    "tạ": ("kg", 1e2),
    "yến": ("kg", 1e1),
    "kg": ("kg", 1.0),
    "km": ("m", 1e3),
    "%": ("%", 1.0),
    "phần trăm": ("%", 1.0),
}
#: Words before a figure that bound it: (words, kind). Longer phrases first.
BOUNDS = (
    ("chưa đến", "below"),
    ("chưa tới", "below"),
    ("không đến", "below"),
    ("không tới", "below"),
    ("xấp xỉ", "about"),
    ("khoảng", "about"),
    ("chừng", "about"),
    ("ước", "about"),
    ("gần", "near"),
    ("hơn", "above"),
    ("trên", "above"),
    ("vượt", "above"),
    ("dưới", "below"),
)
#: The values a bound lets through, as a share of the stated figure: (lowest, highest, open at
#: the stated figure). "hơn 50 nghìn" is 50.200 but hardly 80.000: news rounds down, not away.
BOUND_RANGES = {
    "above": (1.0, 1.5, True),
    "below": (0.8, 1.0, True),
    "near": (0.85, 1.0, False),
    "about": (0.95, 1.05, False),
}
#: Bounds a figure's own value does not meet ("hơn 50" is not 50).
OPEN_BOUNDS = frozenset(k for k, (_, _, open_) in BOUND_RANGES.items() if open_)
_UNIT = "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))
_FIGURE = re.compile(
    r"(\d+(?:[.,]\d+)*)"
    r"(?:\s+((?:nghìn|ngàn)\s+t[ỷỉ]|nghìn|ngàn|triệu|tỷ|tỉ)(?!\w))?"
    rf"(?:\s*({_UNIT})(?!\w))?",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+")
#: Words too common around figures to tell one quantity from another.
_PLAIN = frozenset(
    "là có của và ở tại trong năm tháng ngày với so cùng kỳ đạt được mức còn lên xuống đến từ "
    "khoảng hơn trên dưới gần chỉ tổng số theo này đó các những một người đồng usd đã bị "
    "sẽ vào lúc |".split()
)
BEFORE, AFTER = 4, 5  # syllables either side of a figure that say what it counts


@dataclass(frozen=True)
class Figure:
    """One figure: as written, the keys it matches by, its amount (scale applied), its unit's
    base and its amount in that base, the bound before it, the step of its last written digit,
    and the words before it."""

    written: str
    keys: frozenset[str]
    amount: float | None
    unit: str = ""
    in_unit: float | None = None
    bound: str | None = None
    step: float = 0.0
    window: tuple[str, ...] = ()

    def admits(self, other: Figure) -> bool:
        """Whether ``other`` gives this figure: the same keys, or a value this figure's bound or
        rounding lets through (in the same unit, when both have one)."""
        if self.keys & other.keys and (self.bound == other.bound or self.bound not in OPEN_BOUNDS):
            return True  # "hơn 50 nghìn" is more than 50.000, and "hơn 50.000" gives it
        if self.unit and other.unit:
            if self.unit != other.unit:
                return False
            factor = self.in_unit / self.amount if self.amount else 1.0
            mine, theirs, step = self.in_unit, other.in_unit, self.step * factor
        else:
            mine, theirs, step = self.amount, other.amount, self.step
        if not mine or theirs is None:
            return False
        if self.bound:
            low, high, open_ = BOUND_RANGES[self.bound]
            share = theirs / mine
            return low <= share <= high and not (open_ and math.isclose(share, 1.0))
        # "25,5 nghìn tỷ" is 25.540 tỷ rounded; a whole "7 triệu" is not 7,4 triệu (step 0)
        return abs(theirs - mine) <= step / 2 * (1 + 1e-9)


def _amount(digits: str) -> tuple[float, int] | None:
    """The value of a figure's digits as Vietnamese writes them (dots group thousands, a comma
    marks decimals: "5.310.000", "3,12"), or as English does where only that reading fits
    ("3.3", "1,234,567"), with its decimal places; None when they are no number ("9.10.2025" is
    read, harmlessly)."""
    dots, commas = digits.count("."), digits.count(",")
    if dots and commas:
        group, point = (".", ",") if digits.rfind(",") > digits.rfind(".") else (",", ".")
    elif dots > 1 or (dots == 1 and len(digits.rsplit(".", 1)[1]) == 3):
        group, point = ".", ","
    elif commas > 1:
        group, point = ",", "."
    else:
        group, point = "", ","
    plain = (digits.replace(group, "") if group else digits).replace(point, ".")
    try:
        return float(plain), len(plain.rsplit(".", 1)[1]) if "." in plain else 0
    except ValueError:
        return None


def _bound(before: str) -> str | None:
    """The bound the words just before a figure put on it ("hơn", "chưa đến"), if any."""
    tail = " ".join(_WORD.findall(before.lower())[-2:])
    for words, kind in BOUNDS:
        if tail == words or tail.endswith(f" {words}"):
            return kind
    return None


def figures(text: str) -> dict[str, Figure]:
    """Each figure of ``text`` by its written form (decimal comma read as a point, with its
    scale word), in order; the first of two that are written alike is kept."""
    found: dict[str, Figure] = {}
    for match in _FIGURE.finditer(text):
        digits, scale, unit = match.group(1).rstrip(".,"), match.group(2), match.group(3)
        written = digits.replace(",", ".")
        if scale:
            scale = " ".join(scale.split()).lower()
            written = f"{written} {scale}"
        if written in found:
            continue
        keys, read = {written}, _amount(digits)
        before = text[max(0, match.start() - 60) : match.start()]
        after = _WORD.findall(text[match.end() : match.end() + 60].lower())[:AFTER]
        window = (*_WORD.findall(before.lower())[-BEFORE:], "|", *after)
        if read is None:
            found[written] = Figure(written, frozenset(keys), None, window=window)
            continue
        amount, decimals = read
        factor = math.prod(SCALES[word] for word in (scale or "").split())
        amount *= factor
        keys.add(format(amount, ".12g"))
        base, in_unit = "", None
        if unit:
            base, unit_factor = UNITS[unit.lower()]
            in_unit = amount * unit_factor
            keys.add(f"{in_unit:.12g} {base}")
        step = factor * 10.0**-decimals if decimals else 0.0
        found[written] = Figure(
            written, frozenset(keys), amount, base, in_unit, _bound(before), step, window
        )
    return found


def unmatched(these: dict[str, Figure], those: dict[str, Figure]) -> list[str]:
    """The figures of ``these`` (as written, in order) that none of ``those`` gives."""
    return [
        written
        for written, figure in these.items()
        if not any(figure.admits(other) for other in those.values())
    ]


def same_quantity(words: tuple[str, ...], others: tuple[str, ...]) -> bool:
    """Whether the words around two figures say they count the same thing: a shared pair of
    syllables with a telling one in it ("xuất khẩu", "bảo hiểm"), or half the telling syllables.
    A syllable or two is not enough: "xuất khẩu … tấn gạo" and "xuất cấp … tấn gạo" differ."""
    pairs = {p for p in itertools.pairwise(words) if "|" not in p and not all(map(_plain, p))}
    if pairs & set(itertools.pairwise(others)):
        return True
    telling = {w for w in words if not _plain(w)}
    return len(telling & set(others)) >= max(1, len(telling) / 2)


def _plain(word: str) -> bool:
    return word in _PLAIN or word.isdigit()


def rivalled(missing: list[str], these: dict[str, Figure], those: dict[str, Figure]) -> list[str]:
    """The ``missing`` figures of ``these`` that ``those`` states another value for: a figure of
    the same unit after words that say it counts the same thing."""
    return [
        written
        for written in missing
        if any(
            other.unit == these[written].unit and same_quantity(these[written].window, other.window)
            for other in those.values()
        )
    ]
