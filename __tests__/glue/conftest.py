"""Shared fixtures: one local SparkSession per run, and job scripts rendered from fixture configs.

The session also reaches ``s3://`` through S3A on the session's moto server
(``awslake.py``), with the settings ``glue_local/local_s3.py`` owns. So every
run of the suite starts that server and needs hadoop-aws (fetched into
``~/.ivy2`` on the first run), though the folder tests never call it.

Scripts are rendered by the real renderer (``npx tsx scripts/render-glue.ts``)
into temporary folders, once per fixture config per session, and imported as
modules so tests call ``run(spark, lake_root, run_id, job_name, now)`` on the
shared session. The library is imported as Glue imports it: from the rendered
``lakehouse_etl.zip`` on ``sys.path`` (zipimport), never from the templates.
``test_entry_script.py`` also runs one as a subprocess.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Dict, Optional

import pytest

os.environ["TZ"] = "UTC"
time.tzset()

from lakehelpers import DATABASE, NOW, Lake, assert_accounted  # noqa: E402
from awslake import REGION, MotoServer  # noqa: E402
from local_s3 import spark_conf, use_aws_endpoint  # noqa: E402  (glue_local/ is on sys.path through awslake)
import iceberg_local  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
LIBRARY_ZIP = "lakehouse_etl.zip"
"""The library as the renderer ships it (``GLUE_LIBRARY_ZIP`` in ``modules/etl/render.ts``)."""


@pytest.fixture(scope="session")
def moto(tmp_path_factory):
    """One moto server for the run (IAM enforced once a test's account is created)."""
    server = MotoServer(tmp_path_factory.mktemp("moto"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def spark(moto):
    from pyspark.sql import SparkSession

    builder = SparkSession.builder
    # The jobs' metrics go to the same moto server, as their S3 calls do.
    use_aws_endpoint(moto.endpoint, REGION)
    # Iceberg too: the suite runs Iceberg tables (test_iceberg.py, test_s3_iam_iceberg.py).
    settings = iceberg_local.merge_packages(spark_conf(moto.endpoint, REGION), iceberg_local.spark_conf())
    for key, value in settings.items():
        builder = builder.config(key, value)
    session = (
        builder.master("local[2]")
        .appName("lakehouse-glue-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", "2g")
        # C1 only: short runs of many small plans spend most of their time in the JIT otherwise
        .config("spark.driver.extraJavaOptions", "-Duser.timezone=UTC -XX:TieredStopAtLevel=1")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def render_scripts(config: str, out: Path) -> Path:
    """Renders a fixture config's scripts with the project's CLI."""
    result = subprocess.run(
        ["npx", "--no-install", "tsx", "scripts/render-glue.ts", "--config", str(FIXTURES / config), "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return out


@dataclass
class Jobs:
    """The rendered jobs of one fixture config, imported as modules; ``etl`` is the library, from the zip."""

    config: str
    scripts: Path
    batch: ModuleType
    incremental: ModuleType
    etl: ModuleType

    def run(self, job: str, spark, lake: Lake, run_id: str, now: str = NOW, lake_job: Optional[str] = None) -> Dict[str, Any]:
        """Runs a job in-process and checks the report's counts add up (every run, every test).

        ``lake_job`` picks one of the kind's jobs (``batch-2``, ...) in a config with more than
        ``glue.datasetsPerJob`` datasets; the kind's first by default.
        """
        module = self.batch if job == "batch" else self.incremental
        catalog_file = getattr(lake, "iceberg_catalog_file", None)  # an s3:// lake's (S3Lake); a folder keeps its own
        if catalog_file or "://" not in str(lake.root):
            iceberg_local.use_lake_catalog(spark, str(lake.root), catalog_file)
        # The lake's system prefix, as the synthesized job passes it (--system_prefix).
        # On s3://, the synthesized job's name and --metrics_namespace: its metrics are those the alarms read.
        job_name = lake.job_name(lake_job or job) if hasattr(lake, "job_name") else f"test-{lake_job or job}"
        namespace = getattr(lake, "metrics_namespace", None)
        report = module.run(spark, str(lake.root), run_id, job_name, now, DATABASE, lake_job, lake.system_prefix or None, namespace)
        assert report == lake.report(lake_job or job, run_id)
        assert_accounted(report)
        return report


@pytest.fixture(scope="session")
def rendered(tmp_path_factory) -> Callable[[str], Path]:
    cache: Dict[str, Path] = {}

    def render(config: str) -> Path:
        if config not in cache:
            cache[config] = render_scripts(config, tmp_path_factory.mktemp(config.split(".")[0] + "-scripts"))
        return cache[config]

    return render


@pytest.fixture(scope="session")
def load_jobs(rendered) -> Callable[[str], Jobs]:
    loaded: Dict[str, Jobs] = {}

    def load(config: str) -> Jobs:
        if config not in loaded:
            scripts = rendered(config)
            library = str(scripts / LIBRARY_ZIP)
            sys.path.insert(0, library)
            try:
                import lakehouse_etl  # from the first rendered zip; the library is identical for every config

                stem = config.split(".")[0]
                loaded[config] = Jobs(
                    config=config,
                    scripts=scripts,
                    batch=_import(scripts / "batch_job.py", f"batch_job_{stem}"),
                    incremental=_import(scripts / "incremental_job.py", f"incremental_job_{stem}"),
                    etl=lakehouse_etl,
                )
            finally:
                sys.path.remove(library)
        return loaded[config]

    return load


def _import(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def shop(load_jobs) -> Jobs:
    """The jobs rendered from fixtures/shop.config.ts (the default datasets)."""
    return load_jobs("shop.config.ts")


def copy_lake(source: Lake, target: Path) -> Lake:
    """A copy of a lake folder, file times preserved."""
    shutil.copytree(source.root, target, copy_function=shutil.copy2)
    return Lake(target)
