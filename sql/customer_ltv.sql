-- Customer lifetime value: revenue, orders and activity span per customer who ordered.
SELECT
  c.customer_id,
  c.region,
  count(*) AS orders,
  sum(o.revenue) AS lifetime_revenue,
  CAST(sum(o.revenue) / count(*) AS decimal(12,2)) AS avg_order_value,
  min(o.order_date) AS first_order_date,
  max(o.order_date) AS last_order_date,
  date_diff('day', min(o.order_date), max(o.order_date)) AS active_days
FROM orders o
JOIN dim_customers c ON c.customer_id = o.customer_id
GROUP BY c.customer_id, c.region
ORDER BY lifetime_revenue DESC, c.customer_id;
