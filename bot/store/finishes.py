"""Campaign-finished posts: which (channel, connection, campaign) was told, and how it went.

The ``campaign_finishes`` row is the guard against posting twice: it is inserted *before*
the post, and its unique (channel, connection, campaign) lets exactly one inserter win,
whether the other is a later check, a restarted bot or a new leader. Both writes check the
leader epoch (``bot.store.fence``): a deposed leader that has not noticed yet claims nothing.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.store.db import Store, reads, writes
from bot.store.models import CampaignFinish

Key = tuple[str, str, str]  # (channel, connection, campaign)


class FinishStore:
    """The campaign-finished claims (``async``: see ``Store``)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.lanes = store.lanes

    @reads
    def claimed(self) -> set[Key]:
        """Every (channel, connection, campaign) already claimed, whatever its state."""
        with self.store.session() as session:
            query = select(
                CampaignFinish.channel, CampaignFinish.connection, CampaignFinish.campaign
            )
            return {(row[0], row[1], row[2]) for row in session.execute(query)}

    @writes
    def claim(self, key: Key, processed: int) -> int | None:
        """Insert the claim before posting; None when one exists already."""
        channel, connection, campaign = key
        try:
            with self.store.session() as session:
                self.store.fence.check(session)  # a deposed leader claims nothing
                row = CampaignFinish(
                    channel=channel, connection=connection, campaign=campaign, processed=processed
                )
                session.add(row)
                session.flush()
                return row.id
        except IntegrityError:
            return None

    @writes
    def finish(
        self, claim_id: int, state: str, message_ts: str | None = None, detail: str | None = None
    ) -> None:
        """Record how a claimed post ended."""
        with self.store.session() as session:
            self.store.fence.check(session)
            row = session.get(CampaignFinish, claim_id)
            if row is not None:
                row.state = state
                row.message_ts = message_ts
                row.detail = detail

    @reads
    def all(self) -> list[CampaignFinish]:
        """Every claim, oldest first."""
        with self.store.session() as session:
            return list(session.scalars(select(CampaignFinish).order_by(CampaignFinish.id)))
