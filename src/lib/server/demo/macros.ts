/**
 * The demo's TEMP macros: where its randomness comes from. Every choice is a hash of the row
 * number (or of a code) and a per-choice salt, in integer arithmetic written out here, never
 * random()/setseed (one generator shared by threads: the order, hence the data, would change
 * between runs) nor DuckDB's hash() (free to change between versions).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';

const MACROS = [
	// lowbias32 (C. Wellons): a bijection on 32-bit integers with full avalanche. Every product
	// stays below 2^63, so UBIGINT never overflows.
	`demo_mix_a(x) AS (xor(x, x >> 16) * 2146121005) & 4294967295`,
	`demo_mix_b(x) AS (xor(x, x >> 15) * 2221713035) & 4294967295`,
	`demo_hash32(x) AS xor(demo_mix_b(demo_mix_a(x)), demo_mix_b(demo_mix_a(x)) >> 16)`,
	// `h` is a row's hash; each choice hashes it again with its own salt, so choices are unrelated.
	`demo_draw(h, salt) AS demo_hash32(xor(h, CAST(salt AS UBIGINT)))`,
	`demo_uniform(h, salt) AS demo_draw(h, salt) / 4294967296.0`,
	`demo_chance(h, salt, p) AS demo_draw(h, salt) < p * 4294967296.0`,
	// An integer from any code ('42-STP', '1.001193'), the same on every machine.
	`demo_code_number(code) AS demo_hash32(list_reduce(
		list_transform(string_split(code, ''), c -> CAST(unicode(c) AS UBIGINT)),
		(a, b) -> (a * 31 + b) % 4294967291))`,
	// A share moved by an odds multiplier k (story.ts): stays in [0, 1], no exp or log.
	`demo_adjust(p, k) AS p * k / (p * k + 1 - p)`,
	// The n-th working day (Monday–Friday) after day d; a weekend day counts from its Friday.
	`demo_weekday_or_friday(d) AS
		CASE WHEN isodow(d) > 5 THEN d - CAST(isodow(d) - 5 AS INTEGER) ELSE d END`,
	`demo_add_workdays(d, n) AS demo_weekday_or_friday(d) + CAST(7 * (n // 5) + n % 5
		+ CASE WHEN isodow(demo_weekday_or_friday(d)) - 1 + n % 5 >= 5 THEN 2 ELSE 0 END AS INTEGER)`
];

export async function createDemoMacros(db: Kysely<Database>): Promise<void> {
	for (const macro of MACROS) await sql.raw(`CREATE OR REPLACE TEMP MACRO ${macro}`).execute(db);
}

export async function dropDemoMacros(db: Kysely<Database>): Promise<void> {
	for (const macro of [...MACROS].reverse()) {
		const name = macro.slice(0, macro.indexOf('('));
		await sql.raw(`DROP MACRO IF EXISTS ${name}`).execute(db);
	}
}
