/**
 * A small province for the monthly report's tests: a department and two communes, October 2026,
 * the first commune filing 7 of its 10 dossiers online and the second 4 of 10, a third of them
 * still open past their due day; the communes' names are the test's (one beginning with `=`, one
 * with a tag) and, when asked, the 2026 online-filing targets of 80% for communes and 60% for the
 * province, and the months before (`HISTORY`) for the trend.
 */
import { importFile } from '../import/run';
import { monthlyReport, type MonthlyReport } from '../report/monthly';
import { resolveUnit } from '../units/versions';
import { PROCEDURES_CSV, tempStore, type TempStore } from './fixtures';

export const REPORT_MONTH = '2026-10';

/**
 * With `history`, May to September 2026: each month 10 dossiers per commune, this many of them
 * filed online, each completed on the day it came (nothing carried into October). The province
 * files 5, 6, 8, 9 and 10 of 20 online, then October's 11 of 20: 25%, 30%, 40%, 45%, 50%, 55%.
 */
export const HISTORY: Record<string, [first: number, second: number]> = {
	'2026-05': [3, 2],
	'2026-06': [4, 2],
	'2026-07': [5, 3],
	'2026-08': [6, 3],
	'2026-09': [6, 4]
};

function history(): string[] {
	return Object.entries(HISTORY).flatMap(([month, online]) =>
		(['18100', '18101'] as const).flatMap((unit, u) =>
			Array.from({ length: 10 }, (_, i) => {
				const day = `${month}-0${1 + (i % 9)}`;
				const channel = i < online[u] ? 'online' : 'direct';
				return `${unit}-${month}-${i},1.001193,${unit},${channel},${day} 08:00,,${day} 10:00`;
			})
		)
	);
}

function dossiers(withHistory: boolean): string {
	const lines = ['dossier_code,procedure_code,unit_code,channel,received_at,due_at,completed_at'];
	if (withHistory) lines.push(...history());
	for (let i = 0; i < 10; i++) {
		for (const [unit, online] of [
			['18100', 7],
			['18101', 4]
		] as const) {
			const channel = i < online ? 'online' : 'direct';
			const done = i % 3 === 0 ? '' : `2026-10-1${i % 9} 10:00`;
			lines.push(
				`${unit}-${i},1.001193,${unit},${channel},2026-10-0${1 + (i % 9)} 08:00,2026-10-12 17:00,${done}`
			);
		}
	}
	return lines.join('\n') + '\n';
}

export async function reportProvince(
	prefix: string,
	communes: [string, string],
	{ target = false, history = false } = {}
): Promise<{ store: TempStore; report: MonthlyReport }> {
	const store = await tempStore(prefix);
	const units =
		'code,name,level,parent_code,valid_from,valid_to\n42,Tỉnh Hà Tĩnh,province,,,\n' +
		'42-STP,Sở Tư pháp,department,42,,\n' +
		`18100,${communes[0]},commune,42,,\n18101,${communes[1]},commune,42,,\n`;
	await importFile(store.db, 'units', store.file('u.csv', units));
	await importFile(store.db, 'procedures', store.file('p.csv', PROCEDURES_CSV));
	if (target) {
		await importFile(
			store.db,
			'targets',
			store.file(
				't.csv',
				'campaign,starts_on,ends_on,unit_code,kpi,level,target\n' +
					'Năm 2026,2026-01-01,2026-12-31,42,online_submission_rate,commune,80%\n' +
					'Năm 2026,2026-01-01,2026-12-31,42,online_submission_rate,province,60%\n'
			)
		);
	}
	await importFile(store.db, 'dossiers', store.file('d.csv', dossiers(history)));
	const province = await resolveUnit(store.db, '42', { from: '2026-10-01', to: '2026-10-31' });
	return { store, report: await monthlyReport(store.db, province, REPORT_MONTH) };
}
