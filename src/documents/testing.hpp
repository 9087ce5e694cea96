// A receipt's data as the tests and the benchmark use it: a marriage with a
// foreign element at Phường Phan Đình Phùng, long names and all.
#pragma once

#include "core/calendar/date.hpp"
#include "documents/receipt.hpp"

namespace motcua::documents::testing {

inline ReceiptData SampleReceipt() {
  ReceiptData d;
  d.parent_agency = "ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN";
  d.agency = "ỦY BAN NHÂN DÂN PHƯỜNG PHAN ĐÌNH PHÙNG";
  d.unit_name = "Phường Phan Đình Phùng";
  d.number = "000.51.00.H55-261202-0007";
  d.lookup_url =
      "https://dichvucong.thainguyen.gov.vn/tra-cuu?so=000.51.00.H55-261202-0007&ma=K7QX2M9P";
  d.secret = "K7QX2M9P";
  d.applicant_name = "Nguyễn Thị Ánh Tuyết";
  d.applicant_address = "Số 12, tổ 5, phường Phan Đình Phùng, tỉnh Thái Nguyên";
  d.applicant_phone = "0912345678";
  d.procedure_name = "Đăng ký kết hôn có yếu tố nước ngoài";
  d.components = {{"Tờ khai đăng ký kết hôn", 1, 0},
                  {"Giấy xác nhận tình trạng hôn nhân của người nước ngoài (hợp pháp hóa lãnh sự, "
                   "dịch công chứng)",
                   1, 0},
                  {"Hộ chiếu của người nước ngoài", 0, 1}};
  d.time_limit = "10 ngày làm việc";
  d.received_at = *calendar::ParseMoment("2026-12-02T08:30+07:00");
  d.due_at = *calendar::ParseMoment("2026-12-16T08:30+07:00");
  d.return_place = "Bộ phận một cửa phường Phan Đình Phùng";
  d.officer_name = "Trần Văn Bình";
  return d;
}

}  // namespace motcua::documents::testing
