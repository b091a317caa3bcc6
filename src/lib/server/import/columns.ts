/**
 * The columns of each import kind (CONTRACT.md: units, procedures, dossiers, targets) with the
 * header aliases real exports use. Aliases are compared folded (see `foldHeader`): case, accents,
 * spaces and punctuation ignored, so `Mã hồ sơ`, `MA HO SO` and `MaHoSo` are one name.
 */
import type { ImportKind } from '../../domain/types';

export type ColumnType = 'text' | 'date' | 'timestamp' | 'boolean';

export interface ColumnSpec {
	name: string;
	required: boolean;
	type: ColumnType;
	aliases: string[];
}

const column = (
	name: string,
	type: ColumnType,
	required: boolean,
	aliases: string[] = []
): ColumnSpec => ({ name, type, required, aliases });

export interface KindSpec {
	kind: ImportKind;
	columns: ColumnSpec[];
	/** The column whose emptiness, with nothing else in the row, marks a row as not data. */
	key: string;
	/**
	 * The user's own mapping (the upload page, a mapping profile): folded source header → the
	 * column it feeds, or null for a header to leave out. Consulted before the aliases, by the one
	 * `matchHeader` every reader uses, so an override changes nothing else of the import.
	 */
	mapping?: ReadonlyMap<string, string | null>;
}

/** `spec` with the user's mapping (source header as written → column or null) laid over it. */
export function withMapping(spec: KindSpec, mapping: Record<string, string | null>): KindSpec {
	const folded = new Map<string, string | null>();
	for (const [header, column] of Object.entries(mapping)) {
		const key = foldHeader(header);
		// Only a column of this kind (or none): a mapping of another kind leaves the aliases be.
		if (key && (column === null || spec.columns.some((c) => c.name === column))) {
			folded.set(key, column);
		}
	}
	return { ...spec, mapping: folded };
}

export const KIND_SPECS: Record<ImportKind, KindSpec> = {
	units: {
		kind: 'units',
		key: 'code',
		columns: [
			column('code', 'text', true, ['Mã', 'Mã đơn vị', 'Mã ĐVHC', 'MaDonVi']),
			column('name', 'text', true, ['Tên', 'Tên đơn vị', 'TenDonVi']),
			column('level', 'text', true, ['Cấp', 'Cấp hành chính']),
			column('parent_code', 'text', false, ['Mã đơn vị cha', 'Mã cấp trên', 'Đơn vị cấp trên']),
			column('valid_from', 'date', false, ['Hiệu lực từ', 'Từ ngày']),
			column('valid_to', 'date', false, ['Hiệu lực đến', 'Đến ngày']),
			column('agency_code', 'text', false, ['Mã định danh', 'MaDinhDanh'])
		]
	},
	procedures: {
		kind: 'procedures',
		key: 'code',
		columns: [
			column('code', 'text', true, ['Mã TTHC', 'Mã thủ tục', 'MaTTHC']),
			column('name', 'text', true, ['Tên thủ tục', 'Tên TTHC', 'TenTTHC']),
			column('level', 'text', true, ['Cấp thực hiện', 'Cấp']),
			column('field', 'text', false, ['Lĩnh vực', 'LinhVuc']),
			column('online_level', 'text', true, ['Mức độ DVC', 'Mức độ', 'MucDo']),
			column('has_fee', 'boolean', false, ['Có phí, lệ phí', 'Có phí', 'Phí, lệ phí']),
			column('online_payment', 'boolean', false, ['Thanh toán trực tuyến']),
			column('unit_code', 'text', false, ['Cơ quan thực hiện', 'Mã cơ quan', 'Mã đơn vị']),
			column('active', 'boolean', false, ['Còn hiệu lực', 'Hiệu lực'])
		]
	},
	dossiers: {
		kind: 'dossiers',
		key: 'dossier_code',
		columns: [
			column('dossier_code', 'text', true, ['Mã hồ sơ', 'MaHoSo']),
			column('procedure_code', 'text', true, ['Mã TTHC', 'Mã thủ tục', 'MaTTHC']),
			column('unit_code', 'text', true, [
				'Mã đơn vị',
				'Mã ĐVHC',
				'Đơn vị tiếp nhận (code)',
				'MaDonVi'
			]),
			column('channel', 'text', true, ['Hình thức nộp', 'KenhThucHien']),
			column('received_at', 'timestamp', true, ['Ngày tiếp nhận', 'NgayTiepNhan']),
			column('due_at', 'timestamp', false, ['Hạn xử lý', 'Ngày hẹn trả', 'NgayHenTra']),
			column('completed_at', 'timestamp', false, [
				'Ngày có kết quả',
				'Ngày hoàn thành',
				'NgayKetThucXuLy'
			]),
			column('status', 'text', false, ['Trạng thái', 'TrangThai']),
			column('online_level', 'text', false, ['Mức độ DVC', 'Mức độ', 'MucDo']),
			column('fee_required', 'boolean', false, ['Có phí, lệ phí', 'Có phí']),
			column('paid_online', 'boolean', false, ['Thanh toán trực tuyến', 'DuocThanhToanTrucTuyen']),
			column('dossier_digitized', 'boolean', false, ['Số hóa hồ sơ', 'DuocSoHoa']),
			column('result_digitized', 'boolean', false, ['Số hóa kết quả', 'Kết quả điện tử']),
			column('data_reused', 'boolean', false, ['Tái sử dụng dữ liệu', 'DuocLayTuKhoDMQG']),
			column('portal_synced', 'boolean', false, ['Đồng bộ DVCQG']),
			column('rating', 'text', false, ['Đánh giá', 'DanhGia'])
		]
	},
	targets: {
		kind: 'targets',
		key: 'campaign',
		columns: [
			column('campaign', 'text', true, ['Chiến dịch', 'Tên chiến dịch']),
			column('starts_on', 'date', true, ['Ngày bắt đầu', 'Từ ngày']),
			column('ends_on', 'date', true, ['Ngày kết thúc', 'Đến ngày']),
			column('unit_code', 'text', true, ['Mã đơn vị', 'Mã ĐVHC']),
			column('kpi', 'text', true, ['Chỉ số', 'Mã chỉ số']),
			column('level', 'text', true, ['Cấp', 'Cấp áp dụng']),
			column('target', 'text', true, ['Chỉ tiêu', 'Mục tiêu'])
		]
	}
};

