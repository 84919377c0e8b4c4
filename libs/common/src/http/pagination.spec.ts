import fc from 'fast-check';
import {
  createdWithin,
  CursorPosition,
  decodeCursor,
  encodeCursor,
  keysetAfter,
  fetchFirstPages,
  fetchPage,
  PageWindow,
} from './pagination';
import { DomainError } from '../errors/domain-error';

/** Cursors carry UUIDs; short names ('b2') become UUIDs that sort the same way. */
const uuidOf = (name: string) => `00000000-0000-4000-8000-${name.padStart(12, '0')}`;
const nameOf = (row: CursorPosition) => row.id.slice(24).replace(/^0+/, '');
const position = (iso: string, name: string): CursorPosition => ({
  createdAt: new Date(iso),
  id: name.includes('-') ? name : uuidOf(name),
});

/** Rows newest first by (createdAt, id), as NEWEST_FIRST orders them. */
const newestFirst = (rows: CursorPosition[]) =>
  [...rows].sort(
    (a, b) =>
      b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
  );

/** Evaluates the Prisma `where` keysetAfter builds, so the test checks its meaning. */
function matches(where: ReturnType<typeof keysetAfter>, row: CursorPosition): boolean {
  if (!('OR' in where)) return true;
  const [older, sameTime] = where.OR as [
    { createdAt: { lt: Date } },
    { createdAt: Date; id: { lt: string } },
  ];
  return (
    row.createdAt.getTime() < older.createdAt.lt.getTime() ||
    (row.createdAt.getTime() === sameTime.createdAt.getTime() && row.id < sameTime.id.lt)
  );
}

describe('cursors', () => {
  it('round-trip a position', () => {
    const original = position('2026-11-30T10:00:00.123Z', '0b7d0c56-1c6f-4f7e-9d0a-7a2f1c4e5b6d');
    const cursor = encodeCursor(original);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/); // URL-safe
    expect(decodeCursor(cursor)).toEqual(original);
    expect(decodeCursor(undefined)).toBeUndefined();
  });

  it.each([
    ['not base64 json', 'bm90IGpzb24'],
    ['garbage', '%%%'],
    ['a bad date', Buffer.from(JSON.stringify(['yesterday', 'x'])).toString('base64url')],
    [
      'a non-string id',
      Buffer.from(JSON.stringify(['2026-01-01T00:00:00Z', 7])).toString('base64url'),
    ],
    ['an object', Buffer.from('{"a":1}').toString('base64url')],
    [
      'a non-UUID id',
      Buffer.from(JSON.stringify(['2024-01-01T00:00:00Z', 'x'])).toString('base64url'),
    ],
    [
      'a year PostgreSQL cannot store',
      Buffer.from(
        JSON.stringify(['-200000-01-01T00:00:00Z', '0b7d0c56-1c6f-4f7e-9d0a-7a2f1c4e5b6d']),
      ).toString('base64url'),
    ],
    [
      'year 0',
      Buffer.from(
        JSON.stringify(['0000-01-01T00:00:00Z', '0b7d0c56-1c6f-4f7e-9d0a-7a2f1c4e5b6d']),
      ).toString('base64url'),
    ],
    [
      'a third element',
      Buffer.from(
        JSON.stringify(['2024-01-01T00:00:00Z', '0b7d0c56-1c6f-4f7e-9d0a-7a2f1c4e5b6d', 1]),
      ).toString('base64url'),
    ],
    ['JSON null', Buffer.from('null').toString('base64url')],
  ])('answer a tampered cursor (%s) with a 400 validation problem', (_label, cursor) => {
    let thrown: unknown;
    try {
      decodeCursor(cursor);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    const problem = thrown as DomainError;
    expect(problem.code).toBe('validation');
    expect(problem.details.errors).toEqual([
      { field: 'cursor', reasons: ['cursor is not one this API issued'] },
    ]);
  });
});

