"""Entry point of the windowed executable (`PIA Desk.exe`, `pia-desk-gui`).

A windowed Windows executable has no console: sys.stdout and sys.stderr are None, so
anything printed (argparse help, a command's report) goes to the null device instead
of raising.
"""

import os
import sys

from pia_desk.cli import main

if __name__ == "__main__":
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
    sys.exit(main())
