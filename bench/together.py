"""Run several spiders in one process, as ``aggregator crawl`` runs the subscriptions of a schedule.

    python bench/together.py '[["zaker", {"channel": "1,2"}], ["cctv", {"category": "china"}]]' -s N=V

Used by ``bench/run.py`` (default): one Python start-up for the whole pass, as in production, instead of one
per spider. Exit status as ``aggregator crawl``: 1 when any crawl failed outright.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aggregator.run.cli import project_settings
from aggregator.run.crawl import crawl_subscriptions
from aggregator.run.subscriptions import Subscription


def main(argv: list[str]) -> int:
    crawls = json.loads(argv[0])
    overrides = [argv[i + 1] for i in range(1, len(argv) - 1) if argv[i] == "-s"]
    subscriptions = [
        Subscription(name=spider, spider=spider, arguments=dict(arguments)) for spider, arguments in crawls
    ]
    results = crawl_subscriptions(subscriptions, project_settings(overrides))
    for result in results:
        print(f"{result.name}: {result.status} {result.reason}")
    return 0 if all(result.status == "ok" for result in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
