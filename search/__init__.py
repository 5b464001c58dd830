"""Marsad query side: parse → filter → rank → facets → highlights, over a live index generation."""
