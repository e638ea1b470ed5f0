// Compact JSON writer with plain-notation doubles (see json_text.hpp).
#include "core/render/json_text.hpp"

#include <boost/json/serialize.hpp>

#include "core/render/number_text.hpp"

namespace yimei::render {
namespace {

void write(std::string& out, const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::double_: {
      const std::string text = shortest_text(v.get_double());
      out += text.empty() ? "null" : text;
      break;
    }
    case boost::json::kind::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& item : v.get_array()) {
        if (!first) out.push_back(',');
        first = false;
        write(out, item);
      }
      out.push_back(']');
      break;
    }
    case boost::json::kind::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& member : v.get_object()) {
        if (!first) out.push_back(',');
        first = false;
        out += boost::json::serialize(boost::json::string_view(member.key()));
        out.push_back(':');
        write(out, member.value());
      }
      out.push_back('}');
      break;
    }
    default:  // null, bool, integers and strings print the same as Boost does
      out += boost::json::serialize(v);
  }
}

}  // namespace

std::string json_text(const boost::json::value& v) {
  std::string out;
  write(out, v);
  return out;
}

}  // namespace yimei::render
