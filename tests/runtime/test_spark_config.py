"""`spark.yml` to Spark properties: paths, the embedded metastore and small runs' driver options."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml
from kedro.io import DataCatalog, MemoryDataset

from geodata import settings
from geodata.datasets import DeliveryDataset
from geodata.hooks import source_files_bytes
from geodata.runtime.sources import read_declared_sources
from geodata.runtime.spark import resolve_spark_config, sizes_small_runs

REPO = Path(__file__).resolve().parents[2]
MB = 2**20
SPARK_YML = {
    "spark.master": "local[*]",
    "spark.driver.extraJavaOptions": "-XX:+UseParallelGC -XX:CompileThresholdScaling=3",
    "geodata.derby.home": "data/hive",
    "geodata.small_run.max_source_mb": 16,
    "geodata.small_run.driver_java_options": "-XX:+UseParallelGC -XX:TieredStopAtLevel=1",
}


def _driver_options(source_bytes: int | None) -> str:
    resolved = resolve_spark_config(dict(SPARK_YML), Path("/project"), source_bytes)
    assert not any(key.startswith("geodata.") for key in resolved)
    return resolved["spark.driver.extraJavaOptions"]


def test_a_run_within_the_small_size_starts_its_driver_with_the_small_run_options():
    options = _driver_options(3 * MB)
    assert options.split() == [
        "-XX:+UseParallelGC",
        "-XX:TieredStopAtLevel=1",
        "-Dderby.system.home=/project/data/hive",
    ]
    assert _driver_options(16 * MB) == options


@pytest.mark.parametrize("source_bytes", [16 * MB + 1, 2_000 * MB, None])
def test_a_larger_run_or_one_of_unknown_size_keeps_the_environments_options(source_bytes):
    assert _driver_options(source_bytes).split() == [
        "-XX:+UseParallelGC",
        "-XX:CompileThresholdScaling=3",
        "-Dderby.system.home=/project/data/hive",
    ]


def test_without_a_small_size_no_run_is_small():
    config = {k: v for k, v in SPARK_YML.items() if k != "geodata.small_run.max_source_mb"}
    assert not sizes_small_runs(config)
    resolved = resolve_spark_config(config, Path("/project"), 1)
    assert "CompileThresholdScaling=3" in resolved["spark.driver.extraJavaOptions"]
    assert "geodata.small_run.driver_java_options" not in resolved


def test_a_small_size_that_is_not_a_number_is_named():
    config = {**SPARK_YML, "geodata.small_run.max_source_mb": "sixteen"}
    with pytest.raises(ValueError, match=r"geodata\.small_run\.max_source_mb.*sixteen"):
        resolve_spark_config(config, Path("/project"), 1)


def _delivery(folder: Path) -> DeliveryDataset:
    return DeliveryDataset(
        filepath=str(folder),
        file_format="csv",
        load_args={"schema": "id STRING", "header": True},
    )


def test_the_sources_size_is_their_delivery_files_and_unknown_for_other_datasets(tmp_path):
    for name, size in (("a/2026-10-01.csv", 1_000), ("a/2026-11-01.csv", 500), ("b/x.csv", 20)):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * size)
    (tmp_path / "a" / "_SUCCESS").write_bytes(b"y" * 7)  # not a delivery file
    catalog = DataCatalog(
        {
            "a.raw": _delivery(tmp_path / "a"),
            "b.raw": _delivery(tmp_path / "b"),
            "c.raw": MemoryDataset(),
        }
    )
    assert source_files_bytes(catalog, ["a", "b"]) == 1_520
    assert source_files_bytes(catalog, ["a", "c"]) is None
    assert source_files_bytes(catalog, ["a", "missing"]) is None


def test_the_demo_region_is_a_small_run_of_the_local_environment():
    loader = settings.CONFIG_LOADER_CLASS(
        conf_source=str(REPO / "conf"), env="local", **settings.CONFIG_LOADER_ARGS
    )
    spark_yml = dict(loader["spark"])
    assert sizes_small_runs(spark_yml)
    demo_bytes = sum(
        path.stat().st_size
        for source in read_declared_sources(loader)
        for path in (REPO / "data" / "01_raw" / source).rglob("*")
        if path.is_file()
    )
    assert demo_bytes > 0
    small = resolve_spark_config(spark_yml, REPO, demo_bytes)["spark.driver.extraJavaOptions"]
    large = resolve_spark_config(spark_yml, REPO, 1_000 * MB)["spark.driver.extraJavaOptions"]
    assert "TieredStopAtLevel=1" in small
    assert "TieredStopAtLevel=1" not in large


def _java_shows(options: str, print_flag: str) -> str:
    """What `java -version` prints to stdout under these options and a `-XX:+Print...` flag."""
    return subprocess.run(
        ["java", *options.split(), print_flag, "-version"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def _jvm_flag(options: str, flag: str) -> int:
    """The value the JVM resolves for a numeric `-XX` flag under these options."""
    shown = _java_shows(options, "-XX:+PrintFlagsFinal")
    for line in shown.splitlines():
        words = line.split()
        if len(words) >= 4 and words[1] == flag:
            return int(words[3])
    raise AssertionError(f"the JVM shows no {flag}")


@pytest.mark.parametrize(
    "key", ["spark.driver.extraJavaOptions", "geodata.small_run.driver_java_options"]
)
def test_the_local_driver_options_leave_room_for_the_code_a_run_compiles(key):
    # With C1 alone the JVM reserves 48 MB for compiled code; the demo region's run fills
    # that, the JVM stops compiling, and a task fails reading a lambda. Both driver option
    # sets must leave the 240 MB the JVM reserves by default with both compilers.
    options = yaml.safe_load((REPO / "conf/local/spark.yml").read_text())[key]
    assert _jvm_flag(options, "ReservedCodeCacheSize") >= 240 * MB


def test_compiler_directives_are_passed_to_the_driver_by_their_path_from_the_project(tmp_path):
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "directives.json").write_text('[{"match": ["a/B.*"], "c2": {}}]')
    config = {**SPARK_YML, "geodata.driver.compiler_directives": "conf/directives.json"}
    options = resolve_spark_config(config, tmp_path, None)["spark.driver.extraJavaOptions"]
    assert options.split() == [
        "-XX:+UseParallelGC",
        "-XX:CompileThresholdScaling=3",
        "-XX:+UnlockDiagnosticVMOptions",
        f"-XX:CompilerDirectivesFile={tmp_path / 'conf' / 'directives.json'}",
        f"-Dderby.system.home={tmp_path / 'data' / 'hive'}",
    ]


@pytest.mark.parametrize("content", [None, '[{"match": "a/B.*"'])
def test_compiler_directives_that_are_missing_or_not_json_are_named(tmp_path, content):
    if content is not None:
        (tmp_path / "directives.json").write_text(content)
    config = {**SPARK_YML, "geodata.driver.compiler_directives": "directives.json"}
    with pytest.raises(ValueError, match=r"geodata\.driver\.compiler_directives.*directives\.json"):
        resolve_spark_config(config, tmp_path, None)


def test_the_local_driver_leaves_the_classes_spark_generates_to_the_quick_compiler():
    # What the JVM itself makes of the local environment's directives: Spark's generated
    # classes excluded from C2 (the optimising compiler), nothing else.
    loader = settings.CONFIG_LOADER_CLASS(
        conf_source=str(REPO / "conf"), env="local", **settings.CONFIG_LOADER_ARGS
    )
    options = resolve_spark_config(dict(loader["spark"]), REPO, None)[
        "spark.driver.extraJavaOptions"
    ]
    shown = _java_shows(options, "-XX:+CompilerDirectivesPrint")
    directives = shown.split("Directive:")[1:]
    assert len(directives) == 2  # the file's one, then the JVM's default for every method
    generated, default = directives
    assert "matching: org/apache/spark/sql/catalyst/expressions/GeneratedClass*.*" in generated
    c1, c2 = generated.split("c1 directives:")[1].split("c2 directives:")
    assert "Exclude:false" in c1
    assert "Exclude:true" in c2
    assert "matching: *.*" in default
    assert "Exclude:true" not in default
