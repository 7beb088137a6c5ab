db_password = "Oi2kxh!0F7KkZ"
region = "eu-west-1"
gcp_api_key = "AIzaqTD6Fsd7Q12DGvhAyANAv8h5U3l_8oAfAsC"
