"""``kiemchung eval vihos``: offending-span detection on ViHOS, scored with its span F1.

Models: ``spans-lr`` (the shipped tagger) or an artifact folder from ``kiemchung train spans``.
Anchors: a lexicon flagger fitted on ViHOS train in the same run (flag a word when most of its
training occurrences were inside a gold span), and the published XLM-R large figure.
"""

from __future__ import annotations

from collections import Counter

from kiemchung.lab import datasets
from kiemchung.lab.evaluation.registry import EvalResult, register_evaluator, shipped_or_artifact
from kiemchung.lab.training.spans import marked, mean_span_f1
from kiemchung.moderation.models import shipped_span_tagger
from kiemchung.moderation.spans import SpanTagger, chars, merge_spans, span_f1, tokenize
from kiemchung.text.diacritics import fold_accents

PUBLISHED = {"XLM-R large (ViHOS repository)": 0.777, "PhoBERT large": 0.7716}


def lexicon_baseline(train: list[datasets.ToxicSpans], min_count: int = 3) -> set[str]:
    """Folded words that were inside a gold span in most of their training occurrences."""
    inside, total = Counter(), Counter()
    for record in train:
        gold = set(record.char_indices)
        for a, b in tokenize(record.text):
            word = fold_accents(record.text[a:b])
            total[word] += 1
            inside[word] += any(c in gold for c in range(a, b))
    return {w for w, n in total.items() if n >= min_count and inside[w] / n > 0.5}


def lexicon_span_f1(lexicon: set[str], records: list[datasets.ToxicSpans]) -> float:
    scores = []
    for record in records:
        hits = [
            (a, b) for a, b in tokenize(record.text) if fold_accents(record.text[a:b]) in lexicon
        ]
        scores.append(span_f1(chars(merge_spans(record.text, hits)), set(record.char_indices)))
    return sum(scores) / len(scores)


@register_evaluator("vihos", "ViHOS offending spans, character-offset span F1", ("spans-lr",))
def evaluate_vihos(model: str, split: str) -> EvalResult:
    tagger = shipped_or_artifact(
        "vihos", model, {"spans-lr": shipped_span_tagger}, SpanTagger.from_artifact
    )
    records = datasets.load("vihos", split)
    lexicon = lexicon_baseline(datasets.load("vihos", "train"))
    with_spans = [r for r in records if r.char_indices]
    metrics = {
        "span_f1": round(mean_span_f1(tagger, marked(records)), 4),
        "span_f1_comments_with_spans": round(mean_span_f1(tagger, marked(with_spans)), 4),
    }
    anchors = {
        "lexicon_flagger_same_run": {"span_f1": round(lexicon_span_f1(lexicon, records), 4)},
        "published_span_f1_test": PUBLISHED,
    }
    return EvalResult("vihos", model, split, len(records), metrics, anchors)
