"""``python -m kiemchung`` runs the CLI."""

from kiemchung.cli import main

main()
