/**
 * What the campaigns pages' form actions share: reading a form's fields one value each, and the
 * words of a refusal (domain/campaign-form.ts `CampaignProblem`) in the page's language.
 */
import {
	MAX_CAMPAIGN_NAME,
	type CampaignProblem,
	type UndoRefusal
} from '$lib/domain/campaign-form';
import type { Locale } from '$lib/domain/format';
import type { TargetLevel } from '$lib/domain/types';
import { m } from '$lib/paraglide/messages';

/** The one value of a field; null when it is missing, sent twice or not text. */
export const fieldOf = (form: FormData) => (name: string) => {
	const values = form.getAll(name);
	return values.length === 1 && typeof values[0] === 'string' ? values[0] : null;
};

export const LEVEL_NAMES: Record<TargetLevel, () => string> = {
	province: m.campaigns_level_province,
	district: m.campaigns_level_district,
	commune: m.campaigns_level_commune
};

/** A refusal in words, naming the field or the cell (its KPI by name). */
export function problemText(
	problem: CampaignProblem,
	kpiName: (id: string, locale: Locale) => string,
	locale: Locale
): string {
	switch (problem.field) {
		case 'name':
			return problem.kind === 'too_long'
				? m.campaigns_problem_name_too_long({ most: MAX_CAMPAIGN_NAME })
				: problem.kind === 'control'
					? m.campaigns_problem_name_control()
					: problem.kind === 'taken'
						? m.campaigns_problem_name_taken()
						: m.campaigns_problem_name_required();
		case 'starts_on':
			return m.campaigns_problem_starts_on();
		case 'ends_on':
			return problem.kind === 'before_start'
				? m.campaigns_problem_before_start()
				: m.campaigns_problem_ends_on();
		case 'unit':
			return m.campaigns_problem_unit();
		case 'copy':
			return m.campaigns_problem_copy();
		case 'cell':
			return m.campaigns_problem_cell({
				kpi: kpiName(problem.kpi, locale),
				level: LEVEL_NAMES[problem.level](),
				value: problem.value
			});
		case 'form':
			return problem.kind === 'import'
				? m.campaigns_problem_import({ reason: problem.message })
				: m.campaigns_problem_missing();
	}
}

/** Why an undo was refused, in words. */
export function undoReasonText(refusal: UndoRefusal): string {
	switch (refusal.reason) {
		case 'missing':
			return m.campaigns_undo_missing();
		case 'undone':
			return m.campaigns_undo_already();
		case 'blocked':
			return m.campaigns_undo_blocked({ batch: String(refusal.batch) });
		case 'forbidden':
			return m.campaigns_undo_forbidden();
		case 'other':
			return m.campaigns_undo_other();
	}
}
