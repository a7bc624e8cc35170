"""Fixtures that write real-looking upload files into ``tmp_path``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import openpyxl
import pytest


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, bytes], Path]:
    """Write bytes to a file of the given name and return its path."""

    def _write(name: str, data: bytes) -> Path:
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return _write


@pytest.fixture
def xlsx(tmp_path: Path) -> Callable[..., Path]:
    """Write rows to the first sheet of a workbook (write-only, as a big export would be)."""

    def _xlsx(
        rows: Iterable[Sequence[object]],
        name: str = "list.xlsx",
        *,
        more_sheets: dict[str, list[list[object]]] | None = None,
    ) -> Path:
        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet("Danh sách")
        for row in rows:
            sheet.append(list(row))
        for title, extra in (more_sheets or {}).items():
            other = workbook.create_sheet(title)
            for row in extra:
                other.append(row)
        path = tmp_path / name
        workbook.save(path)
        return path

    return _xlsx
