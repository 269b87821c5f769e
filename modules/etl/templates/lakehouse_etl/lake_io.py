"""Lake I/O: the lake's zones under one root, listed, read and written through Hadoop's ``FileSystem``.

Every path goes through ``FileSystem`` (via ``spark._jvm``), not through Python
file or S3 clients, so the same code lists, reads and writes ``s3://bucket/...``
on Glue and ``/abs/path/...`` locally, with the credentials Spark already has.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence

from pyspark.sql import SparkSession


@dataclass(frozen=True)
class LakeFile:
    """A file in the lake: its path relative to the lake root, the URI Spark reports, size, mtime.

    ``uri``, ``size`` and ``modified_ms`` are ``""``/-1 in listings made with ``details=False``.
    """

    rel: str
    uri: str
    path: str
    size: int
    modified_ms: int


def fill_system_prefix(layout: Mapping[str, str], placeholder: str, prefix: Optional[str]) -> Dict[str, str]:
    """The layout with its system keys under ``prefix`` (the ``--system_prefix`` argument; none: the bucket's root).

    The constructs grant the job's role exactly these keys, so a prefix the
    templates would read differently is refused before anything is written.
    """
    value = prefix or ""
    if value and (not value.endswith("/") or value.startswith("/") or any(c in value for c in "{}*?$")):
        raise ValueError(f"--{placeholder} {value!r} must be folders ending with '/', such as 'teams/shop/'")
    return {name: template.replace("{" + placeholder + "}", value) for name, template in layout.items()}


class Lake:
    """The lake's zones under one root (``s3://bucket`` or a local directory), via Hadoop FileSystem."""

    def __init__(self, spark: SparkSession, root: str, zones: Mapping[str, str], layout: Mapping[str, str]):
        self.spark = spark
        self._jvm = spark.sparkContext._jvm
        self._conf = spark.sparkContext._jsc.hadoopConfiguration()
        root_path = self._jvm.org.apache.hadoop.fs.Path(root.rstrip("/") or "/")
        self._fs = root_path.getFileSystem(self._conf)
        self.root = self._fs.makeQualified(root_path).toString().rstrip("/")
        self.zones = dict(zones)
        # Path templates owned by modules/config/naming.ts (LAKE_LAYOUT), rendered into the job script.
        self.layout = dict(layout)

    # paths -------------------------------------------------------------------

    def path(self, rel: str) -> str:
        """Absolute (qualified) path of a lake-relative path."""
        return f"{self.root}/{rel.strip('/')}" if rel.strip("/") else self.root

    def raw_dir(self, folder: str) -> str:
        return self.zones["raw"] + folder + "/"

    def curated_dir(self, table: str) -> str:
        return self.zones["curated"] + table + "/"

    def quarantine_dir(self, dataset: str, run_id: str) -> str:
        return self.layout["quarantine_run"].format(dataset=dataset, run_id=run_id)

    def report_path(self, job: str, run_id: str) -> str:
        return self.layout["quality_report"].format(job=job, run_id=run_id)

    def manifest_dir(self, dataset: str) -> str:
        return self.layout["manifests"].format(dataset=dataset)

    def _jpath(self, rel: str):
        return self._jvm.org.apache.hadoop.fs.Path(self.path(rel))

    def relative(self, qualified: str) -> str:
        prefix = self.root + "/"
        return qualified[len(prefix) :] if qualified.startswith(prefix) else qualified

    # listing -----------------------------------------------------------------

    def list_files(
        self, rel_dir: str, recursive: bool, suffixes: Sequence[str] = (), details: bool = True
    ) -> List[LakeFile]:
        """Files under a directory, sorted by path; skips hidden (``.``/``_``) files and folders.

        ``details=False`` skips size, mtime and URI (each a JVM call per file) when only paths matter.
        """
        directory = self._jpath(rel_dir)
        if not self._fs.exists(directory):
            return []
        base = self.relative(self._fs.makeQualified(directory).toString()).rstrip("/")
        found: List[LakeFile] = []
        for status, jpath, path in self._statuses(directory, recursive):
            rel = self.relative(path)
            inner = rel[len(base) + 1 :] if base and rel.startswith(base + "/") else rel
            if any(part.startswith((".", "_")) for part in inner.split("/")):
                continue
            if suffixes and not rel.lower().endswith(tuple(suffixes)):
                continue
            if details:
                uri = jpath.toUri().toString()
                found.append(LakeFile(rel, uri, path, int(status.getLen()), int(status.getModificationTime())))
            else:
                found.append(LakeFile(rel, "", path, -1, -1))
        return sorted(found, key=lambda f: f.rel)

    def _statuses(self, directory, recursive: bool):
        """(FileStatus, Path, path string) of each file under ``directory``.

        Object stores list a whole tree in one flat listing (``listFiles``). The
        local file system's ``listFiles`` looks up block locations file by file,
        which is slow, so there the tree is walked with ``listStatus``, skipping
        hidden folders on the way.
        """
        if self.is_object_store:
            iterator = self._fs.listFiles(directory, recursive)
            while iterator.hasNext():
                status = iterator.next()
                jpath = status.getPath()
                yield status, jpath, jpath.toString()
            return
        pending = [directory]
        while pending:
            for status in self._fs.listStatus(pending.pop()):
                jpath = status.getPath()
                path = jpath.toString()
                if path.rsplit("/", 1)[-1].startswith((".", "_")):
                    continue
                if status.isDirectory():
                    if recursive:
                        pending.append(jpath)
                else:
                    yield status, jpath, path

    # small files -------------------------------------------------------------

    def read_bytes(self, rel: str) -> bytes:
        stream = self._fs.open(self._jpath(rel))
        try:
            return bytes(self._jvm.org.apache.commons.io.IOUtils.toByteArray(stream))
        finally:
            stream.close()

    def read_first_line(self, rel: str, max_bytes: int) -> Optional[bytes]:
        """The first line of a file as Hadoop's LineReader (and so Spark's text source) splits it."""
        stream = self._fs.open(self._jpath(rel))
        try:
            reader = self._jvm.org.apache.hadoop.util.LineReader(stream)
            text = self._jvm.org.apache.hadoop.io.Text()
            consumed = reader.readLine(text, max_bytes, max_bytes + 2)
            return bytes(text.copyBytes()) if consumed > 0 else None
        finally:
            stream.close()

    @property
    def is_object_store(self) -> bool:
        """True on S3 (``s3://``, ``s3a://``): no real folders, rename is copy + delete."""
        return self._fs.getUri().getScheme() != "file"

    def write_bytes(self, rel: str, data: bytes) -> None:
        """Writes a small file whole, so a reader sees the old file or the new one, never a part.

        On S3 one PUT is already atomic: the object is written directly (a
        temporary name would need a copy and a delete, and so ``s3:DeleteObject``
        where the job only ever adds files). On a local folder it is written to a
        hidden temporary name, then renamed into place.
        """
        target = self._jpath(rel)
        if self.is_object_store:
            out = self._fs.create(target, True)
            try:
                out.write(bytearray(data))
            finally:
                out.close()
            return
        temporary = self._jvm.org.apache.hadoop.fs.Path(target.getParent(), f".{target.getName()}.{uuid.uuid4().hex}.tmp")
        out = self._fs.create(temporary, True)
        try:
            out.write(bytearray(data))
        finally:
            out.close()
        if self._fs.exists(target):
            self._fs.delete(target, False)
        if not self._fs.rename(temporary, target):
            raise IOError(f"could not move {temporary.toString()} to {target.toString()}")

    def write_json(self, rel: str, document: Any) -> None:
        self.write_bytes(rel, (json.dumps(document, indent=2, sort_keys=True) + "\n").encode("utf-8"))

    def delete(self, paths: Iterable[str]) -> None:
        """Deletes files given by qualified path (as ``LakeFile.path``)."""
        for p in paths:
            self._fs.delete(self._jvm.org.apache.hadoop.fs.Path(p), False)

    def delete_tree(self, rel: str) -> bool:
        """Deletes a folder and everything under it; False when it did not exist."""
        jpath = self._jpath(rel)
        return bool(self._fs.exists(jpath)) and bool(self._fs.delete(jpath, True))

    def remove_empty_dirs(self, rel_dir: str, stop_at: str) -> None:
        """Removes ``rel_dir`` and its parents up to (not including) ``stop_at`` while they are empty."""
        current = rel_dir.strip("/")
        stop = stop_at.strip("/")
        while current and current != stop and current.startswith(stop):
            jpath = self._jpath(current)
            if self._fs.exists(jpath):
                visible = [
                    s for s in self._fs.listStatus(jpath) if not s.getPath().getName().startswith((".", "_"))
                ]
                if visible:
                    return
                self._fs.delete(jpath, True)
            current = current.rsplit("/", 1)[0] if "/" in current else ""


def spark_paths(files: Sequence[LakeFile]) -> List[str]:
    """Paths for ``spark.read``, glob characters escaped (Spark globs every path it is given)."""
    specials = "\\{}[]*?"
    return ["".join("\\" + c if c in specials else c for c in f.path) for f in files]
