"""In-process HTTP simulators of the four calling providers (Alohub, Vbee, AICallCenter, OMICall).

A second, independent reading of PROVIDERS.md: nothing here imports from the rest of
``bot``. ``Sandbox`` serves all four on one port with seeded demo data, fault injection
and rate limits; ``serve`` runs it from the command line.
"""

from bot.sandbox.clock import Clock
from bot.sandbox.faults import Faults
from bot.sandbox.gate import RecordedRequest
from bot.sandbox.options import SandboxOptions
from bot.sandbox.server import PROVIDERS, Sandbox, serve

__all__ = ["PROVIDERS", "Clock", "Faults", "RecordedRequest", "Sandbox", "SandboxOptions", "serve"]
