"""The `marsad` command: the composition root that wires indexer, search and web together."""
