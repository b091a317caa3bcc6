/**
 * The national portal's sync payload (`DongBoHoSoMC`, issue 15, CONTRACT: dossiers) read as it
 * is: DuckDB's JSON reader reads only the fields the KPIs need (the applicant's name, papers,
 * phone, e-mail… are never read, so never stored), and our columns are derived from them in SQL
 * into the same `import_raw` every reader ends in, under the payload's own field names, so the
 * dossiers' typing and checks run on it unchanged. The rules (README, "The portal's sync payload"):
 *
 * - `TrangThaiHoSo` 2, 4, 5, 6 → processing; 7 → withdrawn; 8 → returned; 9, 10 → completed, its
 *   `completed_at` from `NgayKetThucXuLy`, else `NgayTra`; 1 and 3 were never received: left out
 *   and counted in a warning;
 * - digitized: `HoSoCoThanhPhanSoHoa = 1` or a component (`TaiLieuNop`) with `DuocSoHoa = 1`;
 *   reused: a component with `DuocTaiSuDung = 1` or `DuocLayTuKhoDMQG = 1`; result digitized: a
 *   result document (`DanhSachGiayToKetQua`) with a file path; fee: a fee (`DanhSachLePhi`) with
 *   a positive `Gia`, and with no fee listed the procedure's `has_fee`; paid online:
 *   `DuocThanhToanTrucTuyen` 1 or 2; synced to the portal: always (this is the portal's payload);
 * - the unit: a flat `MaDonVi` / `unit_code` when given, else the unit whose agency code
 *   (`unit_versions.agency_code`) on the day of receipt is `DonViXuLy`, else the agency part of
 *   `MaHoSo` (before its first `-`).
 *
 * A dossier is row `index + 1` of `data`. What only the payload can get wrong (a status code, a
 * 0/1 flag in a nested list, an agency no unit has) is a row problem naming the field as
 * `TaiLieuNop[2].DuocSoHoa` (the second component), kept in `import_row_problems` and reported
 * with the other row errors.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { rm } from 'node:fs/promises';
import type { HeaderMatch } from '../columns';
import { fileError, ImportRejected, readerReason } from '../errors';
import { MAX_RECORD_BYTES } from '../limits';
import { identifier, literal } from '../sql';
import type { RawTable } from '../stage';
import type { ImportWorkspace } from '../workspace';
import { agencyMatch } from '../../units/agency';
import { validFrom } from '../../units/validity';
import type { Database } from '../../db/schema';
import { jsonText, recordTooBig } from './json-records';
import { extractEnvelopeData, type PortalLayout } from './portal-file';

/** The payload's fields that are read; any other (personal or not) stays in the file. */
const SCALARS = [
	'MaHoSo',
	'MaTTHC',
	'KenhThucHien',
	'NgayTiepNhan',
	'NgayHenTra',
	'NgayKetThucXuLy',
	'NgayTra',
	'TrangThaiHoSo',
	'DonViXuLy',
	'HoSoCoThanhPhanSoHoa',
	'DuocThanhToanTrucTuyen',
	'MaDonVi',
	'unit_code'
] as const;
const LISTS = ['TaiLieuNop', 'DanhSachLePhi', 'DanhSachGiayToKetQua'] as const;

/** `TrangThaiHoSo` → our status; 1 and 3 are left out (never received). */
const STATUS_OF: Record<string, string> = {
	'2': 'processing',
	'4': 'processing',
	'5': 'processing',
	'6': 'processing',
	'7': 'withdrawn',
	'8': 'returned',
	'9': 'completed',
	'10': 'completed'
};
const NEVER_RECEIVED = ['1', '3'];

/**
 * The derived columns of `import_raw`, in order: the canonical column each feeds and the
 * payload field named in its errors.
 */
const DERIVED: [column: string, header: string][] = [
	['dossier_code', 'MaHoSo'],
	['procedure_code', 'MaTTHC'],
	['unit_code', 'DonViXuLy'],
	['channel', 'KenhThucHien'],
	['received_at', 'NgayTiepNhan'],
	['due_at', 'NgayHenTra'],
	['completed_at', 'NgayKetThucXuLy'],
	['status', 'TrangThaiHoSo'],
	['dossier_digitized', 'HoSoCoThanhPhanSoHoa'],
	['data_reused', 'TaiLieuNop'],
	['result_digitized', 'DanhSachGiayToKetQua'],
	['fee_required', 'DanhSachLePhi'],
	['paid_online', 'DuocThanhToanTrucTuyen'],
	['portal_synced', 'DongBoHoSoMC']
];

