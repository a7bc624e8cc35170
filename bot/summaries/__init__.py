"""Daily call summaries: subscriptions in the database, triggers on the scheduler."""
