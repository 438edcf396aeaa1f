"""Conflate: blocking, pairwise scoring, clustering, survivorship and user corrections."""
