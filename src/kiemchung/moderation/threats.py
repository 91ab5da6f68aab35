"""Threat cues: Vietnamese phrases that announce harm to someone ("tao sẽ giết mày", "đốt nhà
mày", "liệu hồn").

No licensed Vietnamese threat dataset exists here, so there is no trained threat model. This
lexicon serves the Perspective-compatible route's ``THREAT`` attribute, which clients migrating
from Perspective request: a text scores high only when a cue matches, and its figure is a rule's,
not a calibrated probability (docs/api.md says so). Folded matching also catches text typed
without diacritics.
"""

from __future__ import annotations

import re

from kiemchung.text.diacritics import fold_accents

#: Accent-folded patterns; each announces violence against a person or their property.
_CUES = (
    # "bị bắn chết" (was shot dead) reports harm, it does not announce it
    r"(?<!bi )\b(giet|chem|dam|ban|xu|thit|dap|danh) "
    r"(chet|bo|cho chet|cho tan xac|den chet)\b",
    r"\b(tao|bon tao|tui tao|anh em tao) (se|toi|phai)? ?"
    r"(giet|chem|dam|xu|thit|dot|dap|danh|ban)\b",
    r"\b(giet|chem|dam|xu|thit|dot nha|dap|danh|ban) "
    r"(may|may con|chung may|ca nha may|bo may|me may)\b",
    r"\bdot nha\b",
    r"\b(lieu hon|coi chung cai mang|cho may biet tay|khong yen dau|tinh mang)\b",
    r"\b(tat axit|hat axit|nem axit)\b",
    r"\bden nha (may|mi) (ma|de)\b",
)
_PATTERN = re.compile("|".join(f"(?:{cue})" for cue in _CUES))


def threat_cues(text: str) -> list[tuple[int, int]]:
    """Spans of the threat phrases in ``text`` (folding keeps offsets on NFC text)."""
    folded = fold_accents(text)
    return [m.span() for m in _PATTERN.finditer(folded)]


def threat_score(text: str, toxic_probability: float) -> float:
    """A rule's score for Perspective's THREAT: high with a cue (higher still when the moderation
    model finds the text toxic), near zero without one."""
    if threat_cues(text):
        return round(0.6 + 0.4 * toxic_probability, 6)
    return round(0.05 * toxic_probability, 6)
