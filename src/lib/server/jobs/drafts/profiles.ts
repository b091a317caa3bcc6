/**
 * Mapping profiles: a draft's mapping saved under a name for its kind and headers, and proposed
 * again for a file of the same headers.
 */
import type { Kysely } from 'kysely';
import type { ImportKind } from '../../../domain/types';
import { audit } from '../../auth/users';
import type { Database } from '../../db';
import { serialWrite } from '../../db/writes';
import { foldHeader, KIND_SPECS } from '../../import/columns';
import type { Uploader } from '../jobs';
import type { Layout } from './detect';
import { now, ownDraft } from './draft';
import { checkManager, DraftRefused } from './refused';

/** A profile's name, in characters. */
export const MAX_PROFILE_NAME = 80;
/** Profiles at most (every kind together): a few source systems per province, with room. */
export const MAX_PROFILES = 200;

/** The folded headers, sorted, without repeats or blanks: what a profile is picked by. */
export function headerSet(headers: string[]): string {
	return [...new Set(headers.map(foldHeader).filter((h) => h !== ''))].sort().join('|');
}

async function profileFor(db: Kysely<Database>, kind: ImportKind, set: string) {
	return db
		.selectFrom('import_profiles')
		.select(['id', 'name', 'mapping'])
		.where('kind', '=', kind)
		.where('header_set', '=', set)
		.executeTakeFirst();
}

/** The mapping of `headers` for `kind`: a stored profile's when one has these headers. */
export async function mappingFor(db: Kysely<Database>, kind: ImportKind, layout: Layout) {
	const profile = await profileFor(db, kind, headerSet(layout.headers));
	if (!profile) return { mapping: layout.proposed, profileId: null };
	const byFolded = JSON.parse(profile.mapping) as Record<string, string | null>;
	const columns = new Set(KIND_SPECS[kind].columns.map((c) => c.name));
	const mapping = layout.headers.map((header, i) => {
		const folded = foldHeader(header);
		if (!(folded in byFolded)) return layout.proposed[i];
		const column = byFolded[folded];
		return column !== null && columns.has(column) ? column : null;
	});
	return { mapping, profileId: profile.id };
}

/**
 * Saves the draft's mapping as the profile `name` for its kind and headers (replacing the
 * profile of the same headers), audited; its id. Refused (400) for a name empty, too long or
 * with control characters, and past MAX_PROFILES.
 */
export async function saveProfile(
	db: Kysely<Database>,
	viewer: Uploader,
	id: number,
	nameSent: unknown,
	ip: string | null = null
): Promise<number | null> {
	checkManager(viewer);
	const draft = await ownDraft(db, viewer, id);
	if (!draft) return null;
	const name = profileName(nameSent);
	const headers = JSON.parse(draft.headers) as string[];
	if (headers.length === 0) throw new DraftRefused('the file has no header to map', 400);
	const mapping = JSON.parse(draft.mapping) as (string | null)[];
	const byFolded: Record<string, string | null> = {};
	headers.forEach((h, i) => {
		const folded = foldHeader(h);
		if (folded) byFolded[folded] = mapping[i] ?? null;
	});
	const profileId = await serialWrite(db, () =>
		storeProfile(db, draft.kind, draft.header_set, {
			name,
			mapping: JSON.stringify(byFolded),
			updated_by: viewer.username,
			updated_at: now()
		})
	);
	await serialWrite(db, () =>
		db.updateTable('import_drafts').set({ profile_id: profileId }).where('id', '=', id).execute()
	);
	await audit(db, {
		action: 'import_profile',
		actor: { username: viewer.username, userId: viewer.id, ip },
		detail: { profile: profileId, name, kind: draft.kind, headers: headers.length }
	});
	return profileId;
}

/** The profile name sent, trimmed; refused (400) when empty, too long or with control characters. */
function profileName(sent: unknown): string {
	const name = typeof sent === 'string' ? sent.trim() : '';
	if (name.length === 0 || name.length > MAX_PROFILE_NAME) {
		throw new DraftRefused(`the profile name must have 1 to ${MAX_PROFILE_NAME} characters`, 400);
	}
	// eslint-disable-next-line no-control-regex -- refusing control characters is the point
	if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) {
		throw new DraftRefused('the profile name may not hold control characters', 400);
	}
	return name;
}

/** The profile of `kind` and `set` written over, or a new one while under MAX_PROFILES; its id. */
async function storeProfile(
	db: Kysely<Database>,
	kind: ImportKind,
	set: string,
	values: { name: string; mapping: string; updated_by: string; updated_at: string }
): Promise<number> {
	const existing = await profileFor(db, kind, set);
	if (existing) {
		await db.updateTable('import_profiles').set(values).where('id', '=', existing.id).execute();
		return existing.id;
	}
	const [{ n }] = await db
		.selectFrom('import_profiles')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.execute();
	if (Number(n) >= MAX_PROFILES) {
		throw new DraftRefused(`at most ${MAX_PROFILES} profiles can be kept; replace one`, 400);
	}
	const row = await db
		.insertInto('import_profiles')
		.values({ ...values, kind, header_set: set })
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}
