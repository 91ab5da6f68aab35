"""A Perspective-compatible ``comments:analyze``: Perspective's request in, its response out,
scored by kiemchung's Vietnamese moderation model.

Perspective API closes on 31 Dec 2026 and never read Vietnamese. A team that called
``https://commentanalyzer.googleapis.com/v1alpha1/comments:analyze?key=…`` changes the host and
the key and keeps its client. How our labels map onto Perspective's attributes (all
probabilities; docs/api.md explains the differences):

- ``TOXICITY``, ``INSULT``: P(OFFENSIVE) + P(HATE) — the text is not CLEAN;
- ``SEVERE_TOXICITY``, ``IDENTITY_ATTACK``: P(HATE) (ViHSD's HATE is abuse aimed at a person or
  group for who they are);
- ``PROFANITY``: the highest score of an offending word or phrase (TOXIC_SPAN), 0 without one;
- ``THREAT``: a rule, not a model — high when a Vietnamese threat phrase is present
  (:mod:`kiemchung.moderation.threats`), near zero otherwise;
- the experimental attributes have no model here: asking for them is a 400
  ``LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE``, as Perspective answers for an unsupported language.

``spanAnnotations: true`` adds a span score for each offending word or phrase (code-point
offsets in the submitted text, or in its visible text for ``type: "HTML"``) instead of
Perspective's per-sentence spans; THREAT's spans are its threat phrases.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from kiemchung.api.errors import ApiError

SUPPORTED = ("TOXICITY", "SEVERE_TOXICITY", "IDENTITY_ATTACK", "INSULT", "PROFANITY", "THREAT")
KNOWN_UNSUPPORTED = (
    "SEXUALLY_EXPLICIT",
    "FLIRTATION",
    "ATTACK_ON_AUTHOR",
    "ATTACK_ON_COMMENTER",
    "INCOHERENT",
    "INFLAMMATORY",
    "LIKELY_TO_REJECT",
    "OBSCENE",
    "SPAM",
    "UNSUBSTANTIAL",
)
LANGUAGES = ("vi",)


class Comment(BaseModel):
    text: str = Field(max_length=20_000)
    type: str = "PLAIN_TEXT"


class AttributeParameters(BaseModel):
    model_config = ConfigDict(extra="allow")
    scoreType: str = "PROBABILITY"  # Perspective's field names
    scoreThreshold: float | None = Field(default=None, ge=0, le=1)


class AnalyzeCommentRequest(BaseModel):
    """Perspective's AnalyzeCommentRequest (fields we do not use are accepted and ignored)."""

    model_config = ConfigDict(extra="allow")
    comment: Comment
    requestedAttributes: dict[str, AttributeParameters]
    languages: list[str] | None = None
    spanAnnotations: bool = False
    doNotStore: bool = True  # we store nothing either way
    clientToken: str | None = None


def _score(value: float) -> dict[str, Any]:
    return {"value": round(float(value), 6), "type": "PROBABILITY"}


def attribute_scores(report: Any, text: str) -> dict[str, float]:
    """Perspective attribute -> probability, from a moderation Report of ``text``."""
    from kiemchung.moderation.threats import threat_score

    whole = next(f for f in report.findings if f.analyzer == "moderation" and f.span is None)
    probabilities = whole.data["probabilities"]
    spans = [f for f in report.findings if f.label == "TOXIC_SPAN"]
    toxic = 1.0 - probabilities["CLEAN"]
    hate = probabilities["HATE"]
    return {
        "TOXICITY": toxic,
        "INSULT": toxic,
        "SEVERE_TOXICITY": hate,
        "IDENTITY_ATTACK": hate,
        "PROFANITY": max((f.score for f in spans), default=0.0),
        "THREAT": threat_score(text, toxic),
    }


def _threat_spans(text: str, score: float) -> list[dict[str, Any]]:
    """THREAT's spans are its threat phrases ("tao sẽ giết mày"), not every offending word."""
    from kiemchung.core import Document
    from kiemchung.moderation.threats import threat_cues

    doc = Document(text)
    spans = (doc.to_original(start, end) for start, end in threat_cues(doc.norm))
    return [{"begin": a, "end": b, "score": _score(score)} for a, b in spans]


def validate(request: AnalyzeCommentRequest) -> list[str]:
    """The requested attributes, or an ApiError as Perspective would give it."""
    if not request.comment.text.strip():
        raise ApiError(400, "INVALID_ARGUMENT", "Comment must be non-empty.")
    if request.comment.type not in ("PLAIN_TEXT", "HTML"):
        raise ApiError(400, "INVALID_ARGUMENT", f"Unknown comment type {request.comment.type}.")
    if not request.requestedAttributes:
        raise ApiError(400, "INVALID_ARGUMENT", "requestedAttributes must not be empty.")
    languages = [lang.lower().split("-")[0] for lang in request.languages or []]
    if languages and not set(languages) & set(LANGUAGES):
        raise ApiError(
            400,
            "LANGUAGE_NOT_SUPPORTED",
            f"Languages {languages} are not supported; this service reads Vietnamese (vi).",
        )
    wanted = [name.upper() for name in request.requestedAttributes]
    for name in wanted:
        if name not in SUPPORTED:
            status = (
                "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE"
                if name in KNOWN_UNSUPPORTED
                else "INVALID_ARGUMENT"
            )
            raise ApiError(
                400,
                status,
                f"Attribute {name} is not supported (supported: {', '.join(SUPPORTED)}).",
            )
    return wanted


def respond(
    request: AnalyzeCommentRequest, report: Any, detected: str, text: str
) -> dict[str, Any]:
    """Perspective's AnalyzeCommentResponse for ``request`` from our moderation ``report`` of
    ``text`` (the comment, or its visible text when it was HTML)."""
    scores = attribute_scores(report, text)
    toxic_spans = [
        {"begin": f.span[0], "end": f.span[1], "score": _score(f.score)}
        for f in report.findings
        if f.label == "TOXIC_SPAN" and f.span
    ]
    out: dict[str, Any] = {}
    for name, parameters in request.requestedAttributes.items():
        key = name.upper()
        value = scores[key]
        threshold = parameters.scoreThreshold
        if threshold is not None and value < threshold:
            continue  # Perspective leaves out attributes under the requested threshold
        entry: dict[str, Any] = {"summaryScore": _score(value)}
        if request.spanAnnotations:
            entry["spanScores"] = _threat_spans(text, value) if key == "THREAT" else toxic_spans
        out[key] = entry
    response: dict[str, Any] = {
        "attributeScores": out,
        "languages": request.languages or [detected],
        "detectedLanguages": [detected],
    }
    if request.clientToken is not None:
        response["clientToken"] = request.clientToken
    return response
