/**
 * A unit version is valid from `valid_from` to `valid_to`, both inclusive, a NULL bound open
 * (CONTRACT: units). The one place that turns those bounds into SQL, for the engine, the scope
 * check and the units importer alike.
 */
import { sql, type Expression, type RawBuilder } from 'kysely';
import { formatDate } from '../../domain/format';
import type { DateRange } from '../../domain/periods';

/** `valid_from` of the unit version under `alias` (a table alias of ours), NULL as the first day. */
export const validFrom = (alias: string): RawBuilder<string> =>
	sql`coalesce(${sql.ref(`${alias}.valid_from`)}, DATE '0001-01-01')`;

/** `valid_to` of the unit version under `alias`, NULL as the last day. */
export const validTo = (alias: string): RawBuilder<string> =>
	sql`coalesce(${sql.ref(`${alias}.valid_to`)}, DATE '9999-12-31')`;

/** The unit version under `alias` is valid on at least one day of the period. */
export const overlaps = (alias: string, period: DateRange): RawBuilder<boolean> =>
	sql`${validFrom(alias)} <= CAST(${period.to} AS DATE)
		AND ${validTo(alias)} >= CAST(${period.from} AS DATE)`;

/** A version's validity in words, for the messages that name it. */
export const describeValidity = (u: { valid_from: string | null; valid_to: string | null }) =>
	u.valid_from && u.valid_to
		? `from ${formatDate(u.valid_from)} to ${formatDate(u.valid_to)}`
		: u.valid_from
			? `from ${formatDate(u.valid_from)}`
			: u.valid_to
				? `until ${formatDate(u.valid_to)}`
				: 'always';

/** The unit version under `alias` is valid on `day` (a DATE). */
export const validOn = (alias: string, day: Expression<string>): RawBuilder<boolean> =>
	sql`${day} BETWEEN ${validFrom(alias)} AND ${validTo(alias)}`;
