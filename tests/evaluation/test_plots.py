"""Evaluation plots are written from the report's JSON form."""

from __future__ import annotations

from geodata.evaluation.plots import save_plots

FIGURES = {
    "weight_histogram": [
        {"bin_from": -10.0, "match": 0, "non_match": 40},
        {"bin_from": 9.0, "match": 25, "non_match": 1},
    ],
    "level_errors": {
        "street": [
            {"level": "0", "name": "exact", "false_positive": 1, "false_negative": 0},
            {"level": "1", "name": "different", "false_positive": 0, "false_negative": 2},
        ]
    },
    "geometry": {"percentiles_m": [0.0, 1.5, 3.0, 40.0]},
}

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_save_plots_writes_png_files(workdir):
    paths = save_plots(FIGURES, workdir / "img", prefix="t")
    assert [p.name for p in paths] == ["t_scores_geometry.png", "t_level_errors.png"]
    for path in paths:
        assert path.read_bytes()[:8] == PNG_SIGNATURE
        assert path.stat().st_size > 5_000
