"""Allow ``python -m facegym_desktop``."""

import sys

from facegym_desktop.cli import main

sys.exit(main())
