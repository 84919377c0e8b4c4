import { FieldError, problems } from '../errors/domain-error';

/** Deeper than any body the API defines (a model definition is about 7 levels deep). */
export const MAX_INPUT_DEPTH = 32;
const MAX_REPORTED = 20;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * A string PostgreSQL cannot store: NUL (text refuses it, 22021) or an unpaired UTF-16
 * surrogate (not encodable as UTF-8; jsonb refuses it, 22P05, and validators crash on it).
 */
export function unstorableStringReason(value: string): string | undefined {
  if (value.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  if (LONE_SURROGATE.test(value)) return 'must not contain unpaired UTF-16 surrogates';
  return undefined;
}

function pathOf(prefix: string, key: string | number): string {
  if (typeof key === 'number') return `${prefix}[${key}]`;
  const safeKey = unstorableStringReason(key) ? JSON.stringify(key) : key;
  return prefix ? `${prefix}.${safeKey}` : safeKey;
}

/**
 * Walks a parsed body or query string without recursion (so a 100,000-deep array cannot overflow
 * the stack here) and lists every value no request may carry: nesting deeper than
 * MAX_INPUT_DEPTH, and NUL or unpaired surrogates in any string or property name. Field names are
 * given as the validation pipe gives them (`a.b[0].c`).
 */
export function inspectInput(value: unknown, root = ''): FieldError[] {
  const errors: FieldError[] = [];
  const stack: Array<{ value: unknown; path: string; depth: number }> = [
    { value, path: root, depth: 0 },
  ];
  while (stack.length > 0 && errors.length < MAX_REPORTED) {
    const { value: current, path, depth } = stack.pop()!;
    if (typeof current === 'string') {
      const reason = unstorableStringReason(current);
      if (reason) errors.push({ field: path || '(body)', reasons: [reason] });
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth >= MAX_INPUT_DEPTH) {
      errors.push({
        field: path || '(body)',
        reasons: [`must not nest objects or arrays more than ${MAX_INPUT_DEPTH} levels deep`],
      });
      continue;
    }
    if (Array.isArray(current)) {
      for (let index = current.length - 1; index >= 0; index -= 1) {
        stack.push({ value: current[index], path: pathOf(path, index), depth: depth + 1 });
      }
      continue;
    }
    const keys = Object.keys(current);
    for (let index = keys.length - 1; index >= 0; index -= 1) {
      const key = keys[index];
      const keyPath = pathOf(path, key);
      const reason = unstorableStringReason(key);
      if (reason) errors.push({ field: keyPath, reasons: [`property name ${reason}`] });
      stack.push({
        value: (current as Record<string, unknown>)[key],
        path: keyPath,
        depth: depth + 1,
      });
    }
  }
  return errors;
}

/**
 * Fastify `preValidation` hook: runs after the body is parsed and before any guard, interceptor
 * or pipe walks it, so every route gets the same protection and a 400 naming the field.
 */
export function rejectUnsafeInput(
  request: { body?: unknown; query?: unknown },
  _reply: unknown,
  done: (error?: Error) => void,
): void {
  // A callback hook, not an async one: no promise per request on the hot path.
  const errors = [...inspectInput(request.query), ...inspectInput(request.body)];
  done(errors.length > 0 ? problems.validation(errors.slice(0, MAX_REPORTED)) : undefined);
}
