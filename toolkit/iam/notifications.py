"""S3 event notifications fedkit manages (pure): Snowflake auto-refresh (S3 -> SQS) and the upload alert (S3 -> SNS).

- Snowflake: `SHOW EXTERNAL TABLES` gives each external table's `notification_channel`, a Snowflake-managed SQS ARN
  (docs.snowflake.com "Refresh external tables automatically for Amazon S3": the queue may differ between tables,
  so each table's prefix sends `s3:ObjectCreated:*` and `s3:ObjectRemoved:*` to its own table's channel).
- Upload alert (optional, `aws.notifications.sns_topic`): new `.parquet` files under the gold prefix -> SNS topic,
  with an e-mail subscription (`aws.notifications.email`).
The bucket has ONE notification configuration: managed entries (Ids `fedkit-gold-upload-alert` and
`fedkit-snowflake-<table>-<hash of bucket, gold prefix and table>`, so two projects' tables never share an Id) are
merged into it and every other entry (Lambda, EventBridge, other queues/topics) is kept. An entry under fedkit's older
Id (`fedkit-snowflake-<table>`) for the same key prefix is updated in place, not duplicated. S3 rejects two entries
whose prefixes overlap for a shared event type (`find_overlaps` detects that before any call and explains the way
out), and takes at most 100 queue configurations per bucket (`check_queue_limit`, before any change).

Several fedkit projects may share a bucket (one gold prefix each): a project owns only the managed entries whose key
filter lies under its own gold prefix (`owns`); another project's entries are kept like any foreign entry, and an
Id both would use is a conflict named before any call.
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING, Any, Iterable

from toolkit.errors import CheckFailed, UsageError
from toolkit.iam.merge import Merge
from toolkit.iam.policies import require_aws, sns_topic_arn

if TYPE_CHECKING:
    from toolkit.config import Config

ID_PREFIX = "fedkit-"
SNOWFLAKE_ID_PREFIX = ID_PREFIX + "snowflake-"
ALERT_ID = "fedkit-gold-upload-alert"
SNOWFLAKE_EVENTS = ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"]
ALERT_EVENTS = ["s3:ObjectCreated:*"]
ALERT_SUFFIX = ".parquet"

# (list key in the S3 API, ARN key of each entry)
KINDS = (
    ("QueueConfigurations", "QueueArn"),
    ("TopicConfigurations", "TopicArn"),
    ("LambdaFunctionConfigurations", "LambdaFunctionArn"),
)


class NotificationConflict(CheckFailed):
    """Two notification entries S3 would reject together (overlapping prefixes for one event type)."""


def _filter(prefix: str, suffix: str | None = None) -> dict[str, Any]:
    rules = [{"Name": "prefix", "Value": prefix}]
    if suffix:
        rules.append({"Name": "suffix", "Value": suffix})
    return {"Key": {"FilterRules": rules}}


def auto_refresh_prefixes(config: "Config") -> list[tuple[str, str]]:
    """(table name, key prefix) for every configured table Snowflake refreshes on events, sorted by name.

    Used when this run did not read the gold layer (`--target aws`, or the AWS side on its own); when it did,
    the registration's own list (`registered_auto_refresh`) is used instead, so discovered tables are covered too.
    """
    tables = {name: (opts.path or name) for name, opts in config.gold.tables.items() if opts.auto_refresh}
    return [(name, config.gold.prefix + path.strip("/") + "/") for name, path in sorted(tables.items())]


def registered_auto_refresh(bucket: str, tables: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """(table name, key prefix) from the external tables Snowflake registers with AUTO_REFRESH (name, s3 location).

    A folder table gets `prefix/table/`; a single-file table its exact key (a folder prefix would never match it).
    """
    from toolkit.gold.model import is_single_file

    root = f"s3://{bucket}/"
    result = []
    for name, location in tables:
        key = location[len(root):] if location.startswith(root) else location
        result.append((name, key if is_single_file(key) else key.rstrip("/") + "/"))
    return tuple(sorted(result))


def pending_channel(region: str) -> str:
    """A stand-in for Snowflake's queue before it exists: only for overlap checks, never written."""
    return f"arn:aws:sqs:{region}:000000000000:snowflake-notification-channel-pending"


