/**
 * The national service index of Decision 766/QĐ-TTg (23/6/2022) as far as our dossier logs measure
 * it (issue 16): the vocabulary a definition is made of, the indicators the index has that we do
 * not measure, and the check an edited definition must pass. Shared by the server (which stores
 * and scores the definitions, kpi/service-index.ts) and a page that edits them. No I/O here.
 */
import { KPI_IDS, type KpiId } from './kpi-ids';
import type { UnitLevel } from './types';

/**
 * The groups as the portal shows them: the decision's "online services" (22 points) appears there
 * as online services (12) and online payment (10). `points` is the decision's maximum of the
 * group, measured here or not.
 */
export const INDEX_GROUPS = [
	{ id: 'transparency', points: 18, name: { vi: 'Công khai, minh bạch', en: 'Transparency' } },
	{ id: 'progress', points: 20, name: { vi: 'Tiến độ giải quyết', en: 'Progress and results' } },
	{ id: 'online', points: 12, name: { vi: 'Dịch vụ công trực tuyến', en: 'Online services' } },
	{ id: 'payment', points: 10, name: { vi: 'Thanh toán trực tuyến', en: 'Online payment' } },
	{ id: 'digitization', points: 22, name: { vi: 'Số hóa hồ sơ', en: 'Digitization' } },
	{ id: 'satisfaction', points: 18, name: { vi: 'Mức độ hài lòng', en: 'Satisfaction' } }
] as const;

export type IndexGroup = (typeof INDEX_GROUPS)[number]['id'];
export const INDEX_GROUP_IDS = INDEX_GROUPS.map((g) => g.id) as IndexGroup[];

export const INDEX_RULES = ['linear', 'threshold'] as const;
/** linear: points × ratio; threshold t: full points at ratio ≥ t, else points × ratio / t. */
export type IndexRule = (typeof INDEX_RULES)[number];

/**
 * The ratios only the index needs (kpi/index-ratios.ts computes them): 2.1's on-time share with
 * the dossiers still open at the period's end, 3.2's online procedures in use, 3.5b's fee
 * procedures with a dossier paid online.
 */
export const OWN_RATIO_IDS = [
	'resolved_on_time_or_not_due',
	'online_procedures_used',
	'fee_procedures_paid_online'
] as const;
export type OwnRatioId = (typeof OWN_RATIO_IDS)[number];

/**
 * What an indicator's ratio may be: a KPI of the engine or one of the index's own ratios. A
 * definition names one of these, never a condition: no text of a definition reaches SQL.
 */
export type IndexRatio = KpiId | OwnRatioId;
export const INDEX_RATIOS: readonly IndexRatio[] = [...KPI_IDS, ...OWN_RATIO_IDS];

export const isIndexRatio = (text: string): text is IndexRatio =>
	(INDEX_RATIOS as readonly string[]).includes(text);

/** What a ratio counts: "how many more" is in dossiers or in procedures. */
export function ratioCounts(ratio: IndexRatio): 'dossiers' | 'procedures' {
	return ratio === 'online_service_coverage' ||
		ratio === 'full_process_coverage' ||
		ratio === 'payment_enabled_rate' ||
		ratio === 'online_procedures_used' ||
		ratio === 'fee_procedures_paid_online'
		? 'procedures'
		: 'dossiers';
}

/** The index's own ratios in words (the KPIs have theirs in kpi/definitions.ts). */
export const OWN_RATIO_TEXT: Record<OwnRatioId, { vi: string; en: string }> = {
	resolved_on_time_or_not_due: {
		vi: '(Hồ sơ có kết quả trong kỳ đúng hạn + hồ sơ đang giải quyết cuối kỳ chưa đến hạn) / (hồ sơ có kết quả trong kỳ + hồ sơ đang giải quyết cuối kỳ)',
		en: '(Dossiers completed in the period on time + dossiers open at its end and not yet due) / (dossiers completed in the period + dossiers open at its end)'
	},
	online_procedures_used: {
		vi: 'TTHC trực tuyến (toàn trình, một phần) có ít nhất một hồ sơ nộp trực tuyến trong kỳ / TTHC trực tuyến',
		en: 'Online procedures (full or partial) with at least one dossier filed online in the period / online procedures'
	},
	fee_procedures_paid_online: {
		vi: 'TTHC có phí, lệ phí có ít nhất một hồ sơ thanh toán trực tuyến trong kỳ / TTHC có phí, lệ phí',
		en: 'Fee procedures with at least one dossier paid online in the period / fee procedures'
	}
};

