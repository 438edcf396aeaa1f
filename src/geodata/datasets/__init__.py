"""Project datasets and catalog validators."""

from geodata.datasets.hive_table import HivePartitionedTableDataset
from geodata.datasets.object_store import ObjectStoreDataset
from geodata.datasets.validation import SparkSchemaValidator

__all__ = ["HivePartitionedTableDataset", "ObjectStoreDataset", "SparkSchemaValidator"]
