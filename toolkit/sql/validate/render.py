"""Validation reports as text for machines: JSON, JUnit XML, GitHub workflow annotations (pure)."""

from __future__ import annotations

import json
import re
from collections import OrderedDict

from toolkit.sql.validate.model import Report, Result


def to_json(report: Report) -> str:
    return json.dumps(report.to_json(), indent=2) + "\n"


def where(result: Result) -> str:
    text = result.file
    if result.line is not None:
        text += f":{result.line}"
        if result.column is not None:
            text += f":{result.column}"
    return text


_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(text: str) -> str:
    """Characters XML 1.0 cannot hold at all (NUL, form feed, ESC… from a SQL file) as U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def to_junit(report: Report, seconds: float | None = None) -> str:
    """One <testsuite> per engine, one <testcase> per file; failures carry file:line:col and the excerpt."""
    import xml.etree.ElementTree as ET

    suites: "OrderedDict[str, list[Result]]" = OrderedDict()
    for result in report.results:
        suites.setdefault(result.engine, []).append(result)
    root = ET.Element("testsuites", name="fedkit validate", tests=str(len(report.results)),
                      failures=str(len(report.failed)), errors="0",
                      time=f"{seconds if seconds is not None else sum(r.seconds for r in report.results):.3f}")
    if not suites:
        suites["none"] = []  # JUnit readers expect at least one <testsuite>
    for engine, results in suites.items():
        suite = ET.SubElement(root, "testsuite", name=f"fedkit validate ({engine})", tests=str(len(results)),
                              failures=str(sum(not r.ok for r in results)), errors="0", skipped="0",
                              time=f"{sum(r.seconds for r in results):.3f}")
        if report.notes:  # the JUnit schema allows <properties> only first inside a <testsuite>
            properties = ET.SubElement(suite, "properties")
            for index, note in enumerate(report.notes):
                ET.SubElement(properties, "property", name=f"note{index + 1}", value=_xml(note))
        for result in results:
            case = ET.SubElement(suite, "testcase", classname=f"validate.{engine}", name=_xml(result.file),
                                 time=f"{result.seconds:.3f}")
            if result.line is not None:
                case.set("file", _xml(result.file))
                case.set("line", str(result.line))
            if not result.ok:
                failure = ET.SubElement(case, "failure", message=_xml(result.message), type="ValidationError")
                failure.text = _xml(f"{where(result)}: [{engine}] {result.message}" + (
                    f"\n{result.excerpt}" if result.excerpt else ""))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def to_github(report: Report) -> str:
    """`::error file=…,line=…,col=…,title=…::message` per failure (GitHub workflow commands), then a summary."""
    lines = []
    for result in report.failed:
        props = [f"file={_escape_property(result.file)}"]
        if result.line is not None:
            props.append(f"line={result.line}")
            if result.column is not None:
                props.append(f"col={result.column}")
        props.append(f"title={_escape_property(f'fedkit validate ({result.engine})')}")
        lines.append(f"::error {','.join(props)}::{_escape_data(result.message)}")
    for note in report.notes:
        lines.append(f"::notice title=fedkit validate::{_escape_data(note)}")
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def summary(report: Report) -> str:
    files = len({r.file for r in report.results})
    failed = len(report.failed)
    checks = len(report.results)
    return f"fedkit validate: {checks} checks over {files} files: {checks - failed} passed, {failed} failed"
