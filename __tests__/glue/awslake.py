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
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional

import boto3
from botocore.config import Config

from lakehelpers import CUSTOMER_HEADER, CUSTOMERS, PRODUCT_HEADER, PRODUCTS

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "glue_local"))
from local_s3 import Credentials  # noqa: E402

REGION = "eu-west-1"
OPERATOR = Credentials("testing", "testing")
"""moto's unauthenticated phase accepts any keys; the operator's own keys come from ``Account.create``."""


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

    def post(self, path: str, body: str = "") -> None:
        request = urllib.request.Request(f"{self.endpoint}{path}", data=body.encode(), method="POST", headers={"Content-Type": "text/plain"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200, response.read()

    def enforce_iam(self) -> None:
        """From now on every call is authenticated and authorized."""
        self.post("/moto-api/reset-auth", "0")

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


@dataclass
class Account:
    """An account on the moto server holding a config's synthesized estate, IAM enforced once created."""

    moto: MotoServer
    config: Path
    estate: Mapping[str, Any] = field(default_factory=dict)
    operator: Credentials = OPERATOR
    role_credentials: Dict[str, Credentials] = field(default_factory=dict)

    @property
    def bucket(self) -> str:
        return self.estate["bucketName"]

    def roles(self) -> Dict[str, Mapping[str, Any]]:
        """Every synthesized role, by the name of what runs under it (job, function, crawler)."""
        return {**self.estate["glueJobs"], **self.estate["functions"], **self.estate["crawlers"]}

    def create(self) -> "Account":
        """Provisions the account with ``scripts/local/aws/lake-account.ts`` (bucket, roles, assumed credentials, IAM enforced)."""
        account = _tsx_json("scripts/local/aws/lake-account.ts", "--endpoint", self.moto.endpoint, "--config", str(self.config))
        self.estate = account["estate"]
        as_credentials = lambda c: Credentials(c["accessKeyId"], c["secretAccessKey"], c.get("sessionToken"))  # noqa: E731
        self.operator = as_credentials(account["operator"])
        self.role_credentials = {name: as_credentials(c) for name, c in account["roles"].items()}
        return self

    def credentials(self, name: str) -> Credentials:
        return self.role_credentials[name]

    def who(self, access_key: str) -> Optional[str]:
        """Which role (by what runs under it) an access key belongs to."""
        return next((n for n, c in self.role_credentials.items() if c.access_key_id == access_key), None)

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


class S3Lake:
    """The lake bucket as the operator sees it: drops raw files, reads what the jobs wrote."""

    def __init__(self, account: Account):
        self.account = account
        self.bucket = account.bucket
        self.root = f"s3://{self.bucket}"
        self._s3 = account.s3()

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
        return json.loads(self.read(f"quality_reports/{job}/{run_id}.json"))

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
