/**
 * The figures of the seed articles (DOMAIN.md: "Figures the product must reproduce from the same
 * data"), end to end through the command line of CONTRACT.md: each describe block writes the
 * dossier logs of one article, shaped like the exports a reform team loads and built so that
 * their KPIs are known, imports them with `import …` into its own database file and reads
 * `kpi --json`. No server runs: the CLI opens the database itself.
 *
 * The blocks are independent and a CLI call is mostly process start-up, so they run side by side
 * (`describe.concurrent`); their tests only read the report their block fetched.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KpiId } from '../src/lib/domain/kpi-ids';
import { TARGET_LEVELS, type ImportKind, type TargetLevel } from '../src/lib/domain/types';
import { PROJECT_ROOT } from '../src/cli/build-check';

const TSX = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
const CLI = path.join(PROJECT_ROOT, 'src', 'cli', 'main.ts');

/** The `kpi --json` object of CONTRACT.md. */
interface KpiValue {
	numerator: number;
	denominator: number;
	value: number | null;
	target: number | null;
}

interface UnitJson {
	code: string;
	name: string;
	level: string;
}

interface KpiReport {
	unit: UnitJson;
	from: string;
	to: string;
	kpis: Record<KpiId, KpiValue>;
	by_level: Record<TargetLevel, Partial<Record<KpiId, KpiValue>>>;
	children: { unit: UnitJson; kpis: Record<KpiId, KpiValue> }[];
}

interface Finished {
	code: number | null;
	stdout: string;
	stderr: string;
}

/** A temp folder with one database file; files are written there and named relatively. */
class Workspace {
	readonly dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-seed-'));
	private readonly dbPath = path.join(this.dir, 'kpi.duckdb');

	run(...args: string[]): Promise<Finished> {
		return new Promise((resolve, reject) => {
			const cli = spawn(TSX, [CLI, ...args], {
				cwd: this.dir,
				env: { ...process.env, DATABASE_PATH: this.dbPath },
				stdio: ['ignore', 'pipe', 'pipe']
			});
			let stdout = '';
			let stderr = '';
			cli.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
			cli.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
			cli.once('error', reject);
			cli.once('close', (code) => resolve({ code, stdout, stderr }));
		});
	}

	/** Writes the file, imports it and returns what the CLI printed; a rejected file fails the block. */
	async import(kind: ImportKind, name: string, content: string): Promise<string> {
		writeFileSync(path.join(this.dir, name), content);
		const { code, stdout, stderr } = await this.run('import', kind, name);
		if (code !== 0) throw new Error(`import ${kind} ${name} exited ${code}:\n${stderr}`);
		return stdout;
	}

	async kpi(unit: string, from: string, to: string): Promise<KpiReport> {
		const { code, stdout, stderr } = await this.run(
			'kpi',
			'--unit',
			unit,
			'--from',
			from,
			'--to',
			to,
			'--json'
		);
		if (code !== 0) throw new Error(`kpi --unit ${unit} exited ${code}:\n${stderr}`);
		return JSON.parse(stdout) as KpiReport;
	}

	dispose(): void {
		rmSync(this.dir, { recursive: true, force: true });
	}
}

/** One CSV line; a cell holding the delimiter or a quote is quoted, as Excel writes it. */
function csvLine(cells: readonly (string | number)[], delimiter = ','): string {
	return cells
		.map((cell) => {
			const text = String(cell);
			return text.includes(delimiter) || text.includes('"')
				? `"${text.replaceAll('"', '""')}"`
				: text;
		})
		.join(delimiter);
}

function csv(rows: readonly (readonly (string | number)[])[], delimiter = ','): string {
	return rows.map((row) => csvLine(row, delimiter)).join('\n') + '\n';
}

/** Excel's "CSV UTF-8": a byte-order mark and CRLF line ends. */
function excelCsv(rows: readonly (readonly (string | number)[])[]): string {
	return '\uFEFF' + rows.map((row) => csvLine(row)).join('\r\n') + '\r\n';
}

/** Local (Asia/Ho_Chi_Minh) wall-clock times, held in a Date's UTC fields so no zone applies. */
const localTime = (y: number, month: number, d: number, h = 0, min = 0) =>
	new Date(Date.UTC(y, month - 1, d, h, min));
