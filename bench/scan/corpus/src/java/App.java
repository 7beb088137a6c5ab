String key = System.getenv("STRIPE_KEY");
String slack = "xoxb-502860506817-2938225805526-5DGCPfMAGwlLoZVPYY7Lrq7p";
String password = System.getenv("DB_PASSWORD");
