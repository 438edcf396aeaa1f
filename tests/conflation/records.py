"""Enriched records and the project's conflate parameters for tests of `geodata.conflation`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml
from pyspark.sql import types as T

from geodata.conflation.aliases import AliasParams
from geodata.conflation.blocking import BlockingParams
from geodata.conflation.clustering import ClusteringParams
from geodata.conflation.comparisons import ScoringParams
from geodata.schemas import CANONICAL_SCHEMA

CONFIG = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "conf/base/parameters_conflate.yml").read_text()
)["conflate"]
BLOCKING = BlockingParams(**CONFIG["blocking"])
SCORING = ScoringParams(**CONFIG["scoring"])
CLUSTERING = ClusteringParams(**CONFIG["clustering"])
ALIASES = AliasParams(**CONFIG["aliases"])

ENRICHED = [*CANONICAL_SCHEMA.fieldNames(), "parcel_id", "building_id", "road_id", "road_name"]


def enriched_record(source, record_id, hn, street, *, unit=None, lat=37.75, lon=-122.43, **extra):
    """An enriched canonical record with sensible defaults for one Californian address."""
    base, _, street_type = (street or "").rpartition(" ")
    values = {
        "source": source,
        "source_record_id": record_id,
        "dt": date(2026, 10, 1),
        "house_number": hn,
        "street": street,
        "unit": unit,
        "locality": "SAN FRANCISCO",
        "postcode": "94110",
        "iso_3166_1": "US",
        "iso_3166_2": "US-CA",
        "lat": lat,
        "lon": lon,
        "geometry_accuracy": {"a": "rooftop", "b": "parcel", "c": "interpolated"}.get(
            source, "rooftop"
        ),
        "priority": {"a": 1, "b": 2, "c": 3}.get(source, 0),
        "hn_int": int("".join(ch for ch in hn if ch.isdigit()) or 0),
        "hn_suffix": hn.lstrip("0123456789") or None,
        "street_base": base.split(" ", 1)[-1] if base.startswith(("N ", "S ")) else base,
        "street_type": street_type,
        "street_dir": base.split(" ", 1)[0] if base.startswith(("N ", "S ")) else None,
        "street_phonetic": base.replace(" ", "")[:4],
        "unit_id": unit.split()[-1] if unit else None,
        "raw": "{}",
        "building_id": None,
        "parcel_id": None,
        "road_id": None,
        "road_name": None,
    }
    if street is None:
        # A record without a street has none of its parts either.
        values.update(street_base=None, street_type=None, street_phonetic=None)
    values.update(extra)
    return tuple(values.get(name) for name in ENRICHED)


ENRICHED_SCHEMA = T.StructType(
    [
        *CANONICAL_SCHEMA.fields,
        *[
            T.StructField(n, T.StringType())
            for n in ("parcel_id", "building_id", "road_id", "road_name")
        ],
    ]
)


def enriched_frame(spark, rows):
    """A DataFrame of `enriched_record` rows."""
    return spark.createDataFrame(rows, ENRICHED_SCHEMA)


METRE = 1 / 111_000  # degrees of latitude