def entry_id(config: "Config", table: str) -> str:
    """The Id of a table's auto-refresh entry: readable, and unique to (bucket, gold prefix, table), so two projects
    sharing a bucket never want the same Id (S3 needs unique Ids in the one configuration)."""
    digest = hashlib.sha256(f"{config.gold.bucket}\n{config.gold.prefix}\n{table}".encode()).hexdigest()[:8]
    name = re.sub(r"[^A-Za-z0-9_.-]", "-", table)[: 255 - len(SNOWFLAKE_ID_PREFIX) - len(digest) - 1]
    return f"{SNOWFLAKE_ID_PREFIX}{name}-{digest}"


def legacy_entry_id(table: str) -> str:
    """The Id fedkit used before entry ids carried a hash: such an entry is migrated, not duplicated."""
    return (SNOWFLAKE_ID_PREFIX + re.sub(r"[^A-Za-z0-9_.-]", "-", table))[:255]


def _wired(config: "Config", observed: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """This project's Snowflake entries already in the bucket, by Id."""
    return {str(e.get("Id", "")): e for e in (observed or {}).get("QueueConfigurations", [])
            if str(e.get("Id", "")).startswith(SNOWFLAKE_ID_PREFIX) and owns(e, config.gold.prefix)}


def _unread_tables(config: "Config", wired: dict[str, dict[str, Any]]) -> list[tuple[str, str, str]]:
    """(entry Id, table, key prefix) when this run did not read the gold layer. An entry already wired keeps its
    filter: an earlier full apply computed it from the real layout (a single file's exact key, which the config cannot
    tell), and tables discovered in the gold layer, outside the config, keep their auto-refresh (under the Id they
    have). A configured table not wired yet gets its folder prefix; a configured table with auto_refresh off loses
    its entry."""
    result = []
    known: set[str] = set()
    for name, prefix in auto_refresh_prefixes(config):
        new, old = entry_id(config, name), legacy_entry_id(name)
        entry = wired.get(new) or wired.get(old)
        result.append((new, name, _rules(entry).get("prefix", prefix) if entry else prefix))
    for name in config.gold.tables:
        known.update({entry_id(config, name), legacy_entry_id(name)})
    result += [(i, "", _rules(e).get("prefix", "")) for i, e in wired.items() if i not in known]
    return result


def desired_entries(
    config: "Config",
    snowflake_channel: str | None,
    tables: Iterable[tuple[str, str]] | None = None,
    observed: dict[str, Any] | None = None,
    channels: dict[str, str] | None = None,
    channel_wins: bool = False,
    kept: Iterable[str] = (),
) -> dict[str, list[dict[str, Any]]]:
    """The managed entries, by S3 list key. A Snowflake entry needs its table's queue; without one it waits.

    `tables`: (name, key prefix) of the auto-refreshed external tables when this run read them (the registration);
    None: not read this run, so the config's tables plus the entries already wired for other tables (`observed`).
    `channels`: table -> its `notification_channel` from SHOW EXTERNAL TABLES, when read this run. A table's queue is
    `snowflake_channel` when `channel_wins` (a --identity flag for this run), else its own channel, else the queue
    its entry already sends to, else `snowflake_channel` (the engine's first channel, or the config's pinned one).
    `kept`: orphan tables (toolkit.registration.orphans) left in place without `apply --prune`: their entries stay
    as wired; a pruned table is not in `kept`, so its entry is removed in the same apply.
    """
    aws = require_aws(config)
    wanted: dict[str, list[dict[str, Any]]] = {"QueueConfigurations": [], "TopicConfigurations": []}
    if config.snowflake is not None and aws.notifications.snowflake_auto_refresh:
        wired = _wired(config, observed)
        if tables is None:
            rows = _unread_tables(config, wired)
        else:
            rows = [(entry_id(config, name), name, prefix) for name, prefix in tables]
            rows += [(entry_id(config, name), name, _rules(wired[entry_id(config, name)]).get("prefix", ""))
                     for name in kept if entry_id(config, name) in wired]
        for row_id, table, prefix in sorted(rows, key=lambda r: r[0]):
            entry = wired.get(row_id) or (wired.get(legacy_entry_id(table)) if table else None)
            queue = snowflake_channel if channel_wins else (
                (channels or {}).get(table) or (entry or {}).get("QueueArn") or snowflake_channel)
            if queue:
                wanted["QueueConfigurations"].append(
                    {"Id": row_id, "QueueArn": queue, "Events": list(SNOWFLAKE_EVENTS), "Filter": _filter(prefix)}
                )
    topic_arn = sns_topic_arn(config)
    if topic_arn:
        wanted["TopicConfigurations"].append(
            {"Id": ALERT_ID, "TopicArn": topic_arn, "Events": list(ALERT_EVENTS),
             "Filter": _filter(config.gold.prefix, ALERT_SUFFIX)}
        )
    return wanted


def _rules(entry: dict[str, Any]) -> dict[str, str]:
    rules = ((entry.get("Filter") or {}).get("Key") or {}).get("FilterRules") or []
    return {str(rule.get("Name", "")).lower(): str(rule.get("Value", "")) for rule in rules}


def _normalize(entry: dict[str, Any]) -> tuple:
    arn = next((entry[k] for _, k in KINDS if k in entry), "")
    return (entry.get("Id"), arn, tuple(sorted(entry.get("Events", []))), tuple(sorted(_rules(entry).items())))


def observed_snowflake_channel(observed: dict[str, Any] | None, prefix: str = "") -> str | None:
    """The queue the bucket already notifies for this project's Snowflake auto-refresh (kept when a run did not read
    the channel); `prefix`: the project's gold prefix (another project's entries say nothing about this one)."""
    for entry in (observed or {}).get("QueueConfigurations", []):
        if str(entry.get("Id", "")).startswith(SNOWFLAKE_ID_PREFIX) and owns(entry, prefix) and entry.get("QueueArn"):
            return str(entry["QueueArn"])
    return None


def is_managed(entry: dict[str, Any]) -> bool:
    """An entry fedkit writes (the alert, or a per-table Snowflake entry); any other `fedkit-...` Id is foreign."""
    entry_id = str(entry.get("Id", ""))
    return entry_id == ALERT_ID or entry_id.startswith(SNOWFLAKE_ID_PREFIX)


def owns(entry: dict[str, Any], prefix: str = "") -> bool:
    """A managed entry of the project whose gold prefix is `prefix`: its key filter lies under that prefix. A managed
    entry elsewhere in the bucket belongs to another fedkit project on the same bucket and is left alone."""
    return is_managed(entry) and _rules(entry).get("prefix", "").startswith(prefix)


def clean(observed: dict[str, Any] | None) -> dict[str, Any]:
    """The configuration part of a GetBucketNotificationConfiguration response (metadata dropped)."""
    return {k: v for k, v in (observed or {}).items() if k != "ResponseMetadata"}


def merge_notifications(
    observed: dict[str, Any] | None, desired: dict[str, list[dict[str, Any]]], prefix: str = ""
) -> Merge:
    """This project's managed entries (`owns`, under gold `prefix`) replaced in place, new ones appended, stale ones
    dropped; every other entry kept, another fedkit project's included. NotificationConflict when an entry this
    project wants has the Id of one it does not own (S3 needs unique Ids)."""
    current = clean(observed)
    document: dict[str, Any] = {}
    added, updated, removed = [], [], []
    others = {str(e.get("Id")): _rules(e).get("prefix", "") for key, _ in KINDS for e in current.get(key, [])
              if not owns(e, prefix) and e.get("Id")}
    for list_key, _ in KINDS:
        wanted = {e["Id"]: e for e in desired.get(list_key, [])}
        clash = next((i for i in wanted if i in others), None)
        if clash is not None:
            raise NotificationConflict(
                f"bucket notification entry {clash!r} already exists for prefix {others[clash]!r}, outside this "
                f"project's gold prefix {prefix!r} (another fedkit project on the bucket?); fedkit leaves it alone and "
                "S3 needs unique Ids: give the table another name (or folder) in one of the projects"
            )
        seen: set[str] = set()
        entries: list[dict[str, Any]] = []
        # An entry under fedkit's older Id (`fedkit-snowflake-<table>`) that watches the key prefix a wanted entry
        # watches is the same wiring: it is updated in place to the new Id, never left beside it as a duplicate.
        by_filter = {(_rules(e).get("prefix", ""), e["Id"].startswith(SNOWFLAKE_ID_PREFIX)): e["Id"]
                     for e in wanted.values()}
        current_ids = {str(e.get("Id")) for e in current.get(list_key, [])}
        for entry in current.get(list_key, []):
            if not owns(entry, prefix):
                entries.append(entry)
                continue
            entry_id = entry["Id"]
            successor = by_filter.get((_rules(entry).get("prefix", ""), entry_id.startswith(SNOWFLAKE_ID_PREFIX)))
            if entry_id not in wanted and successor and successor not in seen and successor not in current_ids:
                seen.add(successor)
                updated.append(successor)
                entries.append(wanted[successor])
                continue
            if entry_id not in wanted or entry_id in seen:
                removed.append(entry_id)
                continue
            seen.add(entry_id)
            if _normalize(entry) != _normalize(wanted[entry_id]):
                updated.append(entry_id)
                entries.append(wanted[entry_id])
            else:
                entries.append(entry)
        for entry_id, entry in wanted.items():
            if entry_id not in seen:
                added.append(entry_id)
                entries.append(entry)
        if entries:
            document[list_key] = entries
    for key, value in current.items():  # EventBridgeConfiguration and anything newer: kept as is
        if key not in document and key not in {k for k, _ in KINDS}:
            document[key] = value
    return Merge(document, added, updated, removed)


# Amazon S3 service quotas (AWS General Reference, "Amazon S3 endpoints and quotas"; linked from the S3 User Guide,
# "Amazon S3 Event Notifications"): at most 100 event notification configurations per bucket.
MAX_QUEUE_CONFIGURATIONS = 100


def check_queue_limit(document: dict[str, Any], bucket: str, ours: int | None = None) -> None:
    """UsageError (exit 2, before any change) when the configuration would hold more queue entries than S3 takes;
    `ours`: how many of them this project adds, for the message."""
    count = len(document.get("QueueConfigurations", []))
    if count <= MAX_QUEUE_CONFIGURATIONS:
        return
    mine = f" ({ours} for this project's auto-refreshed tables)" if ours is not None else ""
    raise UsageError(
        f"s3://{bucket}: the bucket notification configuration would hold {count} queue entries{mine}, more than the "
        f"{MAX_QUEUE_CONFIGURATIONS} S3 allows per bucket; set auto_refresh: false on some tables in gold.tables "
        "(they are refreshed by `fedkit apply` instead), or group tables under fewer folders"
    )


def _events_overlap(a: Iterable[str], b: Iterable[str]) -> str | None:
    for x in a:
        for y in b:
            sx, sy = x.rstrip("*"), y.rstrip("*")
            if x == y or (x.endswith("*") and y.startswith(sx)) or (y.endswith("*") and x.startswith(sy)):
                return x if len(x) >= len(y) else y
    return None


def _affix_overlap(a: str, b: str, suffix: bool = False) -> bool:
    if suffix:
        return a.endswith(b) or b.endswith(a)
    return a.startswith(b) or b.startswith(a)


def find_overlaps(document: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(id a, id b, event) for every pair S3 would reject: a shared event type with overlapping key filters."""
    entries = [(e.get("Id") or "(no id)", e) for list_key, _ in KINDS for e in document.get(list_key, [])]
    clashes = []
    for i, (id_a, a) in enumerate(entries):
        for id_b, b in entries[i + 1 :]:
            event = _events_overlap(a.get("Events", []), b.get("Events", []))
            if event is None:
                continue
            ra, rb = _rules(a), _rules(b)
            if _affix_overlap(ra.get("prefix", ""), rb.get("prefix", "")) and _affix_overlap(
                ra.get("suffix", ""), rb.get("suffix", ""), suffix=True
            ):
                clashes.append((id_a, id_b, event))
    return clashes


# fedkit does not wire Snowflake's SNS fallback (AWS_SNS_TOPIC), so it does not recommend it: the way out it can keep
# is tables without AUTO_REFRESH, which plan/apply refresh whenever S3 holds newer files (registration.freshness).
_MANUAL_REFRESH = "fedkit then refreshes the external tables with ALTER EXTERNAL TABLE … REFRESH when they are stale"


def check_overlaps(document: dict[str, Any], bucket: str) -> None:
    """Raise NotificationConflict, one line, naming the first clash and the way out that fits it."""
    clashes = find_overlaps(document)
    if not clashes:
        return
    id_a, id_b, event = clashes[0]
    more = f" (and {len(clashes) - 1} more)" if len(clashes) > 1 else ""
    foreign = [i for i in (id_a, id_b) if i != ALERT_ID and not i.startswith(SNOWFLAKE_ID_PREFIX)]
    if foreign:
        way_out = (f"narrow or remove entry {foreign[0]!r} (fedkit does not change entries it does not manage), or set "
                   f"aws.notifications.snowflake_auto_refresh: false ({_MANUAL_REFRESH})")
    else:
        way_out = ("the upload alert and Snowflake auto-refresh both watch the gold prefix: remove "
                   "aws.notifications.sns_topic, or set aws.notifications.snowflake_auto_refresh: false "
                   f"({_MANUAL_REFRESH})")
    raise NotificationConflict(
        f"s3://{bucket}: notification entries {id_a!r} and {id_b!r} overlap for {event}{more}; S3 forbids overlapping "
        f"prefixes for one event type. Fix: {way_out}"
    )
