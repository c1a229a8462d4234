#!/usr/bin/env bash
# Installs (when missing) and starts the real servers the test suite talks to, on a bare machine
# as on a kept one: PostgreSQL 15 from Debian, aiosmtpd (PyPI) as the SMTP catcher, moto's S3
# server (PyPI) for the media library's S3 backend, oauth2-mock-server (npm) for OAuth connects, Debian's ffmpeg for video probing, and
# Debian's Chromium for the browser tests.
# Fails loudly when one cannot start: the suite never silently skips a backend.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
peers="$root/.peers"
mkdir -p "$peers"

log() { printf '\033[1m[services]\033[0m %s\n' "$*"; }
die() { printf '\033[31m[services] %s\033[0m\n' "$*" >&2; exit 1; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

# ── PostgreSQL ──────────────────────────────────────────────────────────────────────────────────
PG_USER=zenalto PG_PASSWORD=zenalto
if ! command -v pg_ctlcluster >/dev/null || [ ! -d /usr/lib/postgresql/15 ]; then
  log "installing PostgreSQL 15 from Debian"
  apt_install postgresql
fi
if [ ! -d /etc/postgresql/15/main ]; then
  log "creating the PostgreSQL 15 cluster"
  as_root pg_createcluster 15 main >/dev/null
fi
if ! pg_lsclusters -h 2>/dev/null | awk '$1=="15" && $2=="main" {print $4}' | grep -q online; then
  log "starting PostgreSQL 15"
  as_root pg_ctlcluster 15 main start || die "PostgreSQL could not start (see /var/log/postgresql/postgresql-15-main.log)"
fi
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 0.5
done
pg_isready -q -h 127.0.0.1 -p 5432 || die "PostgreSQL is not accepting connections on 127.0.0.1:5432"
as_root su postgres -c "psql -q -v ON_ERROR_STOP=1 -d postgres" <<SQL >/dev/null || die "cannot create the test role"
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_USER') THEN
    CREATE ROLE $PG_USER LOGIN CREATEDB PASSWORD '$PG_PASSWORD';
  ELSE
    ALTER ROLE $PG_USER LOGIN CREATEDB PASSWORD '$PG_PASSWORD';
  END IF;
END \$\$;
SQL
export ZENALTO_TEST_POSTGRES_URL="postgres://$PG_USER:$PG_PASSWORD@127.0.0.1:5432/postgres"
PGPASSWORD=$PG_PASSWORD psql -q -h 127.0.0.1 -U $PG_USER -d postgres -c 'SELECT 1' >/dev/null \
  || die "cannot log in to PostgreSQL as $PG_USER on 127.0.0.1:5432"
# Drop databases left by earlier test runs on a kept machine.
PGPASSWORD=$PG_PASSWORD psql -qAt -h 127.0.0.1 -U $PG_USER -d postgres \
  -c "SELECT datname FROM pg_database WHERE datname LIKE 'zenalto_test_%'" | while read -r db; do
  PGPASSWORD=$PG_PASSWORD psql -q -h 127.0.0.1 -U $PG_USER -d postgres -c "DROP DATABASE IF EXISTS \"$db\"" >/dev/null || true
done
log "PostgreSQL ready at 127.0.0.1:5432 (role $PG_USER)"

# ── SMTP catcher: aiosmtpd from PyPI, in the project's own virtualenv ───────────────────────────
if [ ! -x "$peers/venv/bin/python" ]; then
  log "creating the peers virtualenv"
  python3 -m venv "$peers/venv" || { apt_install python3-venv; python3 -m venv "$peers/venv"; }
fi
if ! "$peers/venv/bin/python" -c 'import aiosmtpd' 2>/dev/null; then
  log "installing aiosmtpd"
  "$peers/venv/bin/pip" install -q aiosmtpd==1.4.6 || die "cannot install aiosmtpd from PyPI"
fi
export ZENALTO_TEST_PYTHON="$peers/venv/bin/python"
log "aiosmtpd available ($ZENALTO_TEST_PYTHON); tests start their own instance per case"

# ── S3: moto's server from PyPI, in the same virtualenv, on 127.0.0.1:5055 ────────────────────────
MOTO_PORT=5055
if ! "$peers/venv/bin/python" -c 'import moto.server' 2>/dev/null || [ ! -x "$peers/venv/bin/moto_server" ]; then
  log "installing moto[server]"
  "$peers/venv/bin/pip" install -q 'moto[server]==5.2.5' || die "cannot install moto[server] from PyPI"
fi
if ! curl -s -o /dev/null "http://127.0.0.1:$MOTO_PORT/"; then
  log "starting moto's S3 server on 127.0.0.1:$MOTO_PORT"
  nohup "$peers/venv/bin/moto_server" -H 127.0.0.1 -p "$MOTO_PORT" >"$peers/moto.log" 2>&1 &
  echo $! >"$peers/moto.pid"
  for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$MOTO_PORT/" && break; sleep 0.2; done
fi
curl -s -o /dev/null "http://127.0.0.1:$MOTO_PORT/" || die "moto's S3 server did not start (see $peers/moto.log)"
export ZENALTO_TEST_S3_ENDPOINT="http://127.0.0.1:$MOTO_PORT"
log "moto S3 ready at $ZENALTO_TEST_S3_ENDPOINT (tests create their own buckets)"

# ── MCP: the official Python SDK (PyPI), as the client in the MCP server's test ──────────────────
if ! "$peers/venv/bin/python" -c 'import importlib.metadata as m; assert m.version("mcp") == "2.3.0"' 2>/dev/null; then
  log "installing mcp (the official Model Context Protocol SDK)"
  "$peers/venv/bin/pip" install -q 'mcp==2.3.0' || die "cannot install mcp from PyPI"
fi

# ── OAuth 2.0: oauth2-mock-server from npm (a real authorization server with PKCE) ────────────────
OAUTH_MOCK_VERSION=8.2.3   # 9.x needs Node 22; 8.2.3 runs on Debian's Node 20
oauth_mock="$peers/oauth/node_modules/oauth2-mock-server/dist/oauth2-mock-server.mjs"
if [ ! -f "$oauth_mock" ]; then
  log "installing oauth2-mock-server $OAUTH_MOCK_VERSION from npm"
  mkdir -p "$peers/oauth"
  [ -f "$peers/oauth/package.json" ] || (cd "$peers/oauth" && npm init -y >/dev/null)
  (cd "$peers/oauth" && npm install --no-audit --no-fund "oauth2-mock-server@$OAUTH_MOCK_VERSION" >/dev/null) || die "cannot install oauth2-mock-server from npm"
fi
node "$oauth_mock" --help >/dev/null 2>&1 || die "oauth2-mock-server is installed but does not run"
export ZENALTO_TEST_OAUTH_MOCK="$oauth_mock"
log "oauth2-mock-server available; tests start their own instance on a free port"

# ── ffmpeg/ffprobe for video probing (and the test videos) ─────────────────────────────────────
if ! command -v ffprobe >/dev/null || ! command -v ffmpeg >/dev/null; then
  log "installing ffmpeg from Debian"
  apt_install ffmpeg || die "cannot install ffmpeg"
fi
ffprobe -version >/dev/null 2>&1 || die "ffprobe is installed but does not run"
log "ffmpeg available ($(ffmpeg -version 2>/dev/null | head -1))"

# ── Chromium for the end-to-end browser tests ────────────────────────────────────────────────────
if [ ! -x /usr/bin/chromium ]; then
  log "installing Chromium from Debian"
  apt_install chromium || die "cannot install Chromium"
fi
/usr/bin/chromium --headless --no-sandbox --disable-gpu --version >/dev/null 2>&1 || die "Chromium is installed but does not start"
log "Chromium available ($(/usr/bin/chromium --version 2>/dev/null))"

# ── Fediverse peers: a real Bluesky PDS (with a real PLC directory) and mastodon-mock ────────────
# The Bluesky adapter's tests talk to @atproto/pds 0.4.217 (the newest release that runs on the
# system's Node 20) backed by @did-plc/server 0.0.1 with an in-memory database, both from npm and
# bound to 127.0.0.1. The PLC forgets every DID when it stops, so the PDS gets a fresh data
# directory whenever the PLC is (re)started. The Mastodon adapter's tests talk to mastodon-mock
# (PyPI), a stateful mock of the Mastodon REST API, in the peers virtualenv.
PLC_PORT=2582 PDS_PORT=2583 MASTODON_MOCK_PORT=3000
command -v node >/dev/null && command -v npm >/dev/null || { log "installing Node.js from Debian"; apt_install nodejs npm; }
command -v node >/dev/null || die "Node.js is needed for the Bluesky PDS and could not be installed"
if [ ! -f "$peers/plc/node_modules/@did-plc/server/package.json" ]; then
  log "installing @did-plc/server 0.0.1 into $peers/plc"
  mkdir -p "$peers/plc"
  (cd "$peers/plc" && { [ -f package.json ] || npm init -y >/dev/null; } && npm install --no-save @did-plc/server@0.0.1 >install.log 2>&1) \
    || die "cannot install @did-plc/server from npm (see $peers/plc/install.log)"
fi
if [ ! -f "$peers/pds/node_modules/@atproto/pds/package.json" ]; then
  log "installing @atproto/pds 0.4.217 into $peers/pds (compiles better-sqlite3: about 1.5 minutes)"
  mkdir -p "$peers/pds"
  (cd "$peers/pds" && { [ -f package.json ] || npm init -y >/dev/null; } \
    && npm_config_nodedir=/usr npm install --no-save @atproto/pds@0.4.217 --foreground-scripts >install.log 2>&1) \
    || die "cannot install @atproto/pds from npm (see $peers/pds/install.log)"
fi
cat >"$peers/plc/plc.cjs" <<'JS'
// A real did:plc directory (@did-plc/server) with an in-memory database, on 127.0.0.1 only.
const { PlcServer, Database } = require('@did-plc/server')
const port = parseInt(process.env.PLC_PORT || '2582', 10)
async function main() {
  const plc = PlcServer.create({ db: Database.mock(), port })
  const listen = plc.app.listen.bind(plc.app)
  plc.app.listen = (p, ...rest) => listen(p, '127.0.0.1', ...rest)
  await plc.start()
  console.log(`PLC listening on http://127.0.0.1:${port}`)
  const stop = async () => { await plc.destroy(); process.exit(0) }
  process.on('SIGTERM', stop); process.on('SIGINT', stop)
}
main().catch((e) => { console.error(e); process.exit(1) })
JS
cat >"$peers/pds/pds.cjs" <<'JS'
// A real Bluesky PDS (@atproto/pds 0.4.x, CommonJS), configured by PDS_* variables, on 127.0.0.1.
const { PDS, envToCfg, envToSecrets, readEnv } = require('@atproto/pds')
;(async () => {
  const env = readEnv()
  const cfg = envToCfg(env)
  const pds = await PDS.create(cfg, envToSecrets(env))
  const listen = pds.app.listen.bind(pds.app)
  pds.app.listen = (p, ...rest) => listen(p, '127.0.0.1', ...rest)
  await pds.start()
  console.log(`PDS ${cfg.service.version} listening on ${cfg.service.publicUrl}`)
  const stop = async () => { await pds.destroy(); process.exit(0) }
  process.on('SIGTERM', stop); process.on('SIGINT', stop)
})().catch((e) => { console.error(e); process.exit(1) })
JS
wait_for() { for _ in $(seq 1 100); do curl -sf -o /dev/null "$1" && return 0; sleep 0.3; done; return 1; }
if ! curl -sf -o /dev/null "http://127.0.0.1:$PLC_PORT/_health"; then
  log "starting the PLC directory on 127.0.0.1:$PLC_PORT"
  # A subshell for the cd: this file is sourced, and the caller's directory stays as it was.
  # (cd first on its own line: `cd x && cmd &` would background the whole list, and $! would not
  # be node's pid.)
  (
    cd "$peers/plc" || exit 1
    PLC_PORT=$PLC_PORT nohup node plc.cjs >"$peers/plc.log" 2>&1 &
    echo $! >"$peers/plc.pid"
  )
  wait_for "http://127.0.0.1:$PLC_PORT/_health" || die "the PLC directory did not start (see $peers/plc.log)"
  # A new PLC knows no DIDs: the PDS must start over too.
  if [ -f "$peers/pds.pid" ] && kill -0 "$(cat "$peers/pds.pid")" 2>/dev/null; then kill "$(cat "$peers/pds.pid")"; sleep 1; fi
  rm -rf "$peers/pds-data"
fi
if ! curl -sf -o /dev/null "http://127.0.0.1:$PDS_PORT/xrpc/_health"; then
  log "starting the Bluesky PDS on 127.0.0.1:$PDS_PORT"
  rm -rf "$peers/pds-data"; mkdir -p "$peers/pds-data/blobs"
  [ -f "$peers/pds/secrets.env" ] || cat >"$peers/pds/secrets.env" <<ENV
PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX=$(openssl rand -hex 32)
PDS_DPOP_SECRET=$(openssl rand -hex 32)
PDS_JWT_SECRET=$(openssl rand -hex 16)
ENV
  (
    cd "$peers/pds"
    set -a; . ./secrets.env; set +a
    export PDS_HOSTNAME=localhost PDS_PORT=$PDS_PORT PDS_DEV_MODE=true PDS_INVITE_REQUIRED=false \
      PDS_DATA_DIRECTORY="$peers/pds-data" PDS_BLOBSTORE_DISK_LOCATION="$peers/pds-data/blobs" \
      PDS_DID_PLC_URL="http://127.0.0.1:$PLC_PORT" PDS_ADMIN_PASSWORD=admin-pass PDS_CRAWLERS= \
      PDS_RATE_LIMITS_ENABLED=false LOG_ENABLED=false
    nohup node pds.cjs >"$peers/pds.log" 2>&1 &
    echo $! >"$peers/pds.pid"
  )
  wait_for "http://127.0.0.1:$PDS_PORT/xrpc/_health" || die "the Bluesky PDS did not start (see $peers/pds.log)"
fi
export ZENALTO_TEST_PDS_URL="http://127.0.0.1:$PDS_PORT"
log "Bluesky PDS ready at $ZENALTO_TEST_PDS_URL (PLC at 127.0.0.1:$PLC_PORT; tests create their own accounts)"

if ! "$peers/venv/bin/python" -c 'import mastodon_mock' 2>/dev/null || [ ! -x "$peers/venv/bin/mastodon_mock" ]; then
  log "installing mastodon-mock"
  "$peers/venv/bin/pip" install -q mastodon-mock==0.6.1 || die "cannot install mastodon-mock from PyPI"
fi
if ! curl -sf -o /dev/null "http://127.0.0.1:$MASTODON_MOCK_PORT/api/v1/instance"; then
  log "starting mastodon-mock on 127.0.0.1:$MASTODON_MOCK_PORT"
  nohup "$peers/venv/bin/mastodon_mock" serve --host 127.0.0.1 --port "$MASTODON_MOCK_PORT" --in-memory --demo >"$peers/mastodon-mock.log" 2>&1 &
  echo $! >"$peers/mastodon-mock.pid"
  wait_for "http://127.0.0.1:$MASTODON_MOCK_PORT/api/v1/instance" || die "mastodon-mock did not start (see $peers/mastodon-mock.log)"
fi
export ZENALTO_TEST_MASTODON_MOCK_URL="http://127.0.0.1:$MASTODON_MOCK_PORT"
log "mastodon-mock ready at $ZENALTO_TEST_MASTODON_MOCK_URL (demo accounts ada, grace, alan, katherine)"
