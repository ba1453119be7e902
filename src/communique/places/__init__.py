"""Places: the gazetteer, toponym resolution and where each event happened.

``load_gazetteer`` reads the offline gazetteer once; ``resolve_toponyms`` picks one entry
per place name of a document; ``choose_location`` finds the place of one event; the spaCy
component ``communique_places`` runs them in the pipeline.
"""

from communique.places.gazetteer import Entry, Gazetteer, distance_km, load_gazetteer
from communique.places.location import choose_location
from communique.places.resolve import Toponym, resolve_toponyms

__all__ = [
    "Entry",
    "Gazetteer",
    "Toponym",
    "choose_location",
    "distance_km",
    "load_gazetteer",
    "resolve_toponyms",
]
