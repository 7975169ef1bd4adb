"""Drive an interactive command through a pseudo-terminal: send key presses, wait for screen text."""

from __future__ import annotations

import fcntl
import os
import re
import select
import struct
import subprocess
import termios
import time

ANSI = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|\][^\x07]*\x07|[()][0-9A-Za-z]|[=>])")


class PtySession:
    """A child process on a pty of `rows` x `cols`; `expect` reads its output with ANSI codes removed."""

    def __init__(self, argv: list[str], *, env: dict, cwd, rows: int = 50, cols: int = 160) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=cwd,
                                        start_new_session=True, close_fds=True)
        os.close(slave)
        self.master = master
        self.screen = ""  # everything read so far, ANSI removed
        self._seen = 0

    def _read(self, timeout: float) -> None:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if ready:
            try:
                data = os.read(self.master, 65536)
            except OSError:  # the child closed the pty
                data = b""
            self.screen += ANSI.sub("", data.decode("utf-8", "replace"))

    def expect(self, text: str, timeout: float = 60.0) -> str:
        """Wait until `text` appears after the previous match; return the output up to it."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.screen.find(text, self._seen)
            if found >= 0:
                chunk = self.screen[self._seen:found + len(text)]
                self._seen = found + len(text)
                return chunk
            if time.monotonic() > deadline or (self.process.poll() is not None and not self._pending()):
                raise AssertionError(f"{text!r} did not appear; the screen ends with:\n{self.screen[-3000:]}")
            self._read(0.2)

    def _pending(self) -> bool:
        before = len(self.screen)
        self._read(0.1)
        return len(self.screen) > before

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def wait(self, timeout: float = 60.0) -> int:
        deadline = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < deadline:
            self._read(0.2)
        self._read(0.1)
        return self.process.wait(timeout=1)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.master)
