"""Page objects: one module per site, pure functions from saved pages to data (see ``base``)."""
