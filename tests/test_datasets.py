"""Dataset loaders: every official split loads with its published size and typed fields."""

from __future__ import annotations

import pytest

from kiemchung.errors import DataError
from kiemchung.lab import datasets

#: Row counts from ../shared/data/README.md.
EXPECTED = {
    ("vihsd", "train"): 24048,
    ("vihsd", "dev"): 2672,
    ("vihsd", "test"): 6680,
    ("victsd", "train"): 7000,
    ("victsd", "dev"): 2000,
    ("victsd", "test"): 1000,
    ("vithsd", "train"): 7000,
    ("vithsd", "dev"): 1201,
    ("vithsd", "test"): 1800,
    ("vihos", "train"): 8844,
    ("vihos", "dev"): 1106,
    ("vihos", "test"): 1106,
    ("vlsp2019_hsd", "train"): 20345,
    ("vlsp2019_hsd", "test"): 5086,
    ("reintel", "train"): 4372,
    ("reintel", "test"): 1642,
    ("vifactcheck", "dev"): 723,
    ("vifactcheck", "test"): 1447,
    ("vifactcheck_corpus", "all"): 894,
    ("semviqa_claims", "all"): 1400,
    ("visnli", "train"): 1726,
    ("visnli", "train_augmented"): 200,
    ("visnli", "dev"): 213,
    ("visnli", "test"): 213,
    ("xnli_vi", "dev"): 2490,
    ("uit_vsfc", "train"): 11426,
    ("uit_vsfc", "dev"): 1583,
    ("uit_vsfc", "test"): 3166,
    ("uit_visfd", "train"): 7786,
    ("uit_visfd", "dev"): 1112,
    ("uit_visfd", "test"): 2224,
    ("aivivn2019_sa", "train"): 16087,
    ("aivivn2019_sa", "test"): 10981,
    ("aivivn2019_sa", "test_thirdparty"): 10086,
    ("vispamreviews", "train"): 14306,
    ("vispamreviews", "dev"): 1590,
    ("vispamreviews", "test"): 3974,
}


def test_every_registered_split_is_covered() -> None:
    registered = {(n, s) for n in datasets.DATASETS for s in datasets.splits(n)}
    assert registered == set(EXPECTED)


@pytest.mark.parametrize(("name", "split"), sorted(EXPECTED))
def test_split_sizes_match_the_published_counts(name: str, split: str) -> None:
    assert len(datasets.load(name, split)) == EXPECTED[(name, split)]


def test_records_are_typed() -> None:
    vihsd = datasets.load("vihsd", "test")
    assert {r.label for r in vihsd} == {0, 1, 2} and isinstance(vihsd[0].text, str)
    spans = [r for r in datasets.load("vihos", "dev") if r.spans]
    assert all(r.text[a:b] for r in spans for a, b in r.spans)
    claim = datasets.load("vifactcheck", "dev")[0]
    assert claim.label in (0, 1, 2) and claim.evidence and claim.context
    unlabeled = datasets.load("vlsp2019_hsd", "test")
    assert all(r.label is None for r in unlabeled)
    review = datasets.load("uit_visfd", "train")[0]
    assert ("BATTERY", "Positive") in review.aspects
    assert datasets.load("vithsd", "dev")[0].targets.keys() == {
        "individual",
        "groups",
        "religion_creed",
        "race_ethnicity",
        "politics",
    }


def test_missing_data_is_a_clear_error(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("KIEMCHUNG_DATA", str(tmp_path))
    with pytest.raises(DataError, match="KIEMCHUNG_DATA"):
        datasets.load("vihsd", "train")
    with pytest.raises(DataError, match="no split 'dev'"):
        datasets.load("vlsp2019_hsd", "dev")
    with pytest.raises(DataError, match="unknown dataset"):
        datasets.load("nope", "train")


def test_malformed_file_is_a_clear_error(tmp_path, monkeypatch) -> None:
    (tmp_path / "vihsd").mkdir()
    (tmp_path / "vihsd" / "dev.csv").write_text("wrong,columns\n1,2\n", encoding="utf-8")
    monkeypatch.setenv("KIEMCHUNG_DATA", str(tmp_path))
    with pytest.raises(DataError, match="expected format"):
        datasets.load("vihsd", "dev")
