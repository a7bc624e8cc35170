"""The live App Home: what one user's Home shows, fetched in parallel, published to Slack."""

from bot.home.alerts import AlertSource, NoAlerts, OpenAlert
from bot.home.service import HomeService

__all__ = ["AlertSource", "HomeService", "NoAlerts", "OpenAlert"]
