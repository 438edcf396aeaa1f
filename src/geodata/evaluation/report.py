"""One evaluation of a run's outputs against a labelled set: every figure, as JSON or a table."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from geodata.evaluation.clusters import BCubedScores, ClusterCounts, bcubed_scores, cluster_counts
from geodata.evaluation.fields import FieldAccuracy, GeometryError, field_accuracy, geometry_error
from geodata.evaluation.pairs import (
    CandidatePairStats,
    candidate_pair_stats,
    level_errors,
    record_labels,
    weight_histogram,
)
from geodata.evaluation.pairwise import PairwiseScores, pairwise_scores
from geodata.evaluation.quarantine import (
    QuarantineScores,
    RecordCounts,
    quarantine_scores,
    record_counts,
)
from geodata.evaluation.regions import (
    RegionFigures,
    record_regions,
    region_figures,
    wrongly_quarantined,
)
from geodata.evaluation.truth import Truth, records_in_scope


@dataclass(frozen=True)
class RunOutputs:
    """A run's outputs, already limited to its execution date (and regions, if any)."""

    conflated: DataFrame
    lineage: DataFrame
    quarantine: DataFrame
    candidate_pairs: DataFrame | None = None
    scored_pairs: DataFrame | None = None


@dataclass
class EvaluationReport:
    """Every figure of one evaluation; `as_dict` for JSON, `render_table` for people."""

    execution_dt: str
    regions: list[str] | None
    records: RecordCounts
    pairwise: PairwiseScores
    bcubed: BCubedScores
    clusters: ClusterCounts
    fields: FieldAccuracy
    geometry: GeometryError
    quarantine: QuarantineScores
    candidate_pairs: CandidatePairStats | None = None
    weight_histogram: list[dict[str, float]] = field(default_factory=list)
    level_errors: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    wrongly_quarantined: dict[str, int] = field(default_factory=dict)
    """Valid records of real addresses that were quarantined, by quarantine reason."""
    per_region: dict[str, RegionFigures] = field(default_factory=dict)
    """The figures of each ISO 3166-2 region's records (`regions.region_figures`)."""
    context: dict[str, object] = field(default_factory=dict)
    """Free-form facts about the run (command, profile, sizes, timings)."""

    def as_dict(self) -> dict[str, object]:
        """Every figure as plain JSON-able values."""
        return {
            "execution_dt": self.execution_dt,
            "regions": self.regions,
            "records": self.records.as_dict(),
            "pairwise": self.pairwise.as_dict(),
            "bcubed": self.bcubed.as_dict(),
            "clusters": self.clusters.as_dict(),
            "fields": self.fields.as_dict(),
            "geometry": self.geometry.as_dict(),
            "quarantine": self.quarantine.as_dict(),
            "candidate_pairs": self.candidate_pairs.as_dict() if self.candidate_pairs else None,
            "weight_histogram": self.weight_histogram,
            "level_errors": self.level_errors,
            "wrongly_quarantined": self.wrongly_quarantined,
            "per_region": {code: f.as_dict() for code, f in self.per_region.items()},
            "context": self.context,
        }

    def headline(self) -> list[tuple[str, str]]:
        """(figure, value) rows of the summary table, in reading order."""
        rows: list[tuple[str, str]] = [
            ("execution_dt", self.execution_dt),
            ("records in scope", f"{self.records.in_scope:,}"),
            ("  in lineage / quarantine / neither", _counts(self.records)),
            ("pairwise precision", f"{self.pairwise.precision:.5f}"),
            ("pairwise recall", f"{self.pairwise.recall:.5f}"),
            ("pairwise F1", f"{self.pairwise.f1:.5f}"),
            ("  predicted / true / correct pairs", _pairs(self.pairwise)),
            ("B-cubed precision", f"{self.bcubed.precision:.5f}"),
            ("B-cubed recall", f"{self.bcubed.recall:.5f}"),
            ("truth addresses", f"{self.clusters.truth_addresses:,}"),
            ("  split over >1 output address", f"{self.clusters.split_truth_addresses:,}"),
            ("output addresses", f"{self.clusters.output_addresses:,}"),
            ("  merging >1 truth address", f"{self.clusters.merged_output_addresses:,}"),
            ("conflated-field accuracy", f"{self.fields.overall:.5f}"),
        ]
        rows += [(f"  {f}", f"{self.fields.accuracy(f):.5f}") for f in self.fields.correct]
        rows += [
            ("  all fields right", f"{self.fields.address_exact:.5f}"),
            ("geometry error median (m)", _metres(self.geometry.median_m)),
            ("geometry error p95 (m)", _metres(self.geometry.p95_m)),
            ("quarantine precision", f"{self.quarantine.precision:.5f}"),
            ("quarantine recall", f"{self.quarantine.recall:.5f}"),
        ]
        rows += [
            (f"  valid records quarantined: {reason}", f"{count:,}")
            for reason, count in self.wrongly_quarantined.items()
        ]
        if self.candidate_pairs is not None:
            stats = self.candidate_pairs
            rows += [
                ("candidate pairs", f"{stats.candidate_pairs:,}"),
                ("  per record (mean)", f"{stats.pairs_per_record:.3f}"),
                (
                    "  per record (p99 / max)",
                    f"{stats.p99_pairs_per_record} / {stats.max_pairs_per_record}",
                ),
                ("  blocking recall", f"{stats.blocking_recall:.5f}"),
            ]
        rows += [(k, str(v)) for k, v in self.context.items() if not isinstance(v, dict | list)]
        return rows

    def region_rows(self) -> list[list[str]]:
        """Header and one row per region: records, pairwise P/R/F1, field accuracy,
        quarantine P/R and the valid records quarantined."""
        rows = [
            [
                "region",
                "records",
                "pair P",
                "pair R",
                "pair F1",
                "fields",
                "quar P",
                "quar R",
                "valid quarantined",
            ]
        ]
        for code, f in self.per_region.items():
            rows.append(
                [
                    code,
                    f"{f.records.in_scope:,}",
                    f"{f.pairwise.precision:.5f}",
                    f"{f.pairwise.recall:.5f}",
                    f"{f.pairwise.f1:.5f}",
                    f"{f.fields.overall:.5f}",
                    f"{f.quarantine.precision:.5f}",
                    f"{f.quarantine.recall:.5f}",
                    f"{sum(f.wrongly_quarantined.values()):,}",
                ]
            )
        return rows

    def render_table(self) -> str:
        """The headline figures as a two-column text table, then the figures per region."""
        rows = self.headline()
        width = max(len(name) for name, _ in rows)
        text = "\n".join(f"{name:<{width}}  {value}" for name, value in rows)
        if not self.per_region:
            return text
        table = self.region_rows()
        widths = [max(len(row[k]) for row in table) for k in range(len(table[0]))]
        lines = ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in table]
        return text + "\n\nper region\n" + "\n".join(line.rstrip() for line in lines)


