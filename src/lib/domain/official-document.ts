/**
 * The rules of an administrative document's frame that are plain text (Decree 30/2020/NĐ-CP,
 * Appendix I, part I.2–I.4 and I.8–I.9): who issues it, the place name, the date line, who signs
 * and where it is sent, by default and as a unit sets them. Pure, so that the settings form shows
 * the defaults the printed report will use and checks what is sent with the server's rule.
 */
import { isIsoDate } from './dates';
import { foldText } from './search-text';
import type { UnitLevel } from './types';

export interface IssuingBody {
	/** The body directly above the issuer ("UBND TỈNH HÀ TĨNH"), or '' when there is none. */
	governingBody: string;
	/** The issuer ("SỞ NỘI VỤ"). */
	issuingBody: string;
}

/** Ủy ban nhân dân, abbreviated as Decree 30 allows for a body's name in the header. */
const PEOPLES_COMMITTEE = 'UBND';

const upper = (text: string) => text.trim().toLocaleUpperCase('vi');

/**
 * The header's issuing body by default, from the unit's name: a department issues under the
 * People's Committee of its province ("Sở Nội vụ" of "Tỉnh Hà Tĩnh" → "UBND TỈNH HÀ TĨNH" over
 * "SỞ NỘI VỤ"); a province, district or commune is an administrative unit whose own People's
 * Committee issues, with no governing body written above it ("Xã Can Lộc" → "UBND XÃ CAN LỘC"), as
 * Decree 30 lays out documents of a People's Committee at every level.
 */
export function defaultIssuingBody(
	unit: { name: string; level: UnitLevel },
	province: { name: string } | null
): IssuingBody {
	if (unit.level === 'department') {
		return {
			governingBody: province ? `${PEOPLES_COMMITTEE} ${upper(province.name)}` : '',
			issuingBody: upper(unit.name)
		};
	}
	return { governingBody: '', issuingBody: `${PEOPLES_COMMITTEE} ${upper(unit.name)}` };
}

/** The words naming a unit's kind, which the place name leaves out ("Tỉnh Hà Tĩnh" → "Hà Tĩnh"). */
const UNIT_KIND = /^(tỉnh|thành phố|huyện|thị xã|quận|xã|phường|thị trấn|đặc khu)\s+/iu;

/**
 * The place name of the date line: the locality where the issuer sits, without the word for its
 * kind, except where the name is a number ("Phường 12" stays whole: Decree 30, Appendix I, I.4.a,
 * names after a person, a number or an event are written in full).
 */
export function placeName(localityName: string): string {
	const name = localityName.trim();
	const rest = name.replace(UNIT_KIND, '');
	return rest === name || /^\d/.test(rest) ? name : rest;
}

/**
 * "Hà Tĩnh, ngày 05 tháng 11 năm 2026" from an ISO day. Decree 30, Appendix I, I.4.b: a day
 * below 10 and the months 1 and 2 take a leading zero (so "ngày 05 tháng 02", "ngày 10 tháng 3").
 */
export function dateLine(place: string, isoDay: string): string {
	if (!isIsoDate(isoDay)) throw new Error(`not a date (YYYY-MM-DD): ${JSON.stringify(isoDay)}`);
	const [year, month, day] = isoDay.split('-').map(Number);
	const dd = String(day).padStart(2, '0');
	const mm = month <= 2 ? String(month).padStart(2, '0') : String(month);
	return `${place.trim()}, ngày ${dd} tháng ${mm} năm ${year}`;
}

/**
 * Everything of a report's frame a unit may set (issue 13: "configurable per unit"): its issuing
 * body, the abbreviation its numbers carry ("SNV" in "15/BC-SNV"), the place of the date line,
 * who signs (the authority and title lines, e.g. "KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC", then the name),
 * and where the report is sent ("Nơi nhận"). Multi-line fields hold one line per line.
 */
export interface ReportHeader extends IssuingBody {
	abbreviation: string;
	place: string;
	signerTitle: string;
	signerName: string;
	recipients: string;
}

