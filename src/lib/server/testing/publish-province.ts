/**
 * A small province for the tests of published reports, October 2026, every figure known:
 *
 * - Tỉnh Hà Tĩnh (42) over Huyện Can Lộc (443: communes 18100 and 18101) and Huyện Nghi Xuân
 *   (442: commune 18200); one procedure, full-process online, without a fee;
 * - ten dossiers per commune, filed online by the first 6 (18100), 5 (18101) and 4 (18200), all
 *   completed by 18 October, due on the 20th: the province files 15 of 30 online, all on time;
 * - a campaign target of 60% online filing for the province level, so 15/30 (50,0%) is below it.
 *
 * CHANGED_DOSSIERS_CSV, imported later, files two more of 18100's online (17/30: 56,7%, close to
 * the target) and completes three of 18101's on 25 October, past due (27/30 on time): exactly
 * three KPIs of the province change — online filing, full-process online filing (every dossier
 * is of a full-process procedure) and on time — and no other.
 */
import { importFile } from '../import/run';
import type { TempStore } from './fixtures';

export const PUBLISH_MONTH = '2026-10';

export const PUBLISH_UNITS_CSV = `code,name,level,parent_code,valid_from,valid_to
42,Tỉnh Hà Tĩnh,province,,,
443,Huyện Can Lộc,district,42,,
18100,Xã Thượng Lộc,commune,443,,
18101,Xã Mỹ Lộc,commune,443,,
442,Huyện Nghi Xuân,district,42,,
18200,Xã Xuân Hội,commune,442,,
`;

const PROCEDURES_CSV = `code,name,level,field,online_level,has_fee,online_payment,unit_code,active
1.001193,Đăng ký khai sinh,commune,Hộ tịch,full,false,false,,true
`;

const TARGETS_CSV = `campaign,starts_on,ends_on,unit_code,kpi,level,target
Năm 2026,2026-01-01,2026-12-31,42,online_submission_rate,province,60%
`;

const HEADER = 'dossier_code,procedure_code,unit_code,channel,received_at,due_at,completed_at';
const ONLINE: [string, number][] = [
	['18100', 6],
	['18101', 5],
	['18200', 4]
];

function dossier(unit: string, i: number, channel: string, completed: string): string {
	return `${unit}-${i},1.001193,${unit},${channel},2026-10-0${1 + (i % 9)} 08:00,2026-10-20 17:00,${completed}`;
}

const completedOnTime = (i: number) => `2026-10-1${i % 9} 10:00`;

export function publishDossiersCsv(): string {
	const lines = [HEADER];
	for (const [unit, online] of ONLINE) {
		for (let i = 0; i < 10; i++) {
			lines.push(dossier(unit, i, i < online ? 'online' : 'direct', completedOnTime(i)));
		}
	}
	return lines.join('\n') + '\n';
}

/** 18100-6 and 18100-7 now online; 18101-0, -1 and -2 completed late, on 25 October. */
export const CHANGED_DOSSIERS_CSV = [
	HEADER,
	dossier('18100', 6, 'online', completedOnTime(6)),
	dossier('18100', 7, 'online', completedOnTime(7)),
	...[0, 1, 2].map((i) => dossier('18101', i, 'online', '2026-10-25 10:00'))
].join('\n');

/** The province's figures of the KPIs the change moves, before and after it. */
export const PROVINCE_BEFORE_AND_AFTER = {
	online_submission_rate: {
		published: { numerator: 15, denominator: 30, status: 'below' },
		now: { numerator: 17, denominator: 30, status: 'close' }
	},
	full_process_online_rate: {
		published: { numerator: 15, denominator: 30, status: null },
		now: { numerator: 17, denominator: 30, status: null }
	},
	on_time_rate: {
		published: { numerator: 30, denominator: 30, status: null },
		now: { numerator: 27, denominator: 30, status: null }
	}
} as const;

/** The units, the procedure, the target and October's dossiers, through the real importer. */
export async function importPublishProvince(store: Pick<TempStore, 'db' | 'file'>): Promise<void> {
	await importFile(store.db, 'units', store.file('units.csv', PUBLISH_UNITS_CSV));
	await importFile(store.db, 'procedures', store.file('procedures.csv', PROCEDURES_CSV));
	await importFile(store.db, 'targets', store.file('targets.csv', TARGETS_CSV));
	await importFile(store.db, 'dossiers', store.file('dossiers.csv', publishDossiersCsv()));
}
