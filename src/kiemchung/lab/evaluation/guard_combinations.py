"""The leak guard's combinatorial set: several items of personal data on one line, in every order.

Drafts, forms, customer-service replies and chat logs put a name, an ID, a phone, an account and
an address on one line, in any order, with or without their cue words. The template set
(:mod:`kiemchung.lab.evaluation.guard_synthetic`) has one or two items per draft, each behind its
own cue, so it cannot show a cue word reaching past the next item, two recognizers fighting over one
number, or a name running into the cue after it. This set is built to show exactly that:

* every pair and every triple of the twelve entity types below, in both orders (a triple and its
  reverse);
* each once with cue words ("SĐT", "CCCD", "STK" …) and once bare — types that cannot be told
  apart without a cue (an old ID card, an account, a tax code, a passport, an insurance number)
  keep theirs;
* each with every separator: ", ", " - ", "-", a line break, and nothing but a space;
* about half of the lines with distractors slipped between the items (prices, hotlines, order
  and tracking numbers, dates, times), plus lines made only of distractors.

Values come from the template set's generators, so they follow each format's real rules. Two
numbers joined by a bare "-" read as one number ("0912345678-001203004567"), so that separator
falls back to " - " between two numbers. Seeded: the same lines every run (a test checks), built
in memory when asked for, never stored.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass

from kiemchung.lab.evaluation import guard_synthetic as values

SEED = 20261204
SEPARATORS = (", ", " - ", "-", "\n", " ")
N_NEGATIVE = 600


@dataclass(frozen=True)
class ItemKind:
    """One entity type as people write it: a value generator and the cue words put before it."""

    label: str
    value: Callable[[random.Random], str]
    cues: tuple[str, ...]
    #: Whether the type can stand without a cue word (its shape or checksum says what it is).
    bare: bool = True


def _old_id(rng: random.Random) -> str:
    return str(rng.randint(1, 9)) + values._digits(rng, 8)


def _bank_cue(rng: random.Random) -> str:
    return rng.choice(("STK ", "STK: ", "số tài khoản ", "Số TK: ", f"{rng.choice(values.BANKS)} "))


KINDS = (
    ItemKind(
        "VN_CITIZEN_ID",
        values.citizen_id,
        ("CCCD ", "CCCD: ", "số CCCD ", "Căn cước: ", "CCCD số "),
    ),
    ItemKind("VN_OLD_ID", _old_id, ("CMND ", "CMND: ", "số CMND ", "CMT "), bare=False),
    ItemKind(
        "PHONE",
        values.phone,
        ("SĐT ", "SĐT: ", "sđt ", "ĐT: ", "Số điện thoại: ", "Zalo ", "Tel: ", "gọi "),
    ),
    ItemKind("EMAIL", values.email, ("email ", "Email: ", "mail: ", "gmail ")),
    ItemKind("BANK_ACCOUNT", values.bank_account, (), bare=False),
    ItemKind("CARD_NUMBER", values.card_number, ("số thẻ ", "thẻ Visa ", "Card: ", "thẻ ")),
    ItemKind("TAX_CODE", values.tax_code, ("MST ", "MST: ", "mã số thuế ", "Mã số thuế: "), False),
    ItemKind(
        "PASSPORT",
        values.passport,
        ("hộ chiếu ", "Hộ chiếu số ", "Passport: ", "số hộ chiếu "),
        bare=False,
    ),
    ItemKind("LICENSE_PLATE", values.plate, ("biển số ", "BKS ", "Biển số xe: ", "xe ")),
    ItemKind(
        "SOCIAL_INSURANCE",
        values.social_insurance,
        ("BHXH ", "mã số BHXH: ", "số sổ BHXH ", "mã BHXH "),
        bare=False,
    ),
    ItemKind(
        "PERSON",
        values.person,
        ("Họ tên: ", "anh ", "chị ", "khách hàng ", "người nhận: ", "chủ TK "),
    ),
    ItemKind("ADDRESS", values.address, ("địa chỉ ", "Địa chỉ: ", "ĐC: ", "ở ", "giao tới ")),
)
#: The types that must reach recall 0.99 and precision 0.98 (fixed formats).
STRUCTURED = tuple(k.label for k in KINDS if k.label not in ("PERSON", "ADDRESS"))


def _distractor(rng: random.Random) -> str:
    """A number that is not personal data, written with the words that say so."""
    d = values._digits
    return rng.choice(
        (
            lambda: f"giá {rng.randint(1, 999)}.000đ",
            lambda: f"{rng.randint(1, 9)}.{d(rng, 3)}.000 đồng",
            lambda: f"hotline {rng.choice(['1900', '1800'])} {d(rng, 4)}",
            lambda: f"tổng đài {rng.choice(['1900', '1800'])}{d(rng, 4)}",
            lambda: f"mã đơn hàng {d(rng, 12)}",
            lambda: f"mã vận đơn {rng.choice(['GHN', 'SPX', 'VTP'])}{d(rng, 10)}",
            lambda: f"ngày {rng.randint(1, 28)}/{rng.randint(1, 12)}/{rng.randint(2020, 2026)}",
            lambda: f"lúc {rng.randint(7, 21)}h{rng.choice(['', '30', '15'])}",
            lambda: f"số lượng {rng.randint(1, 20)}",
            lambda: f"hóa đơn số {d(rng, 7)}",
        )
    )()


def item(kind: ItemKind, cued: bool, rng: random.Random) -> tuple[str, str]:
    """(cue, value) for one item: a cue when asked for or when the type cannot stand bare."""
    if kind.label == "BANK_ACCOUNT":
        return _bank_cue(rng), kind.value(rng)
    cue = rng.choice(kind.cues) if cued or not kind.bare else ""
    return cue, kind.value(rng)


def _line(
    kinds: tuple[ItemKind, ...], cued: bool, separator: str, rng: random.Random
) -> dict[str, object]:
    """One line holding ``kinds`` in order, with gold spans; maybe distractors between items."""
    pieces: list[tuple[str, str, str | None]] = []  # (cue, value, label or None)
    for kind in kinds:
        if rng.random() < 0.25:
            pieces.append(("", _distractor(rng), None))
        pieces.append((*item(kind, cued, rng), kind.label))
    text, spans = "", []
    for cue, value, label in pieces:
        if text:
            bare_numbers = not cue and text[-1].isdigit() and value[:1].isdigit()
            text += " - " if separator == "-" and bare_numbers else separator
        text += cue
        if label:
            spans.append({"start": len(text), "end": len(text) + len(value), "label": label})
        text += value
    return {"text": text, "spans": spans}


def generate(seed: int = SEED) -> list[dict]:
    """Each pair (both orders) and triple (and its reverse) × cue mode × separator; negatives."""
    rng = random.Random(seed)
    orders = list(itertools.permutations(KINDS, 2))
    for triple in itertools.combinations(KINDS, 3):
        orders += [triple, triple[::-1]]
    items = []
    for kinds in orders:
        for cued in (True, False):
            for separator in SEPARATORS:
                line = _line(kinds, cued, separator, rng)
                items.append({"id": f"c{len(items):05d}", "kind": "positive", **line})
    for i in range(N_NEGATIVE):
        separator = rng.choice((*SEPARATORS[:2], "; "))
        text = separator.join(_distractor(rng) for _ in range(rng.randint(2, 4)))
        items.append({"id": f"n{i:04d}", "kind": "negative", "text": text, "spans": []})
    return items
