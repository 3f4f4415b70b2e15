#!/bin/sh
# Writes the demo gateway's secrets, once, as files in KEYS_DIR (a volume
# the gateway mounts read-only): random cookie and code keys and answer
# pepper, and the service account's password of config/ldap/base.ldif
# (a demo value). Nothing secret is committed for the demo but that
# published demo password. Files belong to distroless's nonroot (65532).
set -eu
KEYS_DIR=${KEYS_DIR:-/keys}
umask 077
mkdir -p "$KEYS_DIR"
for name in cookie_key code_key answer_pepper; do
    if [ ! -s "$KEYS_DIR/$name" ]; then
        head -c 48 /dev/urandom | base64 | tr -d '\n' >"$KEYS_DIR/$name"
    fi
done
if [ ! -s "$KEYS_DIR/bind_password" ]; then
    printf '%s' "${LDAP_SERVICE_PASSWORD:-passerelle-demo-secret}" >"$KEYS_DIR/bind_password"
fi
chown 65532:65532 "$KEYS_DIR"/* 2>/dev/null || true
