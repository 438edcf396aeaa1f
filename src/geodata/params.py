"""Typed run, export and source parameters, and the model of the whole parameter tree.

Kedro validates every `params:` input against the type hint of the node that takes
it, which misses keys no node reads; `validate_project_params` checks every key of
the merged parameters (`ProjectParams`) when the context is created, before Spark.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from typing import Annotated, Any, Literal, get_args

import pycountry
from kedro.validation.exceptions import ParameterValidationError
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from geodata.conflation.aliases import AliasParams
from geodata.conflation.blocking import BlockingParams
from geodata.conflation.clustering import ClusteringParams
from geodata.conflation.comparisons import ScoringParams
from geodata.pipelines.enrich.nodes import EnrichParams
from geodata.sample_data.region import SampleDataParams
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


SourceName = Annotated[str, StringConstraints(pattern=SOURCE_NAME_PATTERN)]


class ConflateParams(BaseModel):
    """`conflate:` parameters: one block per concern of the conflate stage."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    blocking: BlockingParams
    aliases: AliasParams
    scoring: ScoringParams
    clustering: ClusteringParams


class ProjectParams(BaseModel):
    """Every parameter the project reads: base, the environment's overrides and `--params`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    run: RunParams
    export: ExportParams
    sources: dict[SourceName, SourceParams] = Field(default_factory=dict)
    conflate: ConflateParams
    enrich: EnrichParams
    sample_data: SampleDataParams

    @field_validator("sources", mode="before")
    @classmethod
    def _none_is_no_sources(cls, value: object) -> object:
        return {} if value is None else value


class ProjectParamsError(ParameterValidationError):
    """The merged parameters have an unknown key or a bad value; the message names each."""


def _dotted(loc: tuple[int | str, ...]) -> str:
    """`("conflate", "scoring", "comparisons", 0, "m")` -> `conflate.scoring.comparisons[0].m`."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def _known_keys(loc: tuple[int | str, ...]) -> list[str]:
    """The keys `ProjectParams` allows at `loc` (empty where it allows free keys)."""
    node: Any = ProjectParams
    for part in loc:
        if isinstance(node, type) and issubclass(node, BaseModel):
            field = node.model_fields.get(str(part))
            if field is None:
                return []
            node = field.annotation
        elif get_args(node):
            node = get_args(node)[-1]  # list[X] item, dict[K, X] value
        else:
            return []
    if isinstance(node, type) and issubclass(node, BaseModel):
        return list(node.model_fields)
    return []


def _problem(error: Mapping[str, Any]) -> str:
    """One pydantic error as a line that names the parameter by its dotted path."""
    loc = tuple(error["loc"])
    if error["type"] == "extra_forbidden":
        close = difflib.get_close_matches(str(loc[-1]), _known_keys(loc[:-1]), n=1)
        hint = f" (did you mean {_dotted((*loc[:-1], close[0]))!r}?)" if close else ""
        return f"unknown parameter {_dotted(loc)!r}{hint}"
    if error["type"] == "missing":
        return f"missing parameter {_dotted(loc)!r}: {error['msg']}"
    if loc and loc[-1] == "[key]":
        return f"bad key {_dotted(loc[:-1])!r}: {error['msg']}"
    given = error.get("input")
    value = "" if isinstance(given, Mapping | list) else f" = {given!r}"
    return f"parameter {_dotted(loc)!r}{value}: {error['msg']}"


def validate_project_params(parameters: Mapping[str, Any]) -> ProjectParams:
    """Check the merged parameters against `ProjectParams`, every key at every level.

    Args:
        parameters: The session's parameters (base, the environment's overrides and
            the run's `--params`), as plain data.

    Returns:
        The validated parameters.

    Raises:
        ProjectParamsError: A key is unknown, missing or has a bad value; the message
            names each by its dotted path (`conflate.scoring.match_threshold`).
    """
    try:
        return ProjectParams.model_validate(dict(parameters))
    except ValidationError as error:
        problems = "\n".join(f"  {_problem(e)}" for e in error.errors())
        raise ProjectParamsError(f"Invalid parameters:\n{problems}") from None
