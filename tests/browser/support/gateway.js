// Starts the gateway under test as a newcomer does: `passerelle demo` (a
// real slapd from config/ldap with the demo people, mail written to an
// outbox folder), on a free port, and reads what it prints: the gateway's
// URL and the directory's LDAP URL. Stops it (SIGTERM, as Ctrl-C) at the end.
"use strict";

const { spawn, execFile } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const net = require("node:net");
const os = require("node:os");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "../../..");

/** The passerelle binary: $PASSERELLE_BIN, else the debug build of cargo. */
function binary() {
  if (process.env.PASSERELLE_BIN) return process.env.PASSERELLE_BIN;
  const target = process.env.CARGO_TARGET_DIR || path.join(ROOT, "target");
  return path.resolve(ROOT, target, "debug", "passerelle");
}

/** Where the suite leaves its screenshots (ignored by git). */
function artifactsDir() {
  const target = process.env.CARGO_TARGET_DIR || path.join(ROOT, "target");
  return path.resolve(ROOT, target, "browser-artifacts");
}

/** A port nobody listens on now (the OS picks it). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

let presetSupport;
/** Whether this build's `passerelle demo` takes `--preset NAME`. */
function supportsPresets() {
  if (presetSupport === undefined) {
    presetSupport = new Promise((resolve) => {
      execFile(binary(), ["demo", "--help"], (error, stdout) => {
        resolve(!error && /--preset/.test(stdout));
      });
    });
  }
  return presetSupport;
}

/**
 * Starts `passerelle demo` (with `--preset NAME` when `preset` is given) and
 * resolves once it printed its URL. The result has `url`, `ldapUrl`,
 * `outbox`, `cookieKey`, `codeKey` (the keys it was given, so the suite can
 * read the captcha as the Rust tests do), `output()` and `stop()`.
 */
async function startDemo({ preset, timeoutMs = 30000 } = {}) {
  const bin = binary();
  if (!fs.existsSync(bin)) {
    throw new Error(`${bin} is missing: build it with \`cargo build --bin passerelle\``);
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-browser-"));
  const outbox = path.join(work, "outbox");
  const cookieKey = crypto.randomBytes(32).toString("hex");
  const codeKey = crypto.randomBytes(32).toString("hex");
  // The port can be taken between the look and the start: try again.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const args = ["demo", "--port", String(port), "--outbox", outbox];
    if (preset) args.push("--preset", preset);
    const child = spawn(bin, args, {
      cwd: work,
      env: {
        ...process.env,
        PASSERELLE_SECRETS__COOKIE_KEY: cookieKey,
        PASSERELLE_SECRETS__CODE_KEY: codeKey,
        NO_COLOR: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
    const started = await new Promise((resolve) => {
      const deadline = Date.now() + timeoutMs;
      const look = () => {
        const url = /Passerelle demo: (http:\/\/\S+?)\/?\s/.exec(output);
        if (url) return resolve(url[1]);
        if (child.exitCode !== null || Date.now() > deadline) return resolve(null);
        setTimeout(look, 25);
      };
      look();
    });
    if (!started) {
      child.kill("SIGKILL");
      await exited;
      if (attempt < 3 && /in use/.test(output)) continue;
      throw new Error(`passerelle demo did not start:\n${output}`);
    }
    const ldap = /demo directory: (ldap:\/\/\S+)/.exec(output);
    // The numbers it printed for its people ("  jdupont    n° 22301001  né(e)
    // le …"; Ecolesoft's "  123456780123001  (jdupont, current password …)"):
    // a preset's demo may reach people by another number than the table's.
    const printed = {};
    for (const [, login, number] of output.matchAll(/^ {2}(\S+)\s+n° (\S+)/gm)) printed[login] = number;
    for (const [, number, login] of output.matchAll(/^ {2}(\d+)\s+\((\w+),/gm)) printed[login] = number;
    return {
      url: started,
      ldapUrl: ldap ? ldap[1] : null,
      outbox,
      cookieKey,
      codeKey,
      preset: preset || null,
      printed,
      output: () => output,
      async stop() {
        if (child.exitCode === null) {
          child.kill("SIGTERM");
          const deadline = setTimeout(() => child.kill("SIGKILL"), 15000);
          await exited;
          clearTimeout(deadline);
        }
        fs.rmSync(work, { recursive: true, force: true });
        // A gateway panic is a failure, as in the Rust tests.
        if (/panicked at/.test(output)) throw new Error(`the gateway panicked:\n${output}`);
      },
    };
  }
}

/**
 * Proves `password` with a real LDAP simple bind as `dn` (ldapwhoami from
 * ldap-utils); resolves true when the directory accepts it.
 */
function ldapBind(ldapUrl, dn, password) {
  return new Promise((resolve) => {
    execFile("ldapwhoami", ["-x", "-H", ldapUrl, "-D", dn, "-w", password], (error, stdout) => {
      resolve(!error && /^dn:/.test(stdout.trim()));
    });
  });
}

/**
 * IT's part of "Activer mon compte": creates, as the directory's rootdn
 * (config/ldap/demo-people.md gives its password), an account that was
 * never used (no password yet) and marks it for activation
 * (passerelleActivationPending: TRUE, the default `flows.activation_filter`,
 * as docs/provisioning.md tells a site). Each run makes its own newcomers,
 * so that none was activated by an earlier test.
 */
function createNewcomer(ldapUrl, { uid, number, birthDate, recovery, given = "Nina", sn = "Nouvelle" }) {
  const ldif = [
    `dn: uid=${uid},ou=people,dc=univ-exemple,dc=fr`,
    "objectClass: inetOrgPerson",
    "objectClass: supannPerson",
    "objectClass: schacPersonalCharacteristics",
    "objectClass: eduPerson",
    "objectClass: passerelleAccount",
    `uid: ${uid}`,
    `cn: ${given} ${sn}`,
    `givenName: ${given}`,
    `sn: ${sn}`,
    `mail: ${uid}@univ-exemple.fr`,
    `supannMailPerso: ${recovery}`,
    `supannEtuId: ${number}`,
    `schacDateOfBirth: ${birthDate}`,
    "eduPersonAffiliation: student",
    "passerelleActivationPending: TRUE",
    "",
  ].join("\n");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-it-"));
  const secret = path.join(dir, "admin.password");
  fs.writeFileSync(secret, "admin-demo-secret", { mode: 0o600 });
  return new Promise((resolve, reject) => {
    const child = execFile(
      "ldapadd",
      ["-x", "-H", ldapUrl, "-D", "cn=admin,dc=univ-exemple,dc=fr", "-y", secret],
      (error, _stdout, stderr) => {
        fs.rmSync(dir, { recursive: true, force: true });
        if (error) reject(new Error(`ldapadd of ${uid} failed: ${stderr}`));
        else resolve();
      },
    );
    child.stdin.end(ldif);
  });
}

module.exports = { ROOT, binary, artifactsDir, startDemo, supportsPresets, ldapBind, createNewcomer };
