"""Terminal output that never decides whether the user's work is saved.

A console that cannot show a character (a cp932 console and 𠮷) gets a replacement
character instead of a UnicodeEncodeError; a reader that went away (`| head -1`)
gets nothing more instead of a BrokenPipeError. Commands save first and print after,
and with these streams printing cannot fail.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Iterator
from typing import TextIO


class SafeStream:
    """A text stream that replaces what its encoding cannot show and goes quiet when
    the other end of a pipe is closed."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.closed_pipe = False

    def write(self, text: str) -> int:
        if self.closed_pipe:
            return len(text)
        try:
            return self._stream.write(text)
        except UnicodeEncodeError:
            encoding = getattr(self._stream, "encoding", None) or "ascii"
            shown = text.encode(encoding, "replace").decode(encoding, "replace")
            return self._guarded(lambda: self._stream.write(shown), len(text))
        except OSError as error:
            self._closed(error)
            return len(text)

    def flush(self) -> None:
        self._guarded(self._stream.flush, None)

    def _guarded(self, action, default):
        if self.closed_pipe:
            return default
        try:
            return action()
        except OSError as error:
            self._closed(error)
            return default

    def _closed(self, error: OSError) -> None:
        if not isinstance(error, BrokenPipeError) and error.errno not in (
            errno.EPIPE,
            errno.EINVAL,
        ):
            raise error
        self.closed_pipe = True
        # What is still buffered would fail again at exit: send it nowhere.
        with contextlib.suppress(OSError, ValueError, AttributeError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


@contextlib.contextmanager
def safe_console() -> Iterator[None]:
    """sys.stdout and sys.stderr as SafeStreams for the duration of a command."""
    saved = sys.stdout, sys.stderr
    if saved[0] is not None:  # None: a windowed program without a console
        sys.stdout = SafeStream(saved[0])  # type: ignore[assignment]
    if saved[1] is not None:
        sys.stderr = SafeStream(saved[1])  # type: ignore[assignment]
    try:
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        sys.stdout, sys.stderr = saved
