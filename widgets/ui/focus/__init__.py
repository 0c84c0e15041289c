"""Focus screens: the data, the shortlist, scoring and weights, results and the decision."""
