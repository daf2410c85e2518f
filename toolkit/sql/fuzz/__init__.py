"""The differential fuzzer: seeded KPI-shaped queries over the gold catalog, compiled for every engine and run on
DuckDB (the source's semantics) and on ZetaSQL's reference evaluator (BigQuery's), compared, and shrunk when they
disagree. `python -m bench fuzz --seed S --queries N` runs it.

    catalog.py     the gold schema the queries are written against, its join keys, the fuzzer's value kinds
    data.py        small NULL-rich tables generated from the catalog and a seed
    templates.py   value kinds; sqlglot templates filled with operand nodes, each tagged with its kind
    grammar.py     the typed grammar: scope, seeded randomness, gaps, constructs used
    productions.py one typed production per construct (so every query is valid DuckDB), listed by kind
    functions.py   more function productions: splitting, concat_ws, text casts, date_part, signs, powers
    subqueries.py  IN / NOT IN / EXISTS / scalar subqueries over another catalog table, correlated or not
    clauses.py     aggregates, window functions (frames, lag defaults, IGNORE NULLS) and HAVING predicates
    gaps.py        constructs left out while their fix is owned elsewhere (KNOWN_GAPS)
    query.py       the query shape (CTEs, FROM/JOIN/WHERE/GROUP BY [ROLLUP..]/HAVING/QUALIFY, UNION/EXCEPT/
                   INTERSECT, ORDER BY [NULLS FIRST]/LIMIT) as data, rendered with sqlglot
    check.py       one query: compile, run, compare; a failure's signature
    shrink.py      reduce a failing query to a minimal one failing the same way
    runner.py      many queries: counts, constructs covered, refusals, failures
"""
