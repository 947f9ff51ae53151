"""Administering the site (the admin role): themes, roles, standing pages and site details.

- ``themes``   create, rename, describe, reorder and retire the themes consultations sit under
- ``roles``    grant and remove roles (never the last admin; never custodian to oneself)
- ``pages``    the standing pages (about, site rules, terms, privacy, accessibility), versioned
- ``details``  the organisation's name, its contact address and the support services listed
- ``defaults/`` the texts a new site starts with, as data files (translated beside them)

Every change goes to the hash-chained audit log with who made it, when, and the reason given.
"""
