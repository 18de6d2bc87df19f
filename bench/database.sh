# Sourced by the bench scripts: with DB=postgres, a throwaway PostgreSQL under $DATA/pg (default, durable settings)
# started as the postgres user on 127.0.0.1:$PGPORT, and DBENV set so the app uses it (migrating on start).
# With DB=sqlite (the default) DBENV stays empty and the app uses its SQLite file in $DATA.
# PGBOUNCER=1 (with DB=postgres) puts Debian's PgBouncer between the app and the server, in transaction pooling with
# 32 server connections (pgbench still talks to the server itself: the reference stays the same).
DB=${DB:-sqlite}
DBENV=()
if [ "$DB" = postgres ]; then
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  mkdir -p "$DATA/pg" && chown postgres:postgres "$DATA/pg"
  su postgres -s /bin/sh -c "$PGBIN/initdb -D $DATA/pg/data -U postgres -A trust -E UTF8 --locale=C.UTF-8" >/dev/null
  su postgres -s /bin/sh -c "$PGBIN/pg_ctl -D $DATA/pg/data -l $DATA/pg/server.log -w -o \"-p $PGPORT -k $DATA/pg -c listen_addresses=127.0.0.1 -c max_connections=200\" start" >/dev/null
  PSQL=(psql -h 127.0.0.1 -p "$PGPORT" -U postgres)
  "${PSQL[@]}" -qc "CREATE DATABASE careerrelay" >/dev/null
  APP_PGPORT=$PGPORT
  if [ "${PGBOUNCER:-0}" = 1 ]; then
    command -v pgbouncer >/dev/null || { apt-get update -qq && apt-get install -y -qq pgbouncer >/dev/null; }
    APP_PGPORT=$((PGPORT + 1000))
    printf '[databases]\n* = host=127.0.0.1 port=%s\n[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = %s\nunix_socket_dir = %s\nauth_type = trust\nauth_file = %s\npool_mode = transaction\nmax_client_conn = 1000\ndefault_pool_size = 32\nlogfile = %s\npidfile = %s\n' \
      "$PGPORT" "$APP_PGPORT" "$DATA/pg" "$DATA/pg/users.txt" "$DATA/pg/pgbouncer.log" "$DATA/pg/pgbouncer.pid" > "$DATA/pg/pgbouncer.ini"
    echo '"postgres" ""' > "$DATA/pg/users.txt"
    chown postgres:postgres "$DATA/pg/pgbouncer.ini" "$DATA/pg/users.txt"
    su postgres -s /bin/sh -c "pgbouncer -d $DATA/pg/pgbouncer.ini"
  fi
  DBENV=(Database__Provider=Postgres Database__MigrateOnStart=true "ConnectionStrings__CareerRelay=Host=127.0.0.1;Port=$APP_PGPORT;Username=postgres;Database=careerrelay;Maximum Pool Size=64")
fi
stop_database() {
  [ -f "$DATA/pg/pgbouncer.pid" ] && kill "$(cat "$DATA/pg/pgbouncer.pid")" 2>/dev/null || true
  if [ "$DB" = postgres ]; then su postgres -s /bin/sh -c "$PGBIN/pg_ctl -D $DATA/pg/data -m fast stop" >/dev/null; fi; }
