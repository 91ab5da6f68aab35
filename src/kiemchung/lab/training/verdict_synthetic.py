"""Synthetic verdict pairs made from news sentences, to teach the rule a verdict must follow.

REFUTED needs the evidence to *state* something incompatible with the claim; a figure, name or
detail the evidence never mentions makes NOT_ENOUGH_INFO. ViFactCheck's 723 dev pairs are too few
to teach that, and its NOT_ENOUGH_INFO claims are mostly about other details of the same event.
So each factual sentence of an article becomes the evidence of one generated claim:

- SUPPORTED: the sentence with its attribution or a trailing clause dropped, or with its numbers
  written another way ("1.200" / "1200", "%" / "phần trăm", "tỷ" / "tỉ");
- REFUTED: one number changed, an antonym swapped (tăng/giảm …), or the statement negated;
- NOT_ENOUGH_INFO: another factual sentence of the same article (on topic, silent on the claim),
  a sentence of another article on the same topic, or the sentence with one figure added that it
  never states.

Only articles that no ViFactCheck test claim cites are used (``splits == ("dev",)``), so no test
evidence sentence becomes training text. The generator is seeded: the same corpus gives the same
pairs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from kiemchung.text.letters import UPPER
from kiemchung.text.sentences import split_sentences
from kiemchung.verify.pair_features import ANTONYMS

LABELS = ("SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO")
_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:[.]\d{3})+(?![\w])|(?<![\w.,])\d+(?:,\d+)?(?![\w])")
_NAME = re.compile(rf"(?<=\s)[{UPPER}]\w+")
_ATTRIBUTION = re.compile(r"^(?:Theo|Cũng theo|Trước đó,|Trong khi đó,)[^,]{3,80},\s*")
#: Negations made by replacing a word: "đã X" → "chưa X", "được" → "không được" …
_NEGATIONS = (
    (" đã ", " chưa "),
    (" được ", " không được "),
    (" có ", " không có "),
    (" là ", " không phải là "),
)
#: Details a sentence never states, added to make a claim the evidence cannot settle.
_ADDED = (
    ", với tổng kinh phí {n} tỷ đồng",
    ", tăng {p}% so với cùng kỳ năm trước",
    ", giảm {p}% so với năm {y}",
    " vào tháng {m} năm {y}",
    ", theo số liệu của Tổng cục Thống kê",
    ", trong đó có {n} trường hợp là trẻ em",
    " trong vòng {d} ngày",
)


@dataclass(frozen=True)
class SyntheticPair:
    claim: str
    evidence: str
    label_name: str
    kind: str
    group: str  # the article, so splits keep an article's pairs together


def fact_sentences(text: str) -> list[tuple[str, str]]:
    """(sentence, window) for each sentence of 60–320 characters that states a figure or names
    someone or something; the window is the sentence with the one after it, as retrieval cuts
    evidence into windows of a few sentences."""
    spans = split_sentences(text)
    out = []
    for index, (start, end) in enumerate(spans):
        sentence = text[start:end].strip()
        if 60 <= len(sentence) <= 320 and (_NUMBER.search(sentence) or _NAME.search(sentence)):
            window_end = spans[index + 1][1] if index + 1 < len(spans) else end
            out.append((sentence, text[start:window_end].strip()))
    return out


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def _dice(a: str, b: str) -> float:
    wa, wb = _words(a), _words(b)
    return 2 * len(wa & wb) / max(len(wa) + len(wb), 1)


# ------------------------------------------------------------------ SUPPORTED


def drop_attribution_or_clause(sentence: str, rng: np.random.Generator) -> str | None:
    trimmed = _ATTRIBUTION.sub("", sentence)
    if trimmed != sentence:
        return trimmed[0].upper() + trimmed[1:]
    head, comma, _ = sentence.rpartition(", ")
    if comma and len(head) >= 0.6 * len(sentence):
        return head.rstrip() + "."
    return None


def move_lead_phrase(sentence: str, rng: np.random.Generator) -> str | None:
    """ "Sáng 24/3, Bộ X đã họp" → "Bộ X đã họp sáng 24/3": the same statement, reordered."""
    lead, comma, rest = sentence.partition(", ")
    if not comma or not 4 <= len(lead) <= 40 or len(rest) < 30:
        return None
    return rest[0].upper() + rest[1:].rstrip(" .") + " " + lead[0].lower() + lead[1:] + "."


def rewrite_numbers(sentence: str, rng: np.random.Generator) -> str | None:
    for pattern, replacement in (
        (r"(\d)\.(\d{3})(?!\d)", r"\1\2"),
        (r"(\d)\s?%", r"\1 phần trăm"),
        (r"\btỷ\b", "tỉ"),
        (r"\btỉ\b", "tỷ"),
    ):
        changed = re.sub(pattern, replacement, sentence)
        if changed != sentence:
            return changed
    return None


# ------------------------------------------------------------------ REFUTED


def change_number(sentence: str, rng: np.random.Generator) -> str | None:
    matches = list(_NUMBER.finditer(sentence))
    if not matches:
        return None
    match = matches[int(rng.integers(len(matches)))]
    raw = match.group()
    if "," in raw:
        whole, _, frac = raw.partition(",")
        value = float(f"{whole}.{frac}")
        new = value * float(rng.choice([0.5, 0.7, 1.3, 1.6, 2.0]))
        text = f"{new:.{len(frac)}f}".replace(".", ",")
    else:
        value = int(raw.replace(".", ""))
        if 1900 <= value <= 2100 and "." not in raw:  # a year: another year
            text = str(value + int(rng.choice([-3, -2, -1, 1, 2])))
        else:
            step = max(1, round(value * float(rng.uniform(0.15, 0.6))))
            new = value + step if rng.random() < 0.5 or value - step <= 0 else value - step
            text = f"{new:,}".replace(",", ".") if "." in raw else str(new)
    if text == raw:
        return None
    return sentence[: match.start()] + text + sentence[match.end() :]


def swap_antonym(sentence: str, rng: np.random.Generator) -> str | None:
    lowered = sentence.lower()
    pairs = [(a, b) for a, b in ANTONYMS] + [(b, a) for a, b in ANTONYMS]
    for index in rng.permutation(len(pairs)):
        word, other = pairs[int(index)]
        found = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", lowered)
        if found:
            return sentence[: found.start()] + other + sentence[found.end() :]
    return None


def negate(sentence: str, rng: np.random.Generator) -> str | None:
    for word, negation in _NEGATIONS:
        if word in sentence:
            return sentence.replace(word, negation, 1)
    return None


# ------------------------------------------------------------------ NOT_ENOUGH_INFO


def add_detail(sentence: str, rng: np.random.Generator) -> str | None:
    template = str(rng.choice(_ADDED))
    detail = template.format(
        n=int(rng.integers(2, 900)),
        p=int(rng.integers(3, 60)),
        y=int(rng.integers(2015, 2024)),
        m=int(rng.integers(1, 13)),
        d=int(rng.integers(2, 30)),
    )
    body = sentence.rstrip(" .")
    if detail.strip(", ").split()[0] in body:
        return None
    return body + detail + "."


Transform = Callable[[str, np.random.Generator], "str | None"]
#: (kind, label, transform of the evidence sentence into the claim).
TRANSFORMS: tuple[tuple[str, str, Transform], ...] = (
    ("shortened", "SUPPORTED", drop_attribution_or_clause),
    ("numbers_rewritten", "SUPPORTED", rewrite_numbers),
    ("reordered", "SUPPORTED", move_lead_phrase),
    ("number_changed", "REFUTED", change_number),
    ("antonym", "REFUTED", swap_antonym),
    ("negated", "REFUTED", negate),
    ("detail_added", "NOT_ENOUGH_INFO", add_detail),
)


def synthetic_pairs(
    articles: Sequence[tuple[str, str, str]], per_sentence: int = 3, seed: int = 13
) -> list[SyntheticPair]:
    """Pairs from ``articles`` (id, topic, text): per fact sentence, ``per_sentence`` pairs whose
    labels cycle through the three verdicts, each made by a transform of that label (or, for
    NOT_ENOUGH_INFO, a silent sentence of the same article or of another on the same topic).
    Half the evidence is the sentence alone, half its window."""
    rng = np.random.default_rng(seed)
    facts = {doc_id: fact_sentences(text) for doc_id, _, text in articles}
    by_topic: dict[str, list[str]] = {}
    for doc_id, topic, _ in articles:
        if facts[doc_id]:
            by_topic.setdefault(topic.lower(), []).append(doc_id)
    out: list[SyntheticPair] = []
    turn = 0
    for doc_id, topic, _ in articles:
        own = facts[doc_id]
        neighbours = [d for d in by_topic.get(topic.lower(), []) if d != doc_id]
        for index, (sentence, window) in enumerate(own):
            for _ in range(per_sentence):
                label = LABELS[turn % 3]
                turn += 1
                evidence = window if rng.random() < 0.5 else sentence
                claim_kind = _claim(label, sentence, evidence, index, own, neighbours, facts, rng)
                if claim_kind is not None:
                    out.append(SyntheticPair(claim_kind[0], evidence, label, claim_kind[1], doc_id))
    return out


def _claim(
    label: str,
    sentence: str,
    evidence: str,
    index: int,
    own: list[tuple[str, str]],
    neighbours: list[str],
    facts: dict[str, list[tuple[str, str]]],
    rng: np.random.Generator,
) -> tuple[str, str] | None:
    """A claim of ``label`` about ``sentence`` (judged against ``evidence``), and how it was
    made."""
    if label == "NOT_ENOUGH_INFO":
        choice = rng.random()
        if choice < 0.4:
            others = [s for i, (s, _) in enumerate(own) if i != index and _dice(s, evidence) < 0.35]
            if others:
                return others[int(rng.integers(len(others)))], "silent_same_article"
        elif choice < 0.6 and neighbours:
            other = facts[neighbours[int(rng.integers(len(neighbours)))]]
            return other[int(rng.integers(len(other)))][0], "silent_same_topic"
    if label == "SUPPORTED" and evidence != sentence and rng.random() < 0.25:
        return sentence, "verbatim_in_window"
    candidates = [t for t in TRANSFORMS if t[1] == label]
    for position in rng.permutation(len(candidates)):
        kind, _, transform = candidates[int(position)]
        claim = transform(sentence, rng)
        if claim and claim != sentence:
            return claim, kind
    return None
