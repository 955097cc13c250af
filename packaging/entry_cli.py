"""Entry point of the console executable `pia-desk` in the frozen bundle."""

import sys

from pia_desk.cli import main

if __name__ == "__main__":
    sys.exit(main())
