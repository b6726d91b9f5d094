"""Cramp Help site generator: YAML content -> validated, cross-linked Markdown pages."""
