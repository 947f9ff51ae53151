"""Work after the request: queued mail, the worker that delivers it, and scheduled jobs.

A request never sends mail. It writes a row to ``outbox_message`` in its own transaction
(``queue.queue_mail``): the recipient's account (or, for a sign-in link, the vault's token row),
the template's name and its parameters, never an address. A worker (``worker.Worker``) claims
due messages, renders them from ``templates/`` at delivery, resolves the address from the
identity vault and sends them over one SMTP connection per batch. Jobs (``jobs``, run by
``scheduler``) are rows of ``scheduled_job``, claimed the same way, so any number of workers can
run at once.
"""
