import { describe, expect, it } from 'vitest';
import {
	abbreviationOf,
	dateLine,
	defaultHeader,
	defaultIssuingBody,
	headerProblem,
	placeName
} from './official-document';

const haTinh = { name: 'Tỉnh Hà Tĩnh' };

describe('defaultIssuingBody', () => {
	it('puts a department under the People’s Committee of its province, both in capitals', () => {
		expect(defaultIssuingBody({ name: 'Sở Nội vụ', level: 'department' }, haTinh)).toEqual({
			governingBody: 'UBND TỈNH HÀ TĨNH',
			issuingBody: 'SỞ NỘI VỤ'
		});
	});

	it('has the province’s own People’s Committee issue, with no governing body', () => {
		expect(defaultIssuingBody({ name: 'Tỉnh Hà Tĩnh', level: 'province' }, haTinh)).toEqual({
			governingBody: '',
			issuingBody: 'UBND TỈNH HÀ TĨNH'
		});
	});

	it('has a commune’s and a district’s People’s Committee issue, with no governing body', () => {
		expect(defaultIssuingBody({ name: 'Xã Can Lộc', level: 'commune' }, haTinh)).toEqual({
			governingBody: '',
			issuingBody: 'UBND XÃ CAN LỘC'
		});
		expect(defaultIssuingBody({ name: 'Huyện Can Lộc', level: 'district' }, haTinh)).toEqual({
			governingBody: '',
			issuingBody: 'UBND HUYỆN CAN LỘC'
		});
	});

	it('leaves the governing body empty for a department whose province is unknown', () => {
		expect(defaultIssuingBody({ name: 'Sở Tư pháp', level: 'department' }, null)).toEqual({
			governingBody: '',
			issuingBody: 'SỞ TƯ PHÁP'
		});
	});
});

describe('placeName', () => {
	it('drops the word for the unit’s kind', () => {
		expect(placeName('Tỉnh Hà Tĩnh')).toBe('Hà Tĩnh');
		expect(placeName('Thành phố Cần Thơ')).toBe('Cần Thơ');
		expect(placeName('Xã Can Lộc')).toBe('Can Lộc');
		expect(placeName('Phường Hồng Lĩnh')).toBe('Hồng Lĩnh');
	});

	it('keeps a name that is a number whole', () => {
		expect(placeName('Phường 12')).toBe('Phường 12');
	});

	it('keeps a name with no word for a kind as it is', () => {
		expect(placeName('Hà Tĩnh')).toBe('Hà Tĩnh');
	});
});

describe('dateLine', () => {
	it('writes a day below 10 with a leading zero and November as 11', () => {
		expect(dateLine('Hà Tĩnh', '2026-11-05')).toBe('Hà Tĩnh, ngày 05 tháng 11 năm 2026');
	});

	it('writes January and February with a leading zero, March to September without', () => {
		expect(dateLine('Hà Tĩnh', '2026-02-05')).toBe('Hà Tĩnh, ngày 05 tháng 02 năm 2026');
		expect(dateLine('Hà Tĩnh', '2026-01-31')).toBe('Hà Tĩnh, ngày 31 tháng 01 năm 2026');
		expect(dateLine('Hà Tĩnh', '2026-03-10')).toBe('Hà Tĩnh, ngày 10 tháng 3 năm 2026');
		expect(dateLine('Hà Tĩnh', '2026-09-09')).toBe('Hà Tĩnh, ngày 09 tháng 9 năm 2026');
	});

	it('refuses a day that is not a calendar date', () => {
		expect(() => dateLine('Hà Tĩnh', '2026-02-30')).toThrow(
			'not a date (YYYY-MM-DD): "2026-02-30"'
		);
		expect(() => dateLine('Hà Tĩnh', '05/11/2026')).toThrow('not a date');
	});
});

describe('a report header', () => {
	it('abbreviates a People’s Committee as UBND and a department by its initials', () => {
		expect(abbreviationOf('SỞ NỘI VỤ')).toBe('SNV');
		expect(abbreviationOf('UBND XÃ CAN LỘC')).toBe('UBND');
		expect(abbreviationOf('SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH')).toBe('SVHTTDL');
		expect(abbreviationOf('Sở Tài nguyên và Môi trường')).toBe('STNMT');
		expect(abbreviationOf('SỞ ĐÀO TẠO')).toBe('SDT');
	});

	it('defaults to the unit’s head signing, the province as the place, and the archive copy', () => {
		expect(defaultHeader({ name: 'Sở Nội vụ', level: 'department' }, haTinh)).toEqual({
			governingBody: 'UBND TỈNH HÀ TĨNH',
			issuingBody: 'SỞ NỘI VỤ',
			abbreviation: 'SNV',
			place: 'Hà Tĩnh',
			signerTitle: 'GIÁM ĐỐC',
			signerName: '',
			recipients: '- Lưu: VT.'
		});
		expect(defaultHeader({ name: 'Công an tỉnh', level: 'department' }, haTinh)).toMatchObject({
			signerTitle: 'THỦ TRƯỞNG CƠ QUAN'
		});
		expect(defaultHeader({ name: 'Xã Can Lộc', level: 'commune' }, haTinh)).toMatchObject({
			issuingBody: 'UBND XÃ CAN LỘC',
			abbreviation: 'UBND',
			signerTitle: 'TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH'
		});
	});

	it('is refused without an issuing body or place, with a long or broken line, or too many lines', () => {
		const header = defaultHeader({ name: 'Sở Nội vụ', level: 'department' }, haTinh);
		expect(headerProblem(header)).toBeNull();
		expect(headerProblem({ ...header, issuingBody: '  ' })).toEqual({
			field: 'issuingBody',
			kind: 'required'
		});
		expect(headerProblem({ ...header, place: '' })).toMatchObject({ kind: 'required' });
		expect(headerProblem({ ...header, signerName: 'x'.repeat(121) })).toMatchObject({
			kind: 'too_long'
		});
		expect(headerProblem({ ...header, signerName: 'Nguyễn\nVăn A' })).toMatchObject({
			field: 'signerName',
			kind: 'control'
		});
		expect(headerProblem({ ...header, recipients: '- Như trên;\r\n- Lưu: VT.' })).toBeNull();
		expect(headerProblem({ ...header, recipients: 'a\n'.repeat(9) })).toMatchObject({
			kind: 'too_many_lines'
		});
		expect(headerProblem({ ...header, recipients: 'a\u0000' })).toMatchObject({ kind: 'control' });
		expect(headerProblem({ ...header, recipients: '\n'.repeat(5000) })).toMatchObject({
			kind: 'too_long'
		});
		expect(headerProblem({ ...header, abbreviation: 'S/NV' })).toEqual({
			field: 'abbreviation',
			kind: 'abbreviation'
		});
	});
});
