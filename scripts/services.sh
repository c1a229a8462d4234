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
