#!/usr/bin/env bash
# Upgrades the bot in place: stop, back up, fetch the new release, install, start.
# Migrations apply on start; the backup taken first is the way back.
# Usage (as root): deploy/upgrade.sh [<git ref, default: the newest tag>]
set -euo pipefail
APP_DIR=${APP_DIR:-/opt/service-maturity-bot}
APP_USER=${APP_USER:-service-maturity-bot}
UNIT=${UNIT:-service-maturity-bot.service}
SYSTEMCTL=${SYSTEMCTL:-systemctl}
as_bot() { if [ "$(id -un)" = "$APP_USER" ]; then "$@"; else runuser -u "$APP_USER" -- "$@"; fi; }

cd "$APP_DIR"
as_bot git fetch --tags --quiet
ref=${1:-$(as_bot git describe --tags --abbrev=0 "$(as_bot git rev-list --tags --max-count=1)")}
echo "Upgrading $(as_bot git describe --tags --always) -> $ref"
"$SYSTEMCTL" stop "$UNIT"
# With the bot stopped, a backup is exactly the state before the upgrade (the backup unit
# is a oneshot: start returns when it is done, and fails if the backup failed).
"$SYSTEMCTL" start service-maturity-bot-backup.service
as_bot git checkout --quiet "$ref"
as_bot npm ci --omit=dev --no-audit --no-fund
"$SYSTEMCTL" start "$UNIT"
# The new version rebuilds and applies its migrations as it starts; a failure exits and
# systemd shows the unit as failed or restarting.
sleep 15
if [ "$("$SYSTEMCTL" show -p NRestarts --value "$UNIT")" = "0" ] && "$SYSTEMCTL" is-active --quiet "$UNIT"; then
  echo "Started $ref."
else
  echo "The bot did not start cleanly; see: journalctl -u $UNIT -n 50. To go back: stop it, restore the backup (README, Backups), check out the old release, npm ci --omit=dev, start." >&2
  exit 1
fi
