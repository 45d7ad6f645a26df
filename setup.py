"""Only for ``scrapyd-deploy``: it builds the egg it uploads with ``python setup.py bdist_egg``.

Without this file scrapyd-deploy writes its own ``setup.py`` into the checkout (named "project", with
``find_packages()``). Everything about the package — name, version, packages, dependencies and the
``scrapy`` entry point that tells scrapyd which settings module to load — is in ``pyproject.toml``;
setuptools reads it from there, so nothing is repeated here. Install with pip as usual (see README).
"""

from setuptools import setup

setup()
