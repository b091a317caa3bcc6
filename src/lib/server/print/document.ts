/**
 * The frame of an administrative document as Decree 30/2020/NĐ-CP lays it out (Appendix I): the
 * header with the issuing body and the national name side by side, the number and the date line,
 * the document type and its subject, then the body; on A4 with the decree's margins, set in
 * Tinos (Times New Roman's metrics, with Vietnamese) and numbered at the top from page 2. Every
 * text value is escaped (unit names come from imported files); `bodyHtml` is HTML the caller
 * built, escaping its own text with `escapeHtml`.
 */
import { escapeHtml } from '../../domain/html';
import { PRINT_FONT_FAMILY, tinosFontFaces } from './fonts';

export interface OfficialDocument {
	/** The body directly above the issuer, '' for none (domain/official-document.ts). */
	governingBody: string;
	issuingBody: string;
	/** What follows "Số: ", e.g. "15/BC-SNV", or "   /BC-SNV" left to fill at signing. */
	number: string;
	/** The whole date line, "Hà Tĩnh, ngày 05 tháng 11 năm 2026" (`dateLine`). */
	dateLine: string;
	/** The document type, "BÁO CÁO". */
	title: string;
	/** Its subject (trích yếu), one or more lines. */
	subject: string;
	bodyHtml: string;
	/**
	 * The signature block after the body (Appendix I, I.8–I.9): "Nơi nhận" and its lines on the
	 * left; on the right the authority and title lines, room to sign, and the signer's name.
	 */
	signature?: { recipients: string[]; authority: string[]; name: string };
}

const NATIONAL_NAME = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM';
const MOTTO = 'Độc lập - Tự do - Hạnh phúc';

/**
 * Appendix I, II: margins top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm (the smallest,
 * for the most text per page); body 13–14 pt; the page number 13–14 pt, centred in the top
 * margin, not on the first page.
 */
const STYLE = `
@page {
	size: A4;
	margin: 20mm 15mm 20mm 30mm;
	@top-center {
		content: counter(page);
		font-family: '${PRINT_FONT_FAMILY}', serif;
		font-size: 13pt;
	}
}
@page :first {
	@top-center { content: none; }
}
html { font-family: '${PRINT_FONT_FAMILY}', serif; font-size: 13pt; line-height: 1.3; color: #000; }
body { margin: 0; }
.header { width: 100%; border-collapse: collapse; table-layout: fixed; margin-bottom: 6pt; }
.header td { vertical-align: top; text-align: center; padding: 0; }
.header .issuer { width: 38%; }
.caps { font-size: 12pt; margin: 0; }
.issuing-body, .national-name, .motto, .title, .subject { font-weight: bold; }
.motto { font-size: 13pt; margin: 0; }
.ruled { display: inline-block; border-bottom: 0.75pt solid #000; padding-bottom: 1pt; }
.short-rule { width: 33%; margin: 2pt auto 0; border: 0; border-top: 0.75pt solid #000; }
.number { margin: 6pt 0 0; }
.blank-kept { white-space: pre; }
.date-line { margin: 6pt 0 0; font-style: italic; }
.title { text-align: center; margin: 18pt 0 0; font-size: 13pt; }
.subject { text-align: center; margin: 0 0 12pt; white-space: pre-line; }
.body p { text-indent: 1cm; text-align: justify; margin: 0 0 6pt; }
.body table { width: 100%; border-collapse: collapse; margin: 6pt 0; font-size: 12pt; }
.body th, .body td { border: 0.75pt solid #000; padding: 2pt 4pt; vertical-align: top; }
.body th { font-weight: bold; text-align: center; }
.body td.number-cell { text-align: right; white-space: nowrap; }
.body thead { display: table-header-group; }
.body tr { break-inside: avoid; }
.signature { width: 100%; border-collapse: collapse; table-layout: fixed; margin-top: 12pt; break-inside: avoid; }
.signature td { vertical-align: top; padding: 0; }
.signature .recipients { width: 50%; font-size: 11pt; }
.signature .recipients .label { font-size: 12pt; font-weight: bold; font-style: italic; margin: 0; }
.signature .recipients p { margin: 0; }
.signature .signer { text-align: center; }
.signature .signer p { margin: 0; font-weight: bold; }
.signature .room { height: 28mm; }
`;

export function officialDocument(document: OfficialDocument): string {
	const text = (value: string) => escapeHtml(value.trim());
	// Decree 30 writes these in capitals whatever case the unit's name was entered in.
	const caps = (value: string) => text(value.toLocaleUpperCase('vi'));
	const governing = document.governingBody.trim()
		? `<p class="caps governing-body">${caps(document.governingBody)}</p>`
		: '';
	return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>${text(document.title)} ${text(document.subject)}</title>
<style>${tinosFontFaces()}</style>
<style>${STYLE}</style>
</head>
<body>
<table class="header" role="presentation">
<tr>
<td class="issuer">
${governing}
<p class="caps issuing-body">${caps(document.issuingBody)}</p>
<hr class="short-rule">
<p class="number">Số: <span class="blank-kept">${escapeHtml(document.number)}</span></p>
</td>
<td>
<p class="caps national-name">${NATIONAL_NAME}</p>
<p class="motto"><span class="ruled">${MOTTO}</span></p>
<p class="date-line">${text(document.dateLine)}</p>
</td>
</tr>
</table>
<p class="title">${caps(document.title)}</p>
<p class="subject">${text(document.subject)}</p>
<main class="body">
${document.bodyHtml}
</main>
${document.signature ? signatureBlock(document.signature) : ''}
</body>
</html>`;
}

function signatureBlock(signature: NonNullable<OfficialDocument['signature']>): string {
	const line = (text: string) => `<p>${escapeHtml(text)}</p>`;
	return `<table class="signature" role="presentation">
<tr>
<td class="recipients">
<p class="label">Nơi nhận:</p>
${signature.recipients.map(line).join('\n')}
</td>
<td class="signer">
${signature.authority.map((text) => line(text.toLocaleUpperCase('vi'))).join('\n')}
<div class="room"></div>
${signature.name.trim() ? line(signature.name) : ''}
</td>
</tr>
</table>`;
}
