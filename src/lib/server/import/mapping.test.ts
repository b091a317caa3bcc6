import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROCEDURES_CSV, tempStore, UNITS_CSV, type TempStore } from '../testing/fixtures';
import { KIND_SPECS, matchHeader, withMapping } from './columns';
import { REQUIRED } from './kinds/context';
import { vietnameseReason } from './reasons';
import { checkImport, importFile } from './run';
import { EXPECTED } from './sql';

describe('a mapping laid over the aliases', () => {
	const spec = KIND_SPECS.dossiers;
	const headers = ['Mã hồ sơ', 'Kênh nộp', 'Trạng thái', 'Ghi chú'];

	it('feeds a column from a header no alias knows, and leaves out a known one without a warning', () => {
		expect(matchHeader(spec, headers)).toMatchObject({
			targets: ['dossier_code', null, 'status', null],
			unknown: ['Kênh nộp', 'Ghi chú']
		});
		const mapped = withMapping(spec, { 'KÊNH NỘP ': 'channel', 'Trạng thái': null });
		expect(matchHeader(mapped, headers)).toMatchObject({
			targets: ['dossier_code', 'channel', null, null],
			unknown: ['Ghi chú']
		});
	});

	it('ignores a column the kind does not have', () => {
		const mapped = withMapping(spec, { 'Kênh nộp': 'valid_from' });
		expect(matchHeader(mapped, headers).targets[1]).toBeNull();
	});
});

describe('a check and an import with a mapping', () => {
	let store: TempStore;
	beforeEach(async () => {
		store = await tempStore();
		await importFile(store.db, 'units', store.file('u.csv', UNITS_CSV));
		await importFile(store.db, 'procedures', store.file('p.csv', PROCEDURES_CSV));
	});
	afterEach(() => store.dispose());

	const file = `Số HS;Thủ tục;Đơn vị;Kênh nộp;Ngày nhận
HS-1;1.001193;18100;Trực tuyến;05/09/2026
HS-2;1.001193;18100;Trực tiếp;31/02/2026
`;
	const mapping = {
		'Số HS': 'dossier_code',
		'Thủ tục': 'procedure_code',
		'Đơn vị': 'unit_code',
		'Kênh nộp': 'channel',
		'Ngày nhận': 'received_at'
	};

	it('checks through the importer itself: the same errors, a typed preview, nothing written', async () => {
		const before = await store.snapshot('dossiers', '1');
		const outcome = await checkImport(store.db, 'dossiers', store.file('d.csv', file), {
			mapping,
			previewRows: 20
		});
		expect(outcome).toMatchObject({
			rows: 2,
			totalErrors: 1,
			errors: [{ row: 3, column: 'Ngày nhận', value: '31/02/2026', message: EXPECTED.timestamp }]
		});
		expect(outcome.preview[0]).toMatchObject({ dossier_code: 'HS-1', channel: 'online' });
		expect(await store.snapshot('dossiers', '1')).toEqual(before);
		const batches = await store.db.selectFrom('import_batches').select('id').execute();
		expect(batches).toHaveLength(2);
	});

	it('imports a file whose headers only the mapping names', async () => {
		const fixed = file.replace('31/02/2026', '06/09/2026');
		await expect(importFile(store.db, 'dossiers', store.file('d.csv', fixed))).rejects.toThrow(
			/no header row found/
		);
		const result = await importFile(store.db, 'dossiers', store.file('d2.csv', fixed), { mapping });
		expect(result).toMatchObject({ rows: 2, inserted: 2 });
	});
});

describe('reasons in Vietnamese', () => {
	it('renders the messages a clerk meets, and leaves any other as written', () => {
		expect(vietnameseReason(REQUIRED)).toBe('ô bắt buộc bị bỏ trống');
		expect(vietnameseReason('the same dossier code is on row 12 with different content')).toBe(
			'mã hồ sơ này đã có ở dòng 12 với nội dung khác'
		);
		expect(vietnameseReason('skipped blank rows: rows 4–6, 9')).toBe(
			'bỏ qua dòng trống: dòng 4–6, 9'
		);
		expect(vietnameseReason('something new')).toBe('something new');
	});
});