describe('fetchPage and keysetAfter', () => {
  const rows = newestFirst([
    position('2026-01-03T00:00:00Z', 'c'),
    position('2026-01-02T00:00:00Z', 'b2'),
    position('2026-01-02T00:00:00Z', 'b1'),
    position('2026-01-01T00:00:00Z', 'a'),
  ]);

  it('serves limit items and a cursor when there are more rows', async () => {
    const page = await fetchPage({ limit: 2 }, async () => rows.slice(0, 3), nameOf);
    expect(page.items).toEqual(['c', 'b2']);
    expect(decodeCursor(page.nextCursor!)).toEqual(rows[1]);
  });

  it('answers nextCursor null on the last page', async () => {
    expect(await fetchPage({ limit: 2 }, async () => rows.slice(0, 2), nameOf)).toEqual({
      items: ['c', 'b2'],
      nextCursor: null,
    });
    expect(
      await fetchPage(
        { limit: 2 },
        async () => [] as CursorPosition[],
        (row) => row.id,
      ),
    ).toEqual({ items: [], nextCursor: null });
  });

  it('asks for one row more than the page, 50 by default, after the decoded cursor', async () => {
    const windows: PageWindow[] = [];
    const record = async (window: PageWindow) => {
      windows.push(window);
      return [];
    };
    await fetchPage({}, record, (row) => row);
    await fetchPage({ limit: 7, cursor: encodeCursor(rows[1]!) }, record, (row) => row);
    await fetchPage({}, record, (row) => row, { defaultLimit: 500 });
    expect(windows).toEqual([
      { after: undefined, take: 51 },
      { after: rows[1], take: 8 },
      { after: undefined, take: 501 },
    ]);
  });

  it("cursors name a row's own (time, id) when it is not (createdAt, id)", async () => {
    const points = [
      { recordedAt: new Date('2026-01-02T00:00:00Z'), key: uuidOf('f2') },
      { recordedAt: new Date('2026-01-01T00:00:00Z'), key: uuidOf('f1') },
    ];
    const page = await fetchPage(
      { limit: 1 },
      async () => points,
      (row) => row.key,
      {
        positionOf: (row) => ({ createdAt: row.recordedAt, id: row.key }),
      },
    );
    expect(decodeCursor(page.nextCursor!)).toEqual({
      createdAt: points[0]!.recordedAt,
      id: uuidOf('f2'),
    });
  });

  it('continues strictly after the cursor, including rows with the same timestamp', () => {
    expect(keysetAfter(undefined)).toEqual({});
    const after = keysetAfter(rows[1]);
    expect(rows.filter((row) => matches(after, row)).map(nameOf)).toEqual(['b1', 'a']);
  });

  it('pages through every row exactly once, even with rows inserted between pages', async () => {
    const arbitraryRow = fc.record({
      createdAt: fc
        .integer({ min: 0, max: 20 })
        .map((n) => new Date(Date.UTC(2026, 0, 1, 0, 0, n))),
      id: fc.uuid(),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(arbitraryRow, { selector: (row) => row.id, maxLength: 30 }),
        fc.integer({ min: 1, max: 7 }),
        fc.array(fc.uuid(), { maxLength: 5 }),
        async (initial, limit, inserted) => {
          let table = [...initial];
          const served: string[] = [];
          let cursor: string | null | undefined;
          let round = 0;
          do {
            const page = await fetchPage(
              { limit, cursor: cursor ?? undefined },
              async (window) => {
                const after = keysetAfter(window.after);
                return newestFirst(table.filter((row) => matches(after, row))).slice(
                  0,
                  window.take,
                );
              },
              (row) => row.id,
            );
            served.push(...page.items);
            cursor = page.nextCursor;
            // A concurrent insert lands "now", newer than anything paged so far.
            if (round < inserted.length) {
              table = table.concat({
                createdAt: new Date(Date.UTC(2027, 0, 1)),
                id: inserted[round],
              });
            }
            round += 1;
          } while (cursor);
          expect(served).toEqual(newestFirst(initial).map((row) => row.id));
        },
      ),
    );
  });
});

describe('fetchFirstPages', () => {
  const rowsOf: Record<string, CursorPosition[]> = {
    one: newestFirst([
      position('2026-01-03T00:00:00Z', 'c'),
      position('2026-01-02T00:00:00Z', 'b2'),
      position('2026-01-02T00:00:00Z', 'b1'),
    ]),
    two: [position('2026-01-05T00:00:00Z', 'e')],
    none: [],
  };
  const ownerOf = (row: CursorPosition) =>
    Object.keys(rowsOf).find((owner) => rowsOf[owner].includes(row))!;

  it("cuts each owner's page and cursor as fetchPage cuts that owner's alone", async () => {
    const takes: number[] = [];
    // Owners' rows interleaved, as one statement for many owners may return them.
    const pages = await fetchFirstPages(
      { limit: 2 },
      ['none', 'one', 'two'],
      async (take) => {
        takes.push(take);
        const [c, b2, b1] = rowsOf.one.slice(0, take);
        return [c, rowsOf.two[0], b2, b1];
      },
      ownerOf,
      nameOf,
    );
    expect(takes).toEqual([3]);
    expect([...pages.keys()]).toEqual(['none', 'one', 'two']);
    for (const owner of ['none', 'one', 'two']) {
      expect(pages.get(owner)).toEqual(
        await fetchPage({ limit: 2 }, async ({ take }) => rowsOf[owner].slice(0, take), nameOf),
      );
    }
    expect(pages.get('one')?.items).toEqual(['c', 'b2']);
    expect(pages.get('one')?.nextCursor).not.toBeNull();
  });

  it('serves first pages only', async () => {
    await expect(
      fetchFirstPages({ cursor: 'x' }, ['one'], async () => [], ownerOf, nameOf),
    ).rejects.toThrow('first pages only');
  });
});

describe('query helpers', () => {
  it('createdWithin builds a half-open time range', () => {
    expect(createdWithin({})).toEqual({});
    expect(createdWithin({ from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' })).toEqual({
      createdAt: { gte: new Date('2026-01-01T00:00:00Z'), lt: new Date('2026-02-01T00:00:00Z') },
    });
    expect(createdWithin({ to: '2026-02-01T00:00:00Z' })).toEqual({
      createdAt: { lt: new Date('2026-02-01T00:00:00Z') },
    });
  });
});
