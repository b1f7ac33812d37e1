"""Tools for testing cityeval and its plugins: hypothesis strategies and checks.

Requires ``hypothesis`` (installed with the ``test`` extra). Nothing here is imported by
``import cityeval``.
"""

from cityeval.testing import strategies

__all__ = ["strategies"]
