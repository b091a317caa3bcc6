/**
 * Test support: dossiers of the national portal's sync payload (`DongBoHoSoMC`) as provincial
 * one-stop systems build them — every value a string, dates `yyyyMMddHHmmss` or empty strings,
 * the applicant's personal fields filled in, nested lists of components, fees and results — in
 * its three wrappings: the envelope, a bare array, NDJSON.
 */

export type PortalDossier = Record<string, unknown>;

/** What no import may keep: they fill every dossier's personal fields. */
export const PERSONAL = {
	ChuHoSo: 'Nguyễn Thị Bích Thuỷ',
	SoGiayToChuHoSo: '042190001234',
	SoDienThoai: '0912345678',
	Email: 'bich.thuy@example.vn',
	DinhDanhCHS: '042190001234-CCCD',
	DiaChiThuongTruChuHoSo: 'Thôn Bình Lạc, xã Đồng Lộc'
};

/** One dossier: `fields` over a complete record of empty and personal fields. */
export function portalDossier(fields: PortalDossier): PortalDossier {
	return {
		MaHoSo: '',
		MaTTHC: '',
		TenTTHC: 'Thủ tục',
		MaLinhVuc: 'HT',
		TenLinhVuc: 'Hộ tịch',
		KenhThucHien: '1',
		...PERSONAL,
		LoaiDoiTuong: '1',
		TrichYeuHoSo: 'Hồ sơ của bà Nguyễn Thị Bích Thuỷ',
		NgayNopHoSo: '',
		NgayTiepNhan: '',
		NgayHenTra: '',
		TrangThaiHoSo: '2',
		NgayTra: '',
		NgayKetThucXuLy: '',
		NgayTuChoi: '',
		DonViXuLy: '',
		NoiNopHoSo: '1',
		HoSoCoThanhPhanSoHoa: '0',
		TaiKhoanDuocXacThucVoiVNeID: '1',
		DuocThanhToanTrucTuyen: '0',
		TaiLieuNop: [],
		DanhSachLePhi: [],
		DanhSachGiayToKetQua: [],
		QuaTrinhXuLy: [
			{ MaCanBo: 'cb01', HoTenCanBo: 'Trần Văn Cán Bộ', NgayXuLy: '', NoiDungXuLy: 'Tiếp nhận' }
		],
		DanhSachHoSoBoSung: [],
		...fields
	};
}

/** A submitted component (`TaiLieuNop`) with its three 0/1 flags. */
export const component = (flags: Record<string, unknown> = {}) => ({
	TepDinhKemId: 'tep-1',
	TenTepDinhKem: 'To khai.pdf',
	DuongDanTaiTepTin: 'https://motcua.example.vn/tep/1',
	DuocSoHoa: '0',
	DuocTaiSuDung: '0',
	DuocLayTuKhoDMQG: '0',
	...flags
});

/** A fee (`DanhSachLePhi`) of `Gia`. */
export const fee = (Gia: unknown) => ({
	TenPhiLePhi: 'Lệ phí',
	MaPhiLePhi: 'LP01',
	HinhThucThu: '1',
	Gia
});

/** A result document (`DanhSachGiayToKetQua`) at `path` (empty: no file). */
export const result = (path: string) => ({
	TenGiayTo: 'Giấy khai sinh',
	MaThanhPhan: 'KQ01',
	GiayToId: 'kq-1',
	DuongDanTepTinKetQua: path
});

export const envelope = (dossiers: PortalDossier[]) =>
	JSON.stringify({ service: 'DongBoHoSoMC', isUpdating: 'false', data: dossiers });

export const bareArray = (dossiers: PortalDossier[]) => JSON.stringify(dossiers, null, 1);

export const ndjson = (dossiers: PortalDossier[]) =>
	dossiers.map((d) => JSON.stringify(d)).join('\n') + '\n';
