import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kpiReport } from '../../kpi/report';
import { PROCEDURES_CSV, tempStore, UNITS_CSV, type TempStore } from '../../testing/fixtures';
import {
	bareArray,
	component,
	envelope,
	fee,
	ndjson,
	PERSONAL,
	portalDossier,
	result,
	type PortalDossier
} from '../../testing/portal';
import { ImportRejected } from '../errors';
import { vietnameseReason } from '../reasons';
import { importFile } from '../run';
import { PORTAL_MESSAGES } from './portal';

let store: TempStore;

/** The department's and the post-2025 commune's agency codes. */
const JUSTICE = '000.00.18.H28';
const DONG_LOC = '000.21.18.H28';

/** The fixture's units, the department and the post-2025 commune with their agency codes. */
const UNITS = UNITS_CSV.trimEnd()
	.split('\n')
	.map((line, i) => {
		if (i === 0) return `${line},agency_code`;
		if (line.startsWith('42-STP,')) return `${line},${JUSTICE}`;
		return line.startsWith('18100,') && line.includes('2025-07-01')
			? `${line},${DONG_LOC}`
			: `${line},`;
	})
	.join('\n');

beforeEach(async () => {
	store = await tempStore();
	await importFile(store.db, 'units', store.file('units.csv', UNITS));
	await importFile(store.db, 'procedures', store.file('procedures.csv', PROCEDURES_CSV));
});
afterEach(() => store.dispose());

/** Procedures of the fixture: the commune's (full online, no fee), the department's (fee). */
const BIRTH = '1.001193';
const RECORD = '2.000488';

/**
 * Nine dossiers received in September 2026, built so that every derived field has a known
 * answer (the comments give it); 5 and 6 were never received (TrangThaiHoSo 1 and 3).
 */