const addDays = (t: Date, days: number) => new Date(t.getTime() + days * 86_400_000);
const pad = (n: number, width = 2) => String(n).padStart(width, '0');
/** `dd/MM/yyyy`, as Vietnamese exports print a day. */
const viDate = (t: Date) =>
	`${pad(t.getUTCDate())}/${pad(t.getUTCMonth() + 1)}/${t.getUTCFullYear()}`;
/** `dd/MM/yyyy HH:mm`. */
const viDateTime = (t: Date) => `${viDate(t)} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}`;

type Channel = 'online' | 'direct' | 'postal';

interface DossierGroup {
	unit: string;
	procedure: string;
	count: number;
	/** The first `online` dossiers of the group are filed online, the others in person or by post. */
	online: number;
}

interface Dossier {
	unit: string;
	procedure: string;
	channel: Channel;
	receivedAt: Date;
}

/** The groups' dossiers, received in office hours on the `days` days from `first`. */
function dossiersOf(groups: DossierGroup[], first: Date, days: number): Dossier[] {
	const dossiers: Dossier[] = [];
	for (const group of groups) {
		for (let k = 0; k < group.count; k++) {
			const day = addDays(first, (dossiers.length + k * 7) % days);
			dossiers.push({
				unit: group.unit,
				procedure: group.procedure,
				channel: k < group.online ? 'online' : k % 3 === 0 ? 'postal' : 'direct',
				receivedAt: localTime(
					day.getUTCFullYear(),
					day.getUTCMonth() + 1,
					day.getUTCDate(),
					7 + (k % 10),
					(k * 13) % 60
				)
			});
		}
	}
	return dossiers;
}

const VI_CHANNEL: Record<Channel, string> = {
	online: 'Trực tuyến',
	direct: 'Trực tiếp',
	postal: 'Bưu chính'
};

/** The portal's KenhThucHien codes (CONTRACT: 1 direct, 2 online, 3 postal). */
const PORTAL_CHANNEL: Record<Channel, number> = { direct: 1, online: 2, postal: 3 };

