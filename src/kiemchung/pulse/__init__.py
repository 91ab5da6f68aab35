"""Pulse: aggregate, privacy-preserving listening over many posts.

``Pulse(project).run(posts, out)`` (:mod:`~kiemchung.pulse.api`, :mod:`~kiemchung.pulse.run`) reads
posts through a column mapping with per-row errors (:mod:`~kiemchung.pulse.ingest`), replaces
author ids by project-keyed pseudonyms at the first step (:mod:`~kiemchung.pulse.authors`), groups
exact and near duplicates (:mod:`~kiemchung.pulse.dedup`), scores each distinct text once —
sentiment, moderation, the leak guard, language, topic vectors — on this machine or on Dask
(:mod:`~kiemchung.pulse.scoring`, :mod:`~kiemchung.pulse.engines`), caching scores per project
(:mod:`~kiemchung.pulse.store`), then assigns topics and their keywords
(:mod:`~kiemchung.pulse.topics`, :mod:`~kiemchung.pulse.keywords`), finds rising and emerging
issues (:mod:`~kiemchung.pulse.trends`) and writes the report as JSON and HTML
(:mod:`~kiemchung.pulse.report`, :mod:`~kiemchung.pulse.report_html`). Every aggregate passes
through the k-anonymous aggregator (:mod:`~kiemchung.pulse.privacy`): a cell covering fewer than
k distinct authors is withheld before it leaves it. Nothing is reported per person.
"""
