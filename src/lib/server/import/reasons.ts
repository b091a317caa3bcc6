/**
 * A row error's reason in Vietnamese, for the upload page and its file of rejected rows (issue
 * 14). The importer's messages stay English (CONTRACT: the CLI and the API print them as they
 * are); this renders the ones a clerk meets, whole or by their opening words, and leaves any
 * other as written rather than guess.
 */
import { EXPECTED, VOCABULARY } from './sql';
import { REQUIRED } from './kinds/context';
import { PORTAL_MESSAGES } from './formats/portal';
import { AGENCY_CHARACTERS, AGENCY_TAKEN, AGENCY_TOO_LONG } from './kinds/units';
import { AGENCY_CODE_MAX } from '../units/agency';

const EXACT: [string, string][] = [
	[REQUIRED, 'ô bắt buộc bị bỏ trống'],
	[
		EXPECTED.timestamp,
		'không phải ngày giờ; cần dạng yyyy-mm-dd, yyyy-mm-ddThh:mm[:ss], dd/mm/yyyy [hh:mm[:ss]] hoặc yyyyMMddHHmmss'
	],
	[EXPECTED.date, 'không phải ngày; cần dạng yyyy-mm-dd hoặc dd/mm/yyyy'],
	[EXPECTED.boolean, 'không phải giá trị có/không; cần true/false, 1/0, x/để trống hoặc có/không'],
	[
		VOCABULARY.channel,
		'hình thức nộp không rõ; cần Trực tuyến, Trực tiếp hoặc Bưu chính (1, 2, 3)'
	],
	[
		VOCABULARY.status,
		'trạng thái không rõ; cần Đã tiếp nhận, Đang xử lý, Hoàn thành, Trả lại hoặc Rút hồ sơ'
	],
	[VOCABULARY.online_level, 'mức độ DVC không rõ; cần toàn trình, một phần hoặc không'],
	[VOCABULARY.rating, 'đánh giá không rõ; cần Hài lòng, Bình thường hoặc Không hài lòng'],
	[VOCABULARY.unit_level, 'cấp không rõ; cần tỉnh, sở ngành, huyện hoặc xã'],
	[VOCABULARY.target_level, 'cấp không rõ; cần tỉnh, huyện hoặc xã'],
	['completed before it was received', 'ngày có kết quả trước ngày tiếp nhận'],
	[
		'unknown procedure code; import the procedure catalogue first',
		'mã thủ tục không có trong danh mục; hãy tải danh mục thủ tục lên trước'
	],
	[
		'unknown unit code; import the units first',
		'mã đơn vị không có trong danh mục; hãy tải danh mục đơn vị lên trước'
	],
	['the campaign ends before it starts', 'chiến dịch kết thúc trước khi bắt đầu'],
	['ends before it starts (valid_from is later)', 'hết hiệu lực trước khi có hiệu lực'],
	['required except for a province', 'bắt buộc, trừ đơn vị cấp tỉnh'],
	['a province has no parent', 'đơn vị cấp tỉnh không có đơn vị cấp trên'],
	[
		AGENCY_TOO_LONG,
		`mã định danh dài quá ${AGENCY_CODE_MAX} ký tự; mã định danh có dạng 000.00.18.H28`
	],
	[
		AGENCY_CHARACTERS,
		'không phải mã định danh; chỉ gồm chữ số, chữ cái, dấu chấm và gạch ngang, dạng 000.00.18.H28'
	],
	[
		'not a target; expected a fraction from 0 to 1 (0.7) or a percentage (70%)',
		'không phải chỉ tiêu; cần số từ 0 đến 1 (0.7) hoặc phần trăm (70%)'
	],
	['no data rows under the header', 'không có dòng dữ liệu nào dưới dòng tiêu đề'],
	['the file has no rows', 'tệp không có dòng nào'],
	['the file is empty (0 bytes)', 'tệp rỗng (0 byte)'],
	[PORTAL_MESSAGES.notDossier, 'không phải một hồ sơ (đối tượng JSON)'],
	[PORTAL_MESSAGES.notList, 'không phải danh sách các đối tượng JSON'],
	[PORTAL_MESSAGES.notObject, 'không phải một đối tượng JSON'],
	[PORTAL_MESSAGES.flag, 'không phải 0 hoặc 1'],
	[PORTAL_MESSAGES.required, 'trường bắt buộc bị bỏ trống'],
	[PORTAL_MESSAGES.status, 'không phải mã TrangThaiHoSo; cần từ 1 đến 10'],
	[
		PORTAL_MESSAGES.resolvedUndated,
		'hồ sơ đã giải quyết (TrangThaiHoSo 9 hoặc 10) không có NgayKetThucXuLy lẫn NgayTra'
	],
	[PORTAL_MESSAGES.amount, 'không phải số tiền; cần chữ số, ví dụ 50000 hoặc 50.000'],
	[PORTAL_MESSAGES.noAgency, 'để trống, và MaHoSo không có phần mã định danh trước dấu "-"'],
	[
		PORTAL_MESSAGES.unknownAgencyOfCode,
		'để trống, và không đơn vị nào có mã định danh ở đầu MaHoSo vào ngày tiếp nhận hồ sơ; hãy tải danh mục đơn vị kèm mã định danh lên trước'
	],
	[
		PORTAL_MESSAGES.unknownAgency,
		'không đơn vị nào có mã định danh này vào ngày tiếp nhận hồ sơ; hãy tải danh mục đơn vị kèm mã định danh lên trước'
	],
	[PORTAL_MESSAGES.payload, 'tệp đồng bộ hồ sơ DongBoHoSoMC của Cổng Dịch vụ công quốc gia']
];

