provider "aws" {
  region     = "eu-west-1"
  access_key = "AKIAWKHEW2D6CCHN73YI"
  secret_key = "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"
}
resource "aws_db_instance" "orders" {
  username = "orders"
  password = var.db_password
}
data "aws_secretsmanager_secret" "db" {
  arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders/db-AbCdEf"
}
