"""Evaluation: registered evaluators (``kiemchung eval <task>``) and shared metrics."""
