"""A run's QA report: figures of the run report and a self-contained HTML page of them."""