describe.concurrent('seed 000: Cần Thơ Department of Labour, June 2021', () => {
	let workspace: Workspace;
	const LABOUR = '92-SLDTBXH';
	const JUSTICE = '92-STP';
	const labourCode = (i: number) => `1.${pad(2000 + i, 6)}`;
	const FIELDS = [
		'Lao động - Tiền lương',
		'Người có công',
		'Bảo trợ xã hội',
		'Giáo dục nghề nghiệp'
	];
	const imported: Record<string, string> = {};
	let report: KpiReport;

	beforeAll(async () => {
		workspace = new Workspace();
		imported.units = await workspace.import(
			'units',
			'units.csv',
			`code,name,level,parent_code,valid_from,valid_to
92,Thành phố Cần Thơ,province,,,
${LABOUR},Sở Lao động - Thương binh và Xã hội,department,92,,
${JUSTICE},Sở Tư pháp,department,92,,
`
		);
		// The department's 121 procedures, in the pre-2022 names the article uses: 46 at level 3
		// (partial), 50 at level 4 (full), 25 not online; and two of Sở Tư pháp that must not count.
		const level = (i: number) => (i < 46 ? 'Mức độ 3' : i < 96 ? 'Mức độ 4' : 'Mức độ 2');
		imported.procedures = await workspace.import(
			'procedures',
			'thu-tuc.csv',
			csv([
				['code', 'name', 'level', 'field', 'online_level', 'has_fee', 'unit_code'],
				...Array.from({ length: 121 }, (_, i) => [
					labourCode(i),
					`Thủ tục lĩnh vực lao động, thương binh và xã hội số ${i + 1}`,
					'province',
					FIELDS[i % FIELDS.length],
					level(i),
					'không',
					LABOUR
				]),
				[
					'2.000488',
					'Cấp Phiếu lý lịch tư pháp',
					'province',
					'Lý lịch tư pháp',
					'Mức độ 4',
					'có',
					JUSTICE
				],
				['2.000635', 'Chứng thực bản sao', 'province', 'Chứng thực', 'Mức độ 2', 'có', JUSTICE]
			])
		);
		// The province's one-stop export for June: 523 dossiers of level-3 procedures (277 online),
		// 282 of level-4 ones (55 online), 40 of procedures not online; 30 of Sở Tư pháp, all online;
		// and two dossiers of the department received just outside June, both online.
		const june = localTime(2021, 6, 1);
		const dossiers = dossiersOf(
			[
				{ unit: LABOUR, procedure: labourCode(0), count: 263, online: 140 },
				{ unit: LABOUR, procedure: labourCode(45), count: 260, online: 137 },
				{ unit: LABOUR, procedure: labourCode(46), count: 150, online: 30 },
				{ unit: LABOUR, procedure: labourCode(95), count: 132, online: 25 },
				{ unit: LABOUR, procedure: labourCode(100), count: 40, online: 0 },
				{ unit: JUSTICE, procedure: '2.000488', count: 30, online: 30 }
			],
			june,
			30
		);
		dossiers.push(
			{
				unit: LABOUR,
				procedure: labourCode(1),
				channel: 'online',
				receivedAt: localTime(2021, 5, 31, 23, 45)
			},
			{
				unit: LABOUR,
				procedure: labourCode(47),
				channel: 'online',
				receivedAt: localTime(2021, 7, 1, 0, 10)
			}
		);
		const blank = ['', '', '', '', '', '', '', '', ''];
		const title = (text: string) => [text, ...blank.slice(1)];
		imported.dossiers = await workspace.import(
			'dossiers',
			'so-theo-doi-ho-so-thang-6-2021.csv',
			excelCsv([
				title('UBND THÀNH PHỐ CẦN THƠ'),
				title('HỆ THỐNG THÔNG TIN GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH'),
				title('SỔ THEO DÕI HỒ SƠ TIẾP NHẬN'),
				title('Từ ngày 01/06/2021 đến ngày 30/06/2021'),
				blank,
				[
					'STT',
					'Mã hồ sơ',
					'Mã TTHC',
					'Mã đơn vị',
					'Hình thức nộp',
					'Ngày tiếp nhận',
					'Ngày hẹn trả',
					'Ngày có kết quả',
					'Trạng thái'
				],
				...dossiers.map((d, i) => {
					const done = i % 2 === 0;
					return [
						i + 1,
						`000.00.19.H13-${viDate(d.receivedAt).slice(0, 5).replace('/', '')}-${pad(i + 1, 4)}`,
						d.procedure,
						d.unit,
						VI_CHANNEL[d.channel],
						viDateTime(d.receivedAt),
						viDate(addDays(d.receivedAt, 7)),
						done ? viDateTime(addDays(d.receivedAt, 3)) : '',
						done ? 'Đã trả kết quả' : 'Đang xử lý'
					];
				})
			])
		);
		report = await workspace.kpi(LABOUR, '2021-06-01', '2021-06-30');
	});

	afterAll(() => workspace?.dispose());

	it('imports the 877 rows of the export found under its four-line title block', () => {
		expect(imported.units).toContain('imported 3 units rows: 3 inserted');
		expect(imported.procedures).toContain('imported 123 procedures rows: 123 inserted');
		expect(imported.dossiers).toContain(
			'so-theo-doi-ho-so-thang-6-2021.csv: imported 877 dossiers rows: 877 inserted, 0 updated, 0 unchanged'
		);
	});

	it('reports the department by its code for 01/06/2021 to 30/06/2021', () => {
		expect(report.unit).toEqual({
			code: LABOUR,
			name: 'Sở Lao động - Thương binh và Xã hội',
			level: 'department'
		});
		expect(report.from).toBe('2021-06-01');
		expect(report.to).toBe('2021-06-30');
	});

	it('offers 96 of its 121 procedures online (79.3%), 50 of them in full', () => {
		const coverage = report.kpis.online_service_coverage;
		expect([coverage.numerator, coverage.denominator]).toEqual([96, 121]);
		expect(coverage.value).toBeCloseTo(0.793388, 6);
		const full = report.kpis.full_process_coverage;
		expect([full.numerator, full.denominator]).toEqual([50, 121]);
		expect(full.value).toBeCloseTo(0.413223, 6);
	});

	it('has 55 of 282 full-process dossiers filed online (20%)', () => {
		const rate = report.kpis.full_process_online_rate;
		expect([rate.numerator, rate.denominator]).toEqual([55, 282]);
		expect(rate.value).toBeCloseTo(0.195035, 6);
		expect(Math.round(rate.value! * 100)).toBe(20);
	});

	it('has 332 of 805 eligible dossiers filed online, CONTRACT’s 0.412422', () => {
		const rate = report.kpis.online_submission_rate;
		expect([rate.numerator, rate.denominator]).toEqual([332, 805]);
		expect(rate.value).toBeCloseTo(0.412422, 6);
		expect(rate.target).toBeNull();
	});

	it('leaves 277 of 523 partial-procedure dossiers online (53%) once the full ones are taken out', () => {
		const eligible = report.kpis.online_submission_rate;
		const full = report.kpis.full_process_online_rate;
		expect(eligible.numerator - full.numerator).toBe(277);
		expect(eligible.denominator - full.denominator).toBe(523);
	});

	it('counts 845 June dossiers in all, the 40 of procedures not online among them', () => {
		expect(report.kpis.dossier_digitization_rate).toEqual({
			numerator: 0,
			denominator: 845,
			value: 0,
			target: null
		});
	});
});

