import { joinSql, sql } from './tenant-transactions';

describe('sql (the literal-escaping tag of one-round-trip reads)', () => {
  it('writes every value as an escaped literal', () => {
    const hostile = "x'); DROP TABLE teams; --";
    expect(sql`SELECT ${hostile}`.text).toBe("SELECT 'x''); DROP TABLE teams; --'");
    expect(sql`SELECT ${'a\\b'}`.text).toBe("SELECT  E'a\\\\b'");
    expect(sql`SELECT ${new Date('2026-11-30T01:02:03.004Z')}::timestamptz`.text).toBe(
      "SELECT '2026-11-30T01:02:03.004Z'::timestamptz",
    );
    expect(sql`LIMIT ${51}`.text).toBe('LIMIT 51');
    expect(sql`${null} ${true}`.text).toBe('NULL TRUE');
  });

  it('splices fragments built with it, and refuses numbers it cannot write', () => {
    const conditions = [sql`a = ${'1'}`, sql`b < ${2}`];
    expect(sql`WHERE ${joinSql(conditions, ' AND ')}`.text).toBe("WHERE a = '1' AND b < 2");
    expect(() => sql`LIMIT ${Number.NaN}`).toThrow(/finite/);
  });
});
