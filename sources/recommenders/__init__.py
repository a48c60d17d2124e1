"""Recommenders: learn from a project's own tags which themes fit which passages (docs/suggestions.md).

Each recommender is fitted on the training examples (`examples.py`), evaluated per theme by
cross-validation over passages (`scores.py`), and then applied to every passage of the project; the
service `sources.services.suggestions` stores what they find, so no model runs when a page is read.
"""
