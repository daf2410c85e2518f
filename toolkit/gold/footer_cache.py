"""Footer summaries cached under `.fedkit/footers.json`, keyed by (bucket, key, ETag, size), so a second `plan` reads
no footer it has read before.

S3 gives a new ETag to every new version of an object's content (https://docs.aws.amazon.com/AmazonS3/latest/API/
API_Object.html: "The entity tag ... reflects changes only to the contents of an object"), and the listing that names
the files returns it with the size, so a changed file misses the cache and is read again: the cache never answers for
another version. The reads themselves are conditional on that ETag (`toolkit.gold.footers.read_s3_footers`).
Written with `toolkit.fsutil.update_json` (atomic, under the file's lock): processes running at once lose nothing.
Entries of a table's files that its latest listing no longer shows are dropped, so the file does not grow forever.
A cache file that is unreadable, or an entry of another shape, is a miss, never an error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from toolkit.gold.footers import FooterSummary

CACHE_NAME = "footers.json"
VERSION = 1


def default_path() -> Path:
    from toolkit.sandbox.state import fedkit_home

    return fedkit_home() / CACHE_NAME


class FooterCache:
    """Read once when created; `save()` merges what this run read into the file."""

    def __init__(self, path: Path | None = None):
        from toolkit.fsutil import read_json

        self.path = Path(path) if path is not None else default_path()
        data = read_json(self.path)
        entries = data.get("entries") if data.get("version") == VERSION else None
        self._entries: dict[str, Any] = entries if isinstance(entries, dict) else {}
        self._new: dict[str, dict[str, Any]] = {}
        self._listed: dict[str, set[str]] = {}  # table prefix -> the uris its listing showed in this run
        self.hits = 0

    def get(self, uri: str, etag: str | None, size: int) -> FooterSummary | None:
        if not etag:
            return None
        entry = self._new.get(uri) or self._entries.get(uri)
        if not isinstance(entry, dict) or entry.get("etag") != etag or entry.get("size") != size:
            return None
        try:
            summary = FooterSummary.from_json(entry["footer"])
        except (KeyError, TypeError, ValueError):
            return None
        self.hits += 1
        return summary

    def put(self, uri: str, etag: str | None, size: int, summary: FooterSummary) -> None:
        if etag:
            self._new[uri] = {"etag": etag, "size": size, "footer": summary.to_json()}

    def listed(self, prefix: str, uris: list[str]) -> None:
        """The files a table's listing showed under `prefix` (entries under it for other files are dropped)."""
        self._listed[prefix.rstrip("/") + "/"] = set(uris)

    def save(self) -> None:
        from toolkit.fsutil import update_json

        if not self._new and not self._listed:
            return
        with update_json(self.path) as data:
            entries = data.get("entries") if data.get("version") == VERSION else None
            entries = entries if isinstance(entries, dict) else {}
            for prefix, uris in self._listed.items():
                for uri in [u for u in entries if u.startswith(prefix) and u not in uris]:
                    del entries[uri]
            entries.update(self._new)
            data.clear()
            data.update({"version": VERSION, "entries": entries})
