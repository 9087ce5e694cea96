#include "core/stats/report09.hpp"

namespace motcua::stats {

const std::array<Report09Column, kReport09Columns>& Report09Columns() {
  static const std::array<Report09Column, kReport09Columns> kColumns = {{
      {"received_total", "Số hồ sơ nhận giải quyết", "Tổng số", "Received for handling", "Total"},
      {"carried_over", "Số hồ sơ nhận giải quyết", "Từ kỳ trước chuyển qua",
       "Received for handling", "Carried over"},
      {"received_online", "Số hồ sơ nhận giải quyết", "Mới tiếp nhận trực tuyến",
       "Received for handling", "New, online"},
      {"received_counter", "Số hồ sơ nhận giải quyết", "Mới tiếp nhận trực tiếp, qua bưu chính",
       "Received for handling", "New, in person or by post"},
      {"handled_total", "Số hồ sơ đã giải quyết", "Tổng số", "Handled", "Total"},
      {"handled_early", "Số hồ sơ đã giải quyết", "Trước hạn", "Handled", "Early"},
      {"handled_on_time", "Số hồ sơ đã giải quyết", "Đúng hạn", "Handled", "On time"},
      {"handled_late", "Số hồ sơ đã giải quyết", "Quá hạn", "Handled", "Late"},
      {"in_progress_total", "Số hồ sơ đang giải quyết", "Tổng số", "In progress", "Total"},
      {"in_progress_within", "Số hồ sơ đang giải quyết", "Trong hạn", "In progress",
       "Within the limit"},
      {"in_progress_overdue", "Số hồ sơ đang giải quyết", "Quá hạn", "In progress", "Overdue"},
      {"returned_withdrawn", "Số hồ sơ trả lại, rút", "Số hồ sơ trả lại, rút",
       "Returned or withdrawn", "Returned or withdrawn"},
  }};
  return kColumns;
}

std::array<std::int64_t, kReport09Columns> Report09Values(const Totals& t) {
  const std::int64_t handled = t.decided_early + t.decided_on_time + t.decided_late;
  const std::int64_t refused =
      t.decided - handled;  // decided with no appointment: refused at intake
  return {t.open_before + t.received,
          t.open_before,
          t.received_online,
          t.received_counter,
          handled,
          t.decided_early,
          t.decided_on_time,
          t.decided_late,
          t.open_at_end,
          t.open_at_end - t.overdue_at_end,
          t.overdue_at_end,
          refused + t.withdrawn};
}

}  // namespace motcua::stats
