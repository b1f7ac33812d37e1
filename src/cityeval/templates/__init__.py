"""Package data: the files ``cityeval plugin new`` fills in (``string.Template`` syntax)."""
