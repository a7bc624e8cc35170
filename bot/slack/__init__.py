"""The Slack adapter: Bolt listeners → dispatcher → delivery, HTTP and Socket Mode."""