def _counts(records: RecordCounts) -> str:
    return f"{records.in_lineage:,} / {records.in_quarantine:,} / {records.in_neither:,}"


def _pairs(scores: PairwiseScores) -> str:
    return f"{scores.predicted_pairs:,} / {scores.true_pairs:,} / {scores.correct_pairs:,}"


def _metres(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def evaluate_outputs(
    truth: Truth,
    outputs: RunOutputs,
    execution_dt: date | str,
    *,
    event_sources: list[str] | tuple[str, ...] = (),
    regions: list[str] | None = None,
    level_names: dict[str, list[str]] | None = None,
) -> EvaluationReport:
    """Score a run's outputs against the labelled set.

    Args:
        truth: The labelled set.
        outputs: The run's tables, limited to its date (and regions).
        execution_dt: The run date (decides each source's delivery in scope).
        event_sources: Sources whose records are events (user corrections).
        regions: ISO 3166-2 codes the run was limited to; None for all.
        level_names: Level names per comparison, for the error-by-level table.

    Returns:
        The report (every figure computed in Spark; only aggregates collected).
    """
    in_scope = records_in_scope(truth, execution_dt, event_sources, regions).cache()
    lineage = outputs.lineage.select("source", "source_record_id", "address_id")
    labels = record_labels(lineage, in_scope).cache()
    try:
        assigned = labels.select("address_id", "truth_address_id")
        pairwise = pairwise_scores(lineage, in_scope)
        candidate_stats = None
        histogram: list[dict[str, float]] = []
        errors: dict[str, list[dict[str, object]]] = {}
        if outputs.candidate_pairs is not None:
            records = lineage.select("source", "source_record_id").distinct().count()
            candidate_stats = candidate_pair_stats(
                outputs.candidate_pairs, records, labels, pairwise.true_pairs
            )
        if outputs.scored_pairs is not None:
            histogram = weight_histogram(outputs.scored_pairs, labels)
            errors = level_errors(outputs.scored_pairs, labels, level_names)
        placed = record_regions(in_scope, truth.addresses, outputs.lineage, outputs.quarantine)
        per_region = region_figures(
            placed.cache(),
            labels,
            lineage,
            outputs.quarantine,
            outputs.conflated,
            truth.addresses,
        )
        placed.unpersist()
        return EvaluationReport(
            execution_dt=str(execution_dt),
            regions=regions,
            records=record_counts(in_scope, lineage, outputs.quarantine),
            pairwise=pairwise,
            bcubed=bcubed_scores(assigned),
            clusters=cluster_counts(assigned),
            fields=field_accuracy(assigned, outputs.conflated, truth.addresses),
            geometry=geometry_error(assigned, outputs.conflated, truth.addresses),
            quarantine=quarantine_scores(in_scope, outputs.quarantine),
            candidate_pairs=candidate_stats,
            weight_histogram=histogram,
            level_errors=errors,
            wrongly_quarantined=wrongly_quarantined(in_scope, outputs.quarantine),
            per_region=per_region,
        )
    finally:
        labels.unpersist()
        in_scope.unpersist()


def run_partition(frame: DataFrame, execution_dt: date | str, regions: list[str] | None = None):
    """Rows of an output table for one run date (and regions, when given)."""
    limited = frame.where(F.col("execution_dt") == F.lit(str(execution_dt)).cast("date"))
    return limited.where(F.col("iso_3166_2").isin(regions)) if regions else limited
