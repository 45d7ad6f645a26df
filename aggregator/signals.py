"""Signals of our own, so components hear about each other without reaching into each other."""

post_exported = object()
"""Sent by the Hexo exporter after a post file is in place: ``item``, ``path`` (relative to OUTPUT_DIR),
``status`` (``"new"`` or ``"updated"``). The state pipeline records the export when it hears it, so that a
post that failed to write is never remembered as written."""

post_would_write = object()
"""Sent by the exporter in a dry run (``DRY_RUN``) instead of writing: ``item``, ``path``, ``status``
(``"new"`` or ``"updated"``). ``aggregator crawl --dry-run`` lists the paths from it."""
