"""The AWS-faithful side of the Glue tests: a moto server with IAM enforced, the synthesized roles on it, the lake bucket.

``MotoServer`` runs ``scripts/local/aws/moto_iam_server.py`` (moto, signing
like AWS, checking list conditions, with an audit log of every IAM decision).
``Account`` has ``scripts/local/aws/lake-account.ts`` create what
``terraform apply`` would: the lake bucket and each synthesized role with its
trust policy and inline policy exactly as in ``cdk.tf.json``; it takes each
role's temporary credentials the way Glue does when it starts a job, and then
turns IAM enforcement on. ``S3Lake`` is the bucket as an operator sees it (drops raw
files, reads what the jobs wrote).
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional

import boto3
from botocore.config import Config

from lakehelpers import CUSTOMER_HEADER, CUSTOMERS, PRODUCT_HEADER, PRODUCTS

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "glue_local"))
from local_s3 import Credentials, use_aws_endpoint  # noqa: E402

REGION = "eu-west-1"


class MotoServer:
    """``moto_iam_server.py`` on a free loopback port, with an audit log."""

    def __init__(self, workdir: Path):
        workdir.mkdir(parents=True, exist_ok=True)
        self.audit_log = workdir / "iam-audit.jsonl"
        port_file = workdir / "port"
        with open(workdir / "moto.log", "wb") as log:
            self._process = subprocess.Popen(
                [sys.executable, str(REPO / "scripts/local/aws/moto_iam_server.py"), "--audit-log", str(self.audit_log), "--port-file", str(port_file)],
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        deadline = time.monotonic() + 30
        while not (port_file.exists() and port_file.read_text()):
            if self._process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"moto_iam_server did not start: {(workdir / 'moto.log').read_text()[-2000:]}")
            time.sleep(0.1)
        self.endpoint = f"http://127.0.0.1:{port_file.read_text().strip()}"

    def decisions(self) -> List[Dict[str, Any]]:
        """Every IAM decision so far (access key, action, resource, list prefix, allowed)."""
        return [json.loads(line) for line in self.audit_log.read_text().splitlines() if line.strip()]

    def stop(self) -> None:
        self._process.terminate()
        self._process.wait(timeout=10)


def client(service: str, endpoint: str, credentials: Credentials):
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=credentials.access_key_id,
        aws_secret_access_key=credentials.secret_access_key,
        aws_session_token=credentials.session_token,
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
    )


@dataclass(frozen=True)
class Account:
    """An account on the moto server holding a config's synthesized estate, IAM enforced (see ``provision``)."""

    moto: MotoServer
    estate: Mapping[str, Any]
    operator: Credentials
    role_credentials: Mapping[str, Credentials]

    @staticmethod
    def provision(moto: MotoServer, config: Path) -> "Account":
        """Has ``scripts/local/aws/lake-account.ts`` create the bucket and roles, assume them and enforce IAM."""
        account = _tsx_json("scripts/local/aws/lake-account.ts", "--endpoint", moto.endpoint, "--config", str(config))

        def credentials(c: Mapping[str, str]) -> Credentials:
            return Credentials(c["accessKeyId"], c["secretAccessKey"], c.get("sessionToken"))

        roles = {name: credentials(c) for name, c in account["roles"].items()}
        return Account(moto=moto, estate=account["estate"], operator=credentials(account["operator"]), role_credentials=roles)

    @property
    def bucket(self) -> str:
        return self.estate["bucketName"]

    def roles(self) -> Dict[str, Mapping[str, Any]]:
        """Every synthesized role, by the name of what runs under it (job, function, crawler)."""
        return {**self.estate["glueJobs"], **self.estate["functions"], **self.estate["crawlers"]}

    @property
    def system_prefix(self) -> str:
        """The system-key prefix the synthesized jobs run with (``--system_prefix``; every job has the same)."""
        prefixes = {job["defaultArguments"].get("--system_prefix", "") for job in self.estate["glueJobs"].values()}
        assert len(prefixes) == 1, f"the jobs disagree on --system_prefix: {sorted(prefixes)}"
        return prefixes.pop()

    @property
    def metrics_namespace(self) -> Optional[str]:
        """The namespace the synthesized jobs publish their metrics to (``--metrics_namespace``; every job has the same)."""
        namespaces = {job["defaultArguments"].get("--metrics_namespace") for job in self.estate["glueJobs"].values()}
        assert len(namespaces) == 1, f"the jobs disagree on --metrics_namespace: {sorted(map(str, namespaces))}"
        return namespaces.pop()

    def job_name(self, lake_job: str) -> str:
        """The synthesized name of one of the lake's jobs (``batch``, ``batch-2``, ``incremental``, ...)."""
        [name] = [n for n in self.estate["glueJobs"] if n.endswith(f"-{lake_job}")]
        return name

    def alarms(self) -> List[Mapping[str, Any]]:
        """Every synthesized metric alarm: its name, namespace, metric name and dimensions."""
        return self.estate["alarms"]

    def credentials(self, name: str) -> Credentials:
        return self.role_credentials[name]

    def policy(self, name: str) -> Dict[str, Any]:
        [policy] = self.roles()[name]["policies"]
        return policy

    @contextmanager
    def without_statement(self, name: str, sid: str) -> Iterator[None]:
        """The role's inline policy with one statement removed, restored afterwards."""
        policy = self.policy(name)
        reduced = copy.deepcopy(policy["document"])
        kept = [s for s in reduced["Statement"] if s.get("Sid") != sid]
        assert len(kept) == len(reduced["Statement"]) - 1, f"{name} has no statement {sid}"
        reduced["Statement"] = kept
        iam = client("iam", self.moto.endpoint, self.operator)
        role_name = self.roles()[name]["roleName"]
        iam.put_role_policy(RoleName=role_name, PolicyName=policy["name"], PolicyDocument=json.dumps(reduced))
        try:
            yield
        finally:
            iam.put_role_policy(RoleName=role_name, PolicyName=policy["name"], PolicyDocument=json.dumps(policy["document"]))

    def s3(self, name: Optional[str] = None):
        """An S3 client as the operator, or as the named role."""
        return client("s3", self.moto.endpoint, self.role_credentials[name] if name else self.operator)


