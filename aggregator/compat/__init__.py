"""Every hook into a pinned dependency's private API, in one place, each guarded by a canary test.

The project leans on a few things its dependencies do not promise to keep: a method whose name starts with
``_``, an attribute of an object it does not own, the exact signature of an undocumented extension point.
Each is used only through this package, and ``tests/test_compat.py`` holds one canary per hook that fails,
naming the hook, when an upgrade of the pinned version changes what the hook relies on. When a canary
fails, fix the hook here (and only here) for the new version: nowhere else does the project reach into
these libraries' insides.

One module per library, so that a crawl imports only the libraries it uses (readability costs start-up
time and only the generic extractor needs it):

* :mod:`aggregator.compat.scrapy_hooks` — ``CrawlCommandKeepingCrawlers`` (``ScrapyCommand._create_crawler``),
  ``wake_engine`` (``ExecutionEngine._slot.nextcall``), ``configure_image_stores``
  (``FilesPipeline._update_stores``) and the undocumented ``ImagesPipeline`` methods that
  :mod:`pipelines.images` overrides (``IMAGES_PIPELINE_OVERRIDES``).
* :mod:`aggregator.compat.readability_hooks` — ``ReadabilityOnTree`` (``Document._parse``,
  ``Document.encoding``, ``Document.transform_misused_divs_into_paragraphs`` with a walk of the tags
  instead of serialising every div), ``DISPLAY_NONE`` (readability's ``REGEXES["displayNoneRe"]``), and
  ``clean`` and ``describe``, which stand in for the module functions readability measures texts and names
  nodes with (``readability.readability.clean``, ``.describe``).
* :mod:`aggregator.compat.trafilatura_hooks` — ``page_metadata``, ``date_from_page``,
  ``author_from_page``: the steps of ``trafilatura.extract_metadata`` (``trafilatura.metadata``,
  ``htmlprocessing.prune_unwanted_nodes``, ``xpaths.AUTHOR_*``) for the fields a post has, without its
  copies of the page; ``body_html``, inside which ``core._extract_and_compare`` skips the comparison with
  trafilatura's readability fork when ``readability_cannot_win`` (``external.compare_extraction`` and
  ``_prefer_readability``, read for their conditions), and ``ReadInPython``, which stands in trafilatura's
  ``xpaths.OVERALL_DISCARD_XPATH``, ``BODY_XPATH``, ``COMMENTS_XPATH``, ``AUTHOR_DISCARD_XPATHS[0]`` and
  ``AUTHOR_XPATHS`` (the same elements, read in Python).
* :mod:`aggregator.compat.redis_hooks` — ``decode_request`` (scrapy-redis ``Base._decode_request``) and
  the ``Scheduler`` attributes :mod:`aggregator.distributed.workers` sets and inherits
  (``SCHEDULER_ATTRIBUTES``).
"""
