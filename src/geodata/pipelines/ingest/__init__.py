"""Ingest: one namespace per declared source; column mapping, delivery choice, validation."""
