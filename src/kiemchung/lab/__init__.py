"""The lab: what reproduces the project's figures, apart from what serves users.

Dataset readers (``datasets``), evaluation (``evaluation``), trainers (``training``), and the data
only they read (``data/``). The runtime never imports this package (``tests/test_layers.py``
checks every import), the built wheel leaves it out, and ``kiemchung train`` / ``kiemchung eval``
import it only when called — from a clone of the repository, where it is installed in place.
"""
