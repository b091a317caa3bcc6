import { sql, type RawBuilder } from 'kysely';
import { identifier } from '../sql';

export const raw = (c: string) => identifier(`raw_${c}`);
export const col = (c: string) => identifier(c);
export const columnList = (cols: string[], prefix = '') =>
	sql.raw(cols.map((c) => `${prefix}"${c}"`).join(', '));

/** `s.code AS raw_code, …`: the cells as written, kept beside the typed values for messages. */
export const rawCopies = (cols: string[]): RawBuilder<unknown> =>
	sql.join(cols.map((c) => sql`s.${col(c)} AS ${raw(c)}`));

export const isEmpty = (c: string) => sql`${raw(c)} IS NULL`;
export const isUnparsed = (c: string) => sql`${raw(c)} IS NOT NULL AND ${col(c)} IS NULL`;
export const isUnknownWord = (c: string) => sql`${col(c)} = '?'`;

/** Inclusive validity of a unit version, NULL bounds open. */
export const VALID_FROM = (alias: string) =>
	sql.raw(`coalesce(${alias}.valid_from, DATE '0001-01-01')`);
export const VALID_TO = (alias: string) =>
	sql.raw(`coalesce(${alias}.valid_to, DATE '9999-12-31')`);
