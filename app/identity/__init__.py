"""Identity: the vault (the only code that reads identity data), verified identity from an
OpenID Connect provider and GOV.UK One Login, two-person disclosure, and a person's own data."""
