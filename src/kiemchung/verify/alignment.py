"""How closely each of a claim's tokens is matched somewhere in its evidence, read from e5's
token states.

The word-level comparison (:mod:`kiemchung.verify.pair_features`) sees a claim word as present or
absent; a sentence vector sees the whole claim at once and misses a single swapped word. In
between, e5's final hidden state of each claim token, compared with every evidence token's,
says how well that token *in its context* is matched: a paraphrase's reworded tokens still find
close partners, a substituted name, figure or verb ("tổ chức kinh doanh" for "tổ chức phi lợi
nhuận") finds none. The features are the distribution of each claim token's best match — its
mean, its minimum and its 10th and 25th percentiles — so the weakest-matched tokens count.

Token states share a common direction that makes every pair of them look alike, so they are
centred first on the mean evidence-token state of the training data (stored with the model).
Only the int8 engine (:class:`kiemchung.embed.OnnxE5Embedder`) exposes token states.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from kiemchung.embed import OnnxE5Embedder

ALIGNMENT_FEATURE_NAMES = (
    "token_match_mean",
    "token_match_min",
    "token_match_p10",
    "token_match_p25",
)


def _unit_rows(states: np.ndarray, centre: np.ndarray) -> np.ndarray:
    centred = states - centre
    return centred / np.maximum(np.linalg.norm(centred, axis=1, keepdims=True), 1e-12)


def token_match(claim: np.ndarray, evidence: np.ndarray, centre: np.ndarray) -> np.ndarray:
    """:data:`ALIGNMENT_FEATURE_NAMES` for one pair of token-state matrices ``[tokens, dim]``
    (a side without tokens matches nothing: every feature is 0)."""
    if len(claim) == 0 or len(evidence) == 0:
        return np.zeros(len(ALIGNMENT_FEATURE_NAMES))
    best = (_unit_rows(claim, centre) @ _unit_rows(evidence, centre).T).max(axis=1)
    return np.array([best.mean(), best.min(), np.percentile(best, 10), np.percentile(best, 25)])


def state_centre(evidence_states: Sequence[np.ndarray]) -> np.ndarray:
    """The mean token state over a training set's evidence texts."""
    return np.vstack(list(evidence_states)).mean(axis=0)


def alignment_columns(
    claims: Sequence[str],
    evidences: Sequence[str],
    embedder: OnnxE5Embedder,
    centre: np.ndarray,
) -> np.ndarray:
    """:data:`ALIGNMENT_FEATURE_NAMES` for each pair: ``[pairs, 4]``."""
    claim_states = embedder.token_states(claims, kind="query")
    evidence_states = embedder.token_states(evidences, kind="query")
    rows = [token_match(c, e, centre) for c, e in zip(claim_states, evidence_states, strict=True)]
    return np.array(rows).reshape(len(rows), len(ALIGNMENT_FEATURE_NAMES))
