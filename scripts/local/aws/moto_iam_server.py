"""A moto server on loopback that checks signatures and IAM the way AWS does, and says what it decided.

    python moto_iam_server.py --port 0 [--audit-log FILE] [--port-file FILE]

Four differences from a plain ``moto_server``, all towards AWS or towards saying what AWS would:

- **Signatures over every signed header.** moto recomputes SigV4 with
  botocore's signer, which leaves ``User-Agent`` out of the canonical request.
  The AWS Java SDK v1 (under Hadoop's S3A, the way local Spark reaches
  ``s3://``) signs ``User-Agent``, so plain moto rejects every S3A request with
  SignatureDoesNotMatch. AWS checks exactly the headers a request says it
  signed; so does this server.
- **Conditions that scope an action.** moto ignores ``Condition`` blocks. For
  ``s3:ListBucket`` this server also evaluates the ``s3:prefix`` condition
  (``StringLike``/``StringEquals``) of the caller's policies, as AWS does, so
  a role scoped to ``raw/orders/`` cannot list ``raw/`` here either; and for
  ``cloudwatch:PutMetricData`` the ``cloudwatch:namespace`` condition, so a
  job may publish only to its own environment's namespace.
- **IAM's action names.** moto names an action by the service's SigV4
  signing name, which for CloudWatch is ``monitoring``; IAM policies say
  ``cloudwatch:PutMetricData``, and so does this server.
- **An audit log.** AWS's AccessDenied for S3 names the action; moto's says
  only "Access Denied". With ``--audit-log``, every authorization decision made
  while IAM is enforced is appended as one JSON line: the caller's access key,
  the action, the resource, the ``prefix`` of a list request, and whether it was
  allowed. Tests read it to name the denied action and to see which prefixes
  each role lists.

IAM enforcement starts when someone posts to ``/moto-api/reset-auth`` (the
body is the number of calls still let through unauthenticated, usually 0).
When the server is listening it writes its port to ``--port-file`` (or prints it).
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import socket
import sys
import threading
import time
from pathlib import Path
from typing import Any, Dict, List, Optional
from urllib.parse import parse_qs, urlparse


def sign_user_agent_like_aws() -> None:
    """Lets moto's signature check include ``User-Agent`` when the caller signed it."""
    import botocore.auth

    botocore.auth.SIGNED_HEADERS_BLACKLIST = [h for h in botocore.auth.SIGNED_HEADERS_BLACKLIST if h != "user-agent"]


def _statements(policy: Any) -> List[Dict[str, Any]]:
    """Statements of a policy in any form moto's ``collect_policies`` returns (read as moto reads them)."""
    from moto.iam.access_control import IAMPolicy

    found = IAMPolicy(policy)._policy_json.get("Statement", [])
    return found if isinstance(found, list) else [found]


def _as_list(value: Any) -> List[str]:
    return value if isinstance(value, list) else [value]


def _condition_holds(condition: Optional[Dict[str, Dict[str, Any]]], context: Dict[str, str]) -> bool:
    """IAM's ``StringLike``/``StringEquals`` on the keys in ``context``; any other condition is refused loudly."""
    for operator, tests in (condition or {}).items():
        for key, wanted in tests.items():
            if key not in context or operator not in ("StringLike", "StringEquals"):
                raise NotImplementedError(f"the local IAM check cannot evaluate {operator} on {key}")
            value = context[key]
            if operator == "StringEquals" and value not in _as_list(wanted):
                return False
            if operator == "StringLike" and not any(fnmatch.fnmatchcase(value, p.replace("[", "[[]")) for p in _as_list(wanted)):
                return False
    return True


def list_prefix_allowed(policies: List[Any], resource: str, prefix: str) -> bool:
    """Whether an Allow for ``s3:ListBucket`` on ``resource`` holds for ``prefix``, its ``s3:prefix`` condition included.

    moto decides on actions and resources alone; AWS also requires the
    statement's condition to hold for the request's ``prefix`` (``""`` when none).
    """
    for statement in (s for p in policies for s in _statements(p)):
        actions = [a.lower() for a in _as_list(statement.get("Action", []))]
        if statement.get("Effect") != "Allow" or not any(fnmatch.fnmatchcase("s3:listbucket", a) for a in actions):
            continue
        if not any(fnmatch.fnmatchcase(resource, r) for r in _as_list(statement.get("Resource", []))):
            continue
        if _condition_holds(statement.get("Condition"), {"s3:prefix": prefix}):
            return True
    return False