/** The fields holding a code or flag, which a number written `2.0` must still match. */
const CODES: readonly string[] = [
	'KenhThucHien',
	'TrangThaiHoSo',
	'HoSoCoThanhPhanSoHoa',
	'DuocThanhToanTrucTuyen'
];

const UNKNOWN_AGENCY =
	'on the day the dossier was received; import the units with their agency_code (Mã định danh)';

/** What this reader says of a dossier, in English like every import message (reasons.ts renders them). */
export const PORTAL_MESSAGES = {
	notDossier: 'not a dossier (an object)',
	notList: 'not a list of objects',
	notObject: 'not an object',
	flag: 'not 0 or 1',
	required: 'required field is empty',
	status: 'not a TrangThaiHoSo code; expected 1 to 10',
	resolvedUndated:
		'a resolved dossier (TrangThaiHoSo 9 or 10) with neither NgayKetThucXuLy nor NgayTra',
	amount: 'not an amount of money; expected digits, e.g. 50000 or 50.000',
	noAgency: 'empty, and MaHoSo has no agency part before a "-"',
	unknownAgencyOfCode: `empty, and no unit has the agency code MaHoSo begins with ${UNKNOWN_AGENCY}`,
	unknownAgency: `no unit has this agency code ${UNKNOWN_AGENCY}`,
	payload: 'the DongBoHoSoMC payload of the National Public Service Portal'
};

/** Each list's elements as read: the fields the KPIs need, as text. */
const LIST_FIELDS: Record<(typeof LISTS)[number], readonly string[]> = {
	TaiLieuNop: ['DuocSoHoa', 'DuocTaiSuDung', 'DuocLayTuKhoDMQG'],
	DanhSachLePhi: ['Gia'],
	DanhSachGiayToKetQua: ['DuongDanTepTinKetQua']
};

const structOf = (list: (typeof LISTS)[number]) =>
	`STRUCT(${LIST_FIELDS[list].map((f) => `${f} VARCHAR`).join(', ')})[]`;

// portal_flag tests the plain '0' and '1' first: it runs on every flag of every component, and the
// full test there took a quarter of the derive's time.
const MACROS = `
CREATE OR REPLACE TEMP MACRO portal_code(s) AS
	CASE WHEN ends_with(cell(s), '.0') THEN cell(s)[:-3] ELSE cell(s) END;
CREATE OR REPLACE TEMP MACRO portal_flag(s) AS CASE s WHEN '1' THEN 1 WHEN '0' THEN 0 ELSE CASE
	WHEN cell(s) IS NULL THEN 0 WHEN trim(s) IN ('1', '1.0') THEN 1 WHEN trim(s) IN ('0', '0.0') THEN 0 END END;
CREATE OR REPLACE TEMP MACRO portal_amount_ok(s) AS
	cell(s) IS NULL OR regexp_full_match(trim(s), '[0-9]+([., ][0-9]+)*');
CREATE OR REPLACE TEMP MACRO portal_first_not_object(j) AS
	list_position(list_transform(json_type(j, '$[*]'), t -> t = 'OBJECT'), false);
`;

/**
 * The payload's columns as the upload page shows them before a check: ours, already derived, so
 * that the kind is told and nothing is left to map (the page says the fields are derived).
 */
export const PORTAL_COLUMNS = DERIVED.map(([column]) => column);

export async function loadPortal(
	db: Kysely<Database>,
	file: string,
	name: string,
	layout: PortalLayout,
	workspace: ImportWorkspace
): Promise<RawTable> {
	const format = layout === 'newline_delimited' ? 'newline_delimited' : 'array';
	await sql.raw(MACROS).execute(db);
	await sql`CREATE OR REPLACE TEMP TABLE import_row_problems (__row INTEGER, column_name VARCHAR,
		value VARCHAR, message VARCHAR)`.execute(db);
	let input = file;
	if (layout === 'envelope') {
		input = workspace.file('portal-data.json');
		await extractEnvelopeData(file, input, name, false);
		try {
			await readPayload(db, input, name, format);
		} catch {
			// Other keys after `data` (extractEnvelopeData): the array taken out exactly, read again.
			await rm(input, { force: true });
			await extractEnvelopeData(file, input, name, true);
			await readPayload(db, input, name, format);
		}
	} else await readPayload(db, input, name, format);
	await resolveUnits(db);
	const skipped = await leaveOutNeverReceived(db);
	const problems = await findProblems(db);
	await writeRaw(db);
	await sql`DROP TABLE import_portal_read`.execute(db);
	const match: HeaderMatch = {
		targets: DERIVED.map(([column]) => column),
		matched: DERIVED.length,
		unknown: [],
		missingRequired: [],
		conflicts: []
	};
	const notes = [PORTAL_MESSAGES.payload];
	if (skipped.count > 0) {
		notes.push(
			`left out ${skipped.count} dossiers never received (TrangThaiHoSo 1 or 3): ${skipped.rows}`
		);
	}
	return {
		headers: DERIVED.map(([, header]) => header),
		match,
		headerRow: 1,
		notes,
		rowProblems: problems > 0 ? 'import_row_problems' : undefined,
		recordKey: true
	};
}

