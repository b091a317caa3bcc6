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

/** The flags of a component, each `0` or `1` (empty: 0). */
const COMPONENT_FLAGS = ['DuocSoHoa', 'DuocTaiSuDung', 'DuocLayTuKhoDMQG'] as const;

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

const MACROS = `
CREATE OR REPLACE TEMP MACRO portal_flag(s) AS CASE
	WHEN cell(s) IS NULL THEN 0 WHEN trim(s) IN ('1', '1.0') THEN 1 WHEN trim(s) IN ('0', '0.0') THEN 0 END;
CREATE OR REPLACE TEMP MACRO portal_amount_ok(s) AS
	cell(s) IS NULL OR regexp_full_match(trim(s), '[0-9]+([., ][0-9]+)*');
CREATE OR REPLACE TEMP MACRO portal_list(j) AS
	CASE WHEN json_type(j) = 'ARRAY' THEN CAST(json_extract(j, '$[*]') AS JSON[]) END;
CREATE OR REPLACE TEMP MACRO portal_first_not_object(l) AS
	list_position(list_transform(l, x -> json_type(x) = 'OBJECT'), false);
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
	let input = file;
	if (layout === 'envelope') {
		input = workspace.file('portal-data.json');
		await extractEnvelopeData(file, input, name);
	}
	const format = layout === 'newline_delimited' ? 'newline_delimited' : 'array';
	await readPayload(db, input, name, format);
	await sql.raw(MACROS).execute(db);
	await derive(db);
	const skipped = await leaveOutNeverReceived(db);
	const problems = await findProblems(db);
	await writeRaw(db);
	for (const table of ['import_portal', 'import_portal_x']) {
		await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
	}
	const match: HeaderMatch = {
		targets: DERIVED.map(([column]) => column),
		matched: DERIVED.length,
		unknown: [],
		missingRequired: [],
		conflicts: []
	};
	const notes = ['the DongBoHoSoMC payload of the National Public Service Portal'];
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

async function readPayload(
	db: Kysely<Database>,
	input: string,
	name: string,
	format: 'array' | 'newline_delimited'
): Promise<void> {
	const columns = [
		...SCALARS.map((f) => `'${f}': 'JSON'`),
		...LISTS.map((f) => `'${f}': 'JSON'`)
	].join(', ');
	try {
		await sql`CREATE OR REPLACE TEMP TABLE import_portal AS
			SELECT * FROM read_json(${literal(input)}, format = ${literal(format)}, records = true,
				columns = {${sql.raw(columns)}}, maximum_object_size = ${MAX_RECORD_BYTES})`.execute(db);
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		if (/maximum_object_size/.test(message)) throw await recordTooBig(input, name, format, 1);
		const record = /in record\/value (\d+): Expected OBJECT/.exec(message)?.[1];
		if (record) {
			throw new ImportRejected(name, [
				{ row: Number(record), column: null, value: null, message: 'not a dossier (an object)' }
			]);
		}
		throw fileError(name, `cannot read the DongBoHoSoMC payload: ${readerReason(error, name)}`);
	}
	const [{ n }] = (await sql<{ n: number }>`SELECT count(*) AS n FROM import_portal`.execute(db))
		.rows;
	if (n === 0) throw fileError(name, 'the payload has no dossiers');
}

/** The fields as text, the lists as lists, and what each list says, one row per dossier. */
async function derive(db: Kysely<Database>): Promise<void> {
	const text = (field: string) => sql`cell(${jsonText(sql.ref(`p.${field}`))})`;
	const lists = {
		components: sql`portal_list(p.TaiLieuNop)`,
		fees: sql`portal_list(p.DanhSachLePhi)`,
		results: sql`portal_list(p.DanhSachGiayToKetQua)`
	};
	const flagAny = (flags: readonly string[]) =>
		sql`coalesce(list_bool_or(list_transform(components, x -> ${sql.join(
			flags.map((f) => sql`portal_flag(x ->> ${f}) = 1`),
			sql` OR `
		)})), false)`;
	await sql`CREATE OR REPLACE TEMP TABLE import_portal_x AS
		WITH p AS (SELECT (rowid - (SELECT min(rowid) FROM import_portal) + 1)::INTEGER AS __row, *
			FROM import_portal),
		t AS (SELECT __row,
			${sql.join(SCALARS.map((f) => sql`${text(f)} AS ${identifier(f)}`))},
			${sql.join(LISTS.map((f) => sql`json_type(p.${sql.id(f)}) AS ${identifier(`${f}_type`)}`))},
			${lists.components} AS components, ${lists.fees} AS fees, ${lists.results} AS results
			FROM p)
		SELECT t.*,
			${flagAny(['DuocSoHoa'])} AS component_digitized,
			${flagAny(['DuocTaiSuDung', 'DuocLayTuKhoDMQG'])} AS component_reused,
			coalesce(list_bool_or(list_transform(results,
				x -> cell(x ->> 'DuongDanTepTinKetQua') IS NOT NULL)), false) AS result_file,
			CASE WHEN len(fees) > 0 THEN coalesce(list_bool_or(list_transform(fees,
				x -> portal_amount_ok(x ->> 'Gia') AND regexp_matches(coalesce(x ->> 'Gia', ''), '[1-9]'))), false)
			END AS fee_listed,
			coalesce(nullif(DonViXuLy, ''),
				CASE WHEN contains(MaHoSo, '-') THEN cell(split_part(MaHoSo, '-', 1)) END) AS agency
		FROM t`.execute(db);
}

async function leaveOutNeverReceived(
	db: Kysely<Database>
): Promise<{ count: number; rows: string }> {
	const never = sql.join(NEVER_RECEIVED.map((code) => sql`${code}`));
	const { rows } = await sql<{ n: number; first: number[] }>`SELECT count(*) AS n,
		list(__row ORDER BY __row)[1:20] AS first FROM import_portal_x
		WHERE TrangThaiHoSo IN (${never})`.execute(db);
	const { n, first } = rows[0];
	if (n > 0) await sql`DELETE FROM import_portal_x WHERE TrangThaiHoSo IN (${never})`.execute(db);
	const listed = (first ?? []).join(', ');
	return { count: n, rows: `rows ${listed}${n > 20 ? ', …' : ''}` };
}

/** A list's first element that is not an object, or whose field fails `bad`, as a problem. */
function listProblems(
	list: string,
	field: string,
	fields: readonly string[],
	bad: (value: RawBuilder<unknown>) => RawBuilder<unknown>,
	message: string
): RawBuilder<unknown>[] {
	const notList = sql`SELECT __row, ${field} AS column_name, NULL AS value,
		'not a list of objects' AS message FROM import_portal_x
		WHERE ${sql.ref(`${field}_type`)} IS NOT NULL AND ${sql.ref(`${field}_type`)} NOT IN ('ARRAY', 'NULL')`;
	const notObject = sql`SELECT __row, ${field} || '[' || i || ']' AS column_name,
		CAST(${sql.id(list)}[i] AS VARCHAR) AS value, 'not an object' AS message
		FROM (SELECT __row, ${sql.id(list)}, portal_first_not_object(${sql.id(list)}) AS i FROM import_portal_x)
		WHERE i IS NOT NULL`;
	const badField = fields.map(
		(f) => sql`SELECT __row, ${field} || '[' || i || '].' || ${f} AS column_name,
			${sql.id(list)}[i] ->> ${f} AS value, ${message} AS message
		FROM (SELECT __row, ${sql.id(list)}, list_position(list_transform(${sql.id(list)},
			x -> json_type(x) = 'OBJECT' AND ${bad(sql`x ->> ${f}`)}), true) AS i FROM import_portal_x)
		WHERE i IS NOT NULL`
	);
	return [notList, notObject, ...badField];
}

const EXPECTED_FLAG = 'not 0 or 1';

const UNKNOWN_AGENCY =
	'on the day the dossier was received; import the units with their agency_code (Mã định danh)';

/** Writes `import_row_problems` (row, field, value, message); returns how many. */
async function findProblems(db: Kysely<Database>): Promise<number> {
	const statuses = sql.join(Object.keys(STATUS_OF).map((code) => sql`${code}`));
	const parts: RawBuilder<unknown>[] = [
		sql`SELECT __row, 'TrangThaiHoSo' AS column_name, TrangThaiHoSo AS value,
			CASE WHEN TrangThaiHoSo IS NULL THEN 'required field is empty'
				ELSE 'not a TrangThaiHoSo code; expected 1 to 10' END AS message
			FROM import_portal_x WHERE TrangThaiHoSo IS NULL OR TrangThaiHoSo NOT IN (${statuses})`,
		sql`SELECT __row, 'NgayKetThucXuLy' AS column_name, TrangThaiHoSo AS value,
			'a resolved dossier (TrangThaiHoSo 9 or 10) with neither NgayKetThucXuLy nor NgayTra' AS message
			FROM import_portal_x WHERE TrangThaiHoSo IN ('9', '10')
				AND NgayKetThucXuLy IS NULL AND NgayTra IS NULL`,
		sql`SELECT __row, 'HoSoCoThanhPhanSoHoa' AS column_name, HoSoCoThanhPhanSoHoa AS value,
			${EXPECTED_FLAG} AS message FROM import_portal_x WHERE portal_flag(HoSoCoThanhPhanSoHoa) IS NULL`,
		...listProblems(
			'components',
			'TaiLieuNop',
			COMPONENT_FLAGS,
			(v) => sql`portal_flag(${v}) IS NULL`,
			EXPECTED_FLAG
		),
		...listProblems(
			'fees',
			'DanhSachLePhi',
			['Gia'],
			(v) => sql`NOT portal_amount_ok(${v})`,
			'not an amount of money; expected digits, e.g. 50000 or 50.000'
		),
		...listProblems('results', 'DanhSachGiayToKetQua', [], () => sql`false`, ''),
		sql`SELECT __row, 'DonViXuLy' AS column_name, agency AS value, CASE
				WHEN agency IS NULL THEN 'empty, and MaHoSo has no agency part before a "-"'
				WHEN DonViXuLy IS NULL THEN ${`empty, and no unit has the agency code MaHoSo begins with ${UNKNOWN_AGENCY}`}
				ELSE ${`no unit has this agency code ${UNKNOWN_AGENCY}`} END AS message
			FROM import_portal_x WHERE coalesce(MaDonVi, unit_code) IS NULL AND __row NOT IN (
				SELECT __row FROM import_portal_units)`
	];
	await resolveUnits(db);
	await sql`CREATE OR REPLACE TEMP TABLE import_row_problems AS
		SELECT * FROM (${sql.join(parts, sql` UNION ALL `)}) ORDER BY __row, column_name`.execute(db);
	const [{ n }] = (
		await sql<{ n: number }>`SELECT count(*) AS n FROM import_row_problems`.execute(db)
	).rows;
	return n;
}

/** The unit each dossier's agency names on its day of receipt (`import_portal_units`). */
async function resolveUnits(db: Kysely<Database>): Promise<void> {
	await sql`CREATE OR REPLACE TEMP TABLE import_portal_units AS
		SELECT x.__row, min(u.code) AS code
		FROM import_portal_x x JOIN unit_versions u ON ${agencyMatch(
			'u',
			sql.ref('x.agency'),
			sql`coalesce(CAST(parse_timestamp(x.NgayTiepNhan) AS DATE), ${validFrom('u')})`
		)}
		WHERE x.agency IS NOT NULL AND coalesce(x.MaDonVi, x.unit_code) IS NULL
		GROUP BY x.__row`.execute(db);
}

/** `import_raw` as every reader leaves it: `__row` and one text column per derived field. */
async function writeRaw(db: Kysely<Database>): Promise<void> {
	const status = sql`CASE TrangThaiHoSo ${sql.join(
		Object.entries(STATUS_OF).map(([code, word]) => sql`WHEN ${code} THEN ${word}`),
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
	await sql`CREATE OR REPLACE TEMP TABLE import_raw AS
		SELECT x.__row, ${sql.join(
			DERIVED.map(([column], i) => sql`${values[column]} AS ${identifier(`c${i}`)}`)
		)}
		FROM import_portal_x x
		LEFT JOIN import_portal_units pu USING (__row)
		LEFT JOIN procedures p ON p.code = x.MaTTHC
		ORDER BY x.__row`.execute(db);
	await sql`DROP TABLE import_portal_units`.execute(db);
}
