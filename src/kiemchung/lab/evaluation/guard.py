"""``kiemchung eval guard``: leak-guard P / R / F1 per entity type on the synthetic drafts.

Splits:

* ``test``: the 2,300 generated drafts;
* ``handwritten``: 45 drafts written by hand the way people write (unaccented names, bare district
  names, "pass wifi tầng 3: …"), not from the generator's templates;
* ``combinations``: 6,320 generated lines, each putting two or three items of personal data on
  one line in every order, with and without cue words, with five separators and distractor
  numbers between them (:mod:`kiemchung.lab.evaluation.guard_combinations`);
* ``challenge``: 141 lines of several items each, written by a helper who saw only
  ``docs/guard.md`` — never the recognizers — in the registers users meet (customer-service
  replies, chat, forms, e-mails, posts, IT chat, document headers; 26 of them without personal
  data). It was scored once the recognizers were done and is never used to change them.
 A prediction counts when its label and span equal a gold span exactly
(``exact``); a looser ``overlap`` figure counts a same-label prediction that overlaps a gold span.
Negatives are drafts with no personal data at all: the false-positive rate is the share of them
with any finding.

Anchors, run on the same items in the same process: Presidio's defaults (its predefined
recognizers with no NLP model — its English spaCy pipeline would have to be downloaded, which
cannot happen here — so PERSON and LOCATION come out empty) and the community package ``vipii``
(its pattern recognizers; its NER needs torch). Their labels are mapped onto ours; labels with no
counterpart are ignored per type but still count as false positives on the negatives.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Callable, Sequence

from kiemchung.lab.evaluation import guard_combinations
from kiemchung.lab.evaluation.guard_synthetic import load_guard_set, load_handwritten_set
from kiemchung.lab.evaluation.registry import EvalResult, register_evaluator
from kiemchung.resources import packaged_jsonl

Span = tuple[int, int, str]
Predictor = Callable[[str], list[Span]]

PRESIDIO_LABELS = {
    "EMAIL_ADDRESS": "EMAIL",
    "PHONE_NUMBER": "PHONE",
    "CREDIT_CARD": "CARD_NUMBER",
    "IBAN_CODE": "BANK_ACCOUNT",
    "US_BANK_NUMBER": "BANK_ACCOUNT",
    "US_PASSPORT": "PASSPORT",
    "PERSON": "PERSON",
    "LOCATION": "ADDRESS",
    "DATE_TIME": "DATE_OF_BIRTH",
}
VIPII_LABELS = {
    "CCCD": "VN_CITIZEN_ID",
    "CMND": "VN_OLD_ID",
    "PHONE_NUMBER": "PHONE",
    "EMAIL_ADDRESS": "EMAIL",
    "BANK_ACCOUNT": "BANK_ACCOUNT",
    "BANK_CARD": "CARD_NUMBER",
    "MST": "TAX_CODE",
    "PASSPORT": "PASSPORT",
    "VEHICLE_PLATE": "LICENSE_PLATE",
    "SOCIAL_INSURANCE_NUMBER": "SOCIAL_INSURANCE",
    "HEALTH_INSURANCE_NUMBER": "SOCIAL_INSURANCE",
    "DATE_OF_BIRTH": "DATE_OF_BIRTH",
    "PERSON": "PERSON",
    "ADDRESS": "ADDRESS",
}


def kiemchung_predictor() -> Predictor:
    from kiemchung.guard import find_leaks

    return lambda text: [(f.span[0], f.span[1], f.label) for f in find_leaks(text) if f.span]


def presidio_default_predictor() -> Predictor:
    """Presidio's predefined recognizers as shipped, without an NLP model (none can be fetched)."""
    os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NoOpNlpEngine

    # Loading the predefined list warns once per recognizer of another language; not news here.
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    nlp = NoOpNlpEngine(models=[{"lang_code": "en", "model_name": "none"}])
    registry = RecognizerRegistry()
    registry.load_predefined_recognizers(nlp_engine=nlp)
    engine = AnalyzerEngine(registry=registry, nlp_engine=nlp)

    def predict(text: str) -> list[Span]:
        hits = engine.analyze(text=text, language="en")
        return [(h.start, h.end, PRESIDIO_LABELS.get(h.entity_type, h.entity_type)) for h in hits]

    return predict


