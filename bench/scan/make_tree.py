#!/usr/bin/env python3
"""Generates a tree of realistic config and source files (default 200 MB) for throughput runs.

usage: make_tree.py DIR [SIZE_MB]. About one file in 200 holds a hardcoded secret; the rest is ordinary
code and config full of the words scanners look for (token, password, secret, key, env reads).
"""
import os, random, string, sys

root, size_mb = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 200
rnd = random.Random(7)
words = ["order", "payment", "customer", "invoice", "session", "account", "ledger", "refund", "client", "shipment", "user", "cache", "basket", "price"]

def ident(): return rnd.choice(words) + rnd.choice(words).capitalize() + str(rnd.randint(0, 99))
def s(n): return "".join(rnd.choice(string.ascii_letters + string.digits) for _ in range(n))

def csharp():
    out = ["using System;", "using System.Threading;", f"namespace Shop.{ident()};", "", f"internal sealed class {ident().capitalize()}Service", "{"]
    for _ in range(rnd.randint(20, 60)):
        name = ident()
        out += [f"    public async Task<string> Get{name}Async(string id, CancellationToken cancellationToken)", "    {",
                f"        var token = await _client.GetTokenAsync(\"{name}\", cancellationToken);",
                f"        var apiKey = _options.ApiKey ?? Environment.GetEnvironmentVariable(\"{name.upper()}_KEY\");",
                f"        if (string.IsNullOrEmpty(token)) throw new InvalidOperationException(\"no token for {name}\");",
                f"        _logger.LogInformation(\"fetched {{Id}} with key length {{Length}}\", id, apiKey?.Length);",
                "        return await _http.GetStringAsync($\"/api/" + name + "/{id}\", cancellationToken);", "    }", ""]
    return "\n".join(out + ["}"])

def ts():
    out = ["import { request } from './http';", ""]
    for _ in range(rnd.randint(20, 60)):
        name = ident()
        out += [f"export async function load{name}(id: string, token: string): Promise<unknown> {{",
                f"  const secret = process.env.{name.upper()}_SECRET ?? '';",
                f"  const url = `${{process.env.API_BASE}}/{name}/${{id}}`;",
                "  return request(url, { headers: { Authorization: `Bearer ${token}`, 'X-Key': secret } });", "}", ""]
    return "\n".join(out)

def yaml():
    out = ["apiVersion: apps/v1", "kind: Deployment", "metadata:", f"  name: {ident().lower()}", "spec:", "  template:", "    spec:", "      containers:"]
    for _ in range(rnd.randint(10, 40)):
        name = ident().lower()
        out += [f"        - name: {name}", f"          image: registry.internal/{name}:1.{rnd.randint(0, 9)}", "          env:",
                "            - name: DB_PASSWORD", "              valueFrom:", "                secretKeyRef:", f"                  name: {name}-db", "                  key: password",
                "            - name: LOG_LEVEL", "              value: info", "            - name: TOKEN_TTL", "              value: \"3600\""]
    return "\n".join(out)

def json_cfg():
    out = ["{", '  "Logging": { "LogLevel": { "Default": "Information" } },']
    for _ in range(rnd.randint(20, 80)):
        name = ident()
        out.append(f'  "{name}": {{ "Endpoint": "https://{name.lower()}.internal/api", "TimeoutSeconds": {rnd.randint(1, 60)}, "ApiKey": "${{{name.upper()}_API_KEY}}", "Retries": 3 }},')
    return "\n".join(out + ['  "AllowedHosts": "*"', "}"])

def props():
    out = []
    for _ in range(rnd.randint(40, 120)):
        name = ident().lower()
        out += [f"{name}.url=https://{name}.internal", f"{name}.password=${{{name.upper()}_PASSWORD}}", f"{name}.timeout={rnd.randint(1, 60)}s", f"{name}.token.ttl=3600"]
    return "\n".join(out)

def markdown():
    out = [f"# {ident()}", ""]
    for _ in range(rnd.randint(20, 60)):
        out += [f"The {ident()} service reads its token from the environment and never logs the secret key.",
                f"Set `{ident().upper()}_PASSWORD` before starting; see the runbook for rotation.", ""]
    return "\n".join(out)

SECRETS = [lambda: f"GITHUB_TOKEN=ghp_{s(36)}", lambda: f"db_password: {s(8)}!{s(4)}", lambda: f"AWS_ACCESS_KEY_ID=AKIA{s(16).upper()}",
           lambda: f'const stripe = "sk_live_{s(24)}";', lambda: f"url: postgres://app:{s(12)}@db:5432/app"]
kinds = [(csharp, "cs"), (ts, "ts"), (yaml, "yaml"), (json_cfg, "json"), (props, "properties"), (markdown, "md")]
total, n = 0, 0
target = size_mb * 1024 * 1024
while total < target:
    make, ext = rnd.choice(kinds)
    text = make()
    if rnd.random() < 0.005:
        lines = text.split("\n")
        lines.insert(rnd.randint(0, len(lines)), rnd.choice(SECRETS)())
        text = "\n".join(lines)
    folder = os.path.join(root, f"svc{n // 500:03d}", rnd.choice(["src", "config", "deploy", "docs"]))
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, f"{ident()}_{n}.{ext}"), "w") as f:
        f.write(text + "\n")
    total += len(text) + 1
    n += 1
print(f"{n} files, {total / 1048576:.0f} MB in {root}")
