#!/bin/sh
# Before the Temporal server starts (docker-compose.yml's temporal-schema service, on the
# temporalio/admin-tools image of the server's version): Temporal's two databases on PostgreSQL, with
# the schema that server version needs. The server only checks the schema's version at start; it never
# creates or changes it. Every step is idempotent, so this runs at each `docker compose up`, and after
# an upgrade of the server image (with the admin-tools image of the same version) it applies the
# versions in between. Connection from SQL_HOST, SQL_PORT, SQL_USER, SQL_PASSWORD; plugin SQL_PLUGIN.
set -eu

for database in temporal temporal_visibility; do
  case $database in
    temporal) schema=postgresql/v12/temporal ;;
    temporal_visibility) schema=postgresql/v12/visibility ;;
  esac
  echo "temporal-schema: $database ($schema)"
  temporal-sql-tool --db "$database" create
  temporal-sql-tool --db "$database" setup-schema -v 0.0
  temporal-sql-tool --db "$database" update-schema --schema-name "$schema"
done
echo 'temporal-schema: both databases are at the schema this server version needs'
