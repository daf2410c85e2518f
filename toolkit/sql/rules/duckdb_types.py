"""DuckDB's own result types for functions sqlglot's annotator types otherwise or not at all (found by the widened
differential fuzzer, issue 13 item 6). compile._annotate calls type_duckdb_functions after annotating and annotates
again what lies above the retyped nodes; rules that read types (quantiles, division, instants) then see DuckDB's."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlglot import exp


def type_duckdb_functions(tree: "exp.Expression", dialect: str) -> bool:
    """Give DuckDB functions the types DuckDB gives them where sqlglot's annotator has none or another (called by
    compile._annotate, which annotates again what is above them and the columns it could not type, such as a CTE's
    column read outside it):

    - ROUND of a DECIMAL(p, s) to n places is a DECIMAL(p, min(s, max(n, 0))), CEIL and FLOOR of one a
      DECIMAL(p, 0) (measured: ROUND(1.25::DECIMAL(12, 2), 3) is DECIMAL(12, 2)); sqlglot says DOUBLE, so the
      median of ROUND(amount, 3) went to BigQuery as a FLOAT64 PERCENTILE_CONT (6538.735) where DuckDB truncates
      to the 2 decimals it keeps (6538.73);
    - sign(x) is a TINYINT whatever x is (sign(0.5) is 1, not 1.0); sqlglot leaves it untyped, so
      `7 // NULLIF(sign(discount_pct), 0)` went to BigQuery as DIV(INT64, FLOAT64);
    - arg_max / arg_min (max_by / min_by) return their first argument's type; sqlglot leaves them UNKNOWN, so a
      DATE from arg_max in a CTE compared with a TIMESTAMP outside missed wall_clock_meets_instant_in_utc
      ("No matching signature for operator >= for argument types: TIMESTAMP, DATE").
    True when anything was retyped."""
    from sqlglot import exp

    if dialect != "duckdb":
        return False
    retyped: set[int] = set()
    for node in tree.find_all(exp.Round, exp.Ceil, exp.Floor, exp.ArgMax, exp.ArgMin, exp.Sign):
        if isinstance(node, exp.Sign):  # a TINYINT whatever its operand (sqlglot: untyped)
            node.type = exp.DataType.build("TINYINT")
            retyped.add(id(node))
            _clear_above(node)
            continue
        operand = getattr(node.this, "type", None)
        if not isinstance(operand, exp.DataType) or operand.this in (exp.DataType.Type.UNKNOWN,
                                                                     exp.DataType.Type.NULL):
            continue
        if isinstance(node, (exp.ArgMax, exp.ArgMin)):
            node.type = operand.copy()
        elif operand.is_type(exp.DataType.Type.DECIMAL):
            node.type = _rounded_decimal(node, operand)
        else:
            continue
        retyped.add(id(node))
        _clear_above(node)
    if retyped:  # columns sqlglot could not type (a CTE's arg_max) are typed again from their source
        for column in list(tree.find_all(exp.Column)):
            kind = getattr(column, "type", None)
            if isinstance(kind, exp.DataType) and kind.this == exp.DataType.Type.UNKNOWN:
                column.type = None
                _clear_above(column)
    return bool(retyped)


def _clear_above(node: "exp.Expression") -> None:
    """Forget the types of `node`'s ancestors: annotating again (without overwriting) recomputes just those."""
    parent = node.parent
    while parent is not None:
        parent.type = None
        parent = parent.parent


def _rounded_decimal(node: "exp.Expression", operand: "exp.DataType") -> "exp.DataType":
    from sqlglot import exp

    params = operand.expressions
    places = node.args.get("decimals") if isinstance(node, exp.Round) else exp.Literal.number(0)
    literal = places is None or (isinstance(places, exp.Literal) and not places.is_string) or (
        isinstance(places, exp.Neg) and isinstance(places.this, exp.Literal))
    if len(params) != 2 or not literal:
        return exp.DataType.build("DECIMAL")  # a decimal of a scale the rules cannot tell
    n = 0 if places is None else int(places.sql())
    precision, scale = params[0].this.name, int(params[1].this.name)
    return exp.DataType.build(f"DECIMAL({precision}, {min(scale, max(n, 0))})")