describe.concurrent('seed 002: Hà Tĩnh, the 2024 campaign (09/05/2024 to 30/09/2024)', () => {
	let workspace: Workspace;
	const imported: Record<string, string> = {};
	let report: KpiReport;

	beforeAll(async () => {
		workspace = new Workspace();
		imported.units = await workspace.import(
			'units',
			'units.csv',
			`code,name,level,parent_code,valid_from,valid_to
42,Tỉnh Hà Tĩnh,province,,,
42-STP,Sở Tư pháp,department,42,,
42-SXD,Sở Xây dựng,department,42,,
436,Thành phố Hà Tĩnh,district,42,,2025-06-30
18073,Phường Nam Hà,commune,436,,2025-06-30
18077,Phường Bắc Hà,commune,436,,2025-06-30
`
		);
		// Fee procedures with online payment: province 1 of 2, district 1 of 3, commune 1 of 2.
		imported.procedures = await workspace.import(
			'procedures',
			'procedures.csv',
			`code,name,level,field,online_level,has_fee,online_payment,unit_code
2.000488,Cấp Phiếu lý lịch tư pháp,province,Lý lịch tư pháp,partial,true,true,42-STP
2.002218,Tiếp công dân,province,Tiếp công dân,none,false,false,42-STP
1.009972,"Cấp giấy phép xây dựng công trình cấp I, II",province,Hoạt động xây dựng,partial,true,false,42-SXD
1.009986,Cấp chứng chỉ hành nghề hoạt động xây dựng,province,Hoạt động xây dựng,full,false,false,42-SXD
1.009994,Cấp giấy phép xây dựng nhà ở riêng lẻ,district,Hoạt động xây dựng,partial,true,true,
2.000635,Cấp bản sao trích lục hộ tịch,district,Hộ tịch,full,true,false,
1.001612,Đăng ký thành lập hộ kinh doanh,district,Hộ kinh doanh,partial,true,false,
2.001157,Hòa giải tranh chấp đất đai,district,Đất đai,none,false,false,
1.001193,Đăng ký khai sinh,commune,Hộ tịch,full,false,false,
2.000815,Chứng thực bản sao từ bản chính,commune,Chứng thực,partial,true,true,
1.000894,Đăng ký kết hôn,commune,Hộ tịch,full,false,false,
2.000884,Chứng thực chữ ký,commune,Chứng thực,partial,true,false,
1.003622,Xác nhận hộ gia đình làm nông nghiệp,commune,Nông nghiệp,none,false,false,
`
		);
		// DOMAIN.md's campaign table, as the reform team writes it: Vietnamese headers, percentages.
		const TARGETS: [KpiId, string, string, string][] = [
			['online_submission_rate', '70%', '70%', '70%'],
			['full_process_online_rate', '90%', '90%', '90%'],
			['payment_enabled_rate', '50%', '45%', '40%'],
			['dossier_digitization_rate', '90%', '80%', '75%'],
			['result_digitization_rate', '90%', '80%', '75%'],
			['data_reuse_rate', '70%', '70%', '70%'],
			['portal_sync_rate', '100%', '100%', '100%']
		];
		const campaign =
			'Chiến dịch cao điểm nâng cao hiệu quả cung cấp, sử dụng dịch vụ công trực tuyến';
		imported.targets = await workspace.import(
			'targets',
			'chi-tieu-chien-dich-2024.csv',
			csv([
				['Chiến dịch', 'Ngày bắt đầu', 'Ngày kết thúc', 'Mã đơn vị', 'Chỉ số', 'Cấp', 'Chỉ tiêu'],
				...TARGETS.flatMap(([kpi, province, district, commune]) =>
					(
						[
							['Cấp tỉnh', province],
							['Cấp huyện', district],
							['Cấp xã', commune]
						] as const
					).map(([level, target]) => [
						campaign,
						'09/05/2024',
						'30/09/2024',
						'42',
						kpi,
						level,
						target
					])
				)
			])
		);
		// Eligible dossiers in the campaign: departments 177/200 (88.5%), district 98/100 (98%),
		// communes 92/100 (92%); dossiers of procedures not online at every level, all in person;
		// and 20 in-person dossiers of the day before the campaign and 10 of the day after it.
		const dossiers = dossiersOf(
			[
				{ unit: '42-STP', procedure: '2.000488', count: 120, online: 105 },
				{ unit: '42-STP', procedure: '2.002218', count: 15, online: 0 },
				{ unit: '42-SXD', procedure: '1.009972', count: 50, online: 45 },
				{ unit: '42-SXD', procedure: '1.009986', count: 30, online: 27 },
				{ unit: '436', procedure: '1.009994', count: 60, online: 59 },
				{ unit: '436', procedure: '2.000635', count: 40, online: 39 },
				{ unit: '436', procedure: '2.001157', count: 10, online: 0 },
				{ unit: '18073', procedure: '1.001193', count: 30, online: 28 },
				{ unit: '18073', procedure: '2.000815', count: 20, online: 18 },
				{ unit: '18077', procedure: '1.001193', count: 30, online: 27 },
				{ unit: '18077', procedure: '1.000894', count: 20, online: 19 },
				{ unit: '18077', procedure: '1.003622', count: 10, online: 0 }
			],
			localTime(2024, 5, 9),
			145
		);
		for (let k = 0; k < 20; k++) {
			dossiers.push({
				unit: '42-STP',
				procedure: '2.000488',
				channel: 'direct',
				receivedAt: localTime(2024, 5, 8, 8 + (k % 9), 30)
			});
		}
		for (let k = 0; k < 10; k++) {
			dossiers.push({
				unit: '18073',
				procedure: '1.001193',
				channel: 'direct',
				receivedAt: localTime(2024, 10, 1, 7 + k, 15)
			});
		}
		imported.dossiers = await workspace.import(
			'dossiers',
			'dossiers-2024.csv',
			csv([
				['dossier_code', 'procedure_code', 'unit_code', 'channel', 'received_at', 'due_at'],
				...dossiers.map((d, i) => [
					`H31.${d.unit}-${pad(i + 1, 5)}`,
					d.procedure,
					d.unit,
					d.channel,
					viDateTime(d.receivedAt),
					viDate(addDays(d.receivedAt, 5))
				])
			])
		);
		report = await workspace.kpi('42', '2024-05-09', '2024-09-30');
	});

	afterAll(() => workspace?.dispose());

	it('imports the 21 targets of the campaign table and the 465 dossiers', () => {
		expect(imported.targets).toContain(
			'chi-tieu-chien-dich-2024.csv: imported 21 targets rows: 21 inserted, 0 updated, 0 unchanged'
		);
		expect(imported.dossiers).toContain(
			'dossiers-2024.csv: imported 465 dossiers rows: 465 inserted, 0 updated, 0 unchanged'
		);
	});

	it('files 177 of 200 eligible dossiers online at department level: 88.5%', () => {
		expect(report.by_level.province.online_submission_rate).toEqual({
			numerator: 177,
			denominator: 200,
			value: 0.885,
			target: 0.7
		});
	});

	it('files 98 of 100 eligible dossiers online at district level: 98%', () => {
		expect(report.by_level.district.online_submission_rate).toEqual({
			numerator: 98,
			denominator: 100,
			value: 0.98,
			target: 0.7
		});
	});

	it('files 92 of 100 eligible dossiers online at commune level: over 91%', () => {
		expect(report.by_level.commune.online_submission_rate).toEqual({
			numerator: 92,
			denominator: 100,
			value: 0.92,
			target: 0.7
		});
	});

	it('files 367 of 400 eligible dossiers online province-wide: over 90%, against 70%', () => {
		expect(report.kpis.online_submission_rate).toEqual({
			numerator: 367,
			denominator: 400,
			value: 0.9175,
			target: 0.7
		});
	});

	it('leaves out the dossiers of the day before and the day after the campaign', () => {
		expect(report.kpis.dossier_digitization_rate.denominator).toBe(435);
	});

	it('measures full-process dossiers against 90% at each level', () => {
		expect(report.by_level.province.full_process_online_rate).toEqual({
			numerator: 27,
			denominator: 30,
			value: 0.9,
			target: 0.9
		});
		expect(report.by_level.district.full_process_online_rate).toEqual({
			numerator: 39,
			denominator: 40,
			value: 0.975,
			target: 0.9
		});
		expect(report.by_level.commune.full_process_online_rate).toEqual({
			numerator: 74,
			denominator: 80,
			value: 0.925,
			target: 0.9
		});
	});

	it('sets payment targets of 50%, 45% and 40% by level against 1/2, 1/3 and 1/2 of fee procedures', () => {
		expect(report.by_level.province.payment_enabled_rate).toEqual({
			numerator: 1,
			denominator: 2,
			value: 0.5,
			target: 0.5
		});
		expect(report.by_level.district.payment_enabled_rate).toEqual({
			numerator: 1,
			denominator: 3,
			value: 1 / 3,
			target: 0.45
		});
		expect(report.by_level.commune.payment_enabled_rate).toEqual({
			numerator: 1,
			denominator: 2,
			value: 0.5,
			target: 0.4
		});
		expect(report.kpis.payment_enabled_rate).toMatchObject({
			numerator: 3,
			denominator: 7,
			target: 0.5
		});
	});

	it('gives each campaign KPI its level’s target at each level', () => {
		const expected: [KpiId, number, number, number][] = [
			['dossier_digitization_rate', 0.9, 0.8, 0.75],
			['result_digitization_rate', 0.9, 0.8, 0.75],
			['data_reuse_rate', 0.7, 0.7, 0.7],
			['portal_sync_rate', 1, 1, 1]
		];
		for (const [kpi, province, district, commune] of expected) {
			expect([
				report.by_level.province[kpi]?.target,
				report.by_level.district[kpi]?.target,
				report.by_level.commune[kpi]?.target
			]).toEqual([province, district, commune]);
		}
		expect(report.kpis.on_time_rate.target).toBeNull();
	});

	it('splits the province into its two departments and the city, each with its own counts', () => {
		const child = (code: string) => report.children.find((c) => c.unit.code === code);
		expect(report.children.map((c) => c.unit.code).sort()).toEqual(['42-STP', '42-SXD', '436']);
		expect(child('42-STP')?.kpis.online_submission_rate).toEqual({
			numerator: 105,
			denominator: 120,
			value: 0.875,
			target: 0.7
		});
		expect(child('42-SXD')?.kpis.online_submission_rate).toMatchObject({
			numerator: 72,
			denominator: 80,
			value: 0.9
		});
		expect(child('436')?.kpis.online_submission_rate).toEqual({
			numerator: 190,
			denominator: 200,
			value: 0.95,
			target: 0.7
		});
	});
});

