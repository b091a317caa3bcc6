/**
 * The staging step every format ends in: a temp table `import_raw` (`__row` plus `c0…cN`, all text,
 * as the format reader found them under the header row) becomes `import_staged`, with the kind's
 * canonical column names, and rows that are clearly not data (blank, totals, a repeated header)
 * are set aside and reported, not imported.
 */
import { sql, type Kysely } from 'kysely';
import { fileError, ImportRejected } from './errors';
import type { HeaderMatch, KindSpec } from './columns';
import { identifier } from './sql';
import type { Database } from '../db/schema';

export interface RawTable {
	/** The header cells as written in the file, one per `c<i>` column of `import_raw`. */
	headers: string[];
	match: HeaderMatch;
	/** The spreadsheet row of the header (1 when it is the first row). */
	headerRow: number;
	/** Notes from the reader (title rows above the header, …). */
	notes: string[];
	/** Empty rows the reader dropped before staging (CSV), to report with the other skipped rows. */
	blankRows?: number[];
	/**
	 * A temp table of row errors the reader found itself (`__row, column_name, value, message`),
	 * reported with the checks' (the portal payload's nested fields: formats/portal.ts).
	 */
	rowProblems?: string;
	/** Row errors name the dossier by its code as well as its row (the portal payload). */
	recordKey?: boolean;
}

export interface StagedFile {
	/** Canonical column → header as written in the file, for the columns the file has. */
	headerOf: Map<string, string>;
	rows: number;
	skipped: number;
	warnings: string[];
	/** The reader's own row errors (RawTable.rowProblems), to report with the checks'. */
	rowProblems?: string;
}

/** Words that open a total, signature or note row under the data (folded, no accents). */
const FOOTER_WORDS = ['tong', 'cong', 'total', 'nguoi lap', 'ghi chu', 'xac nhan', 'thu truong'];

export function checkHeader(file: string, spec: KindSpec, raw: RawTable): void {
	const { match } = raw;
	const problems = [
		...match.conflicts.map((c) => ({
			row: raw.headerRow,
			column: c.headers.join(', '),
			value: null,
			message: `these headers all mean ${c.column}; keep one`
		})),
		...match.missingRequired.map((name) => ({
			row: raw.headerRow,
			column: name,
			value: null,
			message: `required column is missing (accepted headers: ${[name, ...(spec.columns.find((c) => c.name === name)?.aliases ?? [])].join(', ')})`
		}))
	];
	if (problems.length > 0) throw new ImportRejected(file, problems);
}

export function describeSkipped(rows: { row: number; reason: string }[]): string[] {
	const byReason = new Map<string, number[]>();
	for (const r of rows) byReason.set(r.reason, [...(byReason.get(r.reason) ?? []), r.row]);
	return [...byReason].map(([reason, list]) => `skipped ${reason}: ${ranges(list)}`);
}

/** `[2,3,4,9]` → `rows 2–4, 9`. */
function ranges(rows: number[]): string {
	const parts: string[] = [];
	let start = rows[0];
	let prev = rows[0];
	for (const r of [...rows.slice(1), Number.NaN]) {
		if (r === prev + 1) {
			prev = r;
			continue;
		}
		parts.push(start === prev ? `${start}` : `${start}–${prev}`);
		start = prev = r;
	}
	return `${rows.length === 1 ? 'row' : 'rows'} ${parts.join(', ')}`;
}

