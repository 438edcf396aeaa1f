"""geodata: an address conflation engine built as a Kedro project on PySpark."""

__version__ = "0.1.0"
