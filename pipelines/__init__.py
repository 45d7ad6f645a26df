"""Site-agnostic item pipelines, one job each, switched on in ``ITEM_PIPELINES``.

Order (see ``aggregator.settings``): clean → extract → validate → state → hexo.
"""
