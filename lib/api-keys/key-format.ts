// The shape of an API key: `trl_<32 base62 chars>_<6 base62 chars of CRC32>`. The fixed prefix
// lets secret scanners (GitHub push protection, gitleaks) recognise a leaked key, and the
// checksum lets us refuse a mistyped or truncated key without a database lookup.
import { randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";

export const API_KEY_PREFIX = "trl_";
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const RANDOM_LENGTH = 32;
const CHECKSUM_LENGTH = 6;
/** Characters of the random part kept in the visible prefix shown in lists. */
const VISIBLE_LENGTH = 8;
const KEY_PATTERN = new RegExp(
  `^${API_KEY_PREFIX}([0-9A-Za-z]{${RANDOM_LENGTH}})_([0-9A-Za-z]{${CHECKSUM_LENGTH}})$`,
);

/** `length` uniform base62 characters (rejection sampling: no modulo bias). */
function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

/** A 32-bit number as exactly six base62 digits (62^6 > 2^32). */
function base62Fixed(value: number): string {
  let n = value >>> 0;
  let out = "";
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

function checksumOf(body: string): string {
  return base62Fixed(crc32(body));
}

/** A new key and the prefix to show for it; the key itself is shown once and never stored. */
export function generateApiKey(): { key: string; prefix: string } {
  const random = randomBase62(RANDOM_LENGTH);
  const body = `${API_KEY_PREFIX}${random}`;
  return {
    key: `${body}_${checksumOf(body)}`,
    prefix: `${API_KEY_PREFIX}${random.slice(0, VISIBLE_LENGTH)}`,
  };
}

/** True when `text` has the key's shape and its checksum matches: worth a database lookup. */
export function isWellFormedApiKey(text: string): boolean {
  const match = KEY_PATTERN.exec(text);
  if (!match) return false;
  return checksumOf(`${API_KEY_PREFIX}${match[1]}`) === match[2];
}
