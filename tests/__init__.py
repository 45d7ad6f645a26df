"""The test suite, a regular package: installed distributions that ship a top-level ``tests`` package
(scrapy-impersonate does) must not shadow it."""
