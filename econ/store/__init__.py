"""The store: every vintage of every figure, the official projections, the norms and the runs."""
