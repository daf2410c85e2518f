"""Bucket notifications (+ the optional SNS alert topic) as a pipeline target: observe, plan (pure), apply."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from toolkit.errors import CloudError
from toolkit.iam import policies
from toolkit.iam.aws_errors import call, error_code, to_cloud_error
from toolkit.iam.observed import ObservedBucket, ObservedTopic
from toolkit.iam.paging import every_item
from toolkit.iam.plan import plan_notifications
from toolkit.planning.actions import Action

if TYPE_CHECKING:
    from toolkit.planning.pipeline import Context


class NotificationTarget:
    name = "s3_notifications"
    cloud = "aws"
    phases = ("notifications",)

    def enabled(self, ctx: "Context") -> bool:
        aws = ctx.config.aws
        return aws is not None and (
            bool(aws.notifications.sns_topic) or (ctx.config.snowflake is not None and aws.notifications.snowflake_auto_refresh)
        )

    def observe(self, ctx: "Context") -> ObservedBucket:
        from botocore.exceptions import BotoCoreError, ClientError

        bucket = ctx.config.gold.bucket
        step = f"observe s3_bucket_notification/{bucket}"
        exists, config = True, {}
        try:
            config = ctx.client("s3").get_bucket_notification_configuration(Bucket=bucket)
        except ClientError as exc:
            if error_code(exc) != "NoSuchBucket":
                raise to_cloud_error(exc, step, "s3") from exc
            exists = False
        except BotoCoreError as exc:
            raise to_cloud_error(exc, step, "s3") from exc
        config = {k: v for k, v in config.items() if k != "ResponseMetadata"}
        region = self._bucket_region(ctx, bucket) if exists else None
        return ObservedBucket(exists=exists, notifications=config, topic=self._observe_topic(ctx), region=region)

    def _bucket_region(self, ctx: "Context", bucket: str) -> str | None:
        """S3 only notifies queues and topics in the bucket's own region, so aws.region must be that region."""
        from toolkit.iam.bucket_region import observe_bucket_region

        return observe_bucket_region(ctx.client("s3"), bucket)

    def _observe_topic(self, ctx: "Context") -> ObservedTopic | None:
        from botocore.exceptions import BotoCoreError, ClientError

        arn = policies.sns_topic_arn(ctx.config)
        if arn is None:
            return None
        sns = ctx.client("sns")
        step = f"observe sns_topic/{arn.rsplit(':', 1)[1]}"
        try:
            attributes = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
        except ClientError as exc:
            if error_code(exc) in ("NotFound", "NotFoundException"):
                return None
            raise to_cloud_error(exc, step, "sns") from exc
        except BotoCoreError as exc:
            raise to_cloud_error(exc, step, "sns") from exc
        subs = every_item(step, "sns", sns, "list_subscriptions_by_topic", "Subscriptions", TopicArn=arn)
        policy = json.loads(attributes["Policy"]) if attributes.get("Policy") else None
        emails = tuple(s.get("Endpoint", "") for s in subs if s.get("Protocol") == "email")
        return ObservedTopic(arn=arn, policy=policy, email_endpoints=emails)

    def plan(self, ctx: "Context", observed: ObservedBucket) -> list[Action]:
        # `fedkit plan` of a run that creates Snowflake's external tables: their queue does not exist yet.
        tables_pending = ctx.predicting and any(a.payload.get("op") == "create_external_table" for a in ctx.changes)
        return plan_notifications(ctx.config, ctx.identities, observed, ctx.auto_refresh_tables,
                                  ctx.auto_refresh_channels, predict_channel=tables_pending,
                                  kept_tables=getattr(ctx, "orphan_auto_refresh", ()))

    def apply(self, ctx: "Context", action: Action) -> None:
        p = action.payload
        step = f"{action.action} {action.resource}"
        op = p["op"]
        if op == "create_topic":
            sns = ctx.client("sns")
            call(step, "sns", lambda: sns.create_topic(
                Name=p["Name"], Attributes={"Policy": json.dumps(p["Policy"])}, Tags=p["Tags"]))
        elif op == "set_topic_policy":
            sns = ctx.client("sns")
            call(step, "sns", lambda: sns.set_topic_attributes(
                TopicArn=p["TopicArn"], AttributeName="Policy", AttributeValue=json.dumps(p["Policy"])))
        elif op == "subscribe_email":
            sns = ctx.client("sns")
            call(step, "sns", lambda: sns.subscribe(TopicArn=p["TopicArn"], Protocol="email", Endpoint=p["Endpoint"]))
        elif op == "put_bucket_notification_configuration":
            s3 = ctx.client("s3")
            document = self._still_current(ctx, step, p)
            call(step, "s3", lambda: s3.put_bucket_notification_configuration(
                Bucket=p["Bucket"], NotificationConfiguration=document))
        else:
            raise CloudError(f"{step}: unknown operation {op!r} (a bug in fedkit)")

    def _still_current(self, ctx: "Context", step: str, p: dict) -> dict:
        """The configuration to PUT: the planned one if the bucket's is still what the plan observed, else the plan's
        entries merged again into what is there now.

        PutBucketNotificationConfiguration replaces the whole configuration, and S3 offers no conditional write for
        it (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketNotificationConfiguration.html), so
        another writer's entries added between observe and PUT (another fedkit project on the bucket, a Lambda
        trigger) would be erased. Re-reading right before the PUT shrinks that window to one round trip; merging
        again keeps their entries, as the plan would have (overlaps are checked again, a clash stops the apply).
        """
        from toolkit.iam import notifications as notif

        if "Observed" not in p:
            return p["NotificationConfiguration"]
        s3 = ctx.client("s3")
        now = notif.clean(call(step, "s3", lambda: s3.get_bucket_notification_configuration(Bucket=p["Bucket"])))
        if json.dumps(now, sort_keys=True) == json.dumps(p["Observed"], sort_keys=True):
            return p["NotificationConfiguration"]
        merged = notif.merge_notifications(now, p["Desired"], p.get("Prefix", ""))
        notif.check_overlaps(merged.document, p["Bucket"])
        notif.check_queue_limit(merged.document, p["Bucket"])
        return merged.document
