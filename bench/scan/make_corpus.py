#!/usr/bin/env python3
"""Writes the labelled corpus in bench/scan/corpus/ and its labels file.

Each file is a list of (line, label) where label is "secret" for a line holding a real-looking hardcoded
credential and "" otherwise (placeholders, references, hashes, public keys, code). The values are random
and fake; the seed is fixed so the corpus is reproducible. Run once; the output is committed.
"""
import base64, json, os, random, string

rnd = random.Random(20261122)
here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "corpus")

def s(n, alpha=string.ascii_letters + string.digits):
    return "".join(rnd.choice(alpha) for _ in range(n))

def hexs(n): return s(n, "0123456789abcdef")
def aws_id(): return "AKIA" + s(16, string.ascii_uppercase + "234567")
def aws_secret(): return s(40, string.ascii_letters + string.digits + "/+")
def ghp(): return "ghp_" + s(36)
def glpat(): return "glpat-" + s(20)
def npm(): return "npm_" + s(36)
def slack(): return "xoxb-" + s(12, string.digits) + "-" + s(13, string.digits) + "-" + s(24)
def stripe(): return "sk_live_" + s(24)
def sendgrid(): return "SG." + s(22, string.ascii_letters + string.digits + "_-") + "." + s(43, string.ascii_letters + string.digits + "_-")
def password(): return s(6) + rnd.choice("!#%*") + s(6)
def jwt():
    h = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').decode().rstrip("=")
    p = base64.urlsafe_b64encode(json.dumps({"sub": s(8), "iat": rnd.randint(1600000000, 1800000000)}).encode()).decode().rstrip("=")
    return f"{h}.{p}.{s(43, string.ascii_letters + string.digits + '_-')}"
def gcp(): return "AIza" + s(35, string.ascii_letters + string.digits + "_-")
def azure(): return s(86, string.ascii_letters + string.digits + "+/") + "=="

EC_KEY = """-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIH5hMaY9vDu6YN0iWiHs7l4aZed8bkVmB0P1mpfja5u8oAoGCCqGSM49
AwEHoUQDQgAENnP4gMAkELsFiDasA6mDRWcXOng87rgHIj63cRfOVblc0AHSb9yH
O5YBEzNdCDBErurvQznRrqcmeBxcQeaDWA==
-----END EC PRIVATE KEY-----"""
RSA_BODY = "\n".join(s(64, string.ascii_letters + string.digits + "+/") for _ in range(12))

