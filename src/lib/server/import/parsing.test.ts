import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store';
import { findHeaderRow, foldHeader, KIND_SPECS, matchHeader } from './columns';
import { createMacros } from './sql';

let store: Store;
beforeAll(async () => {
	store = await openStore(':memory:');
});
afterAll(() => store.close());

/** Runs a parsing macro over each input as staging hands it over: trimmed, empty as NULL. */
async function parse(macro: string, inputs: (string | null)[]): Promise<unknown[]> {
	return store.db.connection().execute(async (db) => {
		await createMacros(db as never);
		const out: unknown[] = [];
		for (const input of inputs) {
			const { rows } = await sql<{
				v: unknown;
			}>`SELECT ${sql.raw(macro)}(cell(${input}::VARCHAR)) AS v`.execute(db);
			out.push(rows[0].v);
		}
		return out;
	});
}

describe('dates and timestamps', () => {
	it('reads every ISO and Vietnamese form of CONTRACT as Asia/Ho_Chi_Minh wall-clock time', async () => {
		// Pairs, not an object: integer-like keys such as '20240509' would be reordered.
		const forms: [string, string][] = [
			['2024-05-09', '2024-05-09T00:00:00'],
			['2024-05-09T08:30:00', '2024-05-09T08:30:00'],
			['2024-05-09 08:30:00', '2024-05-09T08:30:00'],
			['2024-05-09T08:30', '2024-05-09T08:30:00'],
			['2024-05-09 08:30', '2024-05-09T08:30:00'],
			['2024-05-09T08:30:00.250', '2024-05-09T08:30:00'],
			['09/05/2024', '2024-05-09T00:00:00'],
			['9/5/2024', '2024-05-09T00:00:00'],
			['09/05/2024 08:30', '2024-05-09T08:30:00'],
			['09/05/2024 08:30:15', '2024-05-09T08:30:15'],
			['20240509083000', '2024-05-09T08:30:00'],
			['20240509', '2024-05-09T00:00:00'],
			['2024-05-09T01:30:00Z', '2024-05-09T08:30:00'],
			['2024-05-09T08:30:00+07:00', '2024-05-09T08:30:00'],
			['2024-05-08T20:30:00-05:00', '2024-05-09T08:30:00'],
			[' 09/05/2024 ', '2024-05-09T00:00:00']
		];
		expect(
			await parse(
				'parse_timestamp',
				forms.map(([input]) => input)
			)
		).toEqual(forms.map(([, parsed]) => parsed));
	});

	it('rejects impossible and foreign dates', async () => {
		expect(
			await parse('parse_timestamp', [
				'31/02/2024',
				'2024-02-30',
				'May 9, 2024',
				'09.05.2024',
				'2024/05/09',
				'13/13/2024',
				'x'
			])
		).toEqual([null, null, null, null, null, null, null]);
	});

	it('takes a date alone, not a timestamp, where a date is asked for', async () => {
		expect(
			await parse('parse_date', [
				'2025-06-30',
				'30/06/2025',
				'30/06/2025 00:00:00',
				'2025-06-30 10:00'
			])
		).toEqual(['2025-06-30', '2025-06-30', '2025-06-30', null]);
	});
});

describe('booleans', () => {
	it('reads true/false, 1/0, x/empty and có/không in any case', async () => {
		const forms = {
			true: true,
			TRUE: true,
			'1': true,
			x: true,
			X: true,
			có: true,
			Có: true,
			co: true,
			false: false,
			'0': false,
			'': false,
			không: false,
			KHÔNG: false,
			khong: false
		};
		expect(await parse('parse_bool', Object.keys(forms))).toEqual(Object.values(forms));
		expect(await parse('parse_bool', [null, 'maybe', '2'])).toEqual([false, null, null]);
	});
});

