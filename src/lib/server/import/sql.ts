/**
 * SQL pieces every import kind shares: how a text cell becomes a date, a timestamp, a boolean
 * (CONTRACT.md: "Dates are ISO … or Vietnamese …; Booleans: true/false, 1/0, x/empty, có/không").
 * They are TEMP macros, created on the import's own connection, so the rules live here only.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { formatDate } from '../../domain/format';
import { PERIOD_FIRST_DAY, PERIOD_LAST_DAY } from '../../domain/periods';

/**
 * A quoted SQL string literal. Only for what DuckDB cannot take as a bound parameter (file paths
 * and options of `read_csv` and its siblings); everything else is bound.
 */
export function literal(value: string): RawBuilder<unknown> {
	return sql.raw(`'${value.replaceAll("'", "''")}'`);
}

/** A quoted identifier (column names of a file's staging table). */
export function identifier(name: string): RawBuilder<unknown> {
	return sql.raw(`"${name.replaceAll('"', '""')}"`);
}

/**
 * `implausible`: a date or timestamp outside 2000-01-01 … 2100-12-31, the days the data can have
 * and a period can ask for (domain/periods.ts; CONTRACT: dossiers, and the bounds of a period over
 * HTTP; issue 10: one dossier dated 9999-12-31 broke every page). `received_too_late`: more than a day after the import, in Asia/Ho_Chi_Minh
 * wall-clock time like every stored timestamp; `now()` is the start of the import's transaction.
 *
 * Cells reach these macros trimmed, empty ones as NULL (the staging view applies `cell`).
 * A timestamp cell is dispatched on its shape to one parser (trying a list of formats on every cell
 * costs seconds per million rows): `dd/mm/yyyy[ hh:mm[:ss]]`, `yyyyMMdd[HHmmss]`, an ISO string with
 * an offset (converted to Asia/Ho_Chi_Minh), or an ISO string without one (DuckDB's own cast).
 */
export const MACROS = `
CREATE OR REPLACE TEMP MACRO cell(s) AS nullif(trim(s), '');
CREATE OR REPLACE TEMP MACRO fold(s) AS lower(strip_accents(replace(replace(trim(s), 'Đ', 'd'), 'đ', 'd')));
CREATE OR REPLACE TEMP MACRO parse_timestamp(s) AS CASE
	WHEN s IS NULL THEN NULL
	WHEN contains(s, '/') THEN CASE
		WHEN length(s) <= 10 THEN try_strptime(s, '%d/%m/%Y')
		WHEN s[-6] = ':' THEN try_strptime(s, '%d/%m/%Y %H:%M:%S')
		ELSE try_strptime(s, '%d/%m/%Y %H:%M') END
	WHEN NOT contains(s, '-') THEN CASE length(s)
		WHEN 14 THEN try_strptime(s, '%Y%m%d%H%M%S')
		WHEN 8 THEN try_strptime(s, '%Y%m%d') END
	WHEN length(s) > 16 AND (s LIKE '%Z' OR s LIKE '%+__:__' OR s LIKE '%+____'
		OR (length(s) > 19 AND s LIKE '%-__:__'))
		THEN timezone('Asia/Ho_Chi_Minh', try_cast(s AS TIMESTAMPTZ))
	ELSE try_cast(s AS TIMESTAMP)
END;
CREATE OR REPLACE TEMP MACRO is_date_only(s) AS length(s) <= 10;
CREATE OR REPLACE TEMP MACRO is_midnight(t) AS t = date_trunc('day', t);
CREATE OR REPLACE TEMP MACRO parse_date(s) AS CAST(CASE
	WHEN is_date_only(s) OR is_midnight(parse_timestamp(s)) THEN parse_timestamp(s) END AS DATE);
CREATE OR REPLACE TEMP MACRO implausible(t) AS
	t < DATE '${PERIOD_FIRST_DAY}' OR t >= DATE '${PERIOD_LAST_DAY}' + INTERVAL 1 DAY;
CREATE OR REPLACE TEMP MACRO received_too_late(t) AS
	t > timezone('Asia/Ho_Chi_Minh', now()) + INTERVAL 1 DAY;
CREATE OR REPLACE TEMP MACRO parse_bool(s) AS CASE
	WHEN cell(s) IS NULL THEN false
	WHEN fold(s) IN ('true', '1', 'x', 'co', 'yes', 'y') THEN true
	WHEN fold(s) IN ('false', '0', 'khong', 'no', 'n') THEN false
END;
`;

/** The messages for unparseable cells, shared by every kind. */
export const EXPECTED = {
	timestamp:
		'not a date; expected yyyy-mm-dd, yyyy-mm-ddThh:mm[:ss], dd/mm/yyyy [hh:mm[:ss]] or yyyyMMddHHmmss',
	date: 'not a date; expected yyyy-mm-dd or dd/mm/yyyy',
	boolean: 'not a yes/no value; expected true/false, 1/0, x/empty or có/không',
	plausible: `not a plausible date; expected from ${formatDate(PERIOD_FIRST_DAY)} to ${formatDate(PERIOD_LAST_DAY)}`,
	received: `not a plausible date; expected from ${formatDate(PERIOD_FIRST_DAY)} to a day after the import`
};

