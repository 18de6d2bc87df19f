# Sourced by the bench scripts: with DB=postgres, a throwaway PostgreSQL under $DATA/pg (default, durable settings)
# started as the postgres user on 127.0.0.1:$PGPORT, and DBENV set so the app uses it (migrating on start).
# With DB=sqlite (the default) DBENV stays empty and the app uses its SQLite file in $DATA.
DB=${DB:-sqlite}
DBENV=()
if [ "$DB" = postgres ]; then
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  mkdir -p "$DATA/pg" && chown postgres:postgres "$DATA/pg"
  su postgres -s /bin/sh -c "$PGBIN/initdb -D $DATA/pg/data -U postgres -A trust -E UTF8 --locale=C.UTF-8" >/dev/null
  su postgres -s /bin/sh -c "$PGBIN/pg_ctl -D $DATA/pg/data -l $DATA/pg/server.log -w -o \"-p $PGPORT -k $DATA/pg -c listen_addresses=127.0.0.1 -c max_connections=200\" start" >/dev/null
  PSQL=(psql -h 127.0.0.1 -p "$PGPORT" -U postgres)
  "${PSQL[@]}" -qc "CREATE DATABASE careerrelay" >/dev/null
  DBENV=(Database__Provider=Postgres Database__MigrateOnStart=true "ConnectionStrings__CareerRelay=Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=careerrelay;Maximum Pool Size=64")
fi
stop_database() { if [ "$DB" = postgres ]; then su postgres -s /bin/sh -c "$PGBIN/pg_ctl -D $DATA/pg/data -m fast stop" >/dev/null; fi; }
