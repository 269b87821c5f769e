-- Region performance: customers, orders, revenue and average order value per customer region.
SELECT
  c.region,
  count(DISTINCT o.customer_id) AS customers,
  count(*) AS orders,
  sum(o.revenue) AS revenue,
  -- Both rounded half up from exact integer cents (as in customer_ltv.sql), so that Athena
  -- (Trino) and DuckDB, which divide decimals differently, agree on half cents.
  CAST(round(CAST(sum(o.revenue) * 100 AS double) / count(*)) / 100 AS decimal(12,2)) AS avg_order_value,
  CAST(round(10000 * CAST(sum(o.revenue) * 100 AS double) / CAST(sum(sum(o.revenue)) OVER () * 100 AS double)) / 100 AS decimal(5,2)) AS revenue_share_pct
FROM {{ dataset('orders') }} o
JOIN {{ dataset('customers') }} c ON c.customer_id = o.customer_id
GROUP BY c.region
ORDER BY revenue DESC, c.region;
