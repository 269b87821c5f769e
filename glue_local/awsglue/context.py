"""A ``GlueContext`` that only carries a SparkSession."""

from pyspark.context import SparkContext
from pyspark.sql import SparkSession


class GlueContext:
    """Wraps a SparkContext; ``spark_session`` is what the lakehouse scripts use."""

    def __init__(self, spark_context: SparkContext):
        self._spark_context = spark_context
        self.spark_session = SparkSession.builder.getOrCreate()

    @property
    def spark_context(self) -> SparkContext:
        return self._spark_context
