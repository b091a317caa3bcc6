/**
 * The frame a unit's reports are printed in (issue 13): what the unit has set on its settings
 * page (`/u/<code>/report-header`), else the defaults of domain/official-document.ts from its
 * name and province. Only the reform team and admin change it, for a unit of their scope; each
 * change is in the audit log.
 */
import { sql, type Kysely } from 'kysely';
import { vietnamTimestamp } from '../../domain/dates';
import {
	defaultHeader,
	headerLines,
	headerProblem,
	type HeaderProblem,
	type ReportHeader
} from '../../domain/official-document';
import type { Principal } from '../../domain/types';
import { assertManages } from '../auth/scope';
import { audit, type Actor } from '../auth/users';
import type { Database } from '../db/schema';
import { serialWrite } from '../db/writes';
import type { UnitVersionRef } from '../units/versions';

/** The province above a unit (or the unit itself), for a department's header and the place. */
async function provinceOf(db: Kysely<Database>, unit: UnitVersionRef) {
	const { rows } = await sql<{ name: string }>`SELECT u.name FROM unit_closure c
		JOIN unit_versions u ON u.id = c.ancestor_id
		WHERE c.descendant_id = ${unit.id} AND u.level = 'province'
		ORDER BY c.depth DESC LIMIT 1`.execute(db);
	return rows[0] ?? null;
}

export interface UnitHeader {
	header: ReportHeader;
	defaults: ReportHeader;
	/** Who set it and when (a Vietnam timestamp), or null while the defaults apply. */
	set: { by: string; at: string } | null;
}

export async function reportHeader(
	db: Kysely<Database>,
	unit: UnitVersionRef
): Promise<UnitHeader> {
	const defaults = defaultHeader(unit, await provinceOf(db, unit));
	const row = await db
		.selectFrom('report_headers')
		.selectAll()
		.where('unit_code', '=', unit.code)
		.executeTakeFirst();
	if (!row) return { header: defaults, defaults, set: null };
	return {
		header: {
			governingBody: row.governing_body,
			issuingBody: row.issuing_body,
			abbreviation: row.abbreviation,
			place: row.place,
			signerTitle: row.signer_title,
			signerName: row.signer_name,
			recipients: row.recipients
		},
		defaults,
		set: { by: row.updated_by, at: row.updated_at }
	};
}

export class HeaderRefused extends Error {
	constructor(readonly problem: HeaderProblem) {
		super(`the report header's ${problem.field} is refused: ${problem.kind}`);
	}
}

/** Sets the unit's frame (every field trimmed), or with null goes back to the defaults. */
export async function saveReportHeader(
	db: Kysely<Database>,
	principal: Principal,
	actor: Actor,
	unit: UnitVersionRef,
	header: ReportHeader | null,
	now = Date.now()
): Promise<void> {
	await assertManages(db, principal, unit.code);
	const trimmed = header && trimHeader(header);
	if (trimmed) {
		const problem = headerProblem(trimmed);
		if (problem) throw new HeaderRefused(problem);
	}
	await serialWrite(db, async () => {
		await db.transaction().execute(async (tx) => {
			await tx.deleteFrom('report_headers').where('unit_code', '=', unit.code).execute();
			if (trimmed) {
				await tx
					.insertInto('report_headers')
					.values({
						unit_code: unit.code,
						governing_body: trimmed.governingBody,
						issuing_body: trimmed.issuingBody,
						abbreviation: trimmed.abbreviation,
						place: trimmed.place,
						signer_title: trimmed.signerTitle,
						signer_name: trimmed.signerName,
						recipients: trimmed.recipients,
						updated_by: actor.username,
						updated_at: vietnamTimestamp(now)
					})
					.execute();
			}
		});
		await audit(
			db,
			{
				action: 'report_header',
				actor,
				detail: trimmed ? { unit: unit.code, ...trimmed } : { unit: unit.code, reset: true }
			},
			now
		);
	});
}

/** Each field trimmed; in the multi-line ones each line, empty lines dropped, breaks as `\n`. */
function trimHeader(header: ReportHeader): ReportHeader {
	const lines = (text: string) => headerLines(text).join('\n');
	return {
		governingBody: header.governingBody.trim(),
		issuingBody: header.issuingBody.trim(),
		abbreviation: header.abbreviation.trim(),
		place: header.place.trim(),
		signerTitle: lines(header.signerTitle),
		signerName: header.signerName.trim(),
		recipients: lines(header.recipients)
	};
}
