#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/catalog/search.hpp"

namespace motcua::catalog {
namespace {

// Names built the way real procedure names are: an action, an object, a
// subject and often a qualifier, drawn with a fixed-seed generator so that
// every run indexes the same 10,000 procedures (five times a province's
// catalogue).
constexpr const char* kActions[] = {"Cấp",        "Cấp lại",    "Cấp đổi",   "Điều chỉnh",
                                    "Gia hạn",    "Thu hồi",    "Đăng ký",   "Đăng ký thay đổi",
                                    "Xác nhận",   "Thẩm định",  "Phê duyệt", "Công nhận",
                                    "Chứng thực", "Giải quyết", "Thông báo", "Hỗ trợ",
                                    "Tạm ngừng",  "Chấm dứt",   "Cho phép",  "Sửa đổi, bổ sung"};
constexpr const char* kObjects[] = {"giấy phép",
                                    "giấy chứng nhận",
                                    "chứng chỉ hành nghề",
                                    "quyết định",
                                    "hồ sơ",
                                    "hợp đồng",
                                    "văn bằng",
                                    "trích lục",
                                    "phiếu",
                                    "bản sao",
                                    "danh hiệu",
                                    "chế độ trợ cấp",
                                    "kinh phí",
                                    "thẻ"};
constexpr const char* kSubjects[] = {"kinh doanh rượu",
                                     "xây dựng nhà ở riêng lẻ",
                                     "hoạt động khoáng sản",
                                     "khai thác nước mặt",
                                     "quyền sử dụng đất",
                                     "hộ kinh doanh",
                                     "khai sinh",
                                     "kết hôn",
                                     "khai tử",
                                     "hộ tịch",
                                     "lý lịch tư pháp",
                                     "hành nghề khám bệnh, chữa bệnh",
                                     "bán lẻ thuốc lá",
                                     "vận tải hành khách",
                                     "lái xe",
                                     "thành lập trường mầm non",
                                     "dạy thêm, học thêm",
                                     "biểu diễn nghệ thuật",
                                     "karaoke, vũ trường",
                                     "xả thải vào nguồn nước",
                                     "đánh giá tác động môi trường",
                                     "phòng cháy, chữa cháy",
                                     "an toàn thực phẩm",
                                     "cơ sở bảo trợ xã hội",
                                     "người có công với cách mạng",
                                     "trợ cấp xã hội hàng tháng",
                                     "mai táng phí",
                                     "nuôi con nuôi",
                                     "giám hộ",
                                     "hợp tác xã",
                                     "tôn giáo, tín ngưỡng",
                                     "di tích lịch sử",
                                     "đấu giá tài sản",
                                     "công chứng",
                                     "luật sư",
                                     "giám định tư pháp",
                                     "thú y",
                                     "bảo vệ thực vật",
                                     "thủy lợi",
                                     "đê điều",
                                     "đo đạc bản đồ",
                                     "viễn thông",
                                     "báo chí",
                                     "xuất bản",
                                     "quảng cáo"};
constexpr const char* kQualifiers[] = {"",
                                       "",
                                       "",
                                       "cho tổ chức",
                                       "đối với cá nhân",
                                       "có yếu tố nước ngoài",
                                       "tại cấp xã",
                                       "do cơ quan có thẩm quyền cấp",
                                       "trong trường hợp bị mất, hư hỏng",
                                       "lần đầu",
                                       "cho doanh nghiệp"};
constexpr const char* kFields[] = {"Hộ tịch",
                                   "Chứng thực",
                                   "Đất đai",
                                   "Hoạt động xây dựng",
                                   "Tài nguyên nước",
                                   "Môi trường",
                                   "Khoáng sản",
                                   "Lưu thông hàng hóa trong nước",
                                   "Y tế dự phòng",
                                   "Khám bệnh, chữa bệnh",
                                   "Giáo dục và Đào tạo",
                                   "Văn hóa",
                                   "Du lịch",
                                   "Bảo trợ xã hội",
                                   "Người có công",
                                   "Đường bộ",
                                   "Nông nghiệp",
                                   "Thú y",
                                   "Tư pháp",
                                   "Tôn giáo",
                                   "Thông tin và Truyền thông",
                                   "Thành lập và hoạt động của hộ kinh doanh"};

template <class T, std::size_t N>
const char* Pick(const T (&list)[N], std::uint64_t& seed) {
  seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;  // Knuth's MMIX LCG
  return list[(seed >> 33) % N];
}

std::vector<Procedure> Catalogue(std::size_t n) {
  std::vector<Procedure> out;
  std::uint64_t seed = 42;
  for (std::size_t i = 0; i < n; ++i) {
    Procedure p;
    p.code = (i % 2 ? "1." : "2.") + std::to_string(100000 + i) + ".000.00.00.H56";
    p.name = std::string(Pick(kActions, seed)) + " " + Pick(kObjects, seed) + " " +
             Pick(kSubjects, seed);
    if (std::string q = Pick(kQualifiers, seed); !q.empty()) p.name += " " + q;
    p.field = Pick(kFields, seed);
    p.levels = {i % 3 ? Level::kCommune : Level::kProvince};
    p.online_mode = i % 4 ? OnlineMode::kFull : OnlineMode::kPartial;
    out.push_back(std::move(p));
  }
  return out;
}

// What citizens type: whole phrases with and without diacritics, a prefix
// while typing, one letter, a code, a typo (the fallback path).
const std::vector<SearchQuery>& Queries() {
  static const std::vector<SearchQuery> queries = {
      {.text = "khai sinh"},
      {.text = "dang ky ket hon"},
      {.text = "giấy phép xây dựng"},
      {.text = "d"},
      {.text = "cap lai giay phep"},
      {.text = "chứng chỉ hành nghề"},
      {.text = "ho kinh doa"},
      {.text = "1.100733"},
      {.text = "tro cap xa hoi hang thang"},
      {.text = "giay phep kinh doanh ruou"},
      {.text = "thu y", .level = Level::kProvince},
      {.text = "dang ky hop tac xaa"},
  };
  return queries;
}

void BM_SearchTenThousand(benchmark::State& state) {
  const SearchIndex index(Catalogue(10'000));
  const auto& queries = Queries();
  std::size_t i = 0;
  for (auto _ : state) {
    auto r = index.Search(queries[i++ % queries.size()]);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SearchTenThousand)->Unit(benchmark::kMicrosecond);

// The worst single query: one letter that begins most words.
void BM_SearchOneLetter(benchmark::State& state) {
  const SearchIndex index(Catalogue(10'000));
  for (auto _ : state) {
    auto r = index.Search({.text = "c"});
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_SearchOneLetter)->Unit(benchmark::kMicrosecond);

void BM_BuildIndexTenThousand(benchmark::State& state) {
  const auto catalogue = Catalogue(10'000);
  for (auto _ : state) {
    SearchIndex index(catalogue);
    benchmark::DoNotOptimize(index);
  }
}
BENCHMARK(BM_BuildIndexTenThousand)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace motcua::catalog