const typedColumns = () =>
	[
		...SCALARS.map((f) => `'${f}': 'VARCHAR'`),
		...LISTS.map((f) => `'${f}': '${structOf(f)}'`)
	].join(', ');

const readJson = (input: string, format: string, columns: string) =>
	sql`read_json(${literal(input)}, format = ${literal(format)}, records = true,
		columns = {${sql.raw(columns)}}, maximum_object_size = ${MAX_RECORD_BYTES})`;

/**
 * `import_portal_read`, a row per dossier in the file's order, and what is derived from it,
 * `import_portal_x`, with `__row` its place in `data`. DuckDB reads the dossiers typed, the
 * scalars as text and the lists as lists of their fields, as almost every file is; when it
 * refuses (a list that is not one, an element that is not an object), the file is read again
 * loosely, as JSON, those dossiers' faults are noted by field, and their lists left empty.
 */
async function readPayload(
	db: Kysely<Database>,
	input: string,
	name: string,
	format: 'array' | 'newline_delimited'
): Promise<void> {
	try {
		// Into a table, then derived: DuckDB reads a JSON array on one thread, and what is derived
		// as it reads runs on that thread too (2.1 s more at a million dossiers).
		await readInto(db, 'import_portal_read', input, format, typedColumns());
	} catch (error) {
		if (/maximum_object_size/.test(String(error))) throw await recordTooBig(input, name, format, 1);
		await readLoosely(db, input, name, format);
	}
	await derive(db);
	const [{ n }] = (await sql<{ n: number }>`SELECT count(*) AS n FROM import_portal_x`.execute(db))
		.rows;
	if (n === 0) throw fileError(name, 'the payload has no dossiers');
}

/** `table`: the dossiers' fields as `columns` types them, in the file's order. */
function readInto(
	db: Kysely<Database>,
	table: string,
	input: string,
	format: string,
	columns: string
) {
	return sql`CREATE OR REPLACE TEMP TABLE ${sql.table(table)} AS
		SELECT * FROM ${readJson(input, format, columns)}`.execute(db);
}

async function readLoosely(
	db: Kysely<Database>,
	input: string,
	name: string,
	format: 'array' | 'newline_delimited'
): Promise<void> {
	const loose = [...SCALARS, ...LISTS].map((f) => `'${f}': 'JSON'`).join(', ');
	try {
		await readInto(db, 'import_portal_json', input, format, loose);
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		const record = /in record\/value (\d+): Expected OBJECT/.exec(message)?.[1];
		if (record) {
			throw new ImportRejected(name, [
				{ row: Number(record), column: null, value: null, message: PORTAL_MESSAGES.notDossier }
			]);
		}
		throw fileError(name, `cannot read the DongBoHoSoMC payload: ${readerReason(error, name)}`);
	}
	await sql`CREATE OR REPLACE TEMP TABLE import_portal_json AS
		SELECT (rowid - (SELECT min(rowid) FROM import_portal_json) + 1)::INTEGER AS __row, *
		FROM import_portal_json`.execute(db);
	// A list that is not one, or holds something else than objects: its first fault, by field.
	for (const list of LISTS) {
		const l = sql.ref(list);
		await sql`INSERT INTO import_row_problems
			SELECT __row, ${list}, NULL, ${PORTAL_MESSAGES.notList} FROM import_portal_json
			WHERE json_type(${l}) NOT IN ('ARRAY', 'NULL')
				AND NOT (json_type(${l}) = 'VARCHAR' AND cell(${l} ->> '$') IS NULL)
			UNION ALL
			SELECT __row, ${list} || '[' || i || ']', CAST(json_extract(${l}, '$[' || (i - 1) || ']') AS VARCHAR),
				${PORTAL_MESSAGES.notObject}
			FROM (SELECT __row, ${l}, portal_first_not_object(${l}) AS i FROM import_portal_json
				WHERE json_type(${l}) = 'ARRAY')
			WHERE i IS NOT NULL`.execute(db);
	}
	// The same columns as the typed reading; a faulty list empty (its dossier is rejected).
	const lists = LISTS.map(
		(list) => sql`CASE WHEN json_type(${sql.ref(list)}) = 'ARRAY'
			AND portal_first_not_object(${sql.ref(list)}) IS NULL
			THEN CAST(json_transform(${sql.ref(list)}, ${JSON.stringify([Object.fromEntries(LIST_FIELDS[list].map((f) => [f, 'VARCHAR']))])}) AS ${sql.raw(structOf(list))}) END AS ${sql.id(list)}`
	);
	await sql`CREATE OR REPLACE TEMP TABLE import_portal_read AS
		SELECT ${sql.join(SCALARS.map((f) => sql`${jsonText(sql.ref(f))} AS ${sql.id(f)}`))},
			${sql.join(lists)}
		FROM import_portal_json ORDER BY __row`.execute(db);
	await sql`DROP TABLE import_portal_json`.execute(db);
}

