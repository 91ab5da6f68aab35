"""Toxicity labels, shared by the moderation analyzer, its training task and its evaluation.

The model itself is a :class:`~kiemchung.models.calibrated_text.CalibratedTextClassifier`.
"""

LABELS = ("CLEAN", "OFFENSIVE", "HATE")
