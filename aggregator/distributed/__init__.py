"""Distributed crawling on Redis: the add-on (light, always loaded) and the shared scheduler it turns on."""
