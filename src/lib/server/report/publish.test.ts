import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../domain/types';
import { OutOfScope } from '../auth/scope';
import { importFile } from '../import/run';
import { tempStore, type TempStore } from '../testing/fixtures';
import { readPdf } from '../testing/pdf';
import {
	CHANGED_DOSSIERS_CSV,
	importPublishProvince,
	PROVINCE_BEFORE_AND_AFTER,
	PUBLISH_MONTH
} from '../testing/publish-province';
import { resolveUnit } from '../units/versions';
import { monthlyReport } from './monthly';
import {
	documentNumber,
	parseReportId,
	publishableMonths,
	publishedDifferences,
	publishedFile,
	publishedReport,
	publishedReports,
	publishReport,
	PublishError
} from './publish';

const REFORM_TEAM: Principal = { username: 'noivu', role: 'reform_team', unitCode: '42' };
const ACTOR = { username: 'noivu', userId: 'u-noivu' };
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let store: TempStore;

beforeAll(async () => {
	store = await tempStore('kpi-publish-');
	await importPublishProvince(store);
});
afterAll(() => store.dispose());

const publishProvince = (number?: string) =>
	publishReport(store.db, REFORM_TEAM, ACTOR, { unit: '42', month: PUBLISH_MONTH, number });

describe('publishing a monthly report', () => {
	let first: number;

	it('stores the three files as made and the figures they were made from, with an audit entry', async () => {
		const published = await publishProvince('15/BC-SNV');
		first = published.id;
		expect(published).toMatchObject({
			unitCode: '42',
			month: '2026-10',
			edition: 1,
			current: true
		});
		const stored = await publishedReport(store.db, REFORM_TEAM, first);
		const unit = await resolveUnit(store.db, '42', { from: '2026-10-01', to: '2026-10-31' });
		expect(stored.report).toEqual(
			JSON.parse(JSON.stringify(await monthlyReport(store.db, unit, PUBLISH_MONTH)))
		);
		expect(stored.number).toBe('15/BC-SNV');
		const online = stored.report.kpis.find((k) => k.id === 'online_submission_rate')!;
		expect([online.figure.numerator, online.figure.denominator]).toEqual([15, 30]);
		for (const [format, magic] of [
			['xlsx', 'PK'],
			['pdf', '%PDF'],
			['csv', 'PK']
		] as const) {
			const file = await publishedFile(store.db, REFORM_TEAM, ACTOR, {
				unit: '42',
				id: first,
				format
			});
			expect(file.body.subarray(0, magic.length).toString('latin1')).toBe(magic);
			expect(sha256(file.body)).toBe(stored.files[format].sha256);
			expect(file.body.length).toBe(stored.files[format].size);
			expect(file.fileName).toBe(stored.files[format].name);
		}
		expect(stored.files.csv.name).toBe('bao-cao-42-2026-10.zip');
		const pdf = await publishedFile(store.db, REFORM_TEAM, ACTOR, {
			unit: '42',
			id: first,
			format: 'pdf'
		});
		const firstPage = (await readPdf(pdf.body))[0].text;
		expect(firstPage).toContain('15/BC-SNV');
		const { rows } = await sql<{ action: string; detail: string }>`SELECT action, detail
			FROM audit_log WHERE action LIKE 'report_%' ORDER BY id`.execute(store.db);
		expect(rows[0]).toEqual({
			action: 'report_publish',
			detail: JSON.stringify({
				unit: '42',
				month: '2026-10',
				edition: 1,
				report: first,
				number: '15/BC-SNV'
			})
		});
		expect(rows.slice(1).map((r) => r.action)).toEqual(Array(4).fill('report_download'));
	});

	it('finds no difference while no file has been imported since', async () => {
		expect(
			await publishedDifferences(store.db, await publishedReport(store.db, REFORM_TEAM, first))
		).toEqual([]);
	});

	it('lists, after a change of the month, the three KPIs that changed with both figures, and keeps the files byte for byte', async () => {
		const before = await publishedReport(store.db, REFORM_TEAM, first);
		await importFile(store.db, 'dossiers', store.file('changed.csv', CHANGED_DOSSIERS_CSV));
		const differences = await publishedDifferences(store.db, before);
		expect(differences.map((d) => d.id)).toEqual(Object.keys(PROVINCE_BEFORE_AND_AFTER));
		for (const difference of differences) {
			const expected =
				PROVINCE_BEFORE_AND_AFTER[difference.id as keyof typeof PROVINCE_BEFORE_AND_AFTER];
			expect(difference.published).toMatchObject(expected.published);
			expect(difference.now).toMatchObject(expected.now);
		}
		expect(differences[0].published.target).toBe(0.6);
		expect(differences[0].now!.value).toBeCloseTo(17 / 30, 6);
		const after = await publishedReport(store.db, REFORM_TEAM, first);
		expect(after.files).toEqual(before.files);
		expect(after.report).toEqual(before.report);
	});

	it('finds no difference in an edition published after that change, when the same file is imported again', async () => {
		const second = await publishProvince();
		expect(second).toMatchObject({ edition: 2, number: null, current: true });
		await importFile(store.db, 'dossiers', store.file('changed-again.csv', CHANGED_DOSSIERS_CSV));
		const edition = await publishedReport(store.db, REFORM_TEAM, second.id);
		expect(await publishedDifferences(store.db, edition)).toEqual([]);
		const old = await publishedReport(store.db, REFORM_TEAM, first);
		expect(old).toMatchObject({ current: false, currentId: second.id });
		expect(await publishedDifferences(store.db, old)).toHaveLength(3);
	});

	it('lists the reports of a unit and its subtree newest first, one month’s when asked', async () => {
		await publishReport(store.db, REFORM_TEAM, ACTOR, { unit: '443', month: '2026-09' });
		const province = await publishedReports(store.db, REFORM_TEAM, { unit: '42' });
		expect(province.reports.map((r) => [r.unitCode, r.month, r.edition, r.current])).toEqual([
			['443', '2026-09', 1, true],
			['42', '2026-10', 2, true],
			['42', '2026-10', 1, false]
		]);
		expect(province.total).toBe(3);
		const october = await publishedReports(store.db, REFORM_TEAM, { unit: '42', month: '2026-10' });
		expect(october.reports.map((r) => r.edition)).toEqual([2, 1]);
		const district = await publishedReports(store.db, REFORM_TEAM, { unit: '443' });
		expect(district.reports.map((r) => r.unitCode)).toEqual(['443']);
		expect((await publishedReports(store.db, REFORM_TEAM, { unit: '442' })).reports).toEqual([]);
	});

	it('shows a district head the reports of his district only, and answers the province’s as out of scope', async () => {
		const head: Principal = { username: 'canloc', role: 'unit_head', unitCode: '443' };
		const own = await publishedReports(store.db, head, { unit: '443' });
		expect(own.reports.map((r) => r.unitCode)).toEqual(['443']);
		await expect(publishedReports(store.db, head, { unit: '42' })).rejects.toThrow(OutOfScope);
		await expect(publishedReport(store.db, head, first)).rejects.toThrow(OutOfScope);
		await expect(
			publishedFile(
				store.db,
				head,
				{ username: 'canloc' },
				{ unit: '42', id: first, format: 'pdf' }
			)
		).rejects.toThrow(OutOfScope);
		await expect(
			publishedFile(store.db, REFORM_TEAM, ACTOR, { unit: '443', id: first, format: 'pdf' })
		).rejects.toThrow(OutOfScope);
	});

	it('lets neither a leader nor a unit head publish, nor a reform team outside its scope', async () => {
		for (const principal of [
			{ username: 'lanhdao', role: 'leader', unitCode: '42' },
			{ username: 'canloc', role: 'unit_head', unitCode: '443' },
			{ username: 'noivu-nx', role: 'reform_team', unitCode: '442' }
		] satisfies Principal[]) {
			await expect(
				publishReport(
					store.db,
					principal,
					{ username: principal.username },
					{
						unit: principal.role === 'reform_team' ? '443' : principal.unitCode,
						month: PUBLISH_MONTH
					}
				)
			).rejects.toThrow(OutOfScope);
		}
	});

	it('refuses a month outside 2000-01 to 2100-12 and a number too long or with control characters', async () => {
		for (const month of ['9999-12', '1999-12', '2026-13', '10/2026', '']) {
			await expect(
				publishReport(store.db, REFORM_TEAM, ACTOR, { unit: '42', month })
			).rejects.toThrow(/month/);
		}
		for (const number of ['1'.repeat(41), '15/BC\u0007', '15\n/BC', '15\u200e/BC', '15\u2028/BC']) {
			await expect(publishProvince(number)).rejects.toThrow(PublishError);
		}
		const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM published_reports`.execute(
			store.db
		);
		expect(rows[0].n).toBe(3);
	});
});

describe('the bounds of a publish', () => {
	it('reads a report id of plain digits from 1 to 2^31 − 1 only', () => {
		expect(parseReportId('7')).toBe(7);
		expect(parseReportId('2147483647')).toBe(2147483647);
		for (const text of ['abc', '-1', '0', '07', '1e3', '2147483648', '9'.repeat(30), ' 7', '']) {
			expect(parseReportId(text), text).toBeNull();
		}
	});

	it('keeps a document number trimmed, an empty one as none, and refuses 41 characters', () => {
		expect(documentNumber('  15/BC-SNV ')).toBe('15/BC-SNV');
		expect(documentNumber('')).toBeNull();
		expect(documentNumber(undefined)).toBeNull();
		expect(documentNumber('Số 15/BC-UBND của Ủy ban nhân dân tỉnh')).toBe(
			'Số 15/BC-UBND của Ủy ban nhân dân tỉnh'
		);
		expect(() => documentNumber('x'.repeat(41))).toThrow(PublishError);
	});

	it('offers the months with data, newest first, ten years at most', () => {
		expect(publishableMonths(null)).toEqual([]);
		expect(publishableMonths({ from: '2026-08-14', to: '2026-10-02' })).toEqual([
			'2026-10',
			'2026-09',
			'2026-08'
		]);
		const long = publishableMonths({ from: '2000-01-01', to: '2026-10-31' });
		expect([long.length, long[0], long.at(-1)]).toEqual([120, '2026-10', '2016-11']);
	});
});
