"""``python -m aggregator``: the same as the ``aggregator`` command."""

import sys

from aggregator.run.cli import main

sys.exit(main())
