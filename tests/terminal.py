"""Run a command on a pseudo-terminal, as a person would, and read what the screen shows."""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_ESC = re.compile(r"\x1b\[([0-9;?]*)([A-Za-z])|\x1b[()][A-Z0-9]|\x1b[=>]")


def screen_lines(raw: str) -> list[str]:
    """The lines a terminal shows after ``raw``, scrollback included: text, CR, LF, cursor up
    (``ESC [ n A``) and erase line (``ESC [ n K``) as a terminal does; other sequences dropped.
    A live display redrawn in place counts once."""
    lines: list[str] = [""]
    row = col = 0
    pos = 0
    while pos < len(raw):
        m = _ESC.match(raw, pos)
        if m:
            arg, cmd = m.group(1) or "", m.group(2)
            if cmd == "A":
                row = max(0, row - int(arg or 1))
            elif cmd == "K":
                lines[row] = "" if arg == "2" else lines[row][:col]
            elif cmd == "G":
                col = int(arg or 1) - 1
            pos = m.end()
            continue
        ch = raw[pos]
        pos += 1
        if ch == "\r":
            col = 0
        elif ch == "\n":
            row += 1
            col = 0
            if row == len(lines):
                lines.append("")
        elif ch >= " ":
            line = lines[row].ljust(col)
            lines[row] = line[:col] + ch + line[col + 1 :]
            col += 1
    if lines and lines[-1] == "":
        lines.pop()
    return lines


class PtyRun:
    """``python -m crawler.cli ARGS`` on a pty of ``columns`` x 40 (its own session, so a
    signal sent to its process group is what Ctrl-C sends)."""

    def __init__(self, *args: str, columns: int = 120, env: dict | None = None, cwd=ROOT):
        import fcntl
        import termios

        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "crawler.cli", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=cwd,
            env={**os.environ, "COLUMNS": str(columns), "TERM": "xterm", **(env or {})},
            start_new_session=True,
        )
        os.close(slave)
        self.output = b""

    def read(self, timeout: float = 0.5) -> bool:
        """Read what is there; False when the terminal is closed."""
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return True
        try:
            data = os.read(self.master, 65536)
        except OSError:  # EIO: every writer has closed the terminal
            return False
        self.output += data
        return bool(data)

    @property
    def text(self) -> str:
        return self.output.decode("utf-8", "replace")

    def wait_for(self, pattern: str, timeout: float) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.search(pattern, self.text)
            if found:
                return found
            if not self.read() and self.proc.poll() is not None:
                break
        raise AssertionError(f"no {pattern!r} within {timeout}s; output:\n{self.text[-3000:]}")

    def interrupt(self) -> None:
        """Ctrl-C: SIGINT to the whole foreground process group."""
        os.killpg(self.proc.pid, signal.SIGINT)

    def finish(self, timeout: float = 60) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and (self.read(0.2) or self.proc.poll() is None):
            if self.proc.poll() is not None and not self.read(0.2):
                break
        try:
            code = self.proc.wait(timeout=max(1, deadline - time.monotonic()))
        finally:
            self.close()
        return code

    def close(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        try:
            os.close(self.master)
        except OSError:
            pass
