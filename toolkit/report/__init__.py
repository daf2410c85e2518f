"""The KPI report a team shares (`fedkit kpi report --html`): one self-contained page, rendered from a Jinja2
template, with a chart per KPI chosen from its header or its result, and the parity matrix.

chart_spec (which chart, which columns) -> formats (how values print) -> charts (drawing geometry) -> page (the
template) -> build (runs the suite and writes the file).
"""
