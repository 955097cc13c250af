import sys

from pia_desk.cli import main

sys.exit(main())