const PAYLOAD: PortalDossier[] = [
	// 1: online, resolved on time, a paid fee, a digitized component, an electronic result.
	portalDossier({
		MaHoSo: `${JUSTICE}-260901-0001`,
		MaTTHC: RECORD,
		DonViXuLy: JUSTICE,
		KenhThucHien: '2',
		NgayTiepNhan: '20260901080000',
		NgayHenTra: '20260910170000',
		TrangThaiHoSo: '10',
		NgayKetThucXuLy: '20260905100000',
		NgayTra: '20260906080000',
		DanhSachLePhi: [fee('50000')],
		DuocThanhToanTrucTuyen: '1',
		TaiLieuNop: [component(), component({ DuocSoHoa: '1' })],
		DanhSachGiayToKetQua: [result('https://motcua.example.vn/kq/1')]
	}),
	// 2: direct, its unit from MaHoSo, resolved late (NgayTra, no NgayKetThucXuLy); a fee of 0 is
	// no fee; digitized by HoSoCoThanhPhanSoHoa; reused; no result file.
	portalDossier({
		MaHoSo: `${JUSTICE}-260902-0002`,
		MaTTHC: RECORD,
		KenhThucHien: '1',
		NgayTiepNhan: '20260902080000',
		NgayHenTra: '20260910170000',
		TrangThaiHoSo: '9',
		NgayTra: '20260915080000',
		DanhSachLePhi: [fee('0')],
		DuocThanhToanTrucTuyen: '2',
		HoSoCoThanhPhanSoHoa: '1',
		TaiLieuNop: [component({ DuocTaiSuDung: '1' })]
	}),
	// 3: the commune's, online, processing (its NgayKetThucXuLy is not a completion); reused from
	// the national database; no fee list and a procedure without fee.
	portalDossier({
		MaHoSo: `${DONG_LOC}-260903-0003`,
		MaTTHC: BIRTH,
		DonViXuLy: DONG_LOC,
		KenhThucHien: '2',
		NgayTiepNhan: '20260903080000',
		TrangThaiHoSo: '4',
		NgayKetThucXuLy: '',
		DanhSachLePhi: undefined,
		TaiLieuNop: [component({ DuocLayTuKhoDMQG: '1' })]
	}),
	// 4: online, registered and received (2): a fee procedure with no fee list, paid through the
	// province's platform (2).
	portalDossier({
		MaHoSo: `${JUSTICE}-260904-0004`,
		MaTTHC: RECORD,
		DonViXuLy: JUSTICE,
		KenhThucHien: '2',
		NgayTiepNhan: '20260904080000',
		TrangThaiHoSo: '2',
		DanhSachLePhi: null,
		DuocThanhToanTrucTuyen: '2'
	}),
	// 5 and 6: never received.
	portalDossier({
		MaHoSo: `${JUSTICE}-260905-0005`,
		MaTTHC: RECORD,
		DonViXuLy: JUSTICE,
		KenhThucHien: '2',
		TrangThaiHoSo: '1'
	}),
	portalDossier({
		MaHoSo: `${JUSTICE}-260906-0006`,
		MaTTHC: RECORD,
		DonViXuLy: JUSTICE,
		KenhThucHien: '2',
		NgayTiepNhan: '20260906080000',
		TrangThaiHoSo: '3'
	}),
	// 7: by post, withdrawn; an empty fee list: the procedure's fee; paid with code 3: not online.
	portalDossier({
		MaHoSo: `${JUSTICE}-260907-0007`,
		MaTTHC: RECORD,
		DonViXuLy: JUSTICE,
		KenhThucHien: '3',
		NgayTiepNhan: '20260907080000',
		TrangThaiHoSo: '7',
		DuocThanhToanTrucTuyen: '3'
	}),
	// 8: online, processing stopped (returned): not completed though NgayKetThucXuLy is set; a fee
	// written with thousands dots, not paid online.
	portalDossier({
		MaHoSo: `${JUSTICE}-260908-0008`,
		MaTTHC: RECORD,
		DonViXuLy: JUSTICE,
		KenhThucHien: '2',
		NgayTiepNhan: '20260908080000',
		TrangThaiHoSo: '8',
		NgayKetThucXuLy: '20260909080000',
		DanhSachLePhi: [fee('1.000.000')],
		DuocThanhToanTrucTuyen: ''
	}),
	// 9: the flat MaDonVi wins over a DonViXuLy no unit has; numbers instead of strings; resolved
	// on time; a result document without a file.
	portalDossier({
		MaHoSo: 'HS-0009',
		MaTTHC: BIRTH,
		MaDonVi: '18100',
		DonViXuLy: 'KHONG.CO',
		KenhThucHien: 2,
		NgayTiepNhan: '20260909080000',
		NgayHenTra: '20260912170000',
		TrangThaiHoSo: 10,
		NgayKetThucXuLy: '20260911090000',
		HoSoCoThanhPhanSoHoa: 0,
		TaiLieuNop: [component({ DuocSoHoa: 1 })],
		DanhSachGiayToKetQua: [result('')]
	})
];

const SEPTEMBER = { from: '2026-09-01', to: '2026-09-30' };

/** The province's dossier KPIs in September as `numerator/denominator`. */
async function figures() {
	const report = await kpiReport(store.db, '42', SEPTEMBER);
	return Object.fromEntries(
		[
			'online_submission_rate',
			'full_process_online_rate',
			'online_payment_rate',
			'dossier_digitization_rate',
			'result_digitization_rate',
			'data_reuse_rate',
			'portal_sync_rate',
			'on_time_rate'
		].map((id) => {
			const k = report.kpis[id as keyof typeof report.kpis]!;
			return [id, `${k.numerator}/${k.denominator}`];
		})
	);
}

