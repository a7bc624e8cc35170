"""From a confirmed preview to a stored job: the file read again, every row stored at once."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

from bot.config import Config
from bot.imports import Contact, Duplicate, Upload, staging
from bot.imports.rules import FieldCheck, field_check, problem_key
from bot.phones import PhoneFormat
from bot.store.jobs import JobStore
from bot.store.models import Job, StagedUpload

DUPLICATE_IN_FILE = "import.reason.duplicate_in_file"


def job_rows(
    upload: Upload, phone_format: PhoneFormat, check: FieldCheck | None = None
) -> Iterator[dict[str, Any]]:
    """Every row of the upload as a job row: valid ones pending, the others already decided.

    ``check`` is the provider's field rules, the same the preview applied: a row it refused
    there is stored rejected here, and never sent.
    """
    for row in upload.contacts(phone_format, check):
        if isinstance(row, Contact):
            state, phone, name, fields, reason = "pending", row.phone, row.name, row.fields, None
        elif isinstance(row, Duplicate):
            state, phone, name, fields, reason = "duplicate", row.phone, None, {}, DUPLICATE_IN_FILE
        else:
            state, phone, name, fields = "rejected", row.raw_phone[:32], row.name, {}
            reason = problem_key(row.reason)
        yield {
            "line": row.line,
            "phone": phone,
            "name": name[:255] if name else None,
            "fields": fields,
            "state": state,
            "reason": reason,
        }


async def create_job(config: Config, store: JobStore, staged: StagedUpload) -> int:
    """Store the job of ``staged`` and its rows in one transaction; returns the job id.

    Raises ``StagedGone`` when the preview was confirmed twice (nothing stored the second time).
    """
    connection = config.connections[staged.connection]
    limits = staging.limits(config)

    # Reading and storing 200,000 rows takes seconds: the file is opened on a worker thread,
    # and its rows are read as they are inserted, on the store's writing thread.
    upload = await asyncio.to_thread(staging.open_staged, staged, limits)
    job = Job(
        connection=staged.connection,
        provider=connection.provider,
        campaign=staged.campaign,
        list_name=staged.list_name,
        creator=staged.user_id,
        channel=staged.channel,
        source=staged.filename,
        state="queued",
    )
    rows = job_rows(upload, connection.phone_format, field_check(connection.provider))
    job_id = await store.create_job(job, rows, staged_id=staged.id)
    await asyncio.to_thread(staging.remove_file, staged.path)
    return job_id
