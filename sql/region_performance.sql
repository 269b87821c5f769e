-- Region performance: customers, orders, revenue and average order value per customer region.
SELECT
  c.region,
  count(DISTINCT o.customer_id) AS customers,
  count(*) AS orders,
  sum(o.revenue) AS revenue,
  CAST(sum(o.revenue) / count(*) AS decimal(12,2)) AS avg_order_value,
  CAST(100 * sum(o.revenue) / sum(sum(o.revenue)) OVER () AS decimal(5,2)) AS revenue_share_pct
FROM orders o
JOIN dim_customers c ON c.customer_id = o.customer_id
GROUP BY c.region
ORDER BY revenue DESC, c.region;
