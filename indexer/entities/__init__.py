"""Places, actors and event dates: the gazetteer, the actor book and the extractor over them."""
