"""SQL: templating (Jinja2), compilation (sqlglot + portability rules), catalogs, validation, parity."""
