"""Daily call summaries: subscriptions in the database, triggers on the scheduler.

``service.SummaryService`` is the entry point (started and stopped by ``bot.runtime``;
``run_due(now)`` decides and posts), ``render`` builds its messages, ``timing`` parses and
places ``HH:MM``. The queries live in ``bot.store.summaries``.
"""