def vipii_predictor() -> Predictor | None:
    """vipii's detector (pattern recognizers), or None when the package is not installed."""
    try:
        from vipii import PIIDetector
    except ImportError:
        return None
    detector = PIIDetector()

    def predict(text: str) -> list[Span]:
        return [(m.start, m.end, VIPII_LABELS.get(m.label, m.label)) for m in detector.detect(text)]

    return predict


def score_predictions(items: Sequence[dict], predictions: Sequence[list[Span]]) -> dict:
    """Per-type exact and overlap P/R/F1, micro averages, and the negatives' false-positive rate."""
    types = sorted({s["label"] for item in items for s in item["spans"]})
    exact, loose = Counter(), Counter()
    negatives = flagged = 0
    for item, predicted in zip(items, predictions, strict=True):
        gold = {(s["start"], s["end"], s["label"]) for s in item["spans"]}
        if item["kind"] == "negative":
            negatives += 1
            flagged += bool(predicted)
        for start, end, label in set(predicted):
            if label not in types:
                continue
            exact[label, "pred"] += 1
            loose[label, "pred"] += 1
            exact[label, "tp"] += (start, end, label) in gold
            loose[label, "tp"] += any(g[2] == label and start < g[1] and g[0] < end for g in gold)
        for _, _, label in gold:
            exact[label, "gold"] += 1
            loose[label, "gold"] += 1
    per_type = {t: _prf(exact, t) | {"overlap_f1": _prf(loose, t)["f1"]} for t in types}
    totals = Counter()
    for (label, kind), n in exact.items():
        if label in types:
            totals["all", kind] += n
    return {
        "per_type": per_type,
        "micro_f1": _prf(totals, "all")["f1"],
        "negative_false_positive_rate": round(flagged / negatives, 4) if negatives else 0.0,
    }


def _prf(counts: Counter, label: str) -> dict:
    tp, pred, gold = counts[label, "tp"], counts[label, "pred"], counts[label, "gold"]
    precision = tp / pred if pred else 0.0
    recall = tp / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "support": gold,
    }


#: The sets behind ``--split``.
SPLITS: dict[str, Callable[[], list[dict]]] = {
    "test": load_guard_set,
    "handwritten": load_handwritten_set,
    "combinations": guard_combinations.generate,
    "challenge": lambda: packaged_jsonl("kiemchung.lab", "guard_challenge.jsonl"),
}


def run_predictor(predict: Predictor, items: Sequence[dict]) -> list[list[Span]]:
    return [predict(item["text"]) for item in items]


@register_evaluator(
    "guard",
    "leak guard: P/R/F1 per entity type on synthetic drafts, several items per line "
    "(combinations), hand-written sets; Presidio and vipii beside it",
    ("guard",),
    tuple(SPLITS),
)
def evaluate_guard(model: str, split: str) -> EvalResult:
    items = SPLITS[split]()
    metrics = score_predictions(items, run_predictor(kiemchung_predictor(), items))
    anchors = {}
    competitors = {"presidio_defaults": presidio_default_predictor(), "vipii": vipii_predictor()}
    for name, predict in competitors.items():
        if predict is None:
            anchors[name] = {"error": "not installed (pip install vipii)"}
            continue
        scored = score_predictions(items, run_predictor(predict, items))
        anchors[name] = {
            "micro_f1": scored["micro_f1"],
            "negative_false_positive_rate": scored["negative_false_positive_rate"],
            "f1_per_type": {t: v["f1"] for t, v in scored["per_type"].items()},
        }
    return EvalResult("guard", model, split, len(items), metrics, anchors)