describe('vocabularies', () => {
	it('reads channels in English, Vietnamese and the portal codes', async () => {
		expect(
			await parse('parse_channel', [
				'online',
				'Trực tuyến',
				'2',
				'direct',
				'Trực tiếp',
				'1',
				'postal',
				'Bưu chính',
				'BCCI',
				'3',
				'fax'
			])
		).toEqual([
			'online',
			'online',
			'online',
			'direct',
			'direct',
			'direct',
			'postal',
			'postal',
			'postal',
			'postal',
			'?'
		]);
	});

	it('reads online levels and their pre-2022 names', async () => {
		expect(
			await parse('parse_online_level', [
				'full',
				'Toàn trình',
				'Mức độ 4',
				'partial',
				'Một phần',
				'mức độ 3',
				'none',
				'mức 5'
			])
		).toEqual(['full', 'full', 'full', 'partial', 'partial', 'partial', 'none', '?']);
	});

	it('reads statuses and ratings in English and Vietnamese', async () => {
		expect(
			await parse('parse_status', [
				'received',
				'Đang xử lý',
				'completed',
				'Đã trả kết quả',
				'returned',
				'withdrawn',
				'lost'
			])
		).toEqual(['received', 'processing', 'completed', 'completed', 'returned', 'withdrawn', '?']);
		expect(
			await parse('parse_rating', [
				'satisfied',
				'Hài lòng',
				'neutral',
				'Bình thường',
				'dissatisfied',
				'Không hài lòng',
				'meh'
			])
		).toEqual([
			'satisfied',
			'satisfied',
			'neutral',
			'neutral',
			'dissatisfied',
			'dissatisfied',
			'?'
		]);
	});
});

describe('headers', () => {
	it('folds case, accents, đ, spaces and punctuation', () => {
		expect(foldHeader('Mã hồ sơ')).toBe('mahoso');
		expect(foldHeader('MaHoSo')).toBe('mahoso');
		expect(foldHeader('Đơn vị tiếp nhận (code)')).toBe('donvitiepnhancode');
		expect(foldHeader('  CÓ PHÍ, LỆ PHÍ ')).toBe('cophilephi');
	});

	it('maps every alias of every dossier column of CONTRACT', () => {
		const aliases: Record<string, string[]> = {
			dossier_code: ['Mã hồ sơ', 'MaHoSo'],
			procedure_code: ['Mã TTHC', 'Mã thủ tục', 'MaTTHC'],
			unit_code: ['Mã đơn vị', 'Mã ĐVHC', 'Đơn vị tiếp nhận (code)', 'MaDonVi'],
			channel: ['Hình thức nộp', 'KenhThucHien'],
			received_at: ['Ngày tiếp nhận', 'NgayTiepNhan'],
			due_at: ['Hạn xử lý', 'Ngày hẹn trả', 'NgayHenTra'],
			completed_at: ['Ngày có kết quả', 'Ngày hoàn thành', 'NgayKetThucXuLy'],
			status: ['Trạng thái'],
			online_level: ['Mức độ DVC'],
			fee_required: ['Có phí, lệ phí'],
			paid_online: ['Thanh toán trực tuyến', 'DuocThanhToanTrucTuyen'],
			dossier_digitized: ['Số hóa hồ sơ', 'DuocSoHoa'],
			result_digitized: ['Số hóa kết quả', 'Kết quả điện tử'],
			data_reused: ['Tái sử dụng dữ liệu', 'DuocLayTuKhoDMQG'],
			portal_synced: ['Đồng bộ DVCQG'],
			rating: ['Đánh giá']
		};
		for (const [column, names] of Object.entries(aliases)) {
			for (const name of [column, ...names, name2upper(names[0])]) {
				expect(matchHeader(KIND_SPECS.dossiers, [name]).targets, name).toEqual([column]);
			}
		}
	});

	it('maps the field alias of procedures', () => {
		expect(matchHeader(KIND_SPECS.procedures, ['Lĩnh vực']).targets).toEqual(['field']);
	});

	it('finds the header below a title block and reports missing required columns', () => {
		const rows = [
			['UBND TỈNH HÀ TĨNH'],
			['SỔ THEO DÕI HỒ SƠ'],
			['Từ ngày 01/05/2024 đến ngày 31/05/2024'],
			['STT', 'Mã hồ sơ', 'Mã TTHC', 'Mã đơn vị', 'Hình thức nộp', 'Ngày tiếp nhận']
		];
		const found = findHeaderRow(KIND_SPECS.dossiers, rows);
		expect(found?.index).toBe(3);
		expect(found?.match.missingRequired).toEqual([]);
		const partial = findHeaderRow(KIND_SPECS.dossiers, [['Mã hồ sơ', 'Mã TTHC', 'Ghi chú']]);
		expect(partial?.match.missingRequired).toEqual(['unit_code', 'channel', 'received_at']);
		expect(partial?.match.unknown).toEqual(['Ghi chú']);
	});
});

function name2upper(s: string): string {
	return s.toUpperCase();
}
