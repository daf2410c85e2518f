"""Plans as data: observe -> plan (pure) -> apply, Terraform-style."""
