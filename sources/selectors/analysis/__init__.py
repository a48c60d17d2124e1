"""What a project's annotations show taken together (docs/analysis.md): theme by source matrices,
co-occurrence, the claim map, comparisons of sources and progress over time, each within the
caller's visibility and the shared filters (`filters.py`)."""
