#!/bin/sh
# Loads an OpenLDAP directory from Passerelle's config/ldap the first time
# (the same files, in the same order, as src/slapd.rs and the README of
# config/ldap), then runs slapd in the foreground. Used by docker/compose.yaml;
# the test suite runs it too (tests/suite/docker_files.rs), on a free port.
#
# Environment (defaults are Debian's paths, as in the container):
#   LDIF_DIR            config/ldap, mounted            /passerelle/ldap
#   SLAPD_CONFIG_DIR    cn=config                       /etc/ldap/slapd.d
#   SLAPD_DATA_DIR      the mdb database                /var/lib/ldap
#   SLAPD_RUN_DIR       slapd.pid and slapd.args        /var/run/slapd
#   SLAPD_MODULE_DIR    back_mdb, ppolicy, argon2       /usr/lib/ldap
#   SLAPD_SCHEMA_DIR    Debian's core schemas           /etc/ldap/schema
#   SLAPD_URLS          what slapd listens on           ldap:///
#   SLAPD_USER          user slapd drops to (empty: stays who it is)
#   SLAPD_DEBUG         slapd -d level                  0
#   LDAP_ROOT_PASSWORD  rootdn password                 admin-demo-secret
#   LDAP_DEMO_PEOPLE    load demo-people.ldif (yes/no)  yes
set -eu

LDIF_DIR=${LDIF_DIR:-/passerelle/ldap}
SLAPD_CONFIG_DIR=${SLAPD_CONFIG_DIR:-/etc/ldap/slapd.d}
SLAPD_DATA_DIR=${SLAPD_DATA_DIR:-/var/lib/ldap}
SLAPD_RUN_DIR=${SLAPD_RUN_DIR:-/var/run/slapd}
SLAPD_MODULE_DIR=${SLAPD_MODULE_DIR:-/usr/lib/ldap}
SLAPD_SCHEMA_DIR=${SLAPD_SCHEMA_DIR:-/etc/ldap/schema}
SLAPD_URLS=${SLAPD_URLS:-ldap:///}
SLAPD_USER=${SLAPD_USER:-}
SLAPD_DEBUG=${SLAPD_DEBUG:-0}
LDAP_ROOT_PASSWORD=${LDAP_ROOT_PASSWORD:-admin-demo-secret}
LDAP_DEMO_PEOPLE=${LDAP_DEMO_PEOPLE:-yes}

mkdir -p "$SLAPD_CONFIG_DIR" "$SLAPD_DATA_DIR" "$SLAPD_RUN_DIR"

if [ ! -e "$SLAPD_CONFIG_DIR/cn=config.ldif" ]; then
    echo "passerelle-ldap: loading the directory from $LDIF_DIR" >&2
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    root_hash=$(slappasswd -h '{SSHA}' -s "$LDAP_ROOT_PASSWORD")
    # Entries need a blank line between files; Debian's do not end with one.
    for file in "$LDIF_DIR/slapd-global.ldif" \
        "$SLAPD_SCHEMA_DIR/core.ldif" "$SLAPD_SCHEMA_DIR/cosine.ldif" \
        "$SLAPD_SCHEMA_DIR/nis.ldif" "$SLAPD_SCHEMA_DIR/inetorgperson.ldif" \
        "$LDIF_DIR/schema/supann.ldif" "$LDIF_DIR/schema/schac.ldif" \
        "$LDIF_DIR/schema/eduperson.ldif" "$LDIF_DIR/schema/samba.ldif" \
        "$LDIF_DIR/schema/passerelle.ldif" "$LDIF_DIR/slapd-databases.ldif"; do
        cat "$file"
        printf '\n\n'
    done | sed -e "s#@RUNDIR@#$SLAPD_RUN_DIR#g" \
        -e "s#@MODULEDIR@#$SLAPD_MODULE_DIR#g" \
        -e "s#@DATADIR@#$SLAPD_DATA_DIR#g" \
        -e "s#@ROOTPW@#$root_hash#g" >"$work/config.ldif"
    slapadd -n0 -F "$SLAPD_CONFIG_DIR" -l "$work/config.ldif"

    cat "$LDIF_DIR/base.ldif" >"$work/data.ldif"
    if [ "$LDAP_DEMO_PEOPLE" = yes ]; then
        printf '\n\n' >>"$work/data.ldif"
        cat "$LDIF_DIR/demo-people.ldif" >>"$work/data.ldif"
    fi
    slapadd -q -n1 -F "$SLAPD_CONFIG_DIR" -l "$work/data.ldif"
    rm -rf "$work"
    trap - EXIT
fi

if [ -n "$SLAPD_USER" ]; then
    chown -R "$SLAPD_USER:$SLAPD_USER" "$SLAPD_CONFIG_DIR" "$SLAPD_DATA_DIR" "$SLAPD_RUN_DIR"
    exec slapd -h "$SLAPD_URLS" -F "$SLAPD_CONFIG_DIR" -u "$SLAPD_USER" -g "$SLAPD_USER" -d "$SLAPD_DEBUG"
fi
exec slapd -h "$SLAPD_URLS" -F "$SLAPD_CONFIG_DIR" -d "$SLAPD_DEBUG"
