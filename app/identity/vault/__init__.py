"""The identity vault: the one place that holds what identifies a person.

Reclaim's rule is "privacy, but not anonymity": every participant has a verified identity,
but in public they are a pseudonym, and only the operator can see who they are, through an
audited disclosure procedure. This package keeps the identifying attributes (e-mail, verified
name, date of birth, OIDC issuer and subject, verification level and time) encrypted at rest.

The pure, database-free core:

- ``keyring``      key-encryption keys (KEKs) from settings, with ids so they can rotate;
- ``crypto``       envelope encryption: a random data key (DEK) per person encrypts that
                   person's fields with AES-256-GCM, each ciphertext bound to its row and field;
                   the DEK is stored wrapped (encrypted) under the active KEK. Key rotation
                   re-wraps DEKs; deleting a person's wrapped DEK crypto-shreds their record,
                   including every copy in backups;
- ``blind_index``  keyed HMAC-SHA256 indexes of the normalised e-mail and of the provider's
                   (issuer, subject), for look-up and uniqueness without decrypting.

Keys come from settings, never from the database.
"""