describe('the DongBoHoSoMC payload', () => {
	it('imports as it is, every derived field counted exactly, never-received dossiers left out', async () => {
		const outcome = await importFile(
			store.db,
			'dossiers',
			store.file('dongbo.json', envelope(PAYLOAD))
		);
		expect(outcome.inserted).toBe(7);
		expect(outcome.warnings.join('\n')).toContain(
			'left out 2 dossiers never received (TrangThaiHoSo 1 or 3): rows 5, 6'
		);
		expect(await figures()).toEqual({
			online_submission_rate: '5/7',
			full_process_online_rate: '2/2',
			online_payment_rate: '2/4',
			dossier_digitization_rate: '3/7',
			result_digitization_rate: '1/3',
			data_reuse_rate: '2/7',
			portal_sync_rate: '7/7',
			on_time_rate: '2/3'
		});
		const { rows } = await sql<{
			code: string;
			unit: string;
			status: string;
			completed: string | null;
		}>`SELECT right(dossier_code, 4) AS code, unit_code AS unit, status,
			strftime(completed_at, '%d/%m %H:%M') AS completed FROM dossiers ORDER BY 1`.execute(store.db);
		expect(rows.map((r) => [r.code, r.unit, r.status, r.completed])).toEqual([
			['0001', '42-STP', 'completed', '05/09 10:00'],
			['0002', '42-STP', 'completed', '15/09 08:00'],
			['0003', '18100', 'processing', null],
			['0004', '42-STP', 'processing', null],
			['0007', '42-STP', 'withdrawn', null],
			['0008', '42-STP', 'returned', null],
			['0009', '18100', 'completed', '11/09 09:00']
		]);
	});

	it('gives the same figures as a bare array and as NDJSON, and changes nothing imported again', async () => {
		const wrapped = {
			envelope: store.file('a.json', envelope(PAYLOAD)),
			array: store.file('b.json', bareArray(PAYLOAD)),
			ndjson: store.file('c.ndjson', ndjson(PAYLOAD))
		};
		await importFile(store.db, 'dossiers', wrapped.envelope);
		const first = await figures();
		const stored = await store.snapshot('dossiers', 'dossier_code');
		for (const file of [wrapped.array, wrapped.ndjson, wrapped.envelope]) {
			const again = await importFile(store.db, 'dossiers', file);
			expect([again.inserted, again.updated, again.unchanged]).toEqual([0, 0, 7]);
		}
		expect(await figures()).toEqual(first);
		const unbatched = (rows: unknown[]) =>
			rows.map((r) => ({ ...(r as object), import_batch_id: null }));
		expect(unbatched(await store.snapshot('dossiers', 'dossier_code'))).toEqual(unbatched(stored));
	});

	it('stores none of the personal fields anywhere in the database', async () => {
		await importFile(store.db, 'dossiers', store.file('dongbo.json', envelope(PAYLOAD)));
		const { rows: columns } = await sql<{ table_name: string; column_name: string }>`SELECT
			table_name, column_name FROM duckdb_columns()
			WHERE database_name = current_database() AND NOT internal`.execute(store.db);
		expect(columns.length).toBeGreaterThan(50);
		const found: string[] = [];
		for (const { table_name, column_name } of columns) {
			for (const value of [...Object.values(PERSONAL), 'Trần Văn Cán Bộ']) {
				const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table_name)}
					WHERE contains(CAST(${sql.ref(column_name)} AS VARCHAR), ${value})`.execute(store.db);
				if (rows[0].n > 0) found.push(`${table_name}.${column_name}: ${value}`);
			}
		}
		expect(found).toEqual([]);
	});
	it('finds the data array after other keys, across the reads of a large envelope', async () => {
		const many = Array.from({ length: 1500 }, (_, i) =>
			portalDossier({
				...PAYLOAD[3],
				MaHoSo: `${JUSTICE}-L-${i}`,
				TrichYeuHoSo: `"data": [${'x'.repeat(2000)}]`
			})
		);
		const text = `{"meta": {"data": [1, 2]}, "service": "DongBoHoSoMC", "data": ${JSON.stringify(many)}, "after": {"data": []}}`;
		expect(text.length).toBeGreaterThan(3 << 20);
		const outcome = await importFile(store.db, 'dossiers', store.file('lon.json', text));
		expect(outcome.inserted).toBe(1500);
	});
});

describe('a payload with a bad dossier', () => {
	async function rejected(dossiers: PortalDossier[]) {
		const before = await store.snapshot('dossiers', 'dossier_code');
		const error = await importFile(
			store.db,
			'dossiers',
			store.file('dongbo.json', envelope(dossiers))
		).then(
			() => null,
			(e: unknown) => e
		);
		expect(error).toBeInstanceOf(ImportRejected);
		expect(await store.snapshot('dossiers', 'dossier_code')).toEqual(before);
		return (error as ImportRejected).errors;
	}

	it('names the dossier whose agency no unit has by its place in data and its MaHoSo', async () => {
		const errors = await rejected([
			PAYLOAD[0],
			portalDossier({ ...PAYLOAD[3], MaHoSo: '000.99.99.H28-1', DonViXuLy: '' }),
			portalDossier({ ...PAYLOAD[3], MaHoSo: 'HS-3', DonViXuLy: '000.77.77.H28' })
		]);
		expect(errors).toEqual([
			{
				row: 2,
				record: '000.99.99.H28-1',
				column: 'DonViXuLy',
				value: '000.99.99.H28',
				message: expect.stringMatching(/^empty, and no unit has the agency code MaHoSo begins with/)
			},
			{
				row: 3,
				record: 'HS-3',
				column: 'DonViXuLy',
				value: '000.77.77.H28',
				message: expect.stringMatching(/^no unit has this agency code/)
			}
		]);
	});

	it('names a bad nested field by its path, with its value', async () => {
		const errors = await rejected([
			PAYLOAD[0],
			portalDossier({
				...PAYLOAD[1],
				TaiLieuNop: [component(), component({ DuocSoHoa: '2' })],
				DanhSachLePhi: [fee('năm mươi nghìn')]
			}),
			portalDossier({ ...PAYLOAD[2], TrangThaiHoSo: '11', TaiLieuNop: ['tờ khai'] })
		]);
		expect(errors.map((e) => [e.row, e.record, e.column, e.value, e.message])).toEqual([
			[
				2,
				`${JUSTICE}-260902-0002`,
				'DanhSachLePhi[1].Gia',
				'năm mươi nghìn',
				'not an amount of money; expected digits, e.g. 50000 or 50.000'
			],
			[2, `${JUSTICE}-260902-0002`, 'TaiLieuNop[2].DuocSoHoa', '2', 'not 0 or 1'],
			[3, `${DONG_LOC}-260903-0003`, 'TaiLieuNop[1]', '"tờ khai"', 'not an object'],
			[
				3,
				`${DONG_LOC}-260903-0003`,
				'TrangThaiHoSo',
				'11',
				'not a TrangThaiHoSo code; expected 1 to 10'
			]
		]);
	});

	it('refuses an object that is not the envelope, and a record that is not a dossier', async () => {
		const notEnvelope = await importFile(
			store.db,
			'dossiers',
			store.file('x.json', JSON.stringify({ service: 'DongBoHoSoMC', data: 'none' }))
		).catch((e: unknown) => e);
		expect(String(notEnvelope)).toMatch(/a JSON object without a "data" array of dossiers/);
		const notDossier = await rejected([PAYLOAD[0], 7 as unknown as PortalDossier]);
		expect(notDossier).toEqual([
			{ row: 2, column: null, value: null, message: 'not a dossier (an object)' }
		]);
	});
});

describe("the payload's messages", () => {
	it('each read in Vietnamese on the upload page', () => {
		for (const message of Object.values(PORTAL_MESSAGES)) {
			expect(vietnameseReason(message), message).not.toBe(message);
		}
		expect(
			vietnameseReason('left out 2 dossiers never received (TrangThaiHoSo 1 or 3): rows 5, 6')
		).toBe('bỏ qua 2 hồ sơ chưa được tiếp nhận (TrangThaiHoSo 1 hoặc 3): dòng 5, 6');
	});
});
