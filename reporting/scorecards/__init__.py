"""Unit scorecards (考核): configuration, computation by bounded aggregate queries, ranking, bulletin and freezing."""
