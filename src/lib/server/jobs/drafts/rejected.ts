/**
 * The file of every rejected row of a draft's last check, beside its stored upload: written by
 * the check, downloaded from the page, removed with the draft.
 */
import { createWriteStream, existsSync } from 'node:fs';
import { once } from 'node:events';
import type { Kysely } from 'kysely';
import type { Database } from '../../db';
import type { Failure } from '../../import/checks';
import { vietnameseReason } from '../../import/reasons';
import type { Uploader } from '../jobs';
import { ownDraft } from './draft';

/** The file of every rejected row of a draft's last check, beside its stored upload. */
export const rejectedFileOf = (stored: string) => `${stored}.rejected.csv`;

/**
 * The file of every rejected row of a check: UTF-8 with a byte-order mark (Excel reads it as
 * Vietnamese), CRLF, RFC 4180 quoting, every cell formula-safe (export/table.ts); a line per
 * error: row, column, value, reason in Vietnamese, then the row's cells as written.
 */
export class RejectedRows {
	#stream: ReturnType<typeof createWriteStream> | null = null;
	constructor(readonly file: string) {}

	async open(headers: string[]): Promise<void> {
		this.#stream = createWriteStream(this.file, { flags: 'w', mode: 0o600, encoding: 'utf8' });
		await this.#line(['Dòng', 'Cột', 'Giá trị', 'Lý do', ...headers], '\uFEFF');
	}

	async write(page: Failure[], columns: string[]): Promise<void> {
		for (const f of page) {
			await this.#line([
				f.row === null ? '' : String(f.row),
				f.column ?? '',
				f.value ?? '',
				vietnameseReason(f.message),
				...columns.map((c) => f.cells[c] ?? '')
			]);
		}
	}

	async #line(cells: string[], prefix = ''): Promise<void> {
		const text = prefix + cells.map(csvCell).join(',') + '\r\n';
		if (!this.#stream!.write(text)) await once(this.#stream!, 'drain');
	}

	async close(): Promise<void> {
		const stream = this.#stream;
		this.#stream = null;
		if (stream) await new Promise<void>((resolve) => stream.end(resolve));
	}
}

/**
 * A cell of the rejected-rows file: formula-safe as the exports write theirs (export/table.ts,
 * OWASP "CSV injection": a leading apostrophe before `=`, `+`, `-`, `@`, tab, carriage return),
 * quoted as RFC 4180 when it holds a quote, a comma or a line break.
 */
function csvCell(text: string): string {
	const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
	return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The rejected-rows file of a draft the viewer may see, when its last check had errors. */
export async function rejectedRowsFile(
	db: Kysely<Database>,
	viewer: Uploader,
	id: number
): Promise<{ file: string; name: string } | null> {
	const draft = await ownDraft(db, viewer, id);
	if (!draft || draft.check_status !== 'errors' || !draft.stored_file) return null;
	const file = rejectedFileOf(draft.stored_file);
	if (!existsSync(file)) return null;
	const base = draft.file_name.replace(/\.[^.]*$/, '');
	return { file, name: `${base}-dong-bi-loai.csv` };
}