/**
 * The fields as text, and what each list says, one row per dossier of `import_portal_read`, in
 * its order: `import_portal_x`, with `__row`.
 */
async function derive(db: Kysely<Database>): Promise<void> {
	const any = (list: string, test: (x: RawBuilder<unknown>) => RawBuilder<unknown>) =>
		sql`coalesce(list_bool_or(list_transform(${sql.ref(list)}, x -> ${test(sql`x`)})), false)`;
	const flag = (x: RawBuilder<unknown>, f: string) => sql`portal_flag(${x}.${sql.id(f)}) = 1`;
	// Whether a dossier may have a fault of value (findProblems looks only at those): what every
	// problem's condition implies, so that a clean file costs one boolean.
	const anyBad = (
		list: string,
		fields: readonly string[],
		bad: (v: RawBuilder<unknown>) => RawBuilder<unknown>
	) =>
		any(list, (x) =>
			sql.join(
				fields.map((f) => bad(sql`${x}.${sql.id(f)}`)),
				sql` OR `
			)
		);
	const codes = sql.join(
		[...Object.keys(STATUS_OF), ...NEVER_RECEIVED].map((c) => sql`${c}`),
		sql`, `
	);
	// One pass over the read dossiers, keeping what the lists say, not the lists (they stay in
	// import_portal_read for the few dossiers findProblems looks at): no join, no copy of them.
	await sql`CREATE OR REPLACE TEMP TABLE import_portal_derived AS
		SELECT *,
			(TrangThaiHoSo IS NULL OR TrangThaiHoSo NOT IN (${codes})
				OR (TrangThaiHoSo IN ('9', '10') AND NgayKetThucXuLy IS NULL AND NgayTra IS NULL)
				OR portal_flag(HoSoCoThanhPhanSoHoa) IS NULL OR faulty_list) AS suspect
		FROM (SELECT ${sql.join(
			SCALARS.map((f) =>
				CODES.includes(f)
					? sql`portal_code(${sql.ref(f)}) AS ${sql.id(f)}`
					: sql`cell(${sql.ref(f)}) AS ${sql.id(f)}`
			)
		)},
			CAST(parse_timestamp(cell(NgayTiepNhan)) AS DATE) AS received_day,
			coalesce(cell(DonViXuLy), CASE WHEN contains(MaHoSo, '-')
				THEN cell(split_part(MaHoSo, '-', 1)) END) AS agency,
			${any('TaiLieuNop', (x) => flag(x, 'DuocSoHoa'))} AS component_digitized,
			${any('TaiLieuNop', (x) => sql`${flag(x, 'DuocTaiSuDung')} OR ${flag(x, 'DuocLayTuKhoDMQG')}`)} AS component_reused,
			${any('DanhSachGiayToKetQua', (x) => sql`cell(${x}.DuongDanTepTinKetQua) IS NOT NULL`)} AS result_file,
			CASE WHEN len(DanhSachLePhi) > 0 THEN ${any(
				'DanhSachLePhi',
				(x) => sql`portal_amount_ok(${x}.Gia) AND regexp_matches(coalesce(${x}.Gia, ''), '[1-9]')`
			)} END AS fee_listed,
			${anyBad('TaiLieuNop', LIST_FIELDS.TaiLieuNop, (v) => sql`portal_flag(${v}) IS NULL`)}
				OR ${anyBad('DanhSachLePhi', ['Gia'], (v) => sql`NOT portal_amount_ok(${v})`)} AS faulty_list
			FROM import_portal_read)`.execute(db);
	// A new table's row ids are its rows' places from 0, and a reading keeps the file's order:
	// `import_portal_read`'s rows and these are the same dossiers in the same order.
	await sql`CREATE OR REPLACE TEMP VIEW import_portal_x AS
		SELECT (rowid + 1)::INTEGER AS __row, * FROM import_portal_derived`.execute(db);
}

