/** Why an account request was refused (auth/users.ts AccountProblem), in the page's language. */
import { m } from '$lib/paraglide/messages';

const TEXTS: Record<string, () => string> = {
	username: m.problem_username,
	role: m.problem_role,
	password_short: m.problem_password_short,
	password_common: m.problem_password_common,
	password_control: m.problem_password_control,
	unit: m.problem_unit,
	taken: m.problem_taken,
	unknown_user: m.problem_unknown_user,
	disabled: m.problem_disabled,
	wrong_password: m.problem_wrong_password,
	throttled: m.problem_throttled,
	token_name: m.problem_token_name,
	mismatch: m.account_password_mismatch
};

export function problemText(code: string): string {
	return (TEXTS[code] ?? m.error_title)();
}
