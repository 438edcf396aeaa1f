"""The benchmark's parts: sizing a generated region, measuring one size in its own process,
Spark figures from the event log, and Splink as a peer (command `geodata-benchmark`)."""
