# A plain Terraform root module that reuses the lakehouse as emitted modules,
# with no cdktf involved. Emit them first, from the repository root:
#
#   npm run modules        # writes dist/modules/<name>/
#   cd examples/consumer && terraform init && terraform plan
#
# The caller owns the provider and the backend; each module only requires
# hashicorp/aws >= 6.0, < 7.0. The areas are wired output -> input, so the
# bucket, database and names are declared once, here.

terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.0, < 7.0"
    }
  }
}

variable "region" {
  type        = string
  description = "Region of every resource"
  default     = "eu-west-1"
}

variable "name_prefix" {
  type        = string
  description = "Stem of every resource name"
  default     = "acme-dev"
}

variable "alert_email" {
  type        = string
  description = "Who gets the budget alerts"
}

provider "aws" {
  region = var.region
  default_tags {
    tags = {
      project    = "acme-lakehouse"
      managed-by = "terraform"
    }
  }
}

data "aws_caller_identity" "current" {}

module "storage" {
  source = "../../dist/modules/storage"

  bucket_name                = "${var.name_prefix}-lake-${data.aws_caller_identity.current.account_id}"
  quarantine_expiration_days = 14
}

module "catalog" {
  source = "../../dist/modules/catalog"

  bucket_name                 = module.storage.bucket_name
  database_name               = replace("${var.name_prefix}_lake", "-", "_")
  name_prefix                 = var.name_prefix
  security_configuration_name = module.etl.security_configuration_name
}

module "analytics" {
  source = "../../dist/modules/analytics"

  bucket_name                    = module.storage.bucket_name
  database_name                  = module.catalog.database_name
  workgroup_name                 = "${var.name_prefix}-analytics"
  bytes_scanned_cutoff_per_query = 52428800
}

module "etl" {
  source = "../../dist/modules/etl"

  bucket_name          = module.storage.bucket_name
  name_prefix          = var.name_prefix
  incremental_schedule = "cron(0 3 * * ? *)"
}

module "budget" {
  source = "../../dist/modules/budget"

  budget_name        = "${var.name_prefix}-monthly"
  monthly_budget_usd = 5
  alert_emails       = [var.alert_email]
}

output "bucket_name" {
  value = module.storage.bucket_name
}

output "database_name" {
  value = module.catalog.database_name
}

output "curated_tables" {
  value = module.catalog.table_names
}

output "athena_workgroup" {
  value = module.analytics.workgroup_name
}

output "glue_jobs" {
  value = [module.etl.batch_job_name, module.etl.incremental_job_name]
}
