"""``getResolvedOptions`` as Glue's ``awsglue.utils`` defines it, for local runs."""

import argparse
from typing import Dict, List, Optional, Sequence

RESERVED_OPTIONS = ("JOB_ID", "JOB_RUN_ID", "SECURITY_CONFIGURATION")
"""Arguments Glue passes to every run; naming them in ``options`` is an error, as on Glue."""


class GlueArgumentError(Exception):
    """A required argument is missing or malformed."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # raise instead of exiting, like Glue's parser
        raise GlueArgumentError(message)


def getResolvedOptions(args: Sequence[str], options: List[str]) -> Dict[str, Optional[str]]:  # noqa: N802 (Glue's name)
    """Parses ``--name value`` arguments; every name in ``options`` is required.

    ``args`` is ``sys.argv`` (its first element, the script, is skipped).
    Unknown arguments are ignored. The reserved ids are always present in the
    result, ``None`` when not given. Options that may be absent must be read
    another way (the job scripts read ``--now`` with ``lakehouse_etl.optional_arg``).
    """
    for name in options:
        if name in RESERVED_OPTIONS:
            raise RuntimeError(f"Using reserved arguments --{name}")
    parser = _Parser(allow_abbrev=False, add_help=False)
    for name in RESERVED_OPTIONS:
        parser.add_argument(f"--{name}", required=False)
    for name in options:
        parser.add_argument(f"--{name}", required=True)
    parsed, _unknown = parser.parse_known_args(list(args[1:]))
    return vars(parsed)
