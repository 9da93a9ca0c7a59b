"""For `make bench` (bench-verify-flood.sh): POSTs the valid key in $BENCH_KEY to
/v1/keys/verify over 8 keep-alive connections until the process with pid argv[2] ends
(the flood), then prints the answers' count, p50 and p99 in ms, and any non-200."""

import http.client
import json
import os
import sys
import threading
import time
from urllib.parse import urlsplit

base, watched = urlsplit(sys.argv[1]), int(sys.argv[2])
body = json.dumps({"key": os.environ["BENCH_KEY"]})
times, failed, done = [], [], threading.Event()


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def caller():
    conn = http.client.HTTPConnection(base.hostname, base.port, timeout=10)
    while not done.is_set():
        started = time.perf_counter()
        conn.request("POST", "/v1/keys/verify", body, {"Content-Type": "application/json"})
        res = conn.getresponse()
        answer = res.read()
        times.append((time.perf_counter() - started) * 1000)
        if res.status != 200 or b'"valid":true' not in answer:
            failed.append(res.status)


callers = [threading.Thread(target=caller) for _ in range(8)]
for c in callers:
    c.start()
while alive(watched):
    time.sleep(0.05)
done.set()
for c in callers:
    c.join()
times.sort()
pick = lambda q: times[min(len(times) - 1, int(q * len(times)))]
print(f"{len(times)} answers, p50 {pick(0.5):.2f}ms p99 {pick(0.99):.2f}ms, not valid: {len(failed)}")
