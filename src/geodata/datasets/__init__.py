"""Project datasets and catalog validators."""

from geodata.datasets.deliveries import DeliveryDataset
from geodata.datasets.hive_table import HivePartitionedTableDataset
from geodata.datasets.in_task import InTaskDataset
from geodata.datasets.object_store import ObjectStoreDataset
from geodata.datasets.publication import PublishedTablesDataset
from geodata.datasets.validation import SparkSchemaValidator
from geodata.datasets.working import WorkingDataset

__all__ = [
    "DeliveryDataset",
    "HivePartitionedTableDataset",
    "InTaskDataset",
    "ObjectStoreDataset",
    "PublishedTablesDataset",
    "SparkSchemaValidator",
    "WorkingDataset",
]
