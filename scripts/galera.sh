#!/usr/bin/env bash
# A three-node MariaDB Galera cluster on loopback, for the multi-instance tests (docs/operations.md
# "Galera"). Never touches the MariaDB on 3306: each node has its own temp datadir, socket and ports.
#
#   scripts/galera.sh start    # three nodes, waits until all are Synced (cluster size 3)
#   scripts/galera.sh status   # size and state of each node
#   scripts/galera.sh stop     # shuts the nodes down and deletes their datadirs
#
# Needs mariadb-server and galera-4 (Debian: apt-get install galera-4), run as root (the nodes run as
# user mysql: a joiner's rsync SST run as root writes as nobody and fails). Ports (below 32768, so no
# ephemeral port is in the way): SQL 24301-24303, group 24571-24573, IST 24581-24583, SST 24591-24593.
# GALERA_DIR (default /tmp/palm-galera) holds the nodes.
set -euo pipefail

BASE=${GALERA_DIR:-/tmp/palm-galera}
PROVIDER=${GALERA_PROVIDER:-/usr/lib/galera/libgalera_smm.so}
CLUSTER="gcomm://127.0.0.1:24571,127.0.0.1:24572,127.0.0.1:24573"

sql_port() { echo $((24300 + $1)); }
sock() { echo "$BASE/node$1/mysqld.sock"; }
q() { mariadb --no-defaults -S "$(sock "$1")" -uroot -N -B -e "$2"; }

write_config() {
  local n=$1 dir="$BASE/node$1"
  install -d -o mysql -g mysql "$dir" "$dir/data"
  cat >"$dir/my.cnf" <<EOF
[mysqld]
user=mysql
datadir=$dir/data
socket=$dir/mysqld.sock
pid-file=$dir/mysqld.pid
port=$(sql_port "$n")
bind-address=127.0.0.1
log-error=$dir/error.log
binlog_format=ROW
default_storage_engine=InnoDB
innodb_autoinc_lock_mode=2
innodb_buffer_pool_size=96M
innodb_flush_log_at_trx_commit=2
max_connections=300
wsrep_on=ON
wsrep_provider=$PROVIDER
wsrep_cluster_name=palm_galera
wsrep_cluster_address=$CLUSTER
wsrep_node_name=node$n
wsrep_node_address=127.0.0.1
wsrep_sst_method=rsync
wsrep_sst_receive_address=127.0.0.1:$((24590 + n))
wsrep_provider_options="gmcast.listen_addr=tcp://127.0.0.1:$((24570 + n));ist.recv_addr=127.0.0.1:$((24580 + n));gcache.size=64M"
wsrep_slave_threads=2
EOF
  chown mysql:mysql "$dir/my.cnf"
}

start_node() {
  local n=$1; shift
  runuser -u mysql -- setsid mariadbd --defaults-file="$BASE/node$n/my.cnf" "$@" >/dev/null 2>&1 </dev/null &
}

wait_synced() {
  local n=$1
  for _ in $(seq 1 300); do
    if [ "$(q "$n" "SHOW STATUS LIKE 'wsrep_local_state_comment'" 2>/dev/null | cut -f2)" = "Synced" ]; then return 0; fi
    sleep 0.2
  done
  echo "node$n did not reach Synced; see $BASE/node$n/error.log" >&2
  tail -20 "$BASE/node$n/error.log" >&2 || true
  return 1
}

case "${1:-}" in
  start)
    command -v mariadbd >/dev/null || { echo "mariadbd missing (apt-get install mariadb-server)" >&2; exit 1; }
    [ -f "$PROVIDER" ] || { echo "$PROVIDER missing (apt-get install galera-4)" >&2; exit 1; }
    [ -e "$BASE" ] && { echo "$BASE exists: scripts/galera.sh stop first" >&2; exit 1; }
    install -d -o mysql -g mysql "$BASE"
    for n in 1 2 3; do write_config "$n"; done
    mariadb-install-db --defaults-file="$BASE/node1/my.cnf" --user=mysql >/dev/null
    start_node 1 --wsrep-new-cluster
    wait_synced 1
    q 1 "CREATE USER IF NOT EXISTS root@'127.0.0.1' IDENTIFIED BY ''; GRANT ALL ON *.* TO root@'127.0.0.1' WITH GRANT OPTION;
         ALTER USER root@localhost IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket;"
    start_node 2; wait_synced 2
    start_node 3; wait_synced 3
    echo "Galera cluster of $(q 1 "SHOW STATUS LIKE 'wsrep_cluster_size'" | cut -f2) nodes is up:"
    echo "  TEST_MARIADB_URL=mysql://root@127.0.0.1:24301 TEST_MARIADB_URL_B=mysql://root@127.0.0.1:24302"
    ;;
  status)
    for n in 1 2 3; do
      printf 'node%s (port %s): ' "$n" "$(sql_port "$n")"
      q "$n" "SHOW STATUS WHERE Variable_name IN ('wsrep_cluster_size','wsrep_local_state_comment','wsrep_cluster_status','wsrep_local_cert_failures','wsrep_local_bf_aborts')" 2>/dev/null | tr '\t\n' '= ' || printf 'down'
      echo
    done
    ;;
  stop)
    for n in 3 2 1; do
      pidfile="$BASE/node$n/mysqld.pid"
      [ -f "$pidfile" ] || continue
      pid=$(cat "$pidfile")
      mariadb-admin --no-defaults -S "$(sock "$n")" -uroot shutdown 2>/dev/null || kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
    done
    rm -rf "$BASE"
    echo "Galera cluster stopped and removed"
    ;;
  *)
    echo "usage: $0 start|status|stop" >&2
    exit 2
    ;;
esac