const exact = new Map(EXACT);

/** Messages with a variable part: an English pattern and its rendering. */
const PATTERNS: [RegExp, (...parts: string[]) => string][] = [
	[
		/^not a plausible date; expected from (\S+) to a day after the import$/,
		(from) => `ngày không hợp lý; cần từ ${from} đến một ngày sau lần tải lên`
	],
	[
		/^not a plausible date; expected from (\S+) to (\S+)(.*)$/,
		(from, to) => `ngày không hợp lý; cần từ ${from} đến ${to}`
	],
	[
		/^no version of this unit is valid on (\S+), the day the dossier was received$/,
		(day) => `đơn vị không có hiệu lực vào ngày ${day}, ngày tiếp nhận hồ sơ`
	],
	[
		/^the same (dossier|procedure) code is on row (\d+) with different content$/,
		(what, row) =>
			`mã ${what === 'dossier' ? 'hồ sơ' : 'thủ tục'} này đã có ở dòng ${row} với nội dung khác`
	],
	[
		/^the same campaign, unit, KPI and level is on row (\d+) with another target$/,
		(row) => `cùng chiến dịch, đơn vị, chỉ số và cấp đã có ở dòng ${row} với chỉ tiêu khác`
	],
	[
		new RegExp(`^${AGENCY_TAKEN}(.+)$`),
		(code) => `mã định danh này đã là của đơn vị ${code}, có hiệu lực trùng thời gian`
	],
	[/^unknown KPI; expected one of (.+)$/, (list) => `chỉ số không rõ; cần một trong ${list}`],
	[
		/^required column is missing \(accepted headers: (.+)\)$/,
		(list) => `thiếu cột bắt buộc (tên cột được nhận: ${list})`
	],
	[
		/^these headers all mean (\S+); keep one$/,
		(column) => `các cột này cùng là ${column}; giữ một cột`
	],
	[
		/^more cells than the header's (\d+) columns/,
		(n) => `nhiều ô hơn ${n} cột của dòng tiêu đề (đặt trong ngoặc kép giá trị có dấu phân cách)`
	],
	[
		/^no header row found in the first (\d+) rows.*; expected columns (.+)$/,
		(n, list) => `không tìm thấy dòng tiêu đề trong ${n} dòng đầu; cần các cột ${list}`
	],
	[
		/^this file changes (\d+) units? outside your scope, for example (.+?);/,
		(n, example) => `tệp thay đổi ${n} đơn vị ngoài phạm vi của bạn, ví dụ ${example}`
	],
	[
		/^the file is not UTF-8 text/,
		() => 'tệp không phải văn bản UTF-8; hãy lưu lại dạng "CSV UTF-8"'
	],
	// The notes of a file read (stage.ts, the readers), shown beside a check.
	[
		/^skipped (\d+) title rows above the header \(row (\d+)\)$/,
		(n, row) => `bỏ qua ${n} dòng tiêu đề phía trên dòng tiêu đề cột (dòng ${row})`
	],
	[/^ignored unknown columns: (.+)$/, (list) => `bỏ qua các cột không dùng: ${list}`],
	[
		/^left out (\d+) dossiers never received \(TrangThaiHoSo 1 or 3\): rows (.+)$/,
		(n, rows) => `bỏ qua ${n} hồ sơ chưa được tiếp nhận (TrangThaiHoSo 1 hoặc 3): dòng ${rows}`
	],
	[
		/^skipped (blank rows|total or footer rows|repeated header rows): rows? (.+)$/,
		(what, rows) => `bỏ qua ${SKIPPED[what] ?? what}: dòng ${rows}`
	]
];

const SKIPPED: Record<string, string> = {
	'blank rows': 'dòng trống',
	'total or footer rows': 'dòng tổng cộng hoặc chân trang',
	'repeated header rows': 'dòng tiêu đề lặp lại'
};

export function vietnameseReason(message: string): string {
	const whole = exact.get(message);
	if (whole) return whole;
	for (const [pattern, render] of PATTERNS) {
		const found = pattern.exec(message);
		if (found) return render(...found.slice(1));
	}
	return message;
}
