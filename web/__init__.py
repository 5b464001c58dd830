"""Marsad web layer: the search page and the JSON API over one search call."""
