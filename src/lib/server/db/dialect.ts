/**
 * A Kysely dialect for DuckDB through `@duckdb/node-api`: a driver with a small pool of
 * connections on one `DuckDBInstance`, the Postgres query compiler (DuckDB takes `$1` placeholders)
 * and an introspector over `information_schema`. Written here rather than taken from
 * `kysely-duckdb`, which opens a connection per query and returns DECIMAL as objects.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type {
	DuckDBConnection,
	DuckDBInstance,
	DuckDBMaterializedResult,
	DuckDBPreparedStatement,
	DuckDBValue
} from '@duckdb/node-api';
import {
	CompiledQuery,
	DialectAdapterBase,
	PostgresQueryCompiler,
	sql,
	type DatabaseConnection,
	type DatabaseIntrospector,
	type DatabaseMetadata,
	type DatabaseMetadataOptions,
	type Dialect,
	type Driver,
	type Kysely,
	type QueryCompiler,
	type QueryResult,
	type SchemaMetadata,
	type TableMetadata
} from 'kysely';
import { toParameter, toRowValue, type RowValue } from './values';

type Row = Record<string, RowValue>;

/** Statement kinds whose result is a row count rather than rows (DuckDB's StatementType). */
const CHANGING_STATEMENTS = new Set([2, 3, 5]); // INSERT, UPDATE, DELETE

/**
 * Prepared statements a connection keeps, by their text, most recently used last. A page asks
 * the same dozen parametrised questions on every request; preparing and destroying each one
 * every time was a tenth of the server's time under load (issue 12, `bench:load`).
 */
const PREPARED_PER_CONNECTION = 64;

/** Statements that create, drop or alter a table or view: never kept prepared. */
const SCHEMA_CHANGE = /^\s*(CREATE|DROP|ALTER)\b/i;

/**
 * Tells whoever asks which DuckDB connection the statements of an async context run on: an import
 * reads the progress of its running statement from it (DuckDB's query progress) and interrupts
 * it when the server stops (import/progress.ts). Kysely hides the connection of a transaction;
 * this is the one way to it.
 */
export const connectionWatch = new AsyncLocalStorage<(connection: DuckDBConnection) => void>();

export class DuckDBKyselyConnection implements DatabaseConnection {
	#prepared = new Map<string, DuckDBPreparedStatement>();

	constructor(readonly duckdb: DuckDBConnection) {}

	async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
		const started = SLOW_QUERY_MS === null ? 0 : performance.now();
		connectionWatch.getStore()?.(this.duckdb);
		const parameters = query.parameters.map(toParameter);
		const result =
			parameters.length === 0
				? await this.duckdb.run(query.sql)
				: await this.#runPrepared(query.sql, parameters);
		if (SLOW_QUERY_MS !== null) logIfSlow(query.sql, performance.now() - started);
		return toQueryResult<R>(result, await result.convertRowObjects(toRowValue));
	}

	/**
	 * `sql` with `parameters` through the statement kept for its text. A statement that fails is
	 * dropped, so that a statement left in doubt is never run again; a text DuckDB cannot prepare
	 * alone (several statements) runs as before, unkept.
	 */
	async #runPrepared(sql: string, parameters: DuckDBValue[]): Promise<DuckDBMaterializedResult> {
		// A kept `CREATE … AS SELECT`, run again once its table was dropped, makes a table that
		// later statements cannot bind to in a join ("Referenced table "a" not found": DuckDB 1.5).
		// Statements that change the schema are not the hot questions this cache is for.
		if (SCHEMA_CHANGE.test(sql)) return this.duckdb.run(sql, parameters);
		let statement = this.#prepared.get(sql);
		if (statement) this.#prepared.delete(sql);
		else {
			try {
				statement = await this.duckdb.prepare(sql);
			} catch {
				return this.duckdb.run(sql, parameters);
			}
		}
		try {
			statement.bind(parameters);
			const result = await statement.run();
			this.#keep(sql, statement);
			return result;
		} catch (error) {
			statement.destroySync();
			throw error;
		}
	}

	#keep(sql: string, statement: DuckDBPreparedStatement): void {
		this.#prepared.set(sql, statement);
		if (this.#prepared.size <= PREPARED_PER_CONNECTION) return;
		const [oldest, dropped] = this.#prepared.entries().next().value!;
		this.#prepared.delete(oldest);
		dropped.destroySync();
	}

	/** Destroys the kept statements (before the connection closes). */
	forgetPrepared(): void {
		for (const statement of this.#prepared.values()) statement.destroySync();
		this.#prepared.clear();
	}

	async *streamQuery<R>(
		query: CompiledQuery,
		chunkSize = 2048
	): AsyncIterableIterator<QueryResult<R>> {
		const result = await this.duckdb.stream(query.sql, query.parameters.map(toParameter));
		let rows: Row[] = [];
		for (;;) {
			const chunk = await result.fetchChunk();
			if (!chunk || chunk.rowCount === 0) break;
			const names = result.deduplicatedColumnNames();
			const types = result.columnTypes();
			for (const values of chunk.getRows()) {
				const row: Row = {};
				values.forEach((v, i) => (row[names[i]] = toRowValue(v, types[i], toRowValue)));
				rows.push(row);
			}
			if (rows.length >= chunkSize) {
				yield { rows: rows as R[] };
				rows = [];
			}
		}
		if (rows.length > 0) yield { rows: rows as R[] };
	}
}