/** The unit each agency names on the day of receipt, for the dossiers without a flat unit. */
async function resolveUnits(db: Kysely<Database>): Promise<void> {
	await sql`CREATE OR REPLACE TEMP TABLE import_portal_units AS
		SELECT x.__row, min(u.code) AS code
		FROM import_portal_x x JOIN unit_versions u ON ${agencyMatch(
			'u',
			sql.ref('x.agency'),
			sql`coalesce(x.received_day, ${validFrom('u')})`
		)}
		WHERE coalesce(x.MaDonVi, x.unit_code) IS NULL
		GROUP BY x.__row`.execute(db);
}

async function leaveOutNeverReceived(
	db: Kysely<Database>
): Promise<{ count: number; rows: string }> {
	const never = sql.join(NEVER_RECEIVED.map((code) => sql`${code}`));
	const { rows } = await sql<{ n: number; first: number[] }>`SELECT count(*) AS n,
		list(__row ORDER BY __row)[1:20] AS first FROM import_portal_x
		WHERE TrangThaiHoSo IN (${never})`.execute(db);
	const { n, first } = rows[0];
	if (n > 0) {
		await sql`DELETE FROM import_portal_derived WHERE TrangThaiHoSo IN (${never})`.execute(db);
		await sql`DELETE FROM import_row_problems WHERE __row NOT IN (SELECT __row FROM import_portal_x)`.execute(
			db
		);
	}
	const listed = (first ?? []).join(', ');
	return { count: n, rows: `rows ${listed}${n > 20 ? ', …' : ''}` };
}

const EXPECTED_FLAG = PORTAL_MESSAGES.flag;

/** A list's first element whose field `f` fails `bad`, as a problem. */
function fieldProblem(
	list: string,
	f: string,
	bad: (value: RawBuilder<unknown>) => RawBuilder<unknown>,
	message: string
): RawBuilder<unknown> {
	return sql`SELECT __row, ${list} || '[' || i || '].' || ${f} AS column_name,
			${sql.ref(list)}[i].${sql.id(f)} AS value, ${message} AS message
		FROM (SELECT __row, ${sql.ref(list)}, list_position(list_transform(${sql.ref(list)},
			x -> ${bad(sql`x.${sql.id(f)}`)}), true) AS i FROM import_portal_suspects)
		WHERE i IS NOT NULL`;
}