/** An indicator as stored (table `index_indicators`, migration 13) and edited. */
export interface IndexIndicator {
	/** The decision's number, `1.4`; `3.5b` is our name for 3.5's second half. */
	id: string;
	name: string;
	group: IndexGroup;
	points: number;
	/** The ratio scored, from our vocabulary. */
	ratio: IndexRatio;
	rule: IndexRule;
	/** The ratio that earns full points (0 < t ≤ 1) under `threshold`; null under `linear`. */
	threshold: number | null;
	/** Where the formula comes from, for the reform team (Vietnamese). */
	source: string;
	/** What we assumed where the public sources are silent (Vietnamese). */
	assumption: string;
	position: number;
	updated_at: string | null;
	updated_by: string | null;
}

/** The fields an edit may change. */
export type IndicatorEdit = Pick<
	IndexIndicator,
	'name' | 'group' | 'points' | 'ratio' | 'rule' | 'threshold' | 'source' | 'assumption'
>;

/**
 * The indicators of the decision we cannot compute from the dossier logs, with their points: the
 * score says out of how many points it is measured. Where the public descriptions give only a
 * group's total, the split between its indicators is ours (`assumed`).
 */
export const NOT_MEASURED: readonly {
	id: string;
	group: IndexGroup;
	points: number;
	name: string;
	why: string;
	assumed: boolean;
}[] = [
	{
		id: '1.1',
		group: 'transparency',
		points: 4,
		name: 'Công bố, công khai TTHC đúng hạn',
		why: 'Cần ngày ban hành và ngày công bố quyết định công bố TTHC; không có trong nhật ký hồ sơ.',
		assumed: true
	},
	{
		id: '1.2',
		group: 'transparency',
		points: 4,
		name: 'Công khai TTHC trên Cổng Dịch vụ công',
		why: 'Cần dữ liệu công khai trên Cổng DVCQG; không có trong nhật ký hồ sơ.',
		assumed: true
	},
	{
		id: '1.3',
		group: 'transparency',
		points: 4,
		name: 'Công khai tiến độ giải quyết hồ sơ',
		why: 'Cần dữ liệu tra cứu, thông báo tiến độ cho người dân; không có trong nhật ký hồ sơ.',
		assumed: true
	},
	{
		id: '4.4',
		group: 'digitization',
		points: 4,
		name: 'Kho quản lý dữ liệu điện tử của cá nhân, tổ chức',
		why: 'Cần dữ liệu kho dữ liệu cá nhân trên Cổng DVCQG; không nhập vào hệ thống này.',
		assumed: true
	},
	{
		id: '4.5',
		group: 'digitization',
		points: 4,
		name: 'Khai thác dữ liệu dân cư',
		why: 'Cần dữ liệu kết nối Cơ sở dữ liệu quốc gia về dân cư; không nhập vào hệ thống này.',
		assumed: true
	},
	{
		id: '4.6',
		group: 'digitization',
		points: 2,
		name: 'Chứng thực bản sao điện tử từ bản chính',
		why: 'Cần số liệu chứng thực điện tử; không có trong nhật ký hồ sơ.',
		assumed: true
	},
	{
		id: '5.1',
		group: 'satisfaction',
		points: 4,
		name: 'Tiếp nhận, xử lý phản ánh, kiến nghị',
		why: 'Cần dữ liệu phản ánh, kiến nghị; không nhập vào hệ thống này.',
		assumed: true
	},
	{
		id: '5.2',
		group: 'satisfaction',
		points: 4,
		name: 'Thời gian xử lý phản ánh, kiến nghị',
		why: 'Cần dữ liệu phản ánh, kiến nghị; không nhập vào hệ thống này.',
		assumed: true
	},
	{
		id: '5.3',
		group: 'satisfaction',
		points: 4,
		name: 'Công khai kết quả xử lý phản ánh, kiến nghị',
		why: 'Cần dữ liệu phản ánh, kiến nghị; không nhập vào hệ thống này.',
		assumed: true
	}
];

