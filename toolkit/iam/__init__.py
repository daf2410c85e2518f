"""IAM: pure policy builders, the lint, and the AWS applier."""
