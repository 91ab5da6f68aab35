"""The HTTP service (``kiemchung serve``): FastAPI routes, API keys, limits, the Perspective-
compatible route and the web page. See :mod:`kiemchung.api.app`."""

#: Hours a finished Pulse job's reports are kept by default (``serve --job-retention``). Here, not
#: in :mod:`kiemchung.api.jobs`, so that the CLI can name it without importing FastAPI (the core
#: install has no server).
DEFAULT_RETENTION_HOURS = 7 * 24
