"""Spiders: navigation only (lists → article requests). Page meaning lives in ``aggregator.sites``."""
