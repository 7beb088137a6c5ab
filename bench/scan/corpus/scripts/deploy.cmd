sqlcmd -U app -P %DB_PASSWORD% -i schema.sql
echo done