describe.concurrent('seed 003: Ho Chi Minh City, the yearly share filed online 2016–2019', () => {
	let workspace: Workspace;
	const ONLINE_BY_YEAR: [number, number][] = [
		[2016, 1],
		[2017, 8],
		[2018, 10],
		[2019, 14]
	];
	const PLACES = [
		{ unit: '79-SKHDT', procedure: '2.001610' },
		{ unit: '760', procedure: '1.001612' },
		{ unit: '26734', procedure: '2.000815' },
		{ unit: '26737', procedure: '1.001193' }
	];
	let imported = '';
	const reports = new Map<number, KpiReport>();

	beforeAll(async () => {
		workspace = new Workspace();
		// No validity dates: the units stand for all four years.
		await workspace.import(
			'units',
			'units.csv',
			`code,name,level,parent_code
79,Thành phố Hồ Chí Minh,province,
79-SKHDT,Sở Kế hoạch và Đầu tư,department,79
760,Quận 1,district,79
26734,Phường Tân Định,commune,760
26737,Phường Đa Kao,commune,760
`
		);
		await workspace.import(
			'procedures',
			'procedures.csv',
			`code,name,level,online_level,unit_code
2.001610,Đăng ký thành lập doanh nghiệp tư nhân,province,mức độ 4,79-SKHDT
1.001612,Đăng ký thành lập hộ kinh doanh,district,mức độ 3,
2.000815,Chứng thực bản sao từ bản chính,commune,mức độ 3,
1.001193,Đăng ký khai sinh,commune,mức độ 3,
`
		);
		// 25 dossiers a year, the first ones online; the year's one online dossier of 2016 came in
		// at 23:30 on 31/12/2016 and the last in-person one of 2017 at 00:15 on 01/01/2017.
		const rows: (string | number)[][] = [];
		for (const [year, online] of ONLINE_BY_YEAR) {
			for (let k = 0; k < 25; k++) {
				const place = PLACES[k % PLACES.length];
				const channel: Channel = k < online ? 'online' : k % 4 === 0 ? 'postal' : 'direct';
				const receivedAt =
					year === 2016 && k === 0
						? localTime(2016, 12, 31, 23, 30)
						: year === 2017 && k === 24
							? localTime(2017, 1, 1, 0, 15)
							: localTime(year, 1 + (k % 12), 1 + ((k * 3) % 28), 8 + (k % 8), 5);
				rows.push([
					`${place.unit}-${year}-${pad(k + 1, 6)}`,
					place.procedure,
					place.unit,
					PORTAL_CHANNEL[channel],
					`${viDateTime(receivedAt)}:00`
				]);
			}
		}
		imported = await workspace.import(
			'dossiers',
			'dongbo-dvcqg.csv',
			csv([['MaHoSo', 'MaTTHC', 'MaDonVi', 'KenhThucHien', 'NgayTiepNhan'], ...rows], ';')
		);
		for (const [year] of ONLINE_BY_YEAR) {
			reports.set(year, await workspace.kpi('79', `${year}-01-01`, `${year}-12-31`));
		}
	});

	afterAll(() => workspace?.dispose());

	it('imports the 100 dossiers of the portal sync file, semicolon-separated', () => {
		expect(imported).toContain(
			'dongbo-dvcqg.csv: imported 100 dossiers rows: 100 inserted, 0 updated, 0 unchanged'
		);
	});

	it('finds 4% online in 2016 (1 of 25), counting 23:30 on 31 December in 2016', () => {
		expect(reports.get(2016)?.kpis.online_submission_rate).toEqual({
			numerator: 1,
			denominator: 25,
			value: 0.04,
			target: null
		});
	});

	it('finds 32% online in 2017 (8 of 25), counting 00:15 on 1 January in 2017', () => {
		expect(reports.get(2017)?.kpis.online_submission_rate).toEqual({
			numerator: 8,
			denominator: 25,
			value: 0.32,
			target: null
		});
	});

	it('finds 40% online in 2018 (10 of 25)', () => {
		expect(reports.get(2018)?.kpis.online_submission_rate).toEqual({
			numerator: 10,
			denominator: 25,
			value: 0.4,
			target: null
		});
	});

	it('finds 56% online in 2019 (14 of 25)', () => {
		expect(reports.get(2019)?.kpis.online_submission_rate).toEqual({
			numerator: 14,
			denominator: 25,
			value: 0.56,
			target: null
		});
	});

	it('lists the department and the district as the city’s children every year', () => {
		for (const [year] of ONLINE_BY_YEAR) {
			expect(
				reports
					.get(year)
					?.children.map((c) => c.unit.code)
					.sort()
			).toEqual(['760', '79-SKHDT']);
		}
	});
});

