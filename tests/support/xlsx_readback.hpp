// Reads an XLSX file back through an independent reader (Debian's python3-openpyxl, via
// tests/support/read_xlsx.py) so that export tests compare what Excel would see — cell types,
// number formats, dates, frozen panes, column widths — with the query result. Header-only;
// uses /usr/bin/python3 (the Debian interpreter that has openpyxl), not whatever is on PATH.
#pragma once

#include <gtest/gtest.h>

#include <unistd.h>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "tests/support/run_command.hpp"

namespace yimei::test {

struct XlsxCell {
  std::string type;  // "n" number, "s" string, "d" date, "b" bool, "null"
  boost::json::value value;
  std::string format;  // the cell's number format ("General", "#,##0.00", "yyyy-mm-dd", ...)
  bool bold = false;
  double number() const {
    return value.is_int64()    ? static_cast<double>(value.as_int64())
           : value.is_double() ? value.as_double()
                               : 0.0;
  }
  std::string text() const { return value.is_string() ? std::string(value.as_string()) : ""; }
};

struct XlsxSheet {
  std::string name;
  std::string freeze;                    // e.g. "A2": frozen above row 2
  std::string autofilter;                // e.g. "A1:D31"
  std::map<std::string, double> widths;  // by column letter
  std::vector<std::vector<XlsxCell>> rows;
};

struct XlsxBook {
  std::string title;
  std::vector<XlsxSheet> sheets;
  const XlsxSheet* sheet(const std::string& name) const {
    for (const auto& s : sheets)
      if (s.name == name) return &s;
    return nullptr;
  }
};

inline std::string json_text(const boost::json::value& v) {
  return v.is_string() ? std::string(v.as_string()) : std::string();
}

// Parses the reader's JSON; a failed read fails the test and returns an empty book.
inline XlsxBook read_xlsx_file(const std::string& path) {
  const std::string script = std::string(YIMEI_SOURCE_DIR) + "/tests/support/read_xlsx.py";
  const CommandResult r = run_command("/usr/bin/python3 '" + script + "' '" + path + "' 2>&1");
  XlsxBook book;
  EXPECT_EQ(r.status, 0) << r.out;
  if (r.status != 0) return book;
  const auto root = boost::json::parse(r.out).as_object();
  book.title = json_text(root.at("title"));
  for (const auto& sv : root.at("sheets").as_array()) {
    const auto& so = sv.as_object();
    XlsxSheet s;
    s.name = json_text(so.at("name"));
    s.freeze = json_text(so.at("freeze"));
    s.autofilter = json_text(so.at("autofilter"));
    for (const auto& [k, w] : so.at("widths").as_object())
      s.widths[std::string(k)] = w.is_double() ? w.as_double() : static_cast<double>(w.as_int64());
    for (const auto& rv : so.at("rows").as_array()) {
      std::vector<XlsxCell> row;
      for (const auto& cv : rv.as_array()) {
        const auto& co = cv.as_object();
        row.push_back(
            {json_text(co.at("t")), co.at("v"), json_text(co.at("fmt")), co.at("bold").as_bool()});
      }
      s.rows.push_back(std::move(row));
    }
    book.sheets.push_back(std::move(s));
  }
  return book;
}

// Writes bytes to a fresh temporary .xlsx and reads it back.
inline XlsxBook read_xlsx_bytes(const std::string& bytes) {
  static int counter = 0;
  const std::filesystem::path p =
      std::filesystem::temp_directory_path() /
      ("yimei-readback-" + std::to_string(::getpid()) + "-" + std::to_string(++counter) + ".xlsx");
  std::ofstream(p, std::ios::binary)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  XlsxBook book = read_xlsx_file(p.string());
  std::filesystem::remove(p);
  return book;
}

}  // namespace yimei::test
