/**
 * The rules of an administrative document's header that are plain text (Decree 30/2020/NĐ-CP,
 * Appendix I, part I.2–I.4): who issues it, the place name, and the date line. Pure, so that a
 * settings form can show the defaults the printed report will use.
 */
import { isIsoDate } from './dates';
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
