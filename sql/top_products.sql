-- Top products: the ten products with the most revenue, with their category and share of all revenue.
WITH product_revenue AS (
  SELECT
    product_id,
    count(*) AS orders,
    sum(quantity) AS units,
    sum(revenue) AS revenue
  FROM orders
  GROUP BY product_id
)
SELECT
  p.product_id,
  p.name,
  p.category,
  r.orders,
  r.units,
  r.revenue,
  CAST(100 * r.revenue / sum(r.revenue) OVER () AS decimal(5,2)) AS revenue_share_pct
FROM product_revenue r
JOIN dim_products p ON p.product_id = r.product_id
ORDER BY r.revenue DESC, p.product_id
LIMIT 10;