export const MAX_INDICATOR_POINTS = 100;
export const MAX_INDICATOR_NAME = 200;
/** A source or an assumption: a paragraph, not a document. */
export const MAX_INDICATOR_TEXT = 2000;

export type IndicatorProblem = {
	field: keyof IndicatorEdit;
	kind: 'type' | 'range' | 'vocabulary' | 'required' | 'too_long' | 'control';
};

// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
/** Marks that hide or reorder text (as campaign-form.ts refuses in a name). */
const HIDDEN = /[\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

/**
 * The first problem of an edit, or null. Texts are checked as given (the caller trims): a name on
 * one line, a source or assumption of a few lines (line breaks and tabs allowed).
 */
export function indicatorProblem(edit: IndicatorEdit): IndicatorProblem | null {
	const texts = [
		['name', edit.name, MAX_INDICATOR_NAME, true],
		['source', edit.source, MAX_INDICATOR_TEXT, false],
		['assumption', edit.assumption, MAX_INDICATOR_TEXT, false]
	] as const;
	for (const [field, text, max, oneLine] of texts) {
		if (typeof text !== 'string') return { field, kind: 'type' };
		if (field === 'name' && text.trim() === '') return { field, kind: 'required' };
		if ([...text].length > max) return { field, kind: 'too_long' };
		if (CONTROL.test(text) || HIDDEN.test(text) || (oneLine && /[\n\t]/.test(text)))
			return { field, kind: 'control' };
	}
	if (typeof edit.group !== 'string' || !(INDEX_GROUP_IDS as string[]).includes(edit.group))
		return { field: 'group', kind: 'vocabulary' };
	if (typeof edit.ratio !== 'string' || !isIndexRatio(edit.ratio))
		return { field: 'ratio', kind: 'vocabulary' };
	if (typeof edit.rule !== 'string' || !(INDEX_RULES as readonly string[]).includes(edit.rule))
		return { field: 'rule', kind: 'vocabulary' };
	if (typeof edit.points !== 'number' || !Number.isFinite(edit.points))
		return { field: 'points', kind: 'type' };
	if (edit.points < 0 || edit.points > MAX_INDICATOR_POINTS)
		return { field: 'points', kind: 'range' };
	if (edit.rule === 'linear') {
		// A threshold under the linear rule would be stored and never read: refused, not dropped.
		if (edit.threshold !== null && edit.threshold !== undefined)
			return { field: 'threshold', kind: 'range' };
	} else {
		if (typeof edit.threshold !== 'number' || !Number.isFinite(edit.threshold))
			return { field: 'threshold', kind: 'type' };
		if (!(edit.threshold > 0 && edit.threshold <= 1)) return { field: 'threshold', kind: 'range' };
	}
	return null;
}

/**
 * A ranking's children as every ranking prints them (the scorecard, the monthly report): a group
 * per level, in the order the levels first come (the engine never ranks across levels), each
 * ranked best first, the unranked last, ties by name.
 */
export function rankedByLevel<
	T extends { unit: { level: UnitLevel; name: string }; rank: number | null }
>(children: readonly T[]): { level: UnitLevel; children: T[] }[] {
	const levels = [...new Set(children.map((c) => c.unit.level))];
	return levels.map((level) => ({
		level,
		children: children
			.filter((c) => c.unit.level === level)
			.sort(
				(a, b) =>
					(a.rank ?? Infinity) - (b.rank ?? Infinity) ||
					a.unit.name.localeCompare(b.unit.name, 'vi')
			)
	}));
}
