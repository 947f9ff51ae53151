"""Analysis: coding answers, Annex A tallies, percentages, campaign groups and charts."""
