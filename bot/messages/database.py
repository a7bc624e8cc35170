"""Sentences for a database setting that stops start-up: key → (English, Vietnamese).

``{setting}`` is ``database.setting.file`` or ``database.setting.env``: which of the two
settings the URL came from (``DATABASE_URL`` overrides ``database_url`` in callops.yml).
"""

from __future__ import annotations

_URLS = "postgresql+psycopg://user:password@host:5432/name or sqlite:///callops.db"

MESSAGES: dict[str, tuple[str, str]] = {
    "database.setting.file": ("`database_url` in {file}", "`database_url` trong {file}"),
    "database.setting.env": (
        "the environment variable `DATABASE_URL`",
        "biến môi trường `DATABASE_URL`",
    ),
    "database.malformed": (
        f"The database setting ({{setting}}) is not a database URL — write it as {_URLS}.",
        f"Thiết lập cơ sở dữ liệu ({{setting}}) không phải một URL cơ sở dữ liệu — hãy viết "
        f"dạng {_URLS.replace(' or ', ' hoặc ')}.",
    ),
    "database.driver": (
        "The database setting ({setting}) asks for the driver “{driver}”, which callops cannot "
        f"use — write it as {_URLS}.",
        "Thiết lập cơ sở dữ liệu ({setting}) yêu cầu trình điều khiển “{driver}” mà callops "
        f"không dùng được — hãy viết dạng {_URLS.replace(' or ', ' hoặc ')}.",
    ),
    "database.unreachable": (
        "No database server answers at {host}:{port}, the server named in {setting} — start "
        "PostgreSQL there, or correct the host and port in {setting}.",
        "Không có máy chủ cơ sở dữ liệu nào trả lời tại {host}:{port}, máy chủ ghi trong "
        "{setting} — hãy khởi động PostgreSQL ở đó, hoặc sửa máy chủ và cổng trong {setting}.",
    ),
    "database.auth": (
        "The database server at {host}:{port} refused the user “{user}” given in {setting} "
        "(wrong password, or no such user) — correct the user and password in {setting}, or "
        "create that user in PostgreSQL.",
        "Máy chủ cơ sở dữ liệu tại {host}:{port} từ chối người dùng “{user}” ghi trong "
        "{setting} (sai mật khẩu hoặc không có người dùng này) — hãy sửa người dùng và mật khẩu "
        "trong {setting}, hoặc tạo người dùng đó trong PostgreSQL.",
    ),
    "database.no_database": (
        "The database “{name}” named in {setting} does not exist on {host}:{port} — create it "
        "(createdb {name}) or correct the name in {setting}.",
        "Cơ sở dữ liệu “{name}” ghi trong {setting} không có trên {host}:{port} — hãy tạo nó "
        "(createdb {name}) hoặc sửa tên trong {setting}.",
    ),
    "database.no_file": (
        "The SQLite file “{name}” named in {setting} cannot be opened — create its folder, or "
        "correct the path in {setting}.",
        "Không mở được tệp SQLite “{name}” ghi trong {setting} — hãy tạo thư mục chứa nó, hoặc "
        "sửa đường dẫn trong {setting}.",
    ),
    "database.refused": (
        "The database in {setting} cannot be used ({error}) — check {setting}, and that the "
        "database server runs and lets this user in.",
        "Không dùng được cơ sở dữ liệu trong {setting} ({error}) — hãy kiểm tra {setting}, và "
        "máy chủ cơ sở dữ liệu đang chạy và cho người dùng này vào.",
    ),
}
