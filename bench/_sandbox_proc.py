"""The provider sandbox alone in its own process (for benchmarks that drive it over HTTP).

Prints one JSON line (the sandbox's root URL and its connections) and serves until stdin
closes, so the process measured carries only its own work; the benchmark sets faults and
limits and reads what the sandbox received through ``/_sandbox/...`` (``control.py``).

    python -m bench._sandbox_proc [call_records]
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


async def main() -> None:
    """Serve; print where."""
    from bot.sandbox import Sandbox, SandboxOptions

    records = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    async with Sandbox(port=0, options=SandboxOptions(seed=7, call_records=records)) as sandbox:
        print(json.dumps({"url": sandbox.url, "connections": sandbox.connections()}), flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


class SandboxProcess:
    """A sandbox child process and its control endpoints: ``with SandboxProcess() as sb:``."""

    def __init__(self, call_records: int = 500) -> None:
        self._args = [sys.executable, "-m", "bench._sandbox_proc", str(call_records)]
        self._proc: subprocess.Popen[str] | None = None
        self.url = ""
        self.connections: dict[str, dict[str, Any]] = {}

    def __enter__(self) -> SandboxProcess:
        self._proc = subprocess.Popen(
            self._args, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if not line:
            self.__exit__()
            raise RuntimeError("the sandbox process exited before it was ready")
        ready = json.loads(line)
        self.url, self.connections = ready["url"], ready["connections"]
        return self

    def __exit__(self, *exc: object) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        assert proc.stdin is not None
        proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def control(self, path: str, body: dict[str, Any] | None = None) -> Any:
        """``GET /_sandbox/<path>``, or ``POST`` it with ``body`` as JSON; the JSON answer."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.url.rstrip('/')}/_sandbox/{path}",
            data=data,
            method="GET" if body is None else "POST",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as answer:
            return json.loads(answer.read())


if __name__ == "__main__":
    asyncio.run(main())
