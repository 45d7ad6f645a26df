"""Talking to web servers: charset decoding, URL rules, back-off, WAF detection and the SafeLine solver."""