export async function stageRaw(
	db: Kysely<Database>,
	file: string,
	spec: KindSpec,
	raw: RawTable
): Promise<StagedFile> {
	checkHeader(file, spec, raw);
	const headerOf = new Map<string, string>();
	const select = [sql`__row`];
	raw.match.targets.forEach((target, i) => {
		if (!target) return;
		headerOf.set(target, raw.headers[i].trim());
		select.push(sql`cell(${identifier(`c${i}`)}) AS ${identifier(target)}`);
	});
	for (const c of spec.columns) {
		if (!headerOf.has(c.name)) select.push(sql`NULL::VARCHAR AS ${identifier(c.name)}`);
	}
	const cells = raw.headers.map((_, i) => identifier(`c${i}`));
	const firstCell = sql`coalesce(${sql.join(cells.map((c) => sql`cell(${c})`))})`;
	const anyFooter = sql.join(
		cells.map(
			(c) =>
				sql`(${sql.join(
					FOOTER_WORDS.map((w) => sql`starts_with(fold(${c}), ${w})`),
					sql` OR `
				)})`
		),
		sql` OR `
	);
	const keyIndex = raw.match.targets.indexOf(spec.key);
	const key = identifier(`c${keyIndex}`);
	const keyHeader = raw.headers[keyIndex];
	// A total or signature line fills one or two cells ("Tổng cộng: 523 hồ sơ"), never a whole record.
	const requiredFilled = sql.join(
		raw.match.targets.flatMap((target, i) =>
			spec.columns.some((c) => c.name === target && c.required)
				? [sql`(cell(${identifier(`c${i}`)}) IS NOT NULL)::INTEGER`]
				: []
		),
		sql` + `
	);
	// Only a row missing a required cell, or repeating the header, can be set aside: a cheap test
	// picks those few, the full classification runs on them alone, and the rest is staged as a view
	// (no copy of the file's rows). The few are taken apart first: in one query DuckDB may fold the
	// two filters into one and classify every row (0.4 s a million rows).
	const candidate = sql.join(
		[
			...raw.match.targets.flatMap((target, i) =>
				spec.columns.some((c) => c.name === target && c.required)
					? [sql`${identifier(`c${i}`)} IS NULL OR ${identifier(`c${i}`)} = ''`]
					: []
			),
			sql`${key} = ${keyHeader}`
		],
		sql` OR `
	);
	await sql`CREATE OR REPLACE TEMP TABLE import_row_kinds AS
		SELECT * FROM import_raw WHERE ${candidate}`.execute(db);
	await sql`CREATE OR REPLACE TEMP TABLE import_row_kinds AS
		SELECT * FROM (SELECT __row, CASE
			WHEN ${firstCell} IS NULL THEN 'blank rows'
			WHEN ${requiredFilled} <= 1 AND (${anyFooter}) THEN 'total or footer rows'
			WHEN trim(${key}) = ${keyHeader.trim()} THEN 'repeated header rows'
			END AS skip_reason
		FROM import_row_kinds) WHERE skip_reason IS NOT NULL`.execute(db);
	const skippedRows = (
		await sql<{ row: number; reason: string }>`SELECT __row AS row, skip_reason AS reason
			FROM import_row_kinds ORDER BY __row`.execute(db)
	).rows;
	await sql`CREATE OR REPLACE TEMP VIEW import_staged AS
		SELECT ${sql.join(select)} FROM import_raw
		${skippedRows.length > 0 ? sql`WHERE __row NOT IN (SELECT __row FROM import_row_kinds)` : sql``}`.execute(
		db
	);
	const [{ n }] = (await sql<{ n: number }>`SELECT count(*) AS n FROM import_staged`.execute(db))
		.rows;
	const warnings = [...raw.notes];
	if (raw.match.unknown.length > 0) {
		warnings.push(`ignored unknown columns: ${raw.match.unknown.join(', ')}`);
	}
	const blank = (raw.blankRows ?? []).map((row) => ({ row, reason: 'blank rows' }));
	const allSkipped = [...skippedRows, ...blank].sort((a, b) => a.row - b.row);
	warnings.push(...describeSkipped(allSkipped));
	if (n === 0) throw fileError(file, 'no data rows under the header');
	return {
		headerOf,
		rows: n,
		skipped: allSkipped.length,
		warnings,
		rowProblems: raw.rowProblems
	};
}
