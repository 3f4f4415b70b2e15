// The text of the captcha a page shows, found the way the gateway finds it
// (and the way `TestApp::captcha_answer` of the Rust tests does): the flow
// cookie decrypted with the cookie key the suite gave the demo, the text
// derived from the challenge id with the code key. A robot in the wild has
// neither key; the suite has both because it started the demo.
//
// What it mirrors (see src/captcha/mod.rs and src/web/mod.rs):
// - cookie key: SHA-512 of `secrets.cookie_key`, its second half is the
//   AES-256-GCM key of the private cookie jar (cookie crate 0.18); a value is
//   base64(nonce[12] | ciphertext | tag[16]) with the cookie's name as AAD;
// - the flow state is JSON whose `captcha` is `{"id": base64url, "len", "cs"}`;
// - the text: HMAC-SHA256(code_key, "captcha" | id | counter?) bytes,
//   rejection-sampled onto the alphabet of src/captcha/alphabet.rs.
"use strict";

const crypto = require("node:crypto");

const ALPHABET = [..."2346789ACDEFHJKMNPRTUVWXYadefhmnrt"];

function flowState(cookieValue, cookieName, cookieKey) {
  const key = crypto.createHash("sha512").update(cookieKey, "utf8").digest().subarray(32);
  const data = Buffer.from(decodeURIComponent(cookieValue), "base64");
  const nonce = data.subarray(0, 12);
  const tag = data.subarray(data.length - 16);
  const cipher = data.subarray(12, data.length - 16);
  const decipher = crypto.createDecipheriv("aes-256-gcm", key, nonce);
  decipher.setAAD(Buffer.from(cookieName, "utf8"));
  decipher.setAuthTag(tag);
  const plain = Buffer.concat([decipher.update(cipher), decipher.final()]).toString("utf8");
  return JSON.parse(plain);
}

function captchaText(challenge, codeKey) {
  const id = Buffer.from(challenge.id, "base64url");
  const limit = 256 - (256 % ALPHABET.length);
  const chars = [];
  for (let counter = 0; chars.length < challenge.len; counter = (counter + 1) % 256) {
    const mac = crypto.createHmac("sha256", Buffer.from(codeKey, "utf8"));
    mac.update("captcha");
    mac.update(id);
    if (counter > 0) mac.update(Buffer.from([counter]));
    for (const byte of mac.digest()) {
      if (byte < limit && chars.length < challenge.len) chars.push(ALPHABET[byte % ALPHABET.length]);
    }
  }
  return chars.join("");
}

/**
 * The captcha the page of `flow` ("code", "temporary", …) shows now, or ""
 * when it shows none. `gateway` is what `startDemo` returned.
 */
async function captchaAnswer(context, gateway, flow) {
  const name = `passerelle-${flow}`;
  const cookie = (await context.cookies(gateway.url)).find((c) => c.name === name);
  if (!cookie) return "";
  let state;
  try {
    state = flowState(cookie.value, name, gateway.cookieKey);
  } catch (error) {
    throw new Error(`cannot read the captcha from the cookie ${name} (has its format changed?): ${error.message}`);
  }
  return state.captcha ? captchaText(state.captcha, gateway.codeKey) : "";
}

module.exports = { captchaAnswer, captchaText, ALPHABET };
