/** Test support: a fresh DuckDB file in a temp folder, and small files to import into it. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { parseParams, VIEW, type ViewState, type Vocabulary } from '../../domain/url-params';
import { openStore, type Store } from '../store';

export interface TempStore extends Store {
	dir: string;
	/** Writes `content` to `<dir>/<name>` and returns the path. */
	file(name: string, content: string | Buffer): string;
	/** Every row of a table, ordered, for before/after comparisons. */
	snapshot(table: string, orderBy: string): Promise<unknown[]>;
	dispose(): Promise<void>;
}

export async function tempStore(prefix = 'kpi-test-'): Promise<TempStore> {
	const dir = mkdtempSync(path.join(tmpdir(), prefix));
	const store = await openStore(path.join(dir, 'kpi.duckdb'));
	return {
		...store,
		dir,
		file(name, content) {
			const file = path.join(dir, name);
			writeFileSync(file, content);
			return file;
		},
		async snapshot(table, orderBy) {
			const { rows } =
				await sql`SELECT * FROM ${sql.table(table)} ORDER BY ${sql.raw(orderBy)}`.execute(store.db);
			return rows;
		},
		async dispose() {
			await store.close();
			rmSync(dir, { recursive: true, force: true });
		}
	};
}

/** A small Hà Tĩnh: the province, a department, a district with two communes until 30/06/2025,
 * and code 18100 reused from 01/07/2025 for a commune directly under the province. */
export const UNITS_CSV = `code,name,level,parent_code,valid_from,valid_to
42,Tỉnh Hà Tĩnh,province,,,
42-STP,Sở Tư pháp,department,42,,
443,Huyện Can Lộc,district,42,,2025-06-30
18100,Xã Thượng Lộc,commune,443,,2025-06-30
18101,Xã Mỹ Lộc,commune,443,,2025-06-30
18100,Xã Đồng Lộc,commune,42,2025-07-01,
`;

export const PROCEDURES_CSV = `code,name,level,field,online_level,has_fee,online_payment,unit_code,active
1.001193,Đăng ký khai sinh,commune,Hộ tịch,full,false,false,,true
2.000488,Cấp Phiếu lý lịch tư pháp,province,Lý lịch tư pháp,partial,true,true,42-STP,true
`;

/** A page's state from a query, as its load reads it; a refused value fails the test. */
export function urlState<S>(vocabulary: Vocabulary<S>, query: string | Record<string, string>): S {
	const parsed = parseParams(vocabulary, new URLSearchParams(query));
	if ('problem' in parsed) throw new Error(`refused: ${JSON.stringify(parsed.problem)}`);
	return parsed.state;
}

/** The view (period, campaign, comparison) of a query. */
export const viewState = (query = ''): ViewState => urlState(VIEW, query);
