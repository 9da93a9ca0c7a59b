-- wrk script for `make bench`: POST /v1/keys/verify with the key in $BENCH_KEY.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"key":"' .. os.getenv("BENCH_KEY") .. '"}'
