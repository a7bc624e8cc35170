"""The live App Home: what one user's Home shows, fetched in parallel, published to Slack."""

from bot.home.alerts import HOME_ACK_ACTION, AlertSource, NoAlerts, OpenAlert
from bot.home.service import HomeService

__all__ = ["HOME_ACK_ACTION", "AlertSource", "HomeService", "NoAlerts", "OpenAlert"]
