# Installs the Debian packages Passerelle's demo and tests run against, when
# they are missing. Sourced by scripts/demo and scripts/test.

# needs_packages PKG...: prints the packages that are not installed.
missing_packages() {
    local pkg missing=()
    for pkg in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$pkg")
        fi
    done
    echo "${missing[@]:-}"
}

# ensure_packages PKG...: installs what is missing with apt-get, as root or
# through password-less sudo; otherwise says exactly what to run and stops.
ensure_packages() {
    local missing
    missing=$(missing_packages "$@")
    [ -z "$missing" ] && return 0
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo="sudo -n"
        else
            echo "Passerelle needs these Debian packages: $missing" >&2
            echo "Install them as root:  apt-get install -y $missing" >&2
            exit 1
        fi
    fi
    echo "Installing: $missing" >&2
    # slapd must not build a directory of its own: ours comes from config/ldap.
    echo "slapd slapd/no_configuration boolean true" | $sudo debconf-set-selections
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    # shellcheck disable=SC2086
    $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

# The Rust toolchain must have rustfmt and clippy for the checks.
ensure_rust_components() {
    if ! command -v cargo >/dev/null 2>&1; then
        echo "Passerelle needs a Rust toolchain (cargo): see https://rustup.rs" >&2
        exit 1
    fi
    if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
        rustup component add rustfmt clippy
    fi
}

# ensure_commands CMD:PKG...: installs PKG when CMD is not on the PATH (for
# tools such as node and npm that may come from elsewhere than Debian).
ensure_commands() {
    local pair wanted=()
    for pair in "$@"; do
        command -v "${pair%%:*}" >/dev/null 2>&1 || wanted+=("${pair#*:}")
    done
    [ ${#wanted[@]} -eq 0 ] || ensure_packages "${wanted[@]}"
}
