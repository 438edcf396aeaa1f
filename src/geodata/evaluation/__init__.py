"""Evaluation of conflation output against a labelled set (see docs/quality.md)."""

from geodata.evaluation.clusters import BCubedScores, ClusterCounts, bcubed_scores, cluster_counts
from geodata.evaluation.fields import (
    FieldAccuracy,
    GeometryError,
    field_accuracy,
    geometry_error,
    haversine_m,
    majority_truth,
)
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
from geodata.evaluation.report import (
    EvaluationReport,
    RunOutputs,
    evaluate_outputs,
    run_partition,
)
from geodata.evaluation.truth import (
    Truth,
    latest_delivery_date,
    prepare_truth,
    read_truth,
    records_in_scope,
)

__all__ = [
    "BCubedScores",
    "CandidatePairStats",
    "ClusterCounts",
    "EvaluationReport",
    "FieldAccuracy",
    "GeometryError",
    "PairwiseScores",
    "QuarantineScores",
    "RecordCounts",
    "RegionFigures",
    "RunOutputs",
    "Truth",
    "bcubed_scores",
    "candidate_pair_stats",
    "cluster_counts",
    "evaluate_outputs",
    "field_accuracy",
    "geometry_error",
    "haversine_m",
    "latest_delivery_date",
    "level_errors",
    "majority_truth",
    "pairwise_scores",
    "prepare_truth",
    "quarantine_scores",
    "read_truth",
    "record_counts",
    "record_labels",
    "record_regions",
    "records_in_scope",
    "region_figures",
    "run_partition",
    "weight_histogram",
    "wrongly_quarantined",
]
