"""Consultations: themes, consultations and their questions, and running them (organising)."""
