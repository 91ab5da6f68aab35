"""Moderation analyzers. So far: scam and phishing recognition (rules and lexicons)."""