/** `KPI_SLOW_QUERY_MS=50` prints every statement slower than that to stderr: for profiling. */
const SLOW_QUERY_MS = process.env.KPI_SLOW_QUERY_MS ? Number(process.env.KPI_SLOW_QUERY_MS) : null;

function logIfSlow(text: string, ms: number): void {
	if (ms >= (SLOW_QUERY_MS ?? Infinity)) {
		console.error(`[slow query ${Math.round(ms)} ms] ${text.replace(/\s+/g, ' ').slice(0, 160)}`);
	}
}

function toQueryResult<R>(result: DuckDBMaterializedResult, rows: Row[]): QueryResult<R> {
	if (CHANGING_STATEMENTS.has(result.statementType) && result.returnType === 1) {
		// CHANGED_ROWS: DuckDB returns one row with the count instead of the rows themselves.
		return { rows: [], numAffectedRows: BigInt(result.rowsChanged) };
	}
	return { rows: rows as R[] };
}

/** Idle connections are kept for reuse; DuckDB connections are cheap but not free to open. */
class DuckDBDriver implements Driver {
	#idle: DuckDBKyselyConnection[] = [];
	#all = new Set<DuckDBKyselyConnection>();

	constructor(private readonly instance: DuckDBInstance) {}

	async init(): Promise<void> {}

	async acquireConnection(): Promise<DatabaseConnection> {
		const reused = this.#idle.pop();
		if (reused) return reused;
		const connection = new DuckDBKyselyConnection(await this.instance.connect());
		this.#all.add(connection);
		return connection;
	}

	async beginTransaction(connection: DatabaseConnection): Promise<void> {
		await connection.executeQuery(CompiledQuery.raw('BEGIN TRANSACTION'));
	}

	async commitTransaction(connection: DatabaseConnection): Promise<void> {
		await connection.executeQuery(CompiledQuery.raw('COMMIT'));
	}

	async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
		await connection.executeQuery(CompiledQuery.raw('ROLLBACK'));
	}

	async releaseConnection(connection: DatabaseConnection): Promise<void> {
		this.#idle.push(connection as DuckDBKyselyConnection);
	}

	async destroy(): Promise<void> {
		for (const connection of this.#all) {
			connection.forgetPrepared();
			connection.duckdb.closeSync();
		}
		this.#all.clear();
		this.#idle = [];
	}
}

class DuckDBAdapter extends DialectAdapterBase {
	override get supportsTransactionalDdl(): boolean {
		return true;
	}

	override get supportsReturning(): boolean {
		return true;
	}

	// DuckDB's file lock already admits a single writing process; within it, migrations run once at open.
	async acquireMigrationLock(): Promise<void> {}
	async releaseMigrationLock(): Promise<void> {}
}

class DuckDBIntrospector implements DatabaseIntrospector {
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely's introspector contract
	constructor(private readonly db: Kysely<any>) {}

	async getSchemas(): Promise<SchemaMetadata[]> {
		const { rows } = await sql<{
			name: string;
		}>`SELECT DISTINCT schema_name AS name FROM information_schema.schemata`.execute(this.db);
		return rows;
	}

	async getTables(options: DatabaseMetadataOptions = { withInternalKyselyTables: false }) {
		const { rows } = await sql<{
			table_schema: string;
			table_name: string;
			table_type: string;
			column_name: string;
			data_type: string;
			is_nullable: string;
			column_default: string | null;
		}>`SELECT t.table_schema, t.table_name, t.table_type, c.column_name, c.data_type,
				c.is_nullable, c.column_default
			FROM information_schema.tables t
			JOIN information_schema.columns c USING (table_catalog, table_schema, table_name)
			WHERE t.table_catalog = current_database() AND t.table_schema = current_schema()
			ORDER BY t.table_name, c.ordinal_position`.execute(this.db);
		const tables = new Map<string, TableMetadata>();
		for (const row of rows) {
			if (!options.withInternalKyselyTables && row.table_name.startsWith('kysely_')) continue;
			let table = tables.get(row.table_name);
			if (!table) {
				table = {
					name: row.table_name,
					schema: row.table_schema,
					isView: row.table_type === 'VIEW',
					columns: []
				};
				tables.set(row.table_name, table);
			}
			table.columns.push({
				name: row.column_name,
				dataType: row.data_type,
				isNullable: row.is_nullable === 'YES',
				isAutoIncrementing: (row.column_default ?? '').startsWith('nextval('),
				hasDefaultValue: row.column_default !== null
			});
		}
		return [...tables.values()];
	}

	async getMetadata(options?: DatabaseMetadataOptions): Promise<DatabaseMetadata> {
		return { tables: await this.getTables(options) };
	}
}

export class DuckDBDialect implements Dialect {
	constructor(private readonly instance: DuckDBInstance) {}

	createDriver(): Driver {
		return new DuckDBDriver(this.instance);
	}

	createQueryCompiler(): QueryCompiler {
		return new PostgresQueryCompiler();
	}

	createAdapter(): DuckDBAdapter {
		return new DuckDBAdapter();
	}

	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely's dialect contract
	createIntrospector(db: Kysely<any>): DatabaseIntrospector {
		return new DuckDBIntrospector(db);
	}
}
