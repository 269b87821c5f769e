-- Top products: the ten products with the most revenue, with their category and share of all revenue.
WITH product_revenue AS (
  SELECT
    product_id,
    count(*) AS orders,
    sum(quantity) AS units,
    sum(revenue) AS revenue
  FROM {{ dataset('orders') }}
  GROUP BY product_id
)
SELECT
  p.product_id,
  p.name,
  p.category,
  r.orders,
  r.units,
  r.revenue,
  -- Rounded half up from exact integer cents (as in customer_ltv.sql): Athena (Trino) and
  -- DuckDB divide decimals differently and would otherwise disagree on half a basis point.
  CAST(round(10000 * CAST(r.revenue * 100 AS double) / CAST(sum(r.revenue) OVER () * 100 AS double)) / 100 AS decimal(5,2)) AS revenue_share_pct
FROM product_revenue r
JOIN {{ dataset('products') }} p ON p.product_id = r.product_id
ORDER BY r.revenue DESC, p.product_id
LIMIT 10;
