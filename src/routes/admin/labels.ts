/** Words the administration pages share: role and audit-action names, refusals, timestamps. */
import type { Role } from '$lib/domain/types';
import { m } from '$lib/paraglide/messages';
import { problemText } from '$lib/problems';

export const roleNames: Record<Role, () => string> = {
	admin: m.role_admin,
	reform_team: m.role_reform_team,
	leader: m.role_leader,
	unit_head: m.role_unit_head
};

/** The actions the server writes (auth/users.ts, tokens.ts, login.ts); others show their code. */
const ACTION_NAMES: Record<string, () => string> = {
	'user.create': m.admin_action_user_create,
	'user.update': m.admin_action_user_update,
	'user.disable': m.admin_action_user_disable,
	'user.enable': m.admin_action_user_enable,
	'user.reset_password': m.admin_action_user_reset_password,
	'user.change_password': m.admin_action_user_change_password,
	'user.change_password_failure': m.admin_action_user_change_password_failure,
	'user.rename': m.admin_action_user_rename,
	'token.create': m.admin_action_token_create,
	'token.revoke': m.admin_action_token_revoke,
	'login.success': m.admin_action_login_success,
	'login.failure': m.admin_action_login_failure,
	'login.throttled': m.admin_action_login_throttled,
	logout: m.admin_action_logout,
	export: m.admin_action_export,
	report: m.admin_action_report,
	report_publish: m.admin_action_report_publish,
	report_download: m.admin_action_report_download
};

export function actionName(action: string): string {
	return ACTION_NAMES[action]?.() ?? action;
}

/** An account refusal (auth/admin.ts AdminProblem) in the page's language. */
export function adminProblemText(code: string): string {
	if (code === 'self') return m.admin_problem_self();
	if (code === 'unknown_token') return m.admin_problem_unknown_token();
	return problemText(code);
}

const DETAIL_KEYS: Record<string, () => string> = {
	username: m.admin_username,
	role: m.admin_role,
	unit_code: m.admin_unit_name,
	for: m.admin_token_owner,
	name: m.admin_token_label,
	// An export's and a report's (export/respond.ts, report/files.ts, report/publish.ts).
	unit: m.admin_unit_name,
	table: m.admin_detail_table,
	month: m.admin_detail_month,
	format: m.admin_detail_format,
	from: m.admin_detail_from,
	to: m.admin_detail_to,
	rows: m.admin_detail_rows,
	edition: m.admin_detail_edition,
	report: m.admin_detail_report,
	number: m.admin_detail_number
};

/**
 * An audit entry's detail (a JSON object, auth/users.ts `audit`) as `key: value · …` in the page's
 * words: a role by its name, a unit by its name from `unitNames` (code → name) with its code.
 */
export function detailText(detail: string | null, unitNames: Record<string, string> = {}): string {
	if (detail === null) return '';
	try {
		const parsed: unknown = JSON.parse(detail);
		if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return detail;
		return Object.entries(parsed)
			.map(
				([key, value]) => `${DETAIL_KEYS[key]?.() ?? key}: ${detailValue(key, value, unitNames)}`
			)
			.join(' · ');
	} catch {
		return detail;
	}
}

function detailValue(key: string, value: unknown, unitNames: Record<string, string>): string {
	if (key === 'role' && typeof value === 'string' && value in roleNames) {
		return roleNames[value as Role]();
	}
	if ((key === 'unit_code' || key === 'unit') && typeof value === 'string' && unitNames[value]) {
		return `${unitNames[value]} (${value})`;
	}
	return typeof value === 'string' ? value : JSON.stringify(value);
}