/** Headers that carry no data of ours and are dropped without a warning (row counters). */
const SILENT_HEADERS = new Set(['stt', 'tt', 'sothutu', 'no']);

/** `Mã hồ sơ` → `mahoso`: lower case, accents and đ folded, anything but letters and digits dropped. */
export function foldHeader(header: string): string {
	return header
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[đĐ]/g, 'd')
		.toLowerCase()
		.replace(/[^a-z0-9]/g, '');
}

export interface HeaderMatch {
	/** For each source column index, the canonical column it feeds, or null. */
	targets: (string | null)[];
	matched: number;
	unknown: string[];
	missingRequired: string[];
	/** Canonical columns fed by two source headers: ambiguous, an error. */
	conflicts: { column: string; headers: string[] }[];
}

/** Maps one candidate header row onto the kind's columns. */
export function matchHeader(spec: KindSpec, headers: string[]): HeaderMatch {
	const byFolded = new Map<string, string>();
	for (const c of spec.columns) {
		for (const name of [c.name, ...c.aliases]) {
			const folded = foldHeader(name);
			if (!byFolded.has(folded)) byFolded.set(folded, c.name);
		}
	}
	const targets: (string | null)[] = [];
	const sources = new Map<string, string[]>();
	const unknown: string[] = [];
	for (const raw of headers) {
		const header = (raw ?? '').trim();
		const folded = foldHeader(header);
		const chosen = folded && spec.mapping?.has(folded);
		const target = !folded
			? null
			: chosen
				? (spec.mapping!.get(folded) ?? null)
				: (byFolded.get(folded) ?? null);
		targets.push(target);
		if (target) sources.set(target, [...(sources.get(target) ?? []), header]);
		// A header the user chose to leave out is left out without a warning.
		else if (folded && !chosen && !SILENT_HEADERS.has(folded)) unknown.push(header);
	}
	return {
		targets,
		matched: sources.size,
		unknown,
		missingRequired: spec.columns
			.filter((c) => c.required && !sources.has(c.name))
			.map((c) => c.name),
		conflicts: [...sources]
			.filter(([, hs]) => hs.length > 1)
			.map(([column, hs]) => ({ column, headers: hs }))
	};
}

/** How many leading rows may hold a title block before the header. */
export const HEADER_SEARCH_ROWS = 30;

/**
 * The header is the first row, among the first rows of the file, that names every required
 * column; failing that, the row naming the most columns (at least two) so the error can say
 * which required ones are missing.
 */
export function findHeaderRow(
	spec: KindSpec,
	rows: string[][]
): { index: number; match: HeaderMatch } | null {
	let best: { index: number; match: HeaderMatch } | null = null;
	for (let index = 0; index < Math.min(rows.length, HEADER_SEARCH_ROWS); index++) {
		const match = matchHeader(spec, rows[index]);
		if (match.missingRequired.length === 0 && match.matched > 0) return { index, match };
		if (match.matched >= 2 && (!best || match.matched > best.match.matched))
			best = { index, match };
	}
	return best;
}
