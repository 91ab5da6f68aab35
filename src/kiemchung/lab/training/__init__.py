"""Trainers: each rebuilds a shipped model with ``kiemchung train NAME``."""