export const REPORT_HEADER_FIELDS = [
	'governingBody',
	'issuingBody',
	'abbreviation',
	'place',
	'signerTitle',
	'signerName',
	'recipients'
] as const satisfies readonly (keyof ReportHeader)[];

/** The longest line of any field, and the most lines of the multi-line ones. */
export const HEADER_LINE_MAX = 120;
const HEADER_LINES: Partial<Record<keyof ReportHeader, number>> = { signerTitle: 3, recipients: 8 };

/** Words an abbreviation leaves out ("Sở Văn hóa, Thể thao và Du lịch" → "SVHTTDL"). */
const SMALL_WORDS = new Set(['và', 'của']);

/**
 * The abbreviation of a body's name as numbers carry it: "UBND" for a People's Committee at any
 * level, else the initials of its words ("SỞ NỘI VỤ" → "SNV"), marks dropped, Đ kept as D.
 */
export function abbreviationOf(issuingBody: string): string {
	const name = issuingBody.trim();
	if (name.toLocaleUpperCase('vi').startsWith(PEOPLES_COMMITTEE)) return PEOPLES_COMMITTEE;
	return name
		.split(/[\s,;.()-]+/u)
		.filter((word) => word && !SMALL_WORDS.has(word.toLocaleLowerCase('vi')))
		.map((word) => foldText(word[0]))
		.join('')
		.toUpperCase()
		.replace(/[^A-Z0-9]/g, '')
		.slice(0, 20);
}

/**
 * A unit's frame when it has set none: the issuing body from its name (defaultIssuingBody), the
 * place from its province (or its own name), and the head who signs: a department's director
 * ("GIÁM ĐỐC" for a Sở, else "THỦ TRƯỞNG CƠ QUAN"), a People's Committee's chairman on its behalf
 * ("TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH"); the name left to write; kept in the archive ("Lưu: VT").
 */
export function defaultHeader(
	unit: { name: string; level: UnitLevel },
	province: { name: string } | null
): ReportHeader {
	const issuing = defaultIssuingBody(unit, province);
	const department = unit.level === 'department';
	return {
		...issuing,
		abbreviation: abbreviationOf(issuing.issuingBody),
		place: placeName(province?.name ?? unit.name),
		signerTitle: department
			? /^sở\s/iu.test(unit.name.trim())
				? 'GIÁM ĐỐC'
				: 'THỦ TRƯỞNG CƠ QUAN'
			: 'TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH',
		signerName: '',
		recipients: '- Lưu: VT.'
	};
}

/** The lines of a multi-line field, trimmed, empty ones dropped. */
export const headerLines = (text: string) =>
	text
		.split(/\r?\n/)
		.map((line) => line.trim())
		.filter(Boolean);

export type HeaderProblem =
	| { field: keyof ReportHeader; kind: 'required' | 'too_long' | 'control' | 'too_many_lines' }
	| { field: 'abbreviation'; kind: 'abbreviation' };

/**
 * What is wrong with a header a user sent, or null: the issuing body and the place are needed;
 * every line at most HEADER_LINE_MAX characters, with no control character (a line break only in
 * the multi-line fields, which have a most lines); the abbreviation letters, digits and `-`.
 */
export function headerProblem(header: ReportHeader): HeaderProblem | null {
	for (const field of REPORT_HEADER_FIELDS) {
		const value = header[field];
		const most = HEADER_LINES[field];
		const lines = most ? value.split(/\r?\n/) : [value];
		if ((field === 'issuingBody' || field === 'place') && !value.trim()) {
			return { field, kind: 'required' };
		}
		if (most && headerLines(value).length > most) return { field, kind: 'too_many_lines' };
		if (value.length > (most ?? 1) * (HEADER_LINE_MAX + 2)) return { field, kind: 'too_long' };
		for (const line of lines) {
			if (line.length > HEADER_LINE_MAX) return { field, kind: 'too_long' };
			if (/\p{Cc}/u.test(line.replace(/\r$/, ''))) return { field, kind: 'control' };
		}
	}
	if (!/^[A-Za-z0-9-]{0,20}$/.test(header.abbreviation.trim())) {
		return { field: 'abbreviation', kind: 'abbreviation' };
	}
	return null;
}
