#!/usr/bin/env bash
# A site's own directory from config/ldap, with its own suffix: the recipe
# of config/ldap/README.md ("A site's own directory"), which shows the lines
# between "recipe: begin" and "recipe: end" exactly as they are here.
# tests/suite/site_recipe.rs runs this file with another suffix, then starts
# slapd, adds people with ldapadd and runs the gateway in front of it.
#
# As root, on a machine where Debian's slapd is installed and stopped and
# /etc/ldap/slapd.d and /var/lib/ldap are empty (README.md says how):
#   cd config/ldap
#   SUFFIX=dc=univ-exemple,dc=fr ORGANIZATION="Université Exemple" ./site-recipe.sh
# Every other variable below has Debian's value by default.
set -euo pipefail
cd "$(dirname "$0")"

# --- recipe: begin
SUFFIX=${SUFFIX:?your suffix, e.g. SUFFIX=dc=univ-exemple,dc=fr}
ORGANIZATION=${ORGANIZATION:?the o: of the base entry, e.g. ORGANIZATION="Université Exemple"}
MIN_LENGTH=${MIN_LENGTH:-8}                 # pwdMinLength of the people's policy (policy.min_length)
CONFIG_DIR=${CONFIG_DIR:-/etc/ldap/slapd.d} # cn=config (slapd -F)
DATA_DIR=${DATA_DIR:-/var/lib/ldap}         # the mdb database
RUN_DIR=${RUN_DIR:-/var/run/slapd}          # slapd.pid, slapd.args
MODULE_DIR=${MODULE_DIR:-/usr/lib/ldap}
SCHEMA_DIR=${SCHEMA_DIR:-/etc/ldap/schema}  # Debian's core, cosine, nis, inetorgperson
LDAP_SECRETS=${LDAP_SECRETS:-/root/ldap-secrets}  # the rootdn's, RADIUS's and the breach sweep's passwords
GATEWAY_SECRET=${GATEWAY_SECRET:-/etc/passerelle/secrets/ldap-bind-password}
OWNER=${OWNER:-openldap:openldap}           # the user slapd runs as (slapd -u, -g)
ADMIN_UID=${ADMIN_UID:-0} ADMIN_GID=${ADMIN_GID:-0}  # who manages cn=config over ldapi:///

case $SUFFIX in dc=*) ;; *) echo "SUFFIX must start with dc= (base.ldif is a dcObject)" >&2; exit 1 ;; esac
for dir in "$CONFIG_DIR" "$DATA_DIR"; do
  if [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then echo "$dir is not empty" >&2; exit 1; fi
done

# 1. Five random passwords of 48 characters, each in a file only root reads,
#    WITHOUT a trailing newline: slappasswd -T hashes every byte of the file.
install -d -m 0700 "$LDAP_SECRETS"
install -d -m 0750 "$(dirname "$GATEWAY_SECRET")"
umask 077
for secret in "$LDAP_SECRETS/rootdn" "$LDAP_SECRETS/radius" "$GATEWAY_SECRET" \
              "$LDAP_SECRETS/breach-sweep" "$LDAP_SECRETS/breach-notice"; do
  [ -s "$secret" ] || head -c 36 /dev/urandom | base64 -w0 > "$secret"
done
ROOT_HASH=$(slappasswd -h '{SSHA}' -T "$LDAP_SECRETS/rootdn")
GATEWAY_HASH=$(slappasswd -h '{SSHA}' -T "$GATEWAY_SECRET")
RADIUS_HASH=$(slappasswd -h '{SSHA}' -T "$LDAP_SECRETS/radius")
SWEEP_HASH=$(slappasswd -h '{SSHA}' -T "$LDAP_SECRETS/breach-sweep")
NOTICE_HASH=$(slappasswd -h '{SSHA}' -T "$LDAP_SECRETS/breach-notice")

# 2. Your suffix everywhere: every DN, the dc: and o: of the base entry; the
#    service accounts' passwords; the people's minimum length.
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
DC=${SUFFIX%%,*}; DC=${DC#dc=}
ORG=$(printf '%s' "$ORGANIZATION" | sed -e 's/[|&\\]/\\&/g')
sed -e "s|dc=univ-exemple,dc=fr|$SUFFIX|g" \
    -e "s|gidNumber=0+uidNumber=0,cn=peercred|gidNumber=$ADMIN_GID+uidNumber=$ADMIN_UID,cn=peercred|" \
    slapd-databases.ldif > "$WORK/databases.ldif"
sed -e "s|dc=univ-exemple,dc=fr|$SUFFIX|g" -e "s|^dc: univ-exemple\$|dc: $DC|" -e "s|^o: .*|o: $ORG|" \
    -e "/^dn: cn=passerelle,ou=services,/,/^\$/s|^userPassword: .*|userPassword: $GATEWAY_HASH|" \
    -e "/^dn: cn=radius,ou=services,/,/^\$/s|^userPassword: .*|userPassword: $RADIUS_HASH|" \
    -e "/^dn: cn=breach-sweep,ou=services,/,/^\$/s|^userPassword: .*|userPassword: $SWEEP_HASH|" \
    -e "/^dn: cn=breach-notice,ou=services,/,/^\$/s|^userPassword: .*|userPassword: $NOTICE_HASH|" \
    -e "s|^pwdMinLength: 6\$|pwdMinLength: $MIN_LENGTH|" \
    base.ldif > "$WORK/base.ldif"

# 3. cn=config in one stream (a blank line between files), then the base.
for file in slapd-global.ldif "$SCHEMA_DIR"/{core,cosine,nis,inetorgperson}.ldif \
            schema/{supann,schac,eduperson,samba,passerelle}.ldif "$WORK/databases.ldif"; do
  cat "$file"; printf '\n\n'
done | sed -e "s|@RUNDIR@|$RUN_DIR|g" -e "s|@MODULEDIR@|$MODULE_DIR|g" \
           -e "s|@DATADIR@|$DATA_DIR|g" -e "s|@ROOTPW@|$ROOT_HASH|g" > "$WORK/config.ldif"
mkdir -p "$CONFIG_DIR" "$DATA_DIR" "$RUN_DIR"
slapadd -n0 -F "$CONFIG_DIR" -l "$WORK/config.ldif"
slapadd -n1 -F "$CONFIG_DIR" -l "$WORK/base.ldif"
chown -R "$OWNER" "$CONFIG_DIR" "$DATA_DIR" "$RUN_DIR"
# --- recipe: end
echo "Loaded $SUFFIX into $CONFIG_DIR and $DATA_DIR; start slapd (README.md, step 3)."
