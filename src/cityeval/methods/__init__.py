"""Pure numpy kernels for composite-indicator construction.

Every function here works on plain arrays: no attrs objects, no I/O, no registry, no
validation beyond what the arithmetic needs. The engine validates inputs once and calls
these kernels; the plugin layer registers them by name.

Conventions shared by all kernels
---------------------------------
* Data arrays have shape ``(..., n_units, n_indicators)``: any number of leading batch
  axes (for example Monte Carlo draws), then units, then indicators (or children).
* Missing values are ``NaN``. Statistics ignore them; kernels never fill them silently.
* Per-indicator parameters are scalars or arrays broadcastable to ``(n_indicators,)``.
* ``direction`` is an array of shape ``(n_indicators,)`` holding ``+1`` (higher is better)
  or ``-1`` (lower is better). Normalised output is always "higher is better".
* Kernels never mutate their inputs.
"""
