"""aggregator: crawl ZAKER, CCTV and RSS/Atom feeds into Hexo posts."""

__version__ = "0.1.0"
