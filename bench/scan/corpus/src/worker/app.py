import os
DB_URL = os.environ["DATABASE_URL"]
REDIS_URL = "redis://:r8JE12*bbYTDB@cache.internal:6379/0"
password = os.getenv("SMTP_PASSWORD")
API_TOKEN = "A34apmYz0cDYPxkKEzI6kStgrlJ3bJXj0OqwLvul"
def login(user, password):
    return check(user, password, salt="static")
AWS_SECRET_ACCESS_KEY = "s7qQK7Zym5sEWU4WhOkvpsGl/g3WP0LnjZn1L64d"
