import { describe, expect, it } from 'vitest';
import { actionName, detailText } from './labels';

describe('detailText', () => {
	it('writes a role by its Vietnamese name and a unit by its name with its code', () => {
		const detail = JSON.stringify({ username: 'canloc', role: 'unit_head', unit_code: '443' });
		expect(detailText(detail, { '443': 'Huyện Can Lộc' })).toBe(
			'Tên đăng nhập: canloc · Vai trò: Thủ trưởng đơn vị · Đơn vị: Huyện Can Lộc (443)'
		);
	});

	it('keeps a unit the reader may not see by its code, and unknown keys and values as written', () => {
		const detail = JSON.stringify({ unit_code: '999', role: 'auditor', disabled: true });
		expect(detailText(detail)).toBe('Đơn vị: 999 · Vai trò: auditor · disabled: true');
		expect(detailText('not json')).toBe('not json');
		expect(detailText(null)).toBe('');
	});

	it('names the fields of an export and a monthly report', () => {
		const detail = JSON.stringify({ unit: '42', month: '2026-10', format: 'pdf' });
		expect(detailText(detail, { '42': 'Tỉnh Hà Tĩnh' })).toBe(
			'Đơn vị: Tỉnh Hà Tĩnh (42) · Tháng: 2026-10 · Định dạng: pdf'
		);
	});

	it('names the publishing and the download of a monthly report, with its edition and number', () => {
		expect(actionName('report_publish')).toBe('Ban hành báo cáo tháng');
		expect(actionName('report_download')).toBe('Tải báo cáo đã ban hành');
		const detail = JSON.stringify({
			unit: '42',
			month: '2026-10',
			edition: 2,
			report: 7,
			number: '15/BC-SNV'
		});
		expect(detailText(detail, { '42': 'Tỉnh Hà Tĩnh' })).toBe(
			'Đơn vị: Tỉnh Hà Tĩnh (42) · Tháng: 2026-10 · Lần ban hành: 2 · Mã báo cáo: 7 · Số văn bản: 15/BC-SNV'
		);
	});
});
