// Reads the SMS the demo writes to its outbox (`<outbox>/sms/`, one text
// file per SMS, as passerelle-sms's file sender writes them: `To:`,
// `Date:`, `Segments:`, a blank line, the text), so a test reads the code
// a phone would have received.
"use strict";

const fs = require("node:fs");
const path = require("node:path");

/** The last nine digits of a number, whatever its spelling (06…, +33 6…, 0033…). */
function tail(number) {
  return String(number).replace(/\D/g, "").slice(-9);
}

/** Every SMS in the outbox so far, oldest first: `to`, `text`, `file`. */
function readSmsOutbox(outbox) {
  const dir = path.join(outbox, "sms");
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(".txt"))
    .map((name) => path.join(dir, name))
    .map((file) => ({ file, time: fs.statSync(file).mtimeMs }))
    .sort((a, b) => a.time - b.time)
    .map(({ file }) => {
      const raw = fs.readFileSync(file, "utf8");
      const split = raw.indexOf("\n\n");
      const head = raw.slice(0, split);
      const to = (/^To: (.+)$/m.exec(head) || [])[1] || "";
      return { file, to, text: raw.slice(split + 2).trim() };
    });
}

/** Waits for an SMS to `number` (any spelling) not in `seen`, and returns it. */
async function waitForSms(outbox, number, { seen = new Set(), timeoutMs = 15000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const sms = readSmsOutbox(outbox).find((s) => !seen.has(s.file) && tail(s.to) === tail(number));
    if (sms) {
      seen.add(sms.file);
      return sms;
    }
    if (Date.now() > deadline) {
      const all = readSmsOutbox(outbox).map((s) => `${s.to}: ${s.text}`);
      throw new Error(`no new SMS to ${number} within ${timeoutMs} ms; outbox: ${JSON.stringify(all)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The 6-digit code of a text. */
function smsCode(text) {
  const code = /\b(\d{6})\b/.exec(text);
  if (!code) throw new Error(`no code in the SMS: ${text}`);
  return code[1];
}

module.exports = { readSmsOutbox, waitForSms, smsCode, tail };
