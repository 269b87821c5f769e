/**
 * The one file a user edits. Everything else (Terraform, Glue scripts, catalog
 * tables, Athena queries, the local run) derives from it. Omitted settings take
 * the defaults documented in `modules/config/schema.ts`.
 */
import type { LakehouseConfigInput } from "./modules/config";

const config: LakehouseConfigInput = {
  project: { name: "E-commerce lakehouse", prefix: "shoplake" },
  region: "eu-west-1",
  environments: [{ name: "dev" }, { name: "prod", monthlyBudgetUsd: 10 }],
  datasets: [
    {
      name: "customers",
      table: "dim_customers",
      description: "One row per customer",
      columns: [
        { name: "customer_id", type: "string" },
        { name: "name", type: "string" },
        { name: "email", type: "string" },
        { name: "region", type: "string" },
        { name: "signup_date", type: "date" },
      ],
      primaryKey: ["customer_id"],
      quality: [
        { rule: "not_null", columns: ["customer_id", "email", "region"] },
        { rule: "pattern", column: "email", regex: "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$" },
        { rule: "allowed_values", column: "region", values: ["NA", "EU", "APAC", "LATAM"] },
      ],
    },
    {
      name: "products",
      table: "dim_products",
      description: "One row per product",
      columns: [
        { name: "product_id", type: "string" },
        { name: "name", type: "string" },
        { name: "category", type: "string" },
        { name: "unit_price", type: "decimal(10,2)" },
      ],
      primaryKey: ["product_id"],
      quality: [
        { rule: "not_null", columns: ["product_id", "name", "category", "unit_price"] },
        { rule: "positive", columns: ["unit_price"] },
      ],
    },
    {
      name: "orders",
      table: "orders",
      description: "One row per order line; upserted by order_id, latest ingestion wins",
      columns: [
        { name: "order_id", type: "string" },
        { name: "customer_id", type: "string" },
        { name: "product_id", type: "string" },
        { name: "order_ts", type: "timestamp", description: "ISO-8601, UTC when no offset is given" },
        { name: "quantity", type: "int" },
        { name: "unit_price", type: "decimal(10,2)" },
        { name: "revenue", type: "decimal(12,2)", description: "quantity * unit_price" },
      ],
      primaryKey: ["order_id"],
      derivedColumns: [{ name: "order_date", dateOf: "order_ts" }],
      partitioning: {
        sourceColumn: "order_ts",
        keys: [
          { name: "year", transform: "year" },
          { name: "month", transform: "month" },
          { name: "day", transform: "day" },
        ],
      },
      quality: [
        { rule: "not_null", columns: ["order_id", "customer_id", "product_id", "order_ts", "quantity", "unit_price", "revenue"] },
        { rule: "positive", columns: ["quantity", "unit_price", "revenue"] },
        { rule: "foreign_key", column: "customer_id", references: "customers" },
        { rule: "foreign_key", column: "product_id", references: "products" },
        { rule: "not_in_future", column: "order_ts", toleranceMinutes: 60 },
        { rule: "product", column: "revenue", factors: ["quantity", "unit_price"], tolerance: 0.01 },
      ],
      incremental: { rawFolder: "orders_incremental", format: "json", orderByColumn: "ingested_at" },
    },
  ],
  glue: { version: "5.0", workerType: "G.1X", numberOfWorkers: 2, incrementalSchedule: "cron(0 2 * * ? *)" },
  athena: { bytesScannedCutoffPerQuery: 104_857_600 },
  budget: { monthlyUsd: 5, alertEmails: ["data-team@example.com"] },
  ingestion: { enabled: true, schedule: "rate(1 hour)", ordersPerInvocation: 50 },
  backend: { workspacePrefix: "lakehouse-" },
};

export default config;
