"""Marsad's offline side: turns articles on disk into a Whoosh index generation."""
