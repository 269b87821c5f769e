-- Daily revenue: orders, units sold and revenue per UTC calendar day.
-- Portable between Athena (Trino) and DuckDB; table names are resolved in the
-- lake's database (Athena: the named query's database; locally: DuckDB's search path).
SELECT
  order_date,
  count(*) AS orders,
  sum(quantity) AS units,
  sum(revenue) AS revenue
FROM {{ dataset('orders') }}
GROUP BY order_date
ORDER BY order_date;