/**
 * Vocabulary cells (folded: lower case, no accents, đ → d) to canonical values (CONTRACT.md);
 * NULL when the cell is empty, `'?'` when it is not a value we know.
 */
export const VOCABULARY_MACROS = `
CREATE OR REPLACE TEMP MACRO parse_channel(s) AS CASE
	WHEN cell(s) IS NULL THEN NULL
	WHEN fold(s) IN ('online', 'truc tuyen', 'nop truc tuyen', 'dvc truc tuyen', '2') THEN 'online'
	WHEN fold(s) IN ('direct', 'truc tiep', 'nop truc tiep', '1') THEN 'direct'
	WHEN fold(s) IN ('postal', 'buu chinh', 'bcci', 'qua buu chinh', 'buu chinh cong ich', 'qua buu chinh cong ich', '3') THEN 'postal'
	ELSE '?' END;
CREATE OR REPLACE TEMP MACRO parse_status(s) AS CASE
	WHEN cell(s) IS NULL THEN NULL
	WHEN fold(s) IN ('received', 'da tiep nhan', 'tiep nhan', 'moi tiep nhan', 'cho xu ly') THEN 'received'
	WHEN fold(s) IN ('processing', 'dang xu ly', 'dang giai quyet') THEN 'processing'
	WHEN fold(s) IN ('completed', 'hoan thanh', 'da hoan thanh', 'da tra ket qua', 'da giai quyet', 'co ket qua') THEN 'completed'
	WHEN fold(s) IN ('returned', 'tra lai', 'bi tra lai', 'tra lai ho so', 'khong du dieu kien') THEN 'returned'
	WHEN fold(s) IN ('withdrawn', 'rut ho so', 'da rut', 'da rut ho so', 'huy') THEN 'withdrawn'
	ELSE '?' END;
CREATE OR REPLACE TEMP MACRO parse_online_level(s) AS CASE
	WHEN cell(s) IS NULL THEN NULL
	WHEN fold(s) IN ('full', 'toan trinh', 'muc do 4', 'muc 4', '4') THEN 'full'
	WHEN fold(s) IN ('partial', 'mot phan', 'muc do 3', 'muc 3', '3') THEN 'partial'
	WHEN fold(s) IN ('none', 'khong', 'muc do 2', 'muc do 1', 'muc 2', 'muc 1', '2', '1', 'cung cap thong tin') THEN 'none'
	ELSE '?' END;
CREATE OR REPLACE TEMP MACRO parse_rating(s) AS CASE
	WHEN cell(s) IS NULL THEN NULL
	WHEN fold(s) IN ('satisfied', 'hai long', 'rat hai long') THEN 'satisfied'
	WHEN fold(s) IN ('neutral', 'binh thuong', 'chap nhan duoc') THEN 'neutral'
	WHEN fold(s) IN ('dissatisfied', 'khong hai long') THEN 'dissatisfied'
	ELSE '?' END;
CREATE OR REPLACE TEMP MACRO parse_unit_level(s) AS CASE
	WHEN cell(s) IS NULL THEN NULL
	WHEN fold(s) IN ('province', 'tinh', 'cap tinh', 'thanh pho truc thuoc trung uong') THEN 'province'
	WHEN fold(s) IN ('department', 'so', 'cap so', 'so, ban, nganh', 'so ban nganh') THEN 'department'
	WHEN fold(s) IN ('district', 'huyen', 'cap huyen') THEN 'district'
	WHEN fold(s) IN ('commune', 'xa', 'cap xa') THEN 'commune'
	ELSE '?' END;
CREATE OR REPLACE TEMP MACRO unit_level_rank(l) AS CASE l
	WHEN 'province' THEN 0 WHEN 'department' THEN 1 WHEN 'district' THEN 1 WHEN 'commune' THEN 2 END;
CREATE OR REPLACE TEMP MACRO parse_target_level(s) AS CASE
	WHEN cell(s) IS NULL THEN NULL
	WHEN fold(s) IN ('province', 'tinh', 'cap tinh') THEN 'province'
	WHEN fold(s) IN ('district', 'huyen', 'cap huyen') THEN 'district'
	WHEN fold(s) IN ('commune', 'xa', 'cap xa') THEN 'commune'
	ELSE '?' END;
`;

export const VOCABULARY = {
	channel:
		'unknown channel; expected online, direct or postal (Trực tuyến, Trực tiếp, Bưu chính; 1, 2, 3)',
	status: 'unknown status; expected received, processing, completed, returned or withdrawn',
	online_level:
		'unknown online level; expected full, partial or none (toàn trình, một phần, mức độ 4, mức độ 3)',
	rating:
		'unknown rating; expected satisfied, neutral or dissatisfied (Hài lòng, Bình thường, Không hài lòng)',
	unit_level: 'unknown level; expected province, department, district or commune',
	target_level: 'unknown level; expected province, district or commune'
};

export async function createMacros(db: Kysely<unknown>): Promise<void> {
	await sql.raw(MACROS + VOCABULARY_MACROS).execute(db);
}
