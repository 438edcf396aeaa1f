"""Normalize: canonical address records and their comparison keys."""