def metric_namespace_allowed(policies: List[Any], namespace: str) -> bool:
    """Whether an Allow for ``cloudwatch:PutMetricData`` holds for ``namespace``, its ``cloudwatch:namespace`` condition included.

    PutMetricData has no resources: AWS scopes it by that condition alone, which moto ignores.
    """
    for statement in (s for p in policies for s in _statements(p)):
        actions = [a.lower() for a in _as_list(statement.get("Action", []))]
        if statement.get("Effect") != "Allow" or not any(fnmatch.fnmatchcase("cloudwatch:putmetricdata", a) for a in actions):
            continue
        if _condition_holds(statement.get("Condition"), {"cloudwatch:namespace": namespace}):
            return True
    return False


def _request_namespace(request: Any) -> str:
    """The ``Namespace`` of a CloudWatch request, in the JSON or the query protocol."""
    body = request._body.decode("utf-8") if isinstance(request._body, bytes) else (request._body or "")
    try:
        return str(json.loads(body).get("Namespace", ""))
    except (ValueError, AttributeError):
        return parse_qs(body).get("Namespace", [""])[0]


IAM_PREFIX_OF_SIGNING_NAME = {"monitoring": "cloudwatch"}
"""Services whose SigV4 signing name is not their IAM action prefix (moto takes the action's prefix from the signature)."""


def record_decisions(audit_log: Path) -> None:
    """Appends each IAM decision to ``audit_log`` (one JSON object a line)."""
    from moto.iam import access_control

    lock = threading.Lock()
    checked = access_control.IAMRequestBase.check_action_permitted

    def write(entry: dict[str, Any]) -> None:
        with lock, audit_log.open("a", encoding="utf-8") as out:
            out.write(json.dumps(entry, sort_keys=True) + "\n")

    def check_action_permitted(self: Any, resource: str) -> None:
        service, _, name = self._action.partition(":")
        # moto names the action by the signing name; IAM by the service prefix (CloudWatch signs as "monitoring").
        self._action = f"{IAM_PREFIX_OF_SIGNING_NAME.get(service, service)}:{name}"
        query = parse_qs(urlparse(self._path).query)
        entry = {
            "access_key": getattr(getattr(self, "_access_key", None), "_access_key_id", None),
            "action": self._action,
            "resource": resource,
            "method": self._method,
            "prefix": query["prefix"][0] if "prefix" in query else None,
        }
        try:
            checked(self, resource)
            if self._action == "s3:ListBucket" and not list_prefix_allowed(
                self._access_key.collect_policies(), resource, entry["prefix"] or ""
            ):
                self._raise_access_denied()
            if self._action == "cloudwatch:PutMetricData":
                entry["namespace"] = _request_namespace(self)
                if not metric_namespace_allowed(self._access_key.collect_policies(), entry["namespace"]):
                    self._raise_access_denied()
        except Exception:
            write({**entry, "allowed": False})
            raise
        write({**entry, "allowed": True})

    access_control.IAMRequestBase.check_action_permitted = check_action_permitted


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_listening(port: int, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: a free one)")
    parser.add_argument("--audit-log", type=Path, help="append every IAM decision here as JSON lines")
    parser.add_argument("--port-file", type=Path, help="write the port here once listening")
    args = parser.parse_args(argv)

    sign_user_agent_like_aws()
    if args.audit_log:
        args.audit_log.parent.mkdir(parents=True, exist_ok=True)
        args.audit_log.touch()
        record_decisions(args.audit_log)

    from moto.server import ThreadedMotoServer

    port = args.port or free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    wait_until_listening(port)
    if args.port_file:
        args.port_file.write_text(str(port))
    else:
        print(port, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