/** Adds the dossiers' faults of value to `import_row_problems`; returns how many there are. */
async function findProblems(db: Kysely<Database>): Promise<number> {
	const statuses = sql.join(Object.keys(STATUS_OF).map((code) => sql`${code}`));
	const parts: RawBuilder<unknown>[] = [
		sql`SELECT __row, 'TrangThaiHoSo' AS column_name, TrangThaiHoSo AS value,
			CASE WHEN TrangThaiHoSo IS NULL THEN ${PORTAL_MESSAGES.required}
				ELSE ${PORTAL_MESSAGES.status} END AS message
			FROM import_portal_suspects WHERE TrangThaiHoSo IS NULL OR TrangThaiHoSo NOT IN (${statuses})`,
		sql`SELECT __row, 'NgayKetThucXuLy' AS column_name, TrangThaiHoSo AS value,
			${PORTAL_MESSAGES.resolvedUndated} AS message
			FROM import_portal_suspects WHERE TrangThaiHoSo IN ('9', '10')
				AND NgayKetThucXuLy IS NULL AND NgayTra IS NULL`,
		sql`SELECT __row, 'HoSoCoThanhPhanSoHoa' AS column_name, HoSoCoThanhPhanSoHoa AS value,
			${EXPECTED_FLAG} AS message FROM import_portal_suspects WHERE portal_flag(HoSoCoThanhPhanSoHoa) IS NULL`,
		...LIST_FIELDS.TaiLieuNop.map((f) =>
			fieldProblem('TaiLieuNop', f, (v) => sql`portal_flag(${v}) IS NULL`, EXPECTED_FLAG)
		),
		fieldProblem(
			'DanhSachLePhi',
			'Gia',
			(v) => sql`NOT portal_amount_ok(${v})`,
			PORTAL_MESSAGES.amount
		),
		sql`SELECT __row, 'DonViXuLy' AS column_name, agency AS value, CASE
				WHEN agency IS NULL THEN ${PORTAL_MESSAGES.noAgency}
				WHEN DonViXuLy IS NULL THEN ${PORTAL_MESSAGES.unknownAgencyOfCode}
				ELSE ${PORTAL_MESSAGES.unknownAgency} END AS message
			FROM import_portal_suspects WHERE coalesce(MaDonVi, unit_code, agency_unit) IS NULL`
	];
	await sql`CREATE OR REPLACE TEMP TABLE import_portal_suspects AS
		SELECT x.*, pu.code AS agency_unit
		FROM import_portal_x x LEFT JOIN import_portal_units pu USING (__row)
		WHERE x.suspect OR (coalesce(x.MaDonVi, x.unit_code) IS NULL AND pu.code IS NULL)`.execute(db);
	const [{ suspects }] = (
		await sql<{ suspects: number }>`SELECT count(*) AS suspects
			FROM import_portal_suspects`.execute(db)
	).rows;
	if (suspects > 0) {
		await sql`CREATE OR REPLACE TEMP TABLE import_portal_suspects AS
			SELECT s.*, p.TaiLieuNop, p.DanhSachLePhi, p.DanhSachGiayToKetQua
			FROM import_portal_suspects s JOIN import_portal_read p ON p.rowid + 1 = s.__row`.execute(db);
		await sql`INSERT INTO import_row_problems ${sql.join(parts, sql` UNION ALL `)}`.execute(db);
	}
	await sql`DROP TABLE import_portal_suspects`.execute(db);
	const [{ n }] = (
		await sql<{ n: number }>`SELECT count(*) AS n FROM import_row_problems`.execute(db)
	).rows;
	return n;
}

/** `import_raw` as every reader leaves it: `__row` and one text column per derived field. */
async function writeRaw(db: Kysely<Database>): Promise<void> {
	const status = sql`CASE TrangThaiHoSo ${sql.join(
		// Literals: a view takes no parameters.
		Object.entries(STATUS_OF).map(
			([code, word]) => sql`WHEN ${sql.lit(code)} THEN ${sql.lit(word)}`
		),
		sql` `
	)} END`;
	const bool = (value: RawBuilder<unknown>) => sql`CASE WHEN ${value} THEN 'true' ELSE 'false' END`;
	const values: Record<string, RawBuilder<unknown>> = {
		dossier_code: sql`x.MaHoSo`,
		procedure_code: sql`x.MaTTHC`,
		unit_code: sql`coalesce(x.MaDonVi, x.unit_code, pu.code)`,
		channel: sql`x.KenhThucHien`,
		received_at: sql`x.NgayTiepNhan`,
		due_at: sql`x.NgayHenTra`,
		completed_at: sql`CASE WHEN x.TrangThaiHoSo IN ('9', '10')
			THEN coalesce(x.NgayKetThucXuLy, x.NgayTra) END`,
		status,
		dossier_digitized: bool(
			sql`coalesce(portal_flag(x.HoSoCoThanhPhanSoHoa) = 1, false) OR x.component_digitized`
		),
		data_reused: bool(sql`x.component_reused`),
		result_digitized: bool(sql`x.result_file`),
		fee_required: bool(sql`coalesce(x.fee_listed, p.has_fee, false)`),
		paid_online: bool(sql`coalesce(trim(x.DuocThanhToanTrucTuyen) IN ('1', '2'), false)`),
		portal_synced: sql`'true'`
	};
	// A table: the typing reads it several times (each column's distinct values, then the rows),
	// and a view would do its joins each time (1.8 s more at a million dossiers).
	await sql`CREATE OR REPLACE TEMP TABLE import_raw AS
		SELECT x.__row, ${sql.join(
			DERIVED.map(([column], i) => sql`${values[column]} AS ${identifier(`c${i}`)}`)
		)}
		FROM import_portal_x x LEFT JOIN import_portal_units pu USING (__row)
		LEFT JOIN procedures p ON p.code = x.MaTTHC
		ORDER BY x.__row`.execute(db);
	await sql`DROP VIEW import_portal_x`.execute(db);
	for (const table of ['import_portal_derived', 'import_portal_units']) {
		await sql`DROP TABLE ${sql.table(table)}`.execute(db);
	}
}
