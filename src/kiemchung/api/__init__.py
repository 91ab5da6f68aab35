"""The HTTP service (``kiemchung serve``): FastAPI routes, API keys, limits, the Perspective-
compatible route and the web page. See :mod:`kiemchung.api.app`."""
