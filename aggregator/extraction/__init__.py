"""The generic extractor's own rules on top of trafilatura: boilerplate blocks, list pages, cross-checks."""
