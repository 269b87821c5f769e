-- Customer lifetime value: revenue, orders and activity span per customer who ordered.
SELECT
  c.customer_id,
  c.region,
  count(*) AS orders,
  sum(o.revenue) AS lifetime_revenue,
  -- Rounded half up from exact integer cents, so that Athena (Trino rounds exact decimal
  -- division to the cent) and DuckDB (divides decimals as doubles) agree on half cents.
  CAST(round(CAST(sum(o.revenue) * 100 AS double) / count(*)) / 100 AS decimal(12,2)) AS avg_order_value,
  min(o.order_date) AS first_order_date,
  max(o.order_date) AS last_order_date,
  date_diff('day', min(o.order_date), max(o.order_date)) AS active_days
FROM {{ dataset('orders') }} o
JOIN {{ dataset('customers') }} c ON c.customer_id = o.customer_id
GROUP BY c.customer_id, c.region
ORDER BY lifetime_revenue DESC, c.customer_id;
