/**
 * The body of a form post, read safely: `request.formData()` throws on a JSON body or a broken
 * multipart one, and an exception in a form action or endpoint is a 500. A body that is not a
 * form is the sender's mistake: 415 for another content type, 400 for a form that does not parse.
 */
import { error } from '@sveltejs/kit';

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

export function isFormContentType(request: Request): boolean {
	const type = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
	return FORM_TYPES.includes(type);
}

export async function readForm(request: Request): Promise<FormData> {
	if (!isFormContentType(request)) {
		error(415, 'Dữ liệu gửi lên phải là biểu mẫu (application/x-www-form-urlencoded).');
	}
	try {
		return await request.formData();
	} catch (cause) {
		// The server's body limit (adapter-node's BODY_SIZE_LIMIT) ends the read with its own 413.
		const status = (cause as { status?: unknown } | null)?.status;
		if (status === 413) error(413, 'Biểu mẫu gửi lên quá lớn.');
		error(400, 'Không đọc được biểu mẫu gửi lên.');
	}
}
