"""Accounts: signing in by e-mail link, browser sessions, pseudonyms and roles. Nothing that
identifies a person lives here; the address goes straight to the identity vault."""
