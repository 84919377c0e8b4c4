// Defensive readers for untrusted JSON: each returns a clean value or null, never throws.

export type Json = Record<string, unknown>;

export const LIMITS = {
  name: 256,
  id: 128,
  repository: 256,
  ref: 256,
  environment: 256,
  status: 64,
  url: 2048,
} as const;

export function obj(value: unknown): Json | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Json)
    : null;
}

/** A non-empty string no longer than `max`, else null (a cut id or ref would be a wrong one). */
export function str(value: unknown, max: number): string | null {
  return typeof value === 'string' && value.trim() !== '' && value.length <= max ? value : null;
}

/** Names are needed even when absurdly long: cut to the limit. */
export function name(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.slice(0, LIMITS.name) : null;
}

/** Provider ids are integers or strings; kept as strings. */
export function id(value: unknown): string | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : null;
  return str(value, LIMITS.id);
}

export function sha(value: unknown): string | null {
  return typeof value === 'string' && /^[0-9a-f]{7,64}$/i.test(value) ? value.toLowerCase() : null;
}

export function ref(value: unknown): string | null {
  const text = str(value, LIMITS.ref);
  return text?.startsWith('refs/heads/') ? text.slice('refs/heads/'.length) || null : text;
}

export function url(value: unknown): string | null {
  const text = str(value, LIMITS.url);
  if (!text) return null;
  try {
    const parsed = new URL(text);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? text : null;
  } catch {
    return null;
  }
}

// ISO 8601 / RFC 3339 (GitHub, GitLab's *_iso fields) and GitLab's older
// "2016-08-12 15:23:28 UTC" / "2021-04-28 21:50:00 +0200" forms.
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2}| UTC| [+-]\d{4})$/i;

/** An ISO 8601 UTC string for a real calendar instant, else null. */
export function isoDate(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 40) return null;
  const m = ISO.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac = '', zone] = m;
  const offset = zone.trim().toUpperCase();
  const tz = offset === 'Z' || offset === 'UTC' ? 'Z' : `${offset.slice(0, 3)}:${offset.slice(-2)}`;
  const ms = frac ? frac.slice(0, 4).padEnd(4, '0') : '';
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${ms}${tz}`);
  // Date rolls 2024-02-30 over to March: refuse what does not round-trip the calendar day.
  const local = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  const realDay =
    local.getUTCFullYear() === Number(y) &&
    local.getUTCMonth() === Number(mo) - 1 &&
    local.getUTCDate() === Number(d);
  return realDay && !Number.isNaN(date.getTime()) && Number(y) >= 1970 ? date.toISOString() : null;
}
