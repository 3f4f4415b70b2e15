// Reads the mails the demo writes to its outbox (one .eml file per mail, as
// lettre's file transport writes them): headers unfolded and their encoded
// words (RFC 2047) decoded, MIME parts split, quoted-printable and base64
// bodies decoded, so a test reads the text a person would read.
"use strict";

const fs = require("node:fs");
const path = require("node:path");

/** Decodes quoted-printable (RFC 2045 §6.7) into bytes. */
function decodeQuotedPrintable(text) {
  const soft = text.replace(/=\r?\n/g, "");
  const bytes = [];
  for (let i = 0; i < soft.length; i++) {
    const c = soft[i];
    if (c === "=" && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(c, "utf8"));
    }
  }
  return Buffer.from(bytes);
}

/** Decodes the encoded words of a header value (RFC 2047), UTF-8 only. */
function decodeHeader(value) {
  return value
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, _charset, kind, data) => {
      if (kind.toUpperCase() === "B") return Buffer.from(data, "base64").toString("utf8");
      return decodeQuotedPrintable(data.replace(/_/g, " ")).toString("utf8");
    });
}

/** Splits a message (or a part) into its headers (lower-case names) and body. */
function splitEntity(raw) {
  const match = /\r?\n\r?\n/.exec(raw);
  const head = match ? raw.slice(0, match.index) : raw;
  const body = match ? raw.slice(match.index + match[0].length) : "";
  const headers = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon > 0) {
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
  }
  return { headers, body };
}

function decodeBody(headers, body) {
  const encoding = (headers["content-transfer-encoding"] || "").toLowerCase();
  if (encoding === "base64") return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (encoding === "quoted-printable") return decodeQuotedPrintable(body).toString("utf8");
  return body;
}

/** The text and HTML parts of an entity, depth first. */
function parts(raw, found = { text: "", html: "" }) {
  const { headers, body } = splitEntity(raw);
  const type = headers["content-type"] || "text/plain";
  const boundary = /boundary="?([^";]+)"?/i.exec(type);
  if (/^multipart\//i.test(type) && boundary) {
    const pieces = body.split(`--${boundary[1]}`).slice(1);
    for (const piece of pieces) {
      if (piece.startsWith("--")) break;
      parts(piece.replace(/^\r?\n/, ""), found);
    }
  } else if (/^text\/html/i.test(type)) {
    found.html += decodeBody(headers, body);
  } else if (/^text\/plain/i.test(type)) {
    found.text += decodeBody(headers, body);
  }
  return found;
}

/** One mail: `to`, `subject`, `text`, `html` and the file it came from. */
function parseMail(raw, file) {
  const { headers } = splitEntity(raw);
  const { text, html } = parts(raw);
  return {
    file,
    to: decodeHeader(headers.to || ""),
    subject: decodeHeader(headers.subject || ""),
    text,
    html,
  };
}

/** Every mail in `outbox` so far, oldest first. */
function readOutbox(outbox) {
  if (!fs.existsSync(outbox)) return [];
  return fs
    .readdirSync(outbox)
    .filter((name) => name.endsWith(".eml"))
    .map((name) => {
      const file = path.join(outbox, name);
      return { file, time: fs.statSync(file).mtimeMs };
    })
    .sort((a, b) => a.time - b.time)
    .map(({ file }) => parseMail(fs.readFileSync(file, "utf8"), file));
}

/**
 * Waits (polling the outbox) for a mail to `address` (or to any of an
 * array of addresses; to anyone when it is empty) that was not there
 * before (`seen`: the files already read), and returns it.
 */
async function waitForMail(outbox, address, { seen = new Set(), timeoutMs = 15000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  const wanted = [].concat(address).filter(Boolean).map((a) => a.toLowerCase());
  for (;;) {
    const mail = readOutbox(outbox).find(
      (m) => !seen.has(m.file) && (wanted.length === 0 || wanted.some((a) => m.to.toLowerCase().includes(a))),
    );
    if (mail) {
      seen.add(mail.file);
      return mail;
    }
    if (Date.now() > deadline) {
      const all = readOutbox(outbox).map((m) => `${m.to}: ${m.subject}`);
      throw new Error(`no new mail to ${address} within ${timeoutMs} ms; outbox: ${JSON.stringify(all)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

module.exports = { parseMail, readOutbox, waitForMail, decodeQuotedPrintable, decodeHeader };
