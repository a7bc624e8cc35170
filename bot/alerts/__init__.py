"""Threshold alerts on AICallCenter call records: rules in the database, checked on the leader.

``service.AlertService`` is the entry point (started and stopped by ``bot.runtime``;
``check_due(now)`` checks and posts), ``rules`` parses a rule and moves its state (pure),
``render`` builds its messages. The queries live in ``bot.store.alerts``.
"""
