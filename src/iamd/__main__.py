"""``python -m iamd``: the same as the ``iamd`` command."""

import sys

from iamd.cli import main

sys.exit(main())
