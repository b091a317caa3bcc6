/** Why a request was refused (an account problem, a period problem), in the page's language. */
import { isIsoDate } from '$lib/domain/dates';
import { formatDate } from '$lib/domain/format';
import {
	MAX_PERIOD_YEARS,
	PERIOD_FIRST_DAY,
	PERIOD_LAST_DAY,
	type PeriodProblem
} from '$lib/domain/periods';
import { MAX_PARAM_LENGTH, type ParamProblem, type UrlProblem } from '$lib/domain/url-params';
import { m } from '$lib/paraglide/messages';

const TEXTS: Record<string, () => string> = {
	username: m.problem_username,
	role: m.problem_role,
	password_short: m.problem_password_short,
	password_common: m.problem_password_common,
	password_control: m.problem_password_control,
	password_long: m.problem_password_long,
	unit: m.problem_unit,
	taken: m.problem_taken,
	unknown_user: m.problem_unknown_user,
	disabled: m.problem_disabled,
	wrong_password: m.problem_wrong_password,
	throttled: m.problem_throttled,
	token_name: m.problem_token_name,
	mismatch: m.account_password_mismatch
};

/** Why an account request was refused (auth/users.ts AccountProblem). */
export function problemText(code: string): string {
	return (TEXTS[code] ?? m.error_title)();
}

const PARAM_TEXTS: Record<string, (inputs: { value: string }) => string> = {
	kpi: m.param_kpi,
	sort: m.param_sort,
	dir: m.param_dir,
	page: m.param_page,
	list: m.param_kind,
	received: m.param_late_received,
	by: m.param_late_by,
	unit: m.param_unit,
	vs: m.param_vs
};

/** Why a page parameter was refused (domain/url-params.ts ParamProblem), in the page's language. */
export function paramProblemText(problem: ParamProblem): string {
	const { name, value } = problem;
	if (problem.tooLong) return m.param_too_long({ name, max: MAX_PARAM_LENGTH });
	if (name === 'campaign') return m.unknown_campaign();
	return PARAM_TEXTS[name]?.({ value }) ?? m.param_other({ name, value });
}

/** Why a dashboard URL was refused, in the page's language: never the server's English. */
export function urlProblemText(problem: UrlProblem): string {
	if (problem.kind === 'param') return paramProblemText(problem);
	if (problem.kind === 'unit_period') return m.unit_period();
	return periodProblemText(problem);
}

/** Why a period was refused (domain/periods.ts PeriodProblem), in the page's language. */
export function periodProblemText(problem: PeriodProblem): string {
	// A value the problem echoes is shown as typed when it is no date (the text is what was wrong).
	const date = (value: string) => (isIsoDate(value) ? formatDate(value) : value);
	switch (problem.kind) {
		case 'missing':
			return m.period_missing();
		case 'not_a_date':
			return m.period_not_a_date({ value: problem.value });
		case 'out_of_range':
			return m.period_out_of_range({
				value: date(problem.value),
				first: formatDate(PERIOD_FIRST_DAY),
				last: formatDate(PERIOD_LAST_DAY)
			});
		case 'reversed':
			return m.period_reversed({ from: date(problem.from), to: date(problem.to) });
		case 'too_long':
			return m.period_too_long({
				years: MAX_PERIOD_YEARS,
				from: date(problem.from),
				to: date(problem.to)
			});
		case 'picker':
			return m.period_picker();
		case 'unknown_campaign':
			return m.unknown_campaign();
	}
}
