"""Triage at scale: campaigns of copied letters, every opinion matched to the changes
that may answer it, and the reports built on both."""
