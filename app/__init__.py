"""Reclaim: public consultations and debate under a pseudonym."""
