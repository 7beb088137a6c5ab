#!/usr/bin/env python3
"""Creates a git repository with N commits through git fast-import (seconds, not minutes).

usage: make_history.py DIR N. Each commit rewrites one of 50 config files with ~40 lines, among them a
reference on a line that changes every commit (so it is re-added N times); one commit in 100 adds a
secret that a later commit removes.
"""
import os, random, string, subprocess, sys

root, count = sys.argv[1], int(sys.argv[2])
rnd = random.Random(11)
os.makedirs(root, exist_ok=True)
subprocess.run(["git", "init", "-q", "-b", "main", root], check=True)
def s(n): return "".join(rnd.choice(string.ascii_letters + string.digits) for _ in range(n))
stream = []
for i in range(1, count + 1):
    lines = [f"service_{j}_timeout: {rnd.randint(1, 99)}s" for j in range(40)]
    lines.append("db_password: ${DB_PASSWORD}")
    lines.append(f"db_url: postgres://app@db{i}.internal:5432/app?password=${{DB_PASSWORD}}")
    if i % 100 == 0:
        lines.append(f"github_token: ghp_{s(36)}")
    data = ("\n".join(lines) + "\n").encode()
    msg = f"commit {i}".encode()
    stream.append(b"commit refs/heads/main\n")
    stream.append(f"mark :{i}\ncommitter Bench <bench@example.invalid> {1700000000 + i} +0000\n".encode())
    stream.append(f"data {len(msg)}\n".encode() + msg + b"\n")
    if i > 1:
        stream.append(f"from :{i - 1}\n".encode())
    stream.append(f"M 100644 inline config/service{i % 50}.yaml\ndata {len(data)}\n".encode() + data + b"\n")
subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=b"".join(stream), check=True)
subprocess.run(["git", "checkout", "-q", "main"], cwd=root, check=True)
print(f"{count} commits in {root}")
