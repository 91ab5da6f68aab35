"""Synthetic verdict pairs follow the rule they are meant to teach."""

from __future__ import annotations

import re

import numpy as np

from kiemchung.lab.training.verdict_synthetic import (
    add_detail,
    change_number,
    negate,
    swap_antonym,
    synthetic_pairs,
)

ARTICLES = [
    (
        "a1",
        "Kinh tế",
        "Theo Bộ Công Thương, năm 2022 Việt Nam xuất khẩu 7,1 triệu tấn gạo, thu về 3,45 tỷ USD. "
        "Giá gạo tăng mạnh trong quý IV nhờ nhu cầu từ Philippines và Indonesia. "
        "Sáng 12/1, Hiệp hội Lương thực Việt Nam đã tổ chức hội nghị tổng kết tại TP.HCM với 300 "
        "doanh nghiệp tham dự.",
    ),
    (
        "a2",
        "kinh tế",
        "Giá xăng RON95 giảm 780 đồng mỗi lít từ 15 giờ chiều nay, còn 22.450 đồng một lít. "
        "Liên Bộ Tài chính - Công Thương cho biết quỹ bình ổn không được trích lập trong kỳ này.",
    ),
]


def test_the_same_corpus_and_seed_give_the_same_pairs() -> None:
    assert synthetic_pairs(ARTICLES, seed=5) == synthetic_pairs(ARTICLES, seed=5)
    assert {p.label_name for p in synthetic_pairs(ARTICLES)} == {
        "SUPPORTED",
        "REFUTED",
        "NOT_ENOUGH_INFO",
    }


def test_refuting_claims_state_something_the_evidence_contradicts() -> None:
    rng = np.random.default_rng(0)
    sentence = "Năm 2022 Việt Nam xuất khẩu 7,1 triệu tấn gạo, giá gạo tăng mạnh."
    changed = change_number(sentence, rng)
    assert changed and changed != sentence
    assert re.findall(r"\d[\d,.]*", changed) != re.findall(r"\d[\d,.]*", sentence)
    assert swap_antonym(sentence, rng) == sentence.replace("tăng", "giảm")
    assert negate("Hiệp hội đã tổ chức hội nghị.", rng) == "Hiệp hội chưa tổ chức hội nghị."


def test_an_added_figure_is_one_the_evidence_never_states() -> None:
    rng = np.random.default_rng(1)
    sentence = "Hiệp hội Lương thực Việt Nam tổ chức hội nghị tổng kết tại TP.HCM."
    for _ in range(20):
        claim = add_detail(sentence, rng)
        assert claim and claim.startswith(sentence.rstrip("."))
        assert claim[len(sentence) - 1 :].strip(" .,") not in sentence


def test_silent_evidence_pairs_are_not_enough_info_never_refuted() -> None:
    pairs = synthetic_pairs(ARTICLES, per_sentence=6, seed=3)
    silent = [p for p in pairs if p.kind.startswith("silent")]
    assert silent and all(p.label_name == "NOT_ENOUGH_INFO" for p in silent)
    assert all(p.claim not in p.evidence for p in silent)
