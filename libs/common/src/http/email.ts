/**
 * The one form an email address is stored and compared in: Unicode NFC (so a composed "é" and an
 * "e" + combining accent are the same address), trimmed, lower-cased. Used by every DTO that
 * accepts an email (sign-up, sign-in, invitations).
 */
export function normaliseEmail(value: string): string {
  return value.normalize('NFC').trim().toLowerCase().normalize('NFC');
}

/** class-transformer `@Transform` callback: normalises strings, leaves anything else to validation. */
export const normaliseEmailTransform = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? normaliseEmail(value) : value;
