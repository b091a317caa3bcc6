/** The figures of the first page: which province the database holds and how much data it has. */
import { sql, type Kysely } from 'kysely';
import type { Database } from './db/schema';

export interface ProvinceSummary {
	province: { code: string; name: string } | null;
	/** `YYYY-MM-DD` of the first and last dossier received; null when there are no dossiers. */
	firstReceived: string | null;
	lastReceived: string | null;
	dossiers: number;
	/** Unit versions: a code valid in another period is another unit (DOMAIN.md: Units). */
	units: number;
	procedures: number;
}

export async function provinceSummary(db: Kysely<Database>): Promise<ProvinceSummary> {
	const [province, received, units, procedures] = await Promise.all([
		latestProvince(db),
		db
			.selectFrom('dossiers')
			.select([
				sql<string | null>`min(received_at)::DATE`.as('first'),
				sql<string | null>`max(received_at)::DATE`.as('last'),
				(eb) => eb.fn.countAll<number>().as('count')
			])
			.executeTakeFirstOrThrow(),
		db
			.selectFrom('unit_versions')
			.select((eb) => eb.fn.countAll<number>().as('count'))
			.executeTakeFirstOrThrow(),
		db
			.selectFrom('procedures')
			.select((eb) => eb.fn.countAll<number>().as('count'))
			.executeTakeFirstOrThrow()
	]);
	return {
		province: province ?? null,
		firstReceived: received.first,
		lastReceived: received.last,
		dossiers: received.count,
		units: units.count,
		procedures: procedures.count
	};
}

/**
 * The root of the tree in its latest version: an open-ended one first, then the one whose validity
 * ends last, then the one that starts last (a province code is reused: 15 was Yên Bái, is Lào Cai).
 */
function latestProvince(db: Kysely<Database>) {
	return db
		.selectFrom('unit_versions')
		.select(['code', 'name'])
		.where('level', '=', 'province')
		.where('parent_code', 'is', null)
		.orderBy('valid_to', (order) => order.desc().nullsFirst())
		.orderBy('valid_from', (order) => order.desc().nullsLast())
		.orderBy('code')
		.limit(1)
		.executeTakeFirst();
}
