"""Export: the partitioned output tables, the optional CSV export and the run report."""
