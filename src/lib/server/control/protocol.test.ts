import { describe, expect, it } from 'vitest';
import { parseRequest } from './protocol';

const request = (command: object) => parseRequest(JSON.stringify({ command }));

describe('a control request', () => {
	it('carries a report to write at an absolute path, in a format the server makes', () => {
		const report = {
			name: 'report',
			unit: '42',
			month: '2026-10',
			format: 'pdf',
			out: '/tmp/r.pdf'
		};
		expect(request(report)).toEqual({ command: report });
		expect(request({ ...report, out: 'r.pdf' })).toEqual({
			error: 'the report file must be an absolute path'
		});
		expect(request({ ...report, format: 'docx' })).toEqual({
			error: 'unknown report format "docx"'
		});
		const refused = { error: 'report needs unit, month or campaign, format and out' };
		expect(request({ ...report, month: 202610 })).toEqual(refused);
		expect(request({ ...report, campaign: '3' })).toEqual(refused);
		const { month: _, ...campaignReport } = { ...report, campaign: '3' };
		expect(request(campaignReport)).toEqual({ command: campaignReport });
		expect(request({ ...campaignReport, campaign: 3 })).toEqual(refused);
	});

	it('carries a backup to write at an absolute path, and a restore for the server to refuse', () => {
		const backup = {
			name: 'backup',
			file: '/srv/kpi.duckdb',
			displayName: 'kpi.duckdb',
			force: true
		};
		expect(request(backup)).toEqual({ command: backup });
		expect(request({ ...backup, force: 'yes' })).toEqual({ command: { ...backup, force: false } });
		expect(request({ ...backup, file: 'kpi.duckdb' })).toEqual({
			error: 'the backup file must be an absolute path'
		});
		const restore = { name: 'restore', file: '/srv/kpi.duckdb', displayName: 'kpi.duckdb' };
		expect(request(restore)).toEqual({ command: restore });
		expect(request({ name: 'restore' })).toEqual({
			error: 'restore needs a file and its displayName'
		});
	});

	it('carries the service index as the KPIs, with a unit and a period', () => {
		const index = { name: 'index', unit: '42', from: '2024-10-01', to: '2024-12-31', json: true };
		expect(request(index)).toEqual({ command: index });
		expect(request({ name: 'index', unit: '42' })).toEqual({
			error: 'index needs unit, from and to'
		});
	});

	it('refuses a command it does not know, and a line that is not one', () => {
		expect(request({ name: 'scorecard' })).toMatchObject({
			error: expect.stringContaining('unknown command')
		});
		expect(parseRequest('{')).toEqual({ error: 'the request is not valid JSON' });
	});
});
