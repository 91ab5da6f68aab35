"""Pulse: aggregate, privacy-preserving listening over many posts (issue 6, in progress).

What exists so far is the first stage of its pipeline: reading posts through a column mapping
with per-row errors (:mod:`~kiemchung.pulse.ingest`), author ids replaced by project-keyed
pseudonyms at the first step (:mod:`~kiemchung.pulse.authors`), exact and near-duplicate groups
(:mod:`~kiemchung.pulse.dedup`), the k-anonymous aggregator every output will pass through
(:mod:`~kiemchung.pulse.privacy`), the ``sentiment`` analyzer (:mod:`~kiemchung.pulse.sentiment`)
and burst detection over the aggregator's cells (:mod:`~kiemchung.pulse.trends`). Topics, the
engines, the report and the CLI follow.
"""
