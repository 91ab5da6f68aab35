"""kiemchung — Vietnamese-first information-integrity toolkit."""

__version__ = "0.1.0"
