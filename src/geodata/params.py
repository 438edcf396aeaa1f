"""Typed run, export and source parameters.

Kedro validates every `params:` input against the type hint of the node that
takes it when a session starts (before any Spark work), so these models are
the single place where parameter rules live.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Literal

import pycountry
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from geodata.schemas import CANONICAL_FIELDS, CORRECTION_FIELDS, GEOMETRY_ACCURACY_RANK

TABLE_NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$"
SOURCE_NAME_PATTERN = r"^[a-z][a-z0-9_]*$"

GeometryAccuracy = Literal["rooftop", "entrance", "parcel", "interpolated", "postal", "unknown"]
assert set(GeometryAccuracy.__args__) == set(GEOMETRY_ACCURACY_RANK)


@lru_cache(maxsize=1)
def _country_codes() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries)


@lru_cache(maxsize=1)
def _subdivision_codes() -> frozenset[str]:
    return frozenset(s.code for s in pycountry.subdivisions)


class RunParams(BaseModel):
    """`run:` parameters: which date and which region(s) a run conflates."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    execution_dt: date = Field(description="ISO date of this run; the output partition value.")
    iso_3166_1: str = Field("", description="ISO 3166-1 alpha-2 country filter; empty = all.")
    iso_3166_2: str = Field("", description="ISO 3166-2 region filter; empty = all regions.")

    @field_validator("iso_3166_1", "iso_3166_2", mode="before")
    @classmethod
    def _none_is_empty(cls, value: object) -> object:
        return "" if value is None else value

    @field_validator("iso_3166_1")
    @classmethod
    def _known_country(cls, value: str) -> str:
        value = value.strip().upper()
        if value and value not in _country_codes():
            raise ValueError(f"run.iso_3166_1={value!r} is not an ISO 3166-1 alpha-2 code")
        return value

    @field_validator("iso_3166_2")
    @classmethod
    def _known_region(cls, value: str) -> str:
        value = value.strip().upper()
        if value and value not in _subdivision_codes():
            raise ValueError(f"run.iso_3166_2={value!r} is not an ISO 3166-2 subdivision code")
        return value

    @model_validator(mode="after")
    def _region_in_country(self) -> RunParams:
        if (
            self.iso_3166_1
            and self.iso_3166_2
            and not self.iso_3166_2.startswith(self.iso_3166_1 + "-")
        ):
            raise ValueError(
                f"run.iso_3166_2={self.iso_3166_2!r} is not in run.iso_3166_1={self.iso_3166_1!r}"
            )
        return self

    @property
    def country_filter(self) -> str:
        """The country a run is limited to ('' for all), implied by the region if set."""
        return self.iso_3166_1 or self.iso_3166_2.split("-")[0]


class ExportParams(BaseModel):
    """`export:` parameters: where the conflated output goes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    table: str = Field("geodata.conflated_addresses", pattern=TABLE_NAME_PATTERN)
    csv_enabled: bool = False


class SourceParams(BaseModel):
    """One block under `sources:`: how a source's columns map to canonical fields."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["addresses", "corrections"] = "addresses"
    priority: int = Field(ge=0, description="Lower wins ties in survivorship.")
    geometry_accuracy: GeometryAccuracy
    columns: dict[str, str]
    constants: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _columns_are_canonical(self) -> SourceParams:
        allowed = set(CANONICAL_FIELDS)
        if self.kind == "corrections":
            allowed |= set(CORRECTION_FIELDS)
        unknown = sorted((set(self.columns) | set(self.constants)) - allowed)
        if unknown:
            raise ValueError(f"unknown canonical field(s) {unknown}; allowed: {sorted(allowed)}")
        given = set(self.columns) | set(self.constants)
        missing = [f for f in ("source_record_id", "lon", "lat") if f not in self.columns]
        if missing:
            raise ValueError(f"columns must map {missing}")
        if "full_address" not in given and not {"house_number", "street"} <= given:
            raise ValueError("columns must map either full_address or house_number and street")
        if "country" not in given and "region" not in given and "full_address" not in given:
            raise ValueError("columns or constants must give country or region")
        if self.kind == "corrections" and "action" not in self.columns:
            raise ValueError("a corrections source must map an action column")
        return self


def is_valid_source_name(name: str) -> bool:
    """Whether `name` may be used as a source (and pipeline namespace) name."""
    return re.fullmatch(SOURCE_NAME_PATTERN, name) is not None