describe.concurrent('seed 001: Điện Biên, Q2/2023', () => {
	let workspace: Workspace;
	const TOTAL = 33_892;
	const ONLINE = 23_385;
	/** The article's 1,419 / 308 / 160 add up to 1,887, not 1,782: keep its total and its lower levels. */
	const CATALOGUE: Record<TargetLevel, { inForce: number; prefix: number; name: string }> = {
		province: { inForce: 1_314, prefix: 1, name: 'cấp tỉnh' },
		district: { inForce: 308, prefix: 2, name: 'cấp huyện' },
		commune: { inForce: 160, prefix: 3, name: 'cấp xã' }
	};
	const RETIRED = 40;
	const code = (level: TargetLevel, j: number) => `${CATALOGUE[level].prefix}.${pad(j, 6)}`;
	const DEPARTMENTS = ['11-SNV', '11-STNMT'];
	const DESKS: { unit: string; level: TargetLevel }[] = [
		{ unit: '11-SNV', level: 'province' },
		{ unit: '11-STNMT', level: 'province' },
		{ unit: '094', level: 'district' },
		{ unit: '03124', level: 'commune' },
		{ unit: '03127', level: 'commune' }
	];
	const imported: Record<string, string> = {};
	let report: KpiReport;

	beforeAll(async () => {
		workspace = new Workspace();
		await workspace.import(
			'units',
			'units.csv',
			`code,name,level,parent_code
11,Tỉnh Điện Biên,province,
11-SNV,Sở Nội vụ,department,11
11-STNMT,Sở Tài nguyên và Môi trường,department,11
094,Thành phố Điện Biên Phủ,district,11
03124,Phường Noong Bua,commune,094
03127,Phường Him Lam,commune,094
`
		);
		// Online levels cycle full, partial, none within each level; 40 retired province
		// procedures (Còn hiệu lực: không) are not in force.
		const ONLINE_LEVELS = ['Toàn trình', 'Một phần', 'Không'];
		const procedures: (string | number)[][] = [
			['Mã TTHC', 'Tên thủ tục', 'Cấp thực hiện', 'Mức độ DVC', 'Cơ quan thực hiện', 'Còn hiệu lực']
		];
		for (const level of TARGET_LEVELS) {
			const { inForce, name } = CATALOGUE[level];
			for (let j = 0; j < inForce + (level === 'province' ? RETIRED : 0); j++) {
				procedures.push([
					code(level, j),
					`Thủ tục hành chính ${name} số ${j + 1}`,
					level,
					ONLINE_LEVELS[j % 3],
					level === 'province' ? DEPARTMENTS[j % 2] : '',
					j < inForce ? 'có' : 'không'
				]);
			}
		}
		imported.procedures = await workspace.import(
			'procedures',
			'danh-muc-tthc.csv',
			csv(procedures)
		);
		// 33,892 dossiers of eligible procedures over the 91 days of the quarter, the first 23,385
		// online; plus 12 received on 31/03/2023 and 01/07/2023, outside it.
		const rows: (string | number)[][] = [
			['Mã hồ sơ', 'Mã TTHC', 'Mã đơn vị', 'Hình thức nộp', 'Ngày tiếp nhận']
		];
		const quarter = localTime(2023, 4, 1);
		const add = (i: number, channel: Channel, day: Date) => {
			const desk = DESKS[i % DESKS.length];
			const procedure = code(desk.level, 3 * (Math.floor(i / 5) % 20) + (i % 2));
			const receivedAt = new Date(day);
			receivedAt.setUTCHours(7 + (i % 10), (i * 7) % 60);
			rows.push([
				`000.00.${pad(i % 100)}.H18-${pad(i + 1, 6)}`,
				procedure,
				desk.unit,
				VI_CHANNEL[channel],
				viDateTime(receivedAt)
			]);
		};
		for (let i = 0; i < TOTAL; i++) {
			add(i, i < ONLINE ? 'online' : i % 10 === 0 ? 'postal' : 'direct', addDays(quarter, i % 91));
		}
		for (let i = TOTAL; i < TOTAL + 12; i++) {
			add(i, 'online', i % 2 === 0 ? localTime(2023, 3, 31) : localTime(2023, 7, 1));
		}
		imported.dossiers = await workspace.import('dossiers', 'ho-so-quy-2-2023.csv', csv(rows));
		report = await workspace.kpi('11', '2023-04-01', '2023-06-30');
	});

	afterAll(() => workspace?.dispose());

	it('imports 1,822 procedures and 33,904 dossiers', () => {
		expect(imported.procedures).toContain('imported 1822 procedures rows: 1822 inserted');
		expect(imported.dossiers).toContain(
			'ho-so-quy-2-2023.csv: imported 33904 dossiers rows: 33904 inserted, 0 updated, 0 unchanged'
		);
	});

	it('counts 33,892 dossiers in the quarter, 23,385 of them online: 69%', () => {
		const rate = report.kpis.online_submission_rate;
		expect([rate.numerator, rate.denominator]).toEqual([ONLINE, TOTAL]);
		expect(rate.value).toBeCloseTo(0.689986, 6);
		expect(Math.round(rate.value! * 100)).toBe(69);
		expect(report.kpis.dossier_digitization_rate.denominator).toBe(TOTAL);
	});

	it('counts 1,782 procedures in force, 1,314 / 308 / 160 by level, 1,189 of them online', () => {
		const coverage = report.kpis.online_service_coverage;
		expect([coverage.numerator, coverage.denominator]).toEqual([1_189, 1_782]);
		expect([
			report.by_level.province.online_service_coverage,
			report.by_level.district.online_service_coverage,
			report.by_level.commune.online_service_coverage
		]).toEqual([
			{ numerator: 876, denominator: 1_314, value: 876 / 1_314, target: null },
			{ numerator: 206, denominator: 308, value: 206 / 308, target: null },
			{ numerator: 107, denominator: 160, value: 107 / 160, target: null }
		]);
	});
});
