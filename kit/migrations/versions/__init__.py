"""Revisions of the kit schema (package marker so that they ship with the kit)."""
