#include "integrations/notify/templates.hpp"

#include <boost/json/parse.hpp>
#include <fstream>
#include <sstream>
#include <unordered_map>

namespace motcua::integrations::notify {

namespace json = boost::json;

namespace {

Error Bad(std::string_view source, std::string field, std::string why) {
  return Error{Code::kInvalidArgument,
               std::string(source) + ": " + field + " " + why,
               {{std::move(field), std::move(why)}}};
}

// Decodes one code point of valid-enough UTF-8 at s[i], advancing i; a
// stray byte reads as U+FFFD.
char32_t Next(std::string_view s, std::size_t& i) {
  const auto b = static_cast<unsigned char>(s[i]);
  int extra = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : 0;
  if (b >= 0x80 && b < 0xC0) {
    ++i;
    return U'\uFFFD';
  }
  char32_t cp = extra == 0 ? b : b & (0x3F >> extra);
  ++i;
  for (; extra > 0; --extra, ++i) {
    if (i >= s.size() || (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) return U'\uFFFD';
    cp = (cp << 6) | (static_cast<unsigned char>(s[i]) & 0x3F);
  }
  return cp;
}

const std::unordered_map<char32_t, char>& BaseLetters() {
  static const std::unordered_map<char32_t, char> table = [] {
    const std::pair<std::string_view, char> groups[] = {{"àáạảãâầấậẩẫăằắặẳẵ", 'a'},
                                                        {"ÀÁẠẢÃÂẦẤẬẨẪĂẰẮẶẲẴ", 'A'},
                                                        {"èéẹẻẽêềếệểễ", 'e'},
                                                        {"ÈÉẸẺẼÊỀẾỆỂỄ", 'E'},
                                                        {"ìíịỉĩ", 'i'},
                                                        {"ÌÍỊỈĨ", 'I'},
                                                        {"òóọỏõôồốộổỗơờớợởỡ", 'o'},
                                                        {"ÒÓỌỎÕÔỒỐỘỔỖƠỜỚỢỞỠ", 'O'},
                                                        {"ùúụủũưừứựửữ", 'u'},
                                                        {"ÙÚỤỦŨƯỪỨỰỬỮ", 'U'},
                                                        {"ỳýỵỷỹ", 'y'},
                                                        {"ỲÝỴỶỸ", 'Y'},
                                                        {"đ", 'd'},
                                                        {"Đ", 'D'}};
    std::unordered_map<char32_t, char> t;
    for (const auto& [letters, base] : groups)
      for (std::size_t i = 0; i < letters.size();) t[Next(letters, i)] = base;
    return t;
  }();
  return table;
}

Result<std::string> Text(const json::value* v, std::string_view source, const std::string& path) {
  if (v == nullptr || !v->is_string() || v->as_string().empty())
    return Fail(Bad(source, path, "must be a text"));
  return std::string(v->as_string());
}

// Every {name} of `text` is one `notice` may use.
Status CheckPlaceholders(std::string_view text, const std::set<std::string>& known,
                         std::string_view source, const std::string& path) {
  for (std::size_t open = text.find('{'); open != std::string_view::npos;
       open = text.find('{', open + 1)) {
    const std::size_t close = text.find('}', open);
    if (close == std::string_view::npos)
      return Fail(Bad(source, path, "has a '{' that is never closed"));
    const std::string name(text.substr(open + 1, close - open - 1));
    if (!known.contains(name))
      return Fail(Bad(source, path, "uses {" + name + "}, which this notice does not have"));
  }
  return {};
}

Result<NoticeTemplates> ParseNotice(const json::object& o, const std::set<std::string>& known,
                                    std::string_view source, const std::string& path) {
  NoticeTemplates n;
  const json::value* email = o.if_contains("email");
  if (email == nullptr || !email->is_object())
    return Fail(Bad(source, path + ".email", "must be an object by language"));
  for (const auto& [lang, v] : email->as_object()) {
    const std::string p = path + ".email." + std::string(lang);
    if (!v.is_object()) return Fail(Bad(source, p, "must be {subject, body}"));
    EmailText e{MOTCUA_TRY(Text(v.as_object().if_contains("subject"), source, p + ".subject")),
                MOTCUA_TRY(Text(v.as_object().if_contains("body"), source, p + ".body"))};
    MOTCUA_TRY_VOID(CheckPlaceholders(e.subject, known, source, p + ".subject"));
    MOTCUA_TRY_VOID(CheckPlaceholders(e.body, known, source, p + ".body"));
    n.email.emplace(std::string(lang), std::move(e));
  }
  if (!n.email.contains("vi"))
    return Fail(Bad(source, path + ".email.vi", "is required (Vietnamese first)"));
  if (const json::value* sms = o.if_contains("sms")) {
    if (!sms->is_object()) return Fail(Bad(source, path + ".sms", "must be an object by language"));
    for (const auto& [lang, v] : sms->as_object()) {
      const std::string p = path + ".sms." + std::string(lang);
      std::string text = MOTCUA_TRY(Text(&v, source, p));
      MOTCUA_TRY_VOID(CheckPlaceholders(text, known, source, p));
      n.sms.emplace(std::string(lang), std::move(text));
    }
    if (!n.sms.contains("vi"))
      return Fail(Bad(source, path + ".sms.vi", "is required (Vietnamese first)"));
  }
  if (const json::value* zalo = o.if_contains("zalo")) {
    const std::string p = path + ".zalo";
    if (!zalo->is_object()) return Fail(Bad(source, p, "must be {template_id, params}"));
    n.zalo_template_id =
        MOTCUA_TRY(Text(zalo->as_object().if_contains("template_id"), source, p + ".template_id"));
    const json::value* params = zalo->as_object().if_contains("params");
    if (params == nullptr || !params->is_object() || params->as_object().empty())
      return Fail(Bad(source, p + ".params", "must be an object of the template's params"));
    for (const auto& [name, v] : params->as_object()) {
      const std::string pp = p + ".params." + std::string(name);
      ZaloParam param{.name = std::string(name)};
      if (!v.is_object()) return Fail(Bad(source, pp, "must be {value, max}"));
      param.value = MOTCUA_TRY(Text(v.as_object().if_contains("value"), source, pp + ".value"));
      MOTCUA_TRY_VOID(CheckPlaceholders(param.value, known, source, pp + ".value"));
      const json::value* max = v.as_object().if_contains("max");
      if (max == nullptr || !max->is_int64() || max->as_int64() < 1 || max->as_int64() > 400)
        return Fail(Bad(source, pp + ".max", "must be a length from 1 to 400"));
      param.max = static_cast<std::size_t>(max->as_int64());
      n.zalo_params.push_back(std::move(param));
    }
  }
  return n;
}

const std::string* InLanguage(const std::map<std::string, std::string, std::less<>>& by_lang,
                              std::string_view language) {
  auto it = by_lang.find(language);
  if (it == by_lang.end()) it = by_lang.find("vi");
  return it == by_lang.end() ? nullptr : &it->second;
}

}  // namespace

const std::map<std::string, std::set<std::string>, std::less<>>& NoticeVariables() {
  static const auto table = [] {
    const std::set<std::string> common = {"number", "procedure", "lookup_url", "stop_url"};
    auto with = [&common](std::initializer_list<std::string> more) {
      std::set<std::string> s = common;
      s.insert(more);
      return s;
    };
    return std::map<std::string, std::set<std::string>, std::less<>>{
        {"receipt", with({"unit", "received_date", "due_date"})},
        {"supplement_request", with({"items", "items_inline", "reason"})},
        {"payment_request", with({"fee", "reason"})},
        {"new_appointment", with({"old_due_date", "new_due_date", "reason"})},
        {"result_ready", with({"unit"})},
        {"processing_stopped", with({"reason"})},
        {"refused", with({"reason"})},
        {"officer_digest",
         {"date", "overdue_count", "nearing_count", "list", "inbox_url", "settings_url"}}};
  }();
  return table;
}

Result<Templates> ParseTemplates(std::string_view text, std::string_view source) {
  boost::system::error_code ec;
  json::value root = json::parse(text, ec);
  if (ec || !root.is_object()) return Fail(Bad(source, "file", "is not a JSON object"));
  const json::value* notices = root.as_object().if_contains("notices");
  if (notices == nullptr || !notices->is_object())
    return Fail(Bad(source, "notices", "must be an object by notice"));
  Templates t;
  for (const auto& [name, v] : notices->as_object()) {
    const std::string path = "notices." + std::string(name);
    auto known = NoticeVariables().find(std::string_view(name));
    if (known == NoticeVariables().end())
      return Fail(Bad(source, path, "is not a notice motcua sends"));
    if (!v.is_object()) return Fail(Bad(source, path, "must be an object"));
    t.notices.emplace(std::string(name),
                      MOTCUA_TRY(ParseNotice(v.as_object(), known->second, source, path)));
  }
  for (const auto& [name, vars] : NoticeVariables())
    if (!t.notices.contains(name))
      return Fail(Bad(source, "notices." + name, "is missing (every notice needs its words)"));
  return t;
}

Result<Templates> LoadTemplates(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Fail(Code::kNotFound, "cannot read " + file.string());
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParseTemplates(buffer.str(), file.string());
}

std::string Fill(std::string_view text, const Vars& vars) {
  std::string out;
  out.reserve(text.size() + 64);
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t open = text.find('{', i);
    const std::size_t close = open == std::string_view::npos ? open : text.find('}', open);
    if (close == std::string_view::npos) {
      out.append(text.substr(i));
      break;
    }
    out.append(text.substr(i, open - i));
    if (auto v = vars.find(text.substr(open + 1, close - open - 1)); v != vars.end())
      out += v->second;
    i = close + 1;
  }
  return out;
}

std::string Unaccent(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  const auto& base = BaseLetters();
  for (std::size_t i = 0; i < s.size();) {
    const char32_t cp = Next(s, i);
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (auto b = base.find(cp); b != base.end()) {
      out += b->second;
    } else if (cp >= 0x300 && cp <= 0x36F) {
      // a combining mark (a decomposed spelling): dropped
    } else if (cp == U'\u2018' || cp == U'\u2019') {
      out += '\'';
    } else if (cp == U'\u201C' || cp == U'\u201D') {
      out += '"';
    } else if (cp == U'\u2013' || cp == U'\u2014') {
      out += '-';
    } else if (cp == U'\u2026') {
      out += "...";
    } else if (cp == U'\u00A0') {
      out += ' ';
    } else {
      out += '?';
    }
  }
  return out;
}

std::string CutText(std::string_view text, std::size_t max) {
  std::size_t count = 0, i = 0, cut_at = 0;
  while (i < text.size()) {
    if (count == (max >= 3 ? max - 3 : 0)) cut_at = i;
    Next(text, i);
    ++count;
  }
  if (count <= max) return std::string(text);
  return std::string(text.substr(0, cut_at)) + (max >= 3 ? "..." : "");
}

Result<RenderedEmail> RenderEmail(const Templates& t, std::string_view notice,
                                  std::string_view language, const Vars& vars) {
  auto n = t.notices.find(notice);
  if (n == t.notices.end()) return Fail(Code::kNotFound, "no words for " + std::string(notice));
  auto e = n->second.email.find(language);
  if (e == n->second.email.end()) e = n->second.email.find("vi");
  return RenderedEmail{Fill(e->second.subject, vars), Fill(e->second.body, vars)};
}

Result<std::string> RenderSms(const Templates& t, std::string_view notice,
                              std::string_view language, const Vars& vars) {
  auto n = t.notices.find(notice);
  const std::string* text = n == t.notices.end() ? nullptr : InLanguage(n->second.sms, language);
  if (text == nullptr) return Fail(Code::kNotFound, "no text message for " + std::string(notice));
  return CutText(Unaccent(Fill(*text, vars)), kSmsMaxChars);
}

Result<RenderedZalo> RenderZalo(const Templates& t, std::string_view notice, const Vars& vars) {
  auto n = t.notices.find(notice);
  if (n == t.notices.end() || n->second.zalo_template_id.empty())
    return Fail(Code::kNotFound, "no Zalo template for " + std::string(notice));
  RenderedZalo z{n->second.zalo_template_id, {}};
  for (const ZaloParam& p : n->second.zalo_params)
    z.data.emplace_back(p.name, CutText(Fill(p.value, vars), p.max));
  return z;
}

}  // namespace motcua::integrations::notify
