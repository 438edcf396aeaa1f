"""Evaluation of conflation output against labelled truth."""

from geodata.evaluation.pairwise import PairwiseScores, pairwise_scores

__all__ = ["PairwiseScores", "pairwise_scores"]