@contextmanager
def account_on_own_server(workdir: Path, config: Path, spark) -> Iterator[Account]:
    """A config's account on a moto server of its own, reached by the session's S3A.

    One server holds one account, provisioned before IAM is enforced, so a suite with
    an estate of its own needs a server of its own. The session's S3A reaches that
    bucket through a per-bucket endpoint, and the jobs' metrics go to that server too;
    both are pointed back afterwards.
    """
    server = MotoServer(workdir)
    try:
        account = Account.provision(server, config)
        conf = spark.sparkContext._jsc.hadoopConfiguration()
        key = f"fs.s3a.bucket.{account.bucket}.endpoint"
        conf.set(key, server.endpoint)
        spark.sparkContext._jvm.org.apache.hadoop.fs.FileSystem.closeAll()
        metrics_endpoint = os.environ.get("AWS_ENDPOINT_URL_CLOUDWATCH")
        use_aws_endpoint(server.endpoint, REGION)
        try:
            yield account
        finally:
            conf.unset(key)
            if metrics_endpoint:
                use_aws_endpoint(metrics_endpoint, REGION)
    finally:
        server.stop()


class S3Lake:
    """The lake bucket as the operator sees it: drops raw files, reads what the jobs wrote."""

    def __init__(self, account: Account):
        self.account = account
        self.bucket = account.bucket
        self.root = f"s3://{self.bucket}"
        self._s3 = account.s3()
        self.iceberg_catalog_file: Optional[str] = None
        """A local file for the lake's Iceberg catalog (on AWS, the Glue catalog); set it to run Iceberg jobs."""
        self.system_prefix = account.system_prefix
        """Where the jobs keep their system keys: the synthesized jobs' ``--system_prefix`` (the root when absent)."""
        self.metrics_namespace = account.metrics_namespace
        """Where the jobs publish their metrics: the synthesized jobs' ``--metrics_namespace``."""
        self.job_name = account.job_name

    def write(self, rel: str, content: bytes | str) -> None:
        body = content.encode("utf-8") if isinstance(content, str) else content
        self._s3.put_object(Bucket=self.bucket, Key=rel, Body=body)

    def write_csv(self, dataset: str, name: str, header: str, lines: Iterable[str]) -> None:
        self.write(f"raw/{dataset}/{name}", "\n".join([header, *lines]) + "\n")

    def write_feed(self, name: str, lines: Iterable[str], folder: str = "orders_incremental") -> None:
        self.write(f"raw/{folder}/{name}", "\n".join(lines) + "\n")

    def seed_dimensions(self) -> None:
        self.write_csv("customers", "customers.csv", CUSTOMER_HEADER, CUSTOMERS)
        self.write_csv("products", "products.csv", PRODUCT_HEADER, PRODUCTS)

    def keys(self, prefix: str = "") -> List[str]:
        found: List[str] = []
        for page in self._s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
            found += [o["Key"] for o in page.get("Contents", [])]
        return sorted(found)

    def read(self, rel: str) -> bytes:
        return self._s3.get_object(Bucket=self.bucket, Key=rel)["Body"].read()

    def exists(self, rel: str) -> bool:
        return rel in self.keys(rel)

    def report(self, job: str, run_id: str) -> Dict[str, Any]:
        return json.loads(self.read(f"{self.system_prefix}quality_reports/{job}/{run_id}.json"))

    def curated_files(self, table: str) -> Dict[str, str]:
        """Visible data files of a curated table: path relative to the table -> sha256."""
        base = f"curated/{table}/"
        found: Dict[str, str] = {}
        for key in self.keys(base):
            rel = key[len(base) :]
            if rel and not rel.endswith("/") and not any(p.startswith((".", "_")) for p in rel.split("/")):
                found[rel] = hashlib.sha256(self.read(key)).hexdigest()
        return found

    def quarantine(self, dataset: str, run_id: str) -> List[Dict[str, Any]]:
        rows: List[Dict[str, Any]] = []
        for key in self.keys(f"quarantine/{dataset}/run_id={run_id}/"):
            if key.endswith(".json"):
                rows += [json.loads(line) for line in self.read(key).decode().splitlines() if line.strip()]
        return rows


def _tsx_json(script: str, *args: str) -> Dict[str, Any]:
    """Runs one of the project's TypeScript tools and parses the JSON it prints."""
    result = subprocess.run(
        ["npx", "--no-install", "tsx", script, *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "CHECKPOINT_DISABLE": "1"},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
