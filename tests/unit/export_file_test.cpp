// Export files without a database: CSV (BOM, RFC 4180 quoting, CRLF, money with 2 decimals,
// ratios, dates, NULL, masked phones, formula guard) and XLSX read back by an independent reader
// (python3-openpyxl) and compared cell by cell with the table, types and number formats
// included; frozen header, autofilter, CJK column widths, sheet names and the 说明 sheet.
#include <gtest/gtest.h>

#include "core/export/csv_writer.hpp"
#include "core/export/export_document.hpp"
#include "core/export/xlsx_writer.hpp"
#include "tests/support/xlsx_readback.hpp"

namespace yimei::exports {
namespace {

Table sample() {
  Table t;
  t.columns = {
      {"customer_id", "顾客编号", ColumnType::Text},
      {"name", "顾客姓名", ColumnType::Text},
      {"phone", "联系电话", ColumnType::Text, ColumnUnit::None, true},
      {"amount", "累计消费", ColumnType::Decimal, ColumnUnit::Yuan},
      {"orders", "订单数", ColumnType::Integer, ColumnUnit::Count},
      {"share", "占比", ColumnType::Real, ColumnUnit::Percent},
      {"last", "最近到店", ColumnType::Date},
  };
  t.rows.push_back({std::string("C001"), std::string("张三"), std::string("13812345678"),
                    *Decimal::parse("123456.78"), std::int64_t{12}, 0.1234,
                    *parse_date("2026-05-31")});
  t.rows.push_back({std::string("C002"), std::string("李,四\"小\"\n号"), Null{},
                    *Decimal::parse("-5.50"), std::int64_t{0}, Null{}, Null{}});
  t.rows.push_back({std::string("C003"), std::string("=HYPERLINK(\"x\")"),
                    std::string("13900001111"), *Decimal::parse("0.00"), std::int64_t{3}, 1.0,
                    *parse_date("2024-02-29")});
  return t;
}

TEST(ExportCsv, BomHeaderCrlfAndRfc4180Quoting) {
  const std::string csv = to_csv(sample(), false);
  ASSERT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  const std::string body = csv.substr(3);
  const std::string expected =
      "顾客编号,顾客姓名,联系电话,累计消费,订单数,占比,最近到店\r\n"
      "C001,张三,138****5678,123456.78,12,12.34%,2026-05-31\r\n"
      "C002,\"李,四\"\"小\"\"\n号\",,-5.50,0,,\r\n"
      "C003,\"'=HYPERLINK(\"\"x\"\")\",139****1111,0.00,3,100.00%,2024-02-29\r\n";
  EXPECT_EQ(body, expected);
}

TEST(ExportCsv, PhonesShownOnlyWhenAllowedAndNumbersAreNotFormulas) {
  const std::string csv = to_csv(sample(), true);
  EXPECT_NE(csv.find(",13812345678,"), std::string::npos);
  EXPECT_EQ(csv.find("****"), std::string::npos);
  Column text{"x", "说明", ColumnType::Text};
  EXPECT_EQ(csv_cell_text(std::string("-5"), text, false), "-5");
  EXPECT_EQ(csv_cell_text(std::string("+86 138"), text, false), "'+86 138");
  EXPECT_EQ(csv_cell_text(std::string("@SUM(A1)"), text, false), "'@SUM(A1)");
  EXPECT_EQ(csv_quote("a\rb"), "\"a\rb\"");
  EXPECT_EQ(csv_quote("plain 文本"), "plain 文本");
}

TEST(ExportFormats, NamesExtensionsAndFileNames) {
  EXPECT_EQ(parse_export_format("CSV"), ExportFormat::Csv);
  EXPECT_EQ(parse_export_format(".xlsx"), ExportFormat::Xlsx);
  EXPECT_EQ(parse_export_format("excel"), ExportFormat::Xlsx);
  EXPECT_FALSE(parse_export_format("pdf"));
  EXPECT_EQ(format_of_path("/tmp/a.b/报表.CSV"), ExportFormat::Csv);
  EXPECT_FALSE(format_of_path("/tmp/a.b/报表"));
  const Date d = *parse_date("2026-06-30");
  EXPECT_EQ(export_file_name("不活跃顾客", d, ExportFormat::Xlsx), "不活跃顾客-2026-06-30.xlsx");
  EXPECT_EQ(export_file_name("a/b:c*d?", d, ExportFormat::Csv), "a_b_c_d_-2026-06-30.csv");
  EXPECT_EQ(export_file_name("", d, ExportFormat::Csv), "导出-2026-06-30.csv");
  EXPECT_EQ(export_file_name("上个月业绩", Date{}, ExportFormat::Csv), "上个月业绩.csv");
  // 40 characters at most, never a split UTF-8 character.
  std::string cjk;
  for (int i = 0; i < 60; ++i) cjk += "业";
  const std::string cut = export_file_name(cjk, d, ExportFormat::Csv);
  EXPECT_EQ(cut.size(), 40u * 3u + std::string("-2026-06-30.csv").size());
}

TEST(ExportXlsx, ReadBackCellByCellWithTypesAndFormats) {
  ExportDocument doc;
  doc.title = "不活跃顾客";
  doc.sheets.push_back({"不活跃顾客", sample()});
  doc.notes = {{"截至", "2026-06-30"}, {"参数", "days=90"}};
  const std::string bytes = to_xlsx(doc);
  ASSERT_GT(bytes.size(), 1000u);
  EXPECT_EQ(bytes.substr(0, 2), "PK");  // a zip container
  const test::XlsxBook book = test::read_xlsx_bytes(bytes);
  ASSERT_EQ(book.sheets.size(), 2u);
  EXPECT_EQ(book.title, "不活跃顾客");
  const test::XlsxSheet& s = book.sheets[0];
  EXPECT_EQ(s.name, "不活跃顾客");
  EXPECT_EQ(s.freeze, "A2");
  EXPECT_EQ(s.autofilter, "A1:G4");
  const Table t = sample();
  ASSERT_EQ(s.rows.size(), t.rows.size() + 1);
  for (std::size_t j = 0; j < t.columns.size(); ++j) {
    EXPECT_EQ(s.rows[0][j].type, "s");
    EXPECT_EQ(s.rows[0][j].text(), t.columns[j].display());
    EXPECT_TRUE(s.rows[0][j].bold);
  }
  // Row 1: every type.
  const auto& r1 = s.rows[1];
  EXPECT_EQ(r1[0].type, "s");
  EXPECT_EQ(r1[0].text(), "C001");
  EXPECT_EQ(r1[1].text(), "张三");
  EXPECT_EQ(r1[2].text(), "138****5678");  // masked: show_phone is off
  EXPECT_EQ(r1[3].type, "n");
  EXPECT_DOUBLE_EQ(r1[3].number(), 123456.78);
  EXPECT_EQ(r1[3].format, "#,##0.00");
  EXPECT_EQ(r1[4].type, "n");
  EXPECT_DOUBLE_EQ(r1[4].number(), 12);
  EXPECT_EQ(r1[4].format, "#,##0");
  EXPECT_EQ(r1[5].type, "n");
  EXPECT_DOUBLE_EQ(r1[5].number(), 0.1234);
  EXPECT_EQ(r1[5].format, "0.00%");
  EXPECT_EQ(r1[6].type, "d");
  EXPECT_EQ(r1[6].text(), "2026-05-31");
  EXPECT_EQ(r1[6].format, "yyyy-mm-dd");
  // Row 2: NULLs are empty cells; text with commas, quotes and a newline is kept whole.
  const auto& r2 = s.rows[2];
  EXPECT_EQ(r2[1].text(), "李,四\"小\"\n号");
  EXPECT_EQ(r2[2].type, "null");
  EXPECT_DOUBLE_EQ(r2[3].number(), -5.5);
  EXPECT_EQ(r2[5].type, "null");
  EXPECT_EQ(r2[6].type, "null");
  // Row 3: a formula-looking name stays a string; a leap day stays itself.
  EXPECT_EQ(s.rows[3][1].type, "s");
  EXPECT_EQ(s.rows[3][1].text(), "=HYPERLINK(\"x\")");
  EXPECT_EQ(s.rows[3][6].text(), "2024-02-29");
  // Column widths fit CJK text: 顾客姓名 (4 CJK = 8 cells) is wider than 顾客编号's ASCII ids,
  // and no column is narrower than its header's display width.
  for (const char* col : {"A", "B", "C", "D", "E", "F", "G"})
    EXPECT_GE(s.widths.at(col), 8.0) << col;
  EXPECT_GE(s.widths.at("B"), 10.0);
  // The notes sheet.
  const test::XlsxSheet* notes = book.sheet("说明");
  ASSERT_NE(notes, nullptr);
  ASSERT_EQ(notes->rows.size(), 3u);
  EXPECT_EQ(notes->rows[1][0].text(), "截至");
  EXPECT_EQ(notes->rows[2][1].text(), "days=90");
}

TEST(ExportXlsx, PhonesUnmaskedOnlyWhenAllowedAndSheetNamesMadeValid) {
  ExportDocument doc;
  doc.title = "t";
  doc.show_phone = true;
  doc.sheets.push_back({"a/b[c]:d*e?f\\g", sample()});
  doc.sheets.push_back({"a/b[c]:d*e?f\\g", sample()});  // same name twice
  std::string long_name;
  for (int i = 0; i < 40; ++i) long_name += "长";
  doc.sheets.push_back({long_name, sample()});
  const test::XlsxBook book = test::read_xlsx_bytes(to_xlsx(doc));
  ASSERT_EQ(book.sheets.size(), 3u);  // no notes: no 说明 sheet
  EXPECT_EQ(book.sheets[0].name, "a_b_c__d_e_f_g");
  EXPECT_EQ(book.sheets[1].name, "a_b_c__d_e_f_g(2)");
  EXPECT_EQ(book.sheets[2].name, long_name.substr(0, 31 * 3));
  EXPECT_EQ(book.sheets[0].rows[1][2].text(), "13812345678");
}

TEST(ExportXlsx, ColumnWidthCountsCjkTwice) {
  EXPECT_DOUBLE_EQ(column_width_for("abcdefghij"), 10 * 1.1 + 2);
  EXPECT_DOUBLE_EQ(column_width_for("医美数据助手导出"), 16 * 1.1 + 2);
  EXPECT_DOUBLE_EQ(column_width_for(""), 8.0);
  EXPECT_DOUBLE_EQ(column_width_for(std::string(200, 'x')), 60.0);
  // A column of long CJK names comes back wider than twice its character count.
  Table t;
  t.columns = {{"p", "品项名称", ColumnType::Text}};
  t.rows = {{std::string("超声炮全面部提拉紧致疗程")}};  // 12 CJK characters = 24 cells
  ExportDocument doc;
  doc.sheets.push_back({"品项", t});
  const test::XlsxBook book = test::read_xlsx_bytes(to_xlsx(doc));
  ASSERT_FALSE(book.sheets.empty());
  EXPECT_GE(book.sheets[0].widths.at("A"), 24.0);
}

TEST(ExportXlsx, EmptyTableStillHasItsHeader) {
  Table t;
  t.columns = {{"a", "科室", ColumnType::Text},
               {"b", "业绩", ColumnType::Decimal, ColumnUnit::Yuan}};
  ExportDocument doc;
  doc.sheets.push_back({"结果", t});
  const test::XlsxBook book = test::read_xlsx_bytes(render_export(doc, ExportFormat::Xlsx));
  ASSERT_EQ(book.sheets.size(), 1u);
  ASSERT_EQ(book.sheets[0].rows.size(), 1u);
  EXPECT_EQ(book.sheets[0].rows[0][1].text(), "业绩");
  EXPECT_EQ(render_export(doc, ExportFormat::Csv), "\xEF\xBB\xBF科室,业绩\r\n");
}

}  // namespace
}  // namespace yimei::exports
