"""``python -m cityeval.cli``."""

from cityeval.cli import main

main()
