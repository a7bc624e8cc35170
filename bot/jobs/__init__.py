"""Import jobs: one model for every provider, resumed from the database after a restart.

``JobEngine`` (``services.jobs``) is the public face: ``create`` a job from a confirmed
preview, ``cancel``, ``retry``, ``undo`` an Alohub import (a job of its own that deletes
its contacts still pending, ``undo.UndoRun``); ``bot.jobs.contact.add_contact`` adds one
contact by hand through the same provider calls.
"""

from bot.jobs.engine import Cancelled, JobEngine

__all__ = ["Cancelled", "JobEngine"]
