"""Scrapy commands of this project (``COMMANDS_MODULE = "aggregator.run.commands"``).

Scrapy names a command after its module and lets a project's command replace a built-in one of the same
name, so ``crawl.py`` here is what ``scrapy crawl`` runs inside this project.
"""
