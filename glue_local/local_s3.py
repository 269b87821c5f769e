"""How local Spark reaches ``s3://`` the way a Glue job does: through Hadoop's S3A, against an S3 endpoint.

Glue's runtime reads and writes ``s3://`` out of the box. pip's pyspark has
no S3 file system, so locally hadoop-aws (at the Hadoop version pyspark
bundles) comes from Maven Central through Spark's own resolver, cached in
``~/.ivy2``, and ``fs.s3.impl`` maps the ``s3://`` scheme to S3A, so the job
scripts use the same URIs as on Glue. The endpoint is a loopback S3 API
(a moto server; see ``scripts/local/aws/``), path-style, without TLS.

This module is the one owner of those settings: the pytest suite builds its
session from :func:`spark_conf`, and ``run_glue_job.py`` passes the same to a
job's own session. Credentials are a role's temporary ones: from the standard
``AWS_*`` environment variables in a job process (as Glue hands a job its
role's credentials), or set on a running session with :func:`use_credentials`.
"""

from __future__ import annotations

import glob
import os
import re
from dataclasses import dataclass
from typing import Dict, Optional

S3A = "org.apache.hadoop.fs.s3a.S3AFileSystem"


@dataclass(frozen=True)
class Credentials:
    """A role's temporary credentials (STS AssumeRole), or a user's keys without a token."""

    access_key_id: str
    secret_access_key: str
    session_token: Optional[str] = None


def bundled_hadoop_version() -> str:
    """The Hadoop version inside the installed pyspark (hadoop-aws must match it exactly)."""
    import pyspark

    jars = glob.glob(os.path.join(os.path.dirname(pyspark.__file__), "jars", "hadoop-client-api-*.jar"))
    versions = [m.group(1) for j in jars if (m := re.search(r"hadoop-client-api-(\d+\.\d+\.\d+)\.jar$", j))]
    if len(versions) != 1:
        raise RuntimeError(f"cannot tell the Hadoop version of this pyspark (found {jars})")
    return versions[0]


def hadoop_aws_package() -> str:
    """Maven coordinates of the S3A file system for this pyspark."""
    return f"org.apache.hadoop:hadoop-aws:{bundled_hadoop_version()}"


def s3a_settings(endpoint: str, region: str) -> Dict[str, str]:
    """Hadoop settings (without the ``spark.hadoop.`` prefix) for ``s3://`` on a loopback S3 endpoint."""
    return {
        "fs.s3.impl": S3A,
        "fs.s3a.endpoint": endpoint,
        "fs.s3a.endpoint.region": region,
        "fs.s3a.path.style.access": "true",
        "fs.s3a.connection.ssl.enabled": "false",
        # moto authorizes a multi-object delete against the bucket ARN alone; AWS checks every
        # key. One DeleteObject per key makes the local check as strict as AWS's.
        "fs.s3a.multiobjectdelete.enable": "false",
        # Keep folder markers instead of deleting the parents' markers after every write: those
        # deletes reach above the prefixes a role owns. Glue's own S3 file system does not make them.
        "fs.s3a.directory.marker.retention": "keep",
        # Fail at the first answer: a denied call is not worth S3A's default of retrying for minutes.
        "fs.s3a.attempts.maximum": "2",
        "fs.s3a.retry.limit": "2",
        "fs.s3a.connection.establish.timeout": "5000",
        "fs.s3a.connection.timeout": "20000",
    }


def credential_settings(credentials: Optional[Credentials]) -> Dict[str, str]:
    """Hadoop settings for credentials: the given ones, or ``None`` for the ``AWS_*`` environment variables."""
    if credentials is None:
        return {"fs.s3a.aws.credentials.provider": "com.amazonaws.auth.EnvironmentVariableCredentialsProvider"}
    settings = {
        "fs.s3a.access.key": credentials.access_key_id,
        "fs.s3a.secret.key": credentials.secret_access_key,
    }
    if credentials.session_token:
        settings["fs.s3a.session.token"] = credentials.session_token
        settings["fs.s3a.aws.credentials.provider"] = "org.apache.hadoop.fs.s3a.TemporaryAWSCredentialsProvider"
    else:
        settings["fs.s3a.aws.credentials.provider"] = "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider"
    return settings


def spark_conf(endpoint: str, region: str, credentials: Optional[Credentials] = None) -> Dict[str, str]:
    """Spark settings for a session that reads and writes ``s3://`` on ``endpoint``."""
    hadoop = {**s3a_settings(endpoint, region), **credential_settings(credentials)}
    return {"spark.jars.packages": hadoop_aws_package(), **{f"spark.hadoop.{k}": v for k, v in hadoop.items()}}


def use_aws_endpoint(endpoint: str, region: str) -> None:
    """Points the jobs' AWS SDK calls other than S3 (boto3's CloudWatch client, for the run's metrics) at ``endpoint``.

    Through the SDK's standard per-service variable, so the job code is the one
    that runs on Glue, where the variable is unset and CloudWatch is the real one.
    """
    os.environ["AWS_ENDPOINT_URL_CLOUDWATCH"] = endpoint
    os.environ["AWS_REGION"] = region


def use_credentials(spark, credentials: Credentials) -> None:
    """Makes a running session act as another principal from its next S3 or SDK call on.

    Hadoop caches one file system per bucket; closing the cache makes the next
    call build a new one with these credentials. boto3 (the run's metrics)
    reads them from the ``AWS_*`` variables, as on Glue it reads the role's.
    """
    os.environ["AWS_ACCESS_KEY_ID"] = credentials.access_key_id
    os.environ["AWS_SECRET_ACCESS_KEY"] = credentials.secret_access_key
    if credentials.session_token:
        os.environ["AWS_SESSION_TOKEN"] = credentials.session_token
    else:
        os.environ.pop("AWS_SESSION_TOKEN", None)
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    for key in ("fs.s3a.session.token",):
        conf.unset(key)
    for key, value in credential_settings(credentials).items():
        conf.set(key, value)
    spark.sparkContext._jvm.org.apache.hadoop.fs.FileSystem.closeAll()