P, N = "secret", ""
files = {
    "app/.env": [
        ("# payments service", N), ("REGION=eu-west-1", N), (f"DB_PASSWORD={password()}", P), ("DB_USER=payments", N),
        ("REDIS_PASSWORD=${REDIS_PASSWORD}", N), (f"GITHUB_TOKEN={ghp()}", P), ("API_KEY=your-api-key-here", N),
        (f"STRIPE_SECRET_KEY={stripe()}", P), ("STRIPE_PUBLISHABLE_KEY=pk_live_" + s(24), N), ("SMTP_PASSWORD=", N),
        (f"SENDGRID_API_KEY={sendgrid()}", P), ("LOG_LEVEL=debug", N), ("SESSION_SECRET=changeme", N),
    ],
    "app/.env.example": [
        ("DB_PASSWORD=changeme", N), ("GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", N), ("AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", N),
        ("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", N), ("STRIPE_SECRET_KEY=sk_test_xxxxxxxxxxxxxxxxxxxxxxxx", N),
    ],
    "deploy/values.yaml": [
        ("image: registry.internal/payments:1.4.2", N), ("replicas: 3", N), ("database:", N), ("  host: db.internal", N),
        (f"  password: {password()}", P), ("  user: payments", N), ("redis:", N), ("  password: ${REDIS_PASSWORD}", N),
        ("slack:", N), (f"  token: {slack()}", P), ("oauth:", N), (f"  client_secret: {s(24)}", P), ("  client_id: payments-api", N),
        ("  token_url: https://auth.internal/oauth2/token", N), ("tls:", N), ("  secretName: payments-tls", N),
    ],
    "deploy/deployment.yaml": [
        ("apiVersion: apps/v1", N), ("kind: Deployment", N), ("spec:", N), ("  template:", N), ("    spec:", N), ("      containers:", N),
        ("        - name: api", N), ("          env:", N), ("            - name: DB_PASSWORD", N), ("              valueFrom:", N),
        ("                secretKeyRef:", N), ("                  name: payments-db", N), ("                  key: password", N),
        ("            - name: DEBUG_TOKEN", N), (f"              value: \"{jwt()}\"", P),
    ],
    "config/appsettings.json": [
        ("{", N), ('  "ConnectionStrings": {', N), (f'    "Orders": "Server=sql.internal;Database=orders;User Id=orders;Password={password()};",', P),
        ('    "Audit": "Server=sql.internal;Database=audit;Integrated Security=true"', N), ("  },", N),
        (f'  "PaymentsApiKey": "{hexs(32)}",', P), ('  "Jwt": { "SigningKey": "%JWT_SIGNING_KEY%" },', N), ('  "Logging": { "LogLevel": { "Default": "Information" } }', N), ("}", N),
    ],
    "config/application.properties": [
        ("server.port=8080", N), ("spring.datasource.url=jdbc:postgresql://db.internal:5432/shop", N), ("spring.datasource.username=shop", N),
        (f"spring.datasource.password={password()}", P), ("spring.rabbitmq.password=${RABBIT_PASSWORD}", N),
        (f"spring.rabbitmq.addresses=amqp://orders:{password()}@mq.internal:5672/prod", P), ("management.endpoints.web.exposure.include=health", N),
    ],
    "config/web.config": [
        ('<?xml version="1.0" encoding="utf-8"?>', N), ("<configuration>", N), ("  <appSettings>", N),
        (f'    <add key="PaymentsApiKey" value="{s(20)}" />', P), ('    <add key="Environment" value="production" />', N),
        ('    <add key="ApiPassword" value="" />', N), ("  </appSettings>", N), ("</configuration>", N),
    ],
    "config/settings.xml": [
        ("<settings>", N), ("  <servers>", N), ("    <server>", N), ("      <id>nexus</id>", N), ("      <username>deploy</username>", N),
        ("      <password>${env.NEXUS_PASSWORD}</password>", N), ("    </server>", N), ("  </servers>", N), ("</settings>", N),
    ],
    "infra/main.tf": [
        ('provider "aws" {', N), ('  region     = "eu-west-1"', N), (f'  access_key = "{aws_id()}"', P), (f'  secret_key = "{aws_secret()}"', P), ("}", N),
        ('resource "aws_db_instance" "orders" {', N), ('  username = "orders"', N), ("  password = var.db_password", N), ("}", N),
        ('data "aws_secretsmanager_secret" "db" {', N), ('  arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders/db-AbCdEf"', N), ("}", N),
    ],
    "infra/terraform.tfvars": [(f'db_password = "{password()}"', P), ('region = "eu-west-1"', N), (f'gcp_api_key = "{gcp()}"', P)],
    "src/Payments/PaymentClient.cs": [
        ("namespace Payments;", N), ("", N), ("internal sealed class PaymentClient(HttpClient http)", N), ("{", N),
        (f'    private const string ApiKey = "{s(32)}";', P), ('    private readonly string _token = Environment.GetEnvironmentVariable("PAYMENTS_TOKEN") ?? "";', N),
        ("    public async Task<string> GetTokenAsync(CancellationToken cancellationToken)", N), ("    {", N),
        ("        var token = await http.GetStringAsync(\"/token\", cancellationToken);", N), ("        return token;", N), ("    }", N),
        ('    public bool Check(string password) => password == "secret";', N), ("}", N),
    ],
    "src/Payments/Startup.cs": [
        ('var cs = builder.Configuration["ConnectionStrings:Orders"];', N), ('var password = "";', N),
        (f'var legacy = "Server=sql01;Database=legacy;User Id=sa;Password={password()};";', P),
    ],
    "src/worker/app.py": [
        ("import os", N), ('DB_URL = os.environ["DATABASE_URL"]', N), (f'REDIS_URL = "redis://:{password()}@cache.internal:6379/0"', P),
        ('password = os.getenv("SMTP_PASSWORD")', N), (f'API_TOKEN = "{s(40)}"', P), ("def login(user, password):", N),
        ('    return check(user, password, salt="static")', N), (f'AWS_SECRET_ACCESS_KEY = "{aws_secret()}"', P),
    ],
    "src/web/client.ts": [
        ("const base = process.env.API_BASE ?? '';", N), ("export const url = `${base}/orders`;", N),
        (f"const githubToken = '{ghp()}';", P), (f"const npmToken = \"{npm()}\";", P), ("const secret = process.env.SECRET;", N),
        ("const passwordField = document.querySelector('#password');", N),
    ],
    "src/go/main.go": [
        ("package main", N), ('import "os"', N), ("func main() {", N), ('\tkey := os.Getenv("STRIPE_KEY")', N),
        (f'\tdsn := "postgres://app:{password()}@db.internal:5432/app"', P), ("\t_ = key", N), ("}", N),
    ],
    "src/java/App.java": [
        ('String key = System.getenv("STRIPE_KEY");', N), (f'String slack = "{slack()}";', P), ('String password = System.getenv("DB_PASSWORD");', N),
    ],
    "scripts/deploy.sh": [
        ("#!/usr/bin/env bash", N), ("set -euo pipefail", N), ('curl -H "Authorization: Bearer $DEPLOY_TOKEN" https://ci.internal/deploy', N),
        (f'export GITLAB_TOKEN={glpat()}', P), (f'mysql -u root -p{password()} shop < dump.sql', P),
        (f'curl -H "Authorization: Bearer {s(32)}" https://api.internal/orders', P),
    ],
    "scripts/deploy.cmd": [("sqlcmd -U app -P %DB_PASSWORD% -i schema.sql", N), ("echo done", N)],
    ".github/workflows/ci.yml": [
        ("on: push", N), ("jobs:", N), ("  build:", N), ("    runs-on: ubuntu-latest", N), ("    steps:", N), ("      - run: npm publish", N),
        ("        env:", N), ("          NPM_TOKEN: ${{ secrets.NPM_TOKEN }}", N), (f"          DOCKERHUB_TOKEN: dckr_pat_{s(27)}", P),
    ],
    "keys/deploy.pem": [(line, P if i == 0 else N) for i, line in enumerate(EC_KEY.split("\n"))],
    "keys/server.key": [(line, P if i == 0 else N) for i, line in enumerate(("-----BEGIN RSA PRIVATE KEY-----\n" + RSA_BODY + "\n-----END RSA PRIVATE KEY-----").split("\n"))],
    "keys/deploy.pub": [("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIM9DwlOb/T9cEwxOTeSSR7hX0/TReoMVY5s1q9rcDw1F deploy@ci", N)],
    "keys/public.pem": [("-----BEGIN PUBLIC KEY-----", N), ("MCowBQYDK2VwAyEAz0PCU5v9P1wTDE5N5JJHuFfT9NF6gxVjmzWr2twPDUU=", N), ("-----END PUBLIC KEY-----", N)],
    "keys/gcp-sa.json": [
        ("{", N), ('  "type": "service_account",', N), ('  "project_id": "payments-prod",', N), (f'  "private_key_id": "{hexs(40)}",', N),
        ('  "private_key": "-----BEGIN PRIVATE KEY-----\\n' + s(64, string.ascii_letters + string.digits + "+/") + "\\n" + s(40, string.ascii_letters + string.digits + "+/") + '\\n-----END PRIVATE KEY-----\\n",', P),
        ('  "client_email": "ci@payments-prod.iam.gserviceaccount.com"', N), ("}", N),
    ],
    "data/users.yaml": [
        ("users:", N), ("  - name: alice", N), ("    password_hash: $2b$12$" + s(53, string.ascii_letters + string.digits + "./"), N),
        ("  - name: bob", N), ("    password: $argon2id$v=19$m=65536,t=3,p=4$" + s(22) + "$" + s(43), N), (f"    token_sha256: {hexs(64)}", N),
    ],
    "data/package-lock.json": [
        ('{ "name": "web", "lockfileVersion": 3, "packages": { "node_modules/left-pad": {', N),
        ('  "resolved": "https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz",', N),
        ('  "integrity": "sha512-' + s(86, string.ascii_letters + string.digits + "+/") + '==" } } }', N),
    ],
    "docs/setup.md": [
        ("# Setup", N), ("Set `DB_PASSWORD` in your environment, for example:", N), ("    export DB_PASSWORD=<your-password>", N),
        ("The API key looks like `sk_live_...`; never commit it.", N), ("Connect with postgres://user:password@localhost:5432/db for local testing.", N),
        (f"Old staging token (revoked?): {ghp()}", P),
    ],
    "docker/config.json": [('{ "auths": { "registry.internal": { "auth": "' + base64.b64encode(("deploy:" + password()).encode()).decode() + '" } } }', P)],
    ".npmrc": [(f"//npm.pkg.internal/:_authToken={s(8, string.hexdigits.lower())}-{s(4, 'abcdef0123456789')}-{s(4, 'abcdef0123456789')}-{s(4, 'abcdef0123456789')}-{s(12, 'abcdef0123456789')}", P), ("//registry.npmjs.org/:_authToken=${NPM_TOKEN}", N)],
    "config/azure.env": [
        (f"AZURE_STORAGE=DefaultEndpointsProtocol=https;AccountName=payments;AccountKey={azure()};EndpointSuffix=core.windows.net", P),
        ("AZURITE=UseDevelopmentStorage=true", N),
    ],
    "config/mongo.yaml": [(f"uri: mongodb+srv://app:{password()}@cluster0.mongodb.net/orders", P), ("uri_template: mongodb+srv://app:${MONGO_PASSWORD}@cluster0.mongodb.net/orders", N)],
}

labels = []
for path, lines in sorted(files.items()):
    full = os.path.join(out, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w", newline="\n") as f:
        f.write("\n".join(l for l, _ in lines) + "\n")
    for n, (_, label) in enumerate(lines, 1):
        if label:
            labels.append(f"{path}\t{n}\t{label}")
with open(os.path.join(here, "corpus-labels.tsv"), "w") as f:
    f.write("# path\tline\tlabel — every line not listed is a negative\n" + "\n".join(labels) + "\n")
print(f"{len(files)} files, {len(labels)} labelled secrets")
