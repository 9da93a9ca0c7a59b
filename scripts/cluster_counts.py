#!/usr/bin/env python3
"""Once-only work with two replicas, counted after a run against `scripts/cluster.sh`.

    scripts/cluster_counts.py before   notes the usage counters (target/cluster/before.json)
    scripts/cluster_counts.py after    waits for the background work to settle, then counts

Each line compares what happened once (the load balancer's log, the database's history)
with what the replicas' background work made of it, and names the doubles and the
missing. Exits 1 when anything is doubled or missing. Reads DATABASE_URL and, when set,
E2E_SMTP_FILE (the test SMTP server's file of received mail).
"""
import collections
import json
import os
import re
import subprocess
import sys
import time

CLUSTER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "target", "cluster")
BEFORE = os.path.join(CLUSTER, "before.json")
SETTLE_SECONDS = 60


def sql(query):
    out = subprocess.run(
        ["psql", os.environ["DATABASE_URL"], "-qtAX", "-v", "ON_ERROR_STOP=1", "-F", "|", "-c", query],
        check=True, capture_output=True, text=True,
    ).stdout
    return [line.split("|") for line in out.splitlines() if line]


def scalar(query):
    return int(sql(query)[0][0] or 0)


def usage_calls():
    # Every rollup holds each call once per view (nine views): one view is the count.
    return scalar("SELECT coalesce(sum(calls), 0) FROM usage_day WHERE view = 0")


def live_calls():
    """Calls made through the gateway (try-it's, made by the server itself, excluded)."""
    return {r[0] for r in sql("SELECT event_id FROM metering_calls WHERE gateway_id LIKE 'stoa-portal@%' AND NOT try_it")}


def metered_rows():
    """Every call our gateway metered, try-it's included: what the usage counters count."""
    return scalar("SELECT count(*) FROM metering_calls WHERE gateway_id LIKE 'stoa-portal@%'")


def settle(what, pending_query):
    """Waits until `pending_query` counts 0 (background work done), or gives up."""
    deadline = time.time() + SETTLE_SECONDS
    while (left := scalar(pending_query)) and time.time() < deadline:
        time.sleep(0.5)
    if left:
        print(f"  {what}: {left} still waiting after {SETTLE_SECONDS} s")
    return left


def main():
    if sys.argv[1:] == ["before"]:
        json.dump({"usage_calls": usage_calls(), "metered_rows": metered_rows()}, open(BEFORE, "w"))
        return 0
    if sys.argv[1:] != ["after"]:
        print(__doc__, file=sys.stderr)
        return 64
    before = json.load(open(BEFORE))
    rows = []  # (what, happened, handled, doubled, missing)

    # Events: each outbox row relayed, and logged once by the event-log consumer (its
    # table has no unique key, so a second delivery would show as a second row).
    settle("outbox", "SELECT count(*) FROM outbox WHERE published_at IS NULL")
    settle("event log", "SELECT count(*) FROM outbox o WHERE NOT EXISTS "
           "(SELECT 1 FROM event_log e WHERE e.event_id = o.id)")
    events = scalar("SELECT count(*) FROM outbox")
    logged = scalar("SELECT count(*) FROM event_log")
    doubled = scalar("SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM event_log GROUP BY event_id) d")
    missing = scalar("SELECT count(*) FROM outbox o WHERE NOT EXISTS (SELECT 1 FROM event_log e WHERE e.event_id = o.id)")
    rows.append(("events relayed and logged", events, logged, doubled, missing))

    # Notification e-mails: each notification mailed once (the mail sink's file).
    smtp = os.environ.get("E2E_SMTP_FILE")
    if smtp:
        settle("mailer", "SELECT count(*) FROM notifications n JOIN users u ON u.id = n.user_id "
               "WHERE n.emailed_at IS NULL AND coalesce(u.email, '') <> '' AND n.created_at > now() - interval '1 day'")
        time.sleep(1)  # the last mail's line is written after the SMTP server answers
        mails = [json.loads(line) for line in open(smtp) if line.strip()]
        notices = [m for m in mails if "invites you to join" not in m["data"]]
        emailed = scalar("SELECT count(*) FROM notifications WHERE emailed_at IS NOT NULL")
        sent = len(notices)
        rows.append(("notification e-mails", emailed, sent, max(sent - emailed, 0), max(emailed - sent, 0)))

    # The GitOps record: one commit per transition, on the remote both replicas push to.
    settle("GitOps", "SELECT count(*) FROM gitops_outbox")
    history = collections.Counter(f"{r[0]}: {r[1]}" for r in sql("SELECT request_id, action FROM promotion_history"))
    log = subprocess.run(
        ["git", "--git-dir", os.path.join(CLUSTER, "gitops.git"), "log", "--format=%s", "main"],
        capture_output=True, text=True,
    ).stdout.splitlines()
    commits = collections.Counter(re.sub(r" \(.*\)$", "", s) for s in log)
    rows.append(("GitOps commits", sum(history.values()), sum(commits.values()),
                 sum((commits - history).values()), sum((history - commits).values())))

    # The deployer: a request is started at most once per approval.
    doubled = scalar(
        "SELECT count(*) FROM (SELECT request_id FROM promotion_history GROUP BY request_id "
        "HAVING count(*) FILTER (WHERE action = 'start') > count(*) FILTER (WHERE action = 'approve')) d")
    started = scalar("SELECT count(*) FROM promotion_history WHERE action = 'start'")
    rows.append(("deployments started", started, started, doubled, 0))

    # The expiry sweep: a subscription expires once.
    expired = sql("SELECT envelope->'data'->>'subscription' FROM outbox WHERE event_type = "
                  "'dev.gostoa.subscription.expired'")
    per = collections.Counter(r[0] for r in expired)
    rows.append(("subscriptions expired", len(per), len(expired), sum(n - 1 for n in per.values()), 0))

    # Metering: every call the load balancer answered with a call id is one raw call, and
    # the usage counters grew by exactly that many.
    answered = set()
    for line in open(os.path.join(CLUSTER, "haproxy.log")):
        m = re.search(r" call=([0-9a-f-]{36})", line)
        if m:
            answered.add(m.group(1))
    deadline = time.time() + SETTLE_SECONDS
    while not answered <= (metered := live_calls()) and time.time() < deadline:
        time.sleep(0.5)
    counted = usage_calls() - before["usage_calls"]
    live = metered_rows() - before["metered_rows"]
    rows.append(("gateway calls metered", len(answered), len(metered & answered),
                 len(metered - answered), len(answered - metered)))
    rows.append(("calls in the usage counters", live, counted, max(counted - live, 0), max(live - counted, 0)))

    print(f"\n{'once-only work, two replicas':34} {'happened':>9} {'handled':>9} {'doubled':>8} {'missing':>8}")
    bad = 0
    for what, happened, handled, doubled, missing in rows:
        print(f"{what:34} {happened:>9} {handled:>9} {doubled:>8} {missing:>8}")
        bad += doubled + missing
    per_replica = collections.Counter(re.findall(r"replicas/(replica-\d)", open(os.path.join(CLUSTER, "haproxy.log")).read()))
    print("requests per replica (HAProxy): " + ", ".join(f"{k} {v}" for k, v in sorted(per_replica.items())))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
