"""The moderation domain: reports, cases, decisions with statements of reasons, appeals,
sanctions, evidence, police referrals and watched words.

This package never imports ``app`` (the web application). The modules here that have no
database are the pure core the services build on:

- ``reasons``    why a post is reported (the prosecutors' four categories and the site rules)
                 and what a moderator can do about it;
- ``priority``   the order of the queue and when a post may be hidden before review;
- ``states``     the case state machine, conflict-of-interest checks, specific statements;
- ``errors``     the typed errors, each carrying its HTTP status;
- ``watchwords`` matching watched words and phrases through common disguises.
"""
