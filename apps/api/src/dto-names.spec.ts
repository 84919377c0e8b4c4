import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Every .ts file under `dir`, recursively. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(dir, entry.name))
      : entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

describe('DTO class names', () => {
  // The OpenAPI document names each schema after its class: two DTOs of one name become one
  // schema, and the responses of one of them are documented wrongly (it happened on a merge).
  it('are unique across the API, so no two schemas of the document share a name', () => {
    const seen = new Map<string, string[]>();
    for (const file of sources(join(__dirname, 'modules'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(/^export class (\w+Dto)\b/gm)) {
        seen.set(match[1], [...(seen.get(match[1]) ?? []), file]);
      }
    }
    const duplicates = [...seen].filter(([, files]) => files.length > 1);
    expect(duplicates).toEqual([]);
    expect(seen.size).toBeGreaterThan(50);
  });
});
