-- wrk script for scenario "upload": POST a 1 MiB body on every request (keep-alive).
wrk.method = "POST"
wrk.body = string.rep("x", 1048576)
wrk.headers["Content-Type"] = "application/octet-stream"
