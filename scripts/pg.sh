# Source this file to start a throwaway PostgreSQL 15 cluster on a free loopback port.
# Sets PGPORT and PG_URL_BASE (postgres://locus:locus@127.0.0.1:PORT); stops it on exit.
PGBIN=/usr/lib/postgresql/15/bin
PGROOT=$(mktemp -d /tmp/locus-pg.XXXXXX)
chmod 755 "$PGROOT"
chown postgres:postgres "$PGROOT" 2>/dev/null || true
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
PGPORT=$(python3 -c "import socket;s=socket.socket();s.bind(('127.0.0.1',0));print(s.getsockname()[1])")
pg_cleanup() { as_pg "$PGBIN/pg_ctl" -D "$PGROOT/data" -m fast -w stop >/dev/null 2>&1 || true; rm -rf "$PGROOT"; }
trap pg_cleanup EXIT
as_pg "$PGBIN/initdb" -D "$PGROOT/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/server.log" \
  -o "-p $PGPORT -k $PGROOT -c listen_addresses=127.0.0.1 -c fsync=off" -w start >/dev/null
pg_createdb() {
  "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -v ON_ERROR_STOP=1 -q \
    -c "DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='locus') THEN CREATE ROLE locus LOGIN PASSWORD 'locus' CREATEDB; END IF; END\$\$" \
    -c "CREATE DATABASE $1 OWNER locus"
}
PG_URL_BASE="postgres://locus:locus@127.0.0.1:$PGPORT"
