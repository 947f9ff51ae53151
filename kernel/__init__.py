"""The shared kernel: what the site (``app``) and the moderation domain (``moderation``) both
build on, and nothing else. The clock, the UTC column type and the constraint naming
convention, one tree of domain errors, and one hook mechanism by which a domain asks the rest
of the site for what it does not own. The kernel imports neither ``app`` nor ``moderation``."""
