import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema';

/**
 * The indicators of the national service index (Decision 766/QĐ-TTg) our dossiers measure, as data
 * a reform team reads and edits (issue 16), seeded with the defaults. `ratio` names a ratio
 * of our vocabulary (domain/service-index.ts), never a condition. The defaults are written out
 * here, not imported: a shipped migration seeds the same rows whatever the code says later.
 *
 * The 12 points of online services are split 4/4/4 among 3.1, 3.2 and 3.3: no public source we
 * found gives the split (the seed articles name no index figure), so each says so.
 */
const DEFAULTS: [
	id: string,
	name: string,
	group: string,
	points: number,
	ratio: string,
	rule: 'linear' | 'threshold',
	threshold: number | null,
	source: string,
	assumption: string
][] = [
	[
		'1.4',
		'Tỷ lệ hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia',
		'transparency',
		6,
		'portal_sync_rate',
		'linear',
		null,
		'Quyết định 766/QĐ-TTg, nhóm Công khai, minh bạch; công thức theo mô tả công khai của Cổng DVCQG: số hồ sơ đồng bộ / số hồ sơ tiếp nhận trong kỳ, điểm = 6 × tỷ lệ.',
		'Hồ sơ được tính đã đồng bộ theo cột portal_synced của tệp nhập; mẫu số là mọi hồ sơ tiếp nhận trong kỳ.'
	],
	[
		'2.1',
		'Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn',
		'progress',
		20,
		'resolved_on_time_or_not_due',
		'linear',
		null,
		'Quyết định 766/QĐ-TTg, nhóm Tiến độ giải quyết; công thức theo mô tả công khai của Cổng DVCQG: (hồ sơ giải quyết đúng hạn + hồ sơ đang giải quyết chưa đến hạn) / (hồ sơ đã giải quyết + hồ sơ đang giải quyết), điểm = 20 × tỷ lệ.',
		'Hồ sơ có kết quả không có hạn xử lý được tính là đúng hạn. Hồ sơ đang giải quyết cuối kỳ: tiếp nhận đến hết ngày cuối kỳ, chưa có kết quả đến hết ngày đó, không bị trả lại hoặc rút; chưa đến hạn khi hạn xử lý sau ngày cuối kỳ.'
	],
	[
		'3.1',
		'Tỷ lệ TTHC cung cấp dịch vụ công trực tuyến',
		'online',
		4,
		'online_service_coverage',
		'threshold',
		0.8,
		'Quyết định 766/QĐ-TTg, nhóm Cung cấp dịch vụ trực tuyến; TTHC trực tuyến toàn trình hoặc một phần / TTHC đang thực hiện, đủ điểm từ 80%.',
		'Nguồn công khai không nêu cách chia 12 điểm nhóm dịch vụ trực tuyến cho 3.1, 3.2, 3.3: chia đều 4/4/4. Dưới 80%: điểm = 4 × tỷ lệ / 0,8. TTHC của đơn vị tính như chỉ số danh mục (TTHC của đơn vị trong cây và TTHC chung của cấp có trong cây).'
	],
	[
		'3.2',
		'Tỷ lệ dịch vụ công trực tuyến có phát sinh hồ sơ',
		'online',
		4,
		'online_procedures_used',
		'linear',
		null,
		'Quyết định 766/QĐ-TTg, nhóm Cung cấp dịch vụ trực tuyến; TTHC trực tuyến có ít nhất một hồ sơ nộp trực tuyến trong kỳ / TTHC trực tuyến.',
		'Chia đều 4/4/4 trong 12 điểm nhóm (nguồn công khai không nêu). TTHC trực tuyến là TTHC toàn trình hoặc một phần theo danh mục; hồ sơ trực tuyến là hồ sơ nộp trực tuyến tiếp nhận trong kỳ tại đơn vị trong cây.'
	],
	[
		'3.3',
		'Tỷ lệ hồ sơ nộp trực tuyến',
		'online',
		4,
		'online_submission_rate',
		'threshold',
		0.5,
		'Quyết định 766/QĐ-TTg, nhóm Cung cấp dịch vụ trực tuyến; hồ sơ nộp trực tuyến / hồ sơ của TTHC đủ điều kiện (toàn trình, một phần), đủ điểm từ 50%.',
		'Chia đều 4/4/4 trong 12 điểm nhóm (nguồn công khai không nêu). Cổng DVCQG còn nhân tỷ lệ với tỷ lệ đồng bộ; ở đây không nhân, vì đồng bộ đã được chấm ở chỉ số 1.4. Dưới 50%: điểm = 4 × tỷ lệ / 0,5.'
	],
	[
		'3.5',
		'Tỷ lệ TTHC có phí, lệ phí cho phép thanh toán trực tuyến',
		'payment',
		2,
		'payment_enabled_rate',
		'threshold',
		0.8,
		'Quyết định 766/QĐ-TTg, nhóm Thanh toán trực tuyến; TTHC có phí, lệ phí cho phép thanh toán trực tuyến / TTHC có phí, lệ phí, đủ điểm từ 80%.',
		'Dưới 80%: điểm = 2 × tỷ lệ / 0,8 (nguồn công khai chỉ nêu mức đủ điểm).'
	],
	[
		'3.5b',
		'Tỷ lệ TTHC có phí, lệ phí phát sinh thanh toán trực tuyến',
		'payment',
		2,
		'fee_procedures_paid_online',
		'linear',
		null,
		'Quyết định 766/QĐ-TTg, nhóm Thanh toán trực tuyến (phần thứ hai của chỉ số 3.5); TTHC có phí, lệ phí có ít nhất một hồ sơ thanh toán trực tuyến trong kỳ / TTHC có phí, lệ phí.',
		'Số hiệu 3.5b do hệ thống này đặt. Hồ sơ thanh toán trực tuyến là hồ sơ có phí tiếp nhận trong kỳ tại đơn vị trong cây và đã thanh toán trực tuyến.'
	],
	[
		'3.6',
		'Tỷ lệ hồ sơ thanh toán trực tuyến',
		'payment',
		6,
		'online_payment_rate',
		'linear',
		null,
		'Quyết định 766/QĐ-TTg, nhóm Thanh toán trực tuyến; hồ sơ có phí, lệ phí đã thanh toán trực tuyến / hồ sơ có phí, lệ phí, điểm = 6 × tỷ lệ.',
		'Theo ngày tiếp nhận, như chỉ số KPI Tỷ lệ thanh toán trực tuyến.'
	],
	[
		'4.1',
		'Tỷ lệ cấp kết quả giải quyết TTHC điện tử',
		'digitization',
		6,
		'result_digitization_rate',
		'linear',
		null,
		'Quyết định 766/QĐ-TTg, nhóm Số hóa hồ sơ; hồ sơ có kết quả điện tử / hồ sơ đã có kết quả, điểm = 6 × tỷ lệ.',
		'Theo ngày có kết quả, như chỉ số KPI Tỷ lệ số hóa kết quả.'
	],
	[
		'4.2',
		'Tỷ lệ số hóa thành phần hồ sơ',
		'digitization',
		4,
		'dossier_digitization_rate',
		'threshold',
		0.8,
		'Quyết định 766/QĐ-TTg, nhóm Số hóa hồ sơ; hồ sơ được số hóa thành phần / hồ sơ tiếp nhận, đủ điểm từ 80%.',
		'Dưới 80%: điểm = 4 × tỷ lệ / 0,8.'
	],
	[
		'4.3',
		'Tỷ lệ khai thác, sử dụng lại dữ liệu số hóa',
		'digitization',
		2,
		'data_reuse_rate',
		'threshold',
		0.8,
		'Quyết định 766/QĐ-TTg, nhóm Số hóa hồ sơ; hồ sơ khai thác, sử dụng lại dữ liệu đã số hóa / hồ sơ tiếp nhận, đủ điểm từ 80%.',
		'Dưới 80%: điểm = 2 × tỷ lệ / 0,8.'
	],
	[
		'5.4',
		'Mức độ hài lòng về kết quả giải quyết',
		'satisfaction',
		6,
		'satisfaction_rate',
		'threshold',
		0.9,
		'Quyết định 766/QĐ-TTg, nhóm Mức độ hài lòng; hồ sơ được đánh giá hài lòng / hồ sơ có đánh giá, đủ điểm từ 90%.',
		'Hồ sơ không có đánh giá không được tính. Dưới 90%: điểm = 6 × tỷ lệ / 0,9.'
	]
];

export async function up(db: Kysely<Database>): Promise<void> {
	await sql`
		CREATE TABLE index_indicators (
			id VARCHAR PRIMARY KEY,
			name VARCHAR NOT NULL,
			indicator_group VARCHAR NOT NULL,
			points DOUBLE NOT NULL,
			ratio VARCHAR NOT NULL,
			rule VARCHAR NOT NULL,
			threshold DOUBLE,
			source VARCHAR NOT NULL,
			assumption VARCHAR NOT NULL,
			position INTEGER NOT NULL,
			updated_at VARCHAR,
			updated_by VARCHAR
		);
	`.execute(db);
	for (const [position, row] of DEFAULTS.entries()) {
		const [id, name, group, points, ratio, rule, threshold, source, assumption] = row;
		await sql`INSERT INTO index_indicators (id, name, indicator_group, points, ratio, rule,
			threshold, source, assumption, position)
			VALUES (${id}, ${name}, ${group}, ${points}, ${ratio}, ${rule}, ${threshold}, ${source},
				${assumption}, ${position + 1})`.execute(db);
	}
}
