import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addUser } from '../auth/users';
import { logImport } from '../import/batches';
import { importFile } from '../import/run';
import { PROCEDURES_CSV, tempStore, UNITS_CSV, type TempStore } from '../testing/fixtures';
import { importsFolder } from './files';
import { resumeQueuedJobs } from './jobs';
import { importQueue } from './queue';

let store: TempStore;
beforeEach(async () => {
	store = await tempStore('kpi-jobs-');
	await importFile(store.db, 'units', store.file('u.csv', UNITS_CSV));
	await importFile(store.db, 'procedures', store.file('p.csv', PROCEDURES_CSV));
});
afterEach(() => store.dispose());

const HEADER = 'dossier_code,procedure_code,unit_code,channel,received_at';
const dossiers = (n: number) =>
	`${HEADER}\n${Array.from({ length: n }, (_, i) => `D${i},1.001193,18100,online,2024-10-01 08:00`).join('\n')}\n`;

const statusOf = async (id: number) =>
	await store.db
		.selectFrom('import_batches')
		.select(['status', 'message', 'inserted'])
		.where('id', '=', id)
		.executeTakeFirstOrThrow();

describe('the import queue', () => {
	it('runs its tasks one after another, in order, and tells a waiting job its place', async () => {
		const queue = importQueue(store.db);
		const events: string[] = [];
		let release!: () => void;
		const first = queue.enqueue(1, async () => {
			events.push('1 starts');
			await new Promise<void>((resolve) => (release = resolve));
			events.push('1 ends');
		});
		const second = queue.enqueue(2, async () => {
			events.push('2 starts');
		});
		await new Promise((resolve) => setTimeout(resolve, 10));
		expect([queue.position(1), queue.position(2)]).toEqual([null, 1]);
		release();
		await Promise.all([first, second]);
		expect(events).toEqual(['1 starts', '1 ends', '2 starts']);
	});

	it('goes on after a failed task', async () => {
		const queue = importQueue(store.db);
		const failed = queue.enqueue(null, () => Promise.reject(new Error('no')));
		const next = queue.enqueue(null, async () => 'ran');
		await expect(failed).rejects.toThrow('no');
		expect(await next).toBe('ran');
	});
});

describe('a restart', () => {
	it('runs the uploads left waiting, fails a command’s waiting import as interrupted, and clears stray files', async () => {
		await addUser(store.db, {
			username: 'noivu',
			role: 'reform_team',
			unitCode: '42',
			password: 'một-mật-khẩu-dài-2026'
		});
		const user = await store.db
			.selectFrom('users')
			.select('id')
			.where('username', '=', 'noivu')
			.executeTakeFirstOrThrow();
		const folder = importsFolder(store.path);
		mkdirSync(folder, { recursive: true });
		const waiting = path.join(folder, 'waiting.csv');
		writeFileSync(waiting, dossiers(3));
		writeFileSync(path.join(folder, 'stray.csv'), 'left by a kill mid-upload');
		const job = (source: 'api' | 'cli', storedFile: string | null) =>
			logImport(store.db, {
				kind: 'dossiers',
				fileName: 'thang-10.csv',
				fileSize: 10,
				sha256: 'ab',
				format: 'csv',
				source,
				userId: source === 'api' ? user.id : null,
				username: source === 'api' ? 'noivu' : 'cli',
				storedFile
			});
		const upload = await job('api', waiting);
		const command = await job('cli', null);
		const lost = await job('api', path.join(folder, 'gone.csv'));
		await resumeQueuedJobs(store);
		await importQueue(store.db).enqueue(null, async () => undefined);
		expect(await statusOf(upload)).toEqual({ status: 'done', message: null, inserted: 3 });
		expect(await statusOf(command)).toMatchObject({
			status: 'failed',
			message:
				'interrupted: the server stopped before this command’s import began; run the command again'
		});
		expect((await statusOf(lost)).status).toBe('failed');
		expect(existsSync(folder) ? readdirSync(folder) : []).toEqual([]);
	});
});
