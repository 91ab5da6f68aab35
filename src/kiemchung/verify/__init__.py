"""Verification: a knowledge base of trusted sources, evidence retrieval, verdicts, citations."""
