"""Check-worthiness: which sentences state something a fact-checker could verify.

A rule scorer, in Presidio's manner, until a labelled set exists to train on: each signal —
a number or a date, a named entity (capitalised words past the sentence's first), an attribution
("theo …", "cho biết"), a comparison ("cao nhất", "tăng … so với"), a cause or a health claim, a
quotation — adds its weight; a sentence scoring at least ``THRESHOLD`` is CHECKWORTHY. Opinions,
questions and greetings score low. The explanation names the signals found.
"""

from __future__ import annotations

import re

from kiemchung.core import Document, Finding
from kiemchung.errors import InputError
from kiemchung.text.letters import UPPER

THRESHOLD = 0.5
#: Bumped whenever a signal changes, so that cached check-worthiness (Pulse's) is recomputed.
RULES_VERSION = "2"
SIGNALS: tuple[tuple[str, float, re.Pattern[str], str, str], ...] = (
    ("number", 0.4, re.compile(r"\d"), "a number or date", "con số hoặc ngày tháng"),
    (
        "statistic",
        0.2,
        re.compile(
            r"(?i)\d[\d.,]*\s*(?:%|phần trăm|triệu|tỷ|tỉ|nghìn|ngàn|người|ca|kho|m3|m2|km|ha|đồng"
            r"|usd|lít|tấn|năm|tuổi|lần)(?!\w)"
        ),
        "a quantity with its unit",
        "số lượng kèm đơn vị",
    ),
    (
        "attribution",
        0.3,
        re.compile(r"(?i)(?<!\w)(?:theo|cho biết|khẳng định|công bố|thông báo|tuyên bố)(?!\w)"),
        "an attribution",
        "trích nguồn",
    ),
    (
        "comparison",
        0.25,
        re.compile(r"(?i)(?<!\w)(?:nhất|so với|tăng|giảm|gấp|hơn|kỷ lục|lần đầu)(?!\w)"),
        "a comparison or change",
        "so sánh hoặc thay đổi",
    ),
    (
        "cause_or_health",
        0.5,
        re.compile(
            r"(?i)(?<!\w)(?:do|vì|gây ra|dẫn đến|chữa|ung thư|v[aắ]c[- ]?xin|vaccine|virus|bệnh"
            r"|thuốc)(?!\w)"
        ),
        "a cause or a health claim",
        "nguyên nhân hoặc thông tin sức khỏe",
    ),
    ("quote", 0.2, re.compile(r"[\"“”]"), "a quotation", "trích dẫn"),
    (
        "entity",
        0.25,
        re.compile(rf"(?<=\s)[{UPPER}]\w+(?:\s[{UPPER}]\w+)+"),
        "a named person, place or organisation",
        "tên người, địa danh hoặc tổ chức",
    ),
)
_OPINION = re.compile(r"(?i)(?<!\w)(?:tôi nghĩ|mình nghĩ|theo tôi|có lẽ|chắc là|hy vọng)(?!\w)")


def score_sentence(sentence: str) -> tuple[float, list[int]]:
    """The summed weight of the signals present (clipped to 1) and which signals they were."""
    if len(sentence.split()) < 5 or sentence.rstrip().endswith("?"):
        return 0.0, []
    found = [i for i, (_, _, pattern, _, _) in enumerate(SIGNALS) if pattern.search(sentence)]
    score = sum(SIGNALS[i][1] for i in found) - (0.3 if _OPINION.search(sentence) else 0.0)
    return max(0.0, min(1.0, score)), found


def claims(text: str) -> list[Finding]:
    """One finding per sentence: CHECKWORTHY or NOT_CHECKWORTHY, span on the original text."""
    if not isinstance(text, str):
        raise InputError(f"expected a text, got {type(text).__name__}")
    doc = Document(text)
    findings = []
    for start, end in doc.sentences:
        sentence = doc.norm[start:end]
        score, found = score_sentence(sentence)
        worthy = score >= THRESHOLD
        names_en = ", ".join(SIGNALS[i][3] for i in found) or "no checkable detail"
        names_vi = ", ".join(SIGNALS[i][4] for i in found) or "không có chi tiết kiểm chứng được"
        findings.append(
            Finding(
                analyzer="claims",
                label="CHECKWORTHY" if worthy else "NOT_CHECKWORTHY",
                score=round(score if worthy else 1 - score, 4),
                span=doc.to_original(start, end),
                explanation=f"Signals: {names_en}.",
                explanation_vi=f"Dấu hiệu: {names_vi}.",
                data={
                    "checkworthiness": round(score, 4),
                    "signals": [SIGNALS[i][0] for i in found],
                },
            )
        )
    return findings
