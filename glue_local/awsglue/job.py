"""A ``Job`` with Glue's interface and no bookmarks: ``init`` records, ``commit`` does nothing."""

from typing import Mapping, Optional


class Job:
    def __init__(self, glue_context):
        self._glue_context = glue_context
        self.name: Optional[str] = None
        self.args: Mapping[str, Optional[str]] = {}
        self.committed = False

    def init(self, job_name: str, args: Optional[Mapping[str, Optional[str]]] = None) -> None:
        self.name = job_name
        self.args = dict(args or {})

    def isInitialized(self) -> bool:  # noqa: N802 (Glue's name)
        return self.name is not None

    def commit(self) -> None:
        if self.name is None:
            raise RuntimeError("Job.commit() called before Job.init()")
        self.committed = True
