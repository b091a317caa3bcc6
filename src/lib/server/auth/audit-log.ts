/**
 * The audit log as the administration pages read it: an admin reads every entry, a reform team
 * the entries of the accounts it manages (admin.ts), filtered by user, action and days, a page
 * at a time. Entries are written by users.ts `audit`; nothing here changes them.
 */
import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import { addDays } from '../../domain/dates';
import { isPeriodDay } from '../../domain/periods';
import type { Principal } from '../../domain/types';
import type { Database } from '../db/schema';
import { manageableAccounts, managerScope } from './admin';

export const AUDIT_PAGE_SIZE = 50;

export interface AuditFilter {
	username?: string;
	action?: string;
	/** Inclusive `YYYY-MM-DD` days, Vietnam local time as every timestamp. */
	from?: string;
	to?: string;
	/** From 1. */
	page: number;
}

export interface AuditEntry {
	id: number;
	loggedAt: string;
	username: string | null;
	action: string;
	detail: string | null;
	ip: string | null;
}

export interface AuditPage {
	entries: AuditEntry[];
	total: number;
	/** The page shown, within 1..pages. */
	page: number;
	pages: number;
	pageSize: number;
}

/**
 * The filter of `?user=&action=&from=&to=&page=`: an empty or malformed value (a hand-edited
 * URL; the form's date inputs send only real days) filters nothing.
 */
export function parseAuditFilter(params: URLSearchParams): AuditFilter {
	const text = (name: string) => params.get(name)?.trim() || undefined;
	const day = (name: string) => {
		const value = text(name);
		// Within the days a period may have: the day after 9999-12-31 cannot be written.
		return value !== undefined && isPeriodDay(value) ? value : undefined;
	};
	const page = Number(params.get('page'));
	return {
		username: text('user'),
		action: text('action'),
		from: day('from'),
		to: day('to'),
		page: Number.isSafeInteger(page) && page >= 1 ? page : 1
	};
}

type AuditCondition = (eb: ExpressionBuilder<Database, 'audit_log'>) => Expression<SqlBool>;

/** The entries a principal may read: everything for an admin, else those of managed accounts. */
async function auditVisibility(
	db: Kysely<Database>,
	principal: Principal
): Promise<AuditCondition> {
	const scope = await managerScope(db, principal);
	if (scope.all) return (eb) => eb.and([]);
	const accounts = (await manageableAccounts(db, principal)).map((a) => a.account);
	if (accounts.length === 0) return (eb) => eb.or([]);
	const ids = accounts.map((a) => a.id);
	const usernames = accounts.map((a) => a.username);
	return (eb) => eb.or([eb('user_id', 'in', ids), eb('username', 'in', usernames)]);
}

/** One page of the audit log the principal may read, newest first. */
export async function auditEntries(
	db: Kysely<Database>,
	principal: Principal,
	filter: AuditFilter,
	pageSize = AUDIT_PAGE_SIZE
): Promise<AuditPage> {
	const visible = await auditVisibility(db, principal);
	let query = db.selectFrom('audit_log').where(visible);
	if (filter.username !== undefined) query = query.where('username', '=', filter.username);
	if (filter.action !== undefined) query = query.where('action', '=', filter.action);
	if (filter.from !== undefined) query = query.where('logged_at', '>=', filter.from);
	if (filter.to !== undefined) query = query.where('logged_at', '<', addDays(filter.to, 1));
	const { total } = await query
		.select((eb) => eb.fn.countAll<number>().as('total'))
		.executeTakeFirstOrThrow();
	const pages = Math.max(1, Math.ceil(total / pageSize));
	const page = Math.min(filter.page, pages);
	const rows = await query
		.select(['id', 'logged_at', 'username', 'action', 'detail', 'ip'])
		.orderBy('logged_at', 'desc')
		.orderBy('id', 'desc')
		.limit(pageSize)
		.offset((page - 1) * pageSize)
		.execute();
	const entries = rows.map((row) => ({
		id: row.id,
		loggedAt: row.logged_at,
		username: row.username,
		action: row.action,
		detail: row.detail,
		ip: row.ip
	}));
	return { entries, total, page, pages, pageSize };
}

/** The actions present in the entries the principal may read, for the filter's choices. */
export async function auditActions(db: Kysely<Database>, principal: Principal): Promise<string[]> {
	const visible = await auditVisibility(db, principal);
	const rows = await db
		.selectFrom('audit_log')
		.where(visible)
		.select('action')
		.distinct()
		.orderBy('action')
		.execute();
	return rows.map((row) => row.action);
}
