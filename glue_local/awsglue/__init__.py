"""A local stand-in for the parts of ``awsglue`` the lakehouse job scripts use.

It exists only on the local PYTHONPATH (``scripts/local/glue-runner.ts`` puts
``glue_local/`` first); on Glue the real package is used. It builds nothing
Glue-specific: ``GlueContext`` wraps a plain SparkSession, ``Job`` keeps the
name and arguments, ``getResolvedOptions`` parses arguments the way Glue's
does (every listed option required; ``JOB_ID``, ``JOB_RUN_ID`` and
``SECURITY_CONFIGURATION`` reserved and optional).
"""
