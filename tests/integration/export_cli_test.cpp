// The real `yimei` binary on a scratch copy of clinic-a-small (exports write an audit row, so
// never the shared fixture): `analyze NAME --export FILE.xlsx|.csv` read back and compared with
// SQL, phones masked unless --show-phone, a bad extension refused with exit 2; `ask --chart`
// writes the chart the presentation chooses; `chat -c "/导出 …"` writes the file and prints its
// path.
#include <gtest/gtest.h>

#include <unistd.h>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <map>

#include "core/render/png_pixels.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/scratch_db.hpp"
#include "tests/support/xlsx_readback.hpp"

namespace {

namespace fs = std::filesystem;
using yimei::test::CommandResult;

class ExportCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { db_ = new yimei::test::ScratchDatabase("clinic-a-small.sql.gz"); }
  static void TearDownTestSuite() {
    delete db_;
    db_ = nullptr;
  }
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("yimei-export-cli-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  CommandResult yimei(const std::string& args) {
    return yimei::test::run_command("cd " + dir_.string() + " && DB_NAME=" + db_->name() +
                                    " OPENAI_API_KEY= YIMEI_ADMINS=boss " + YIMEI_BINARY + " " +
                                    args + " 2>&1");
  }
  std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  std::int64_t count(const std::string& sql) {
    auto c = db_->pool().acquire();
    return std::get<std::int64_t>(c->query(sql).rows.at(0).at(0));
  }

  static yimei::test::ScratchDatabase* db_;
  fs::path dir_;
};

yimei::test::ScratchDatabase* ExportCli::db_ = nullptr;

TEST_F(ExportCli, AnalyzeExportsXlsxMatchingSqlAndIsAudited) {
  const fs::path file = dir_ / "科室业绩.xlsx";
  const auto before = count("SELECT COUNT(*) FROM bot_audit_log WHERE action = 'export'");
  CommandResult r =
      yimei("analyze department-performance --as-of 2026-06-30 --export '" + file.string() + "'");
  ASSERT_EQ(r.status, 0) << r.out;
  ASSERT_TRUE(fs::exists(file));
  const yimei::test::XlsxBook book = yimei::test::read_xlsx_file(file.string());
  ASSERT_FALSE(book.sheets.empty());
  const auto& s = book.sheets[0];
  EXPECT_EQ(s.freeze, "A2");
  yimei::Table gold;
  {
    auto c = db_->pool().acquire();
    gold = c->query(
        "SELECT department, SUM(amount), COUNT(*), COUNT(DISTINCT customer_id) FROM "
        "consumption_records WHERE consume_date BETWEEN '2026-06-01' AND '2026-06-30' GROUP BY "
        "department");
  }
  ASSERT_EQ(s.rows.size(), gold.rows.size() + 1);
  std::map<std::string, const std::vector<yimei::test::XlsxCell>*> by_dept;
  for (std::size_t i = 1; i < s.rows.size(); ++i) by_dept[s.rows[i][0].text()] = &s.rows[i];
  for (const auto& g : gold.rows) {
    const auto* row = by_dept.at(std::get<yimei::Text>(g[0]));
    EXPECT_EQ((*row)[1].type, "n");
    EXPECT_EQ((*row)[1].format, "#,##0.00");
    EXPECT_NEAR((*row)[1].number(), std::get<yimei::Decimal>(g[1]).to_double(), 0.005);
    EXPECT_EQ((*row)[2].number(), static_cast<double>(std::get<std::int64_t>(g[2])));
    EXPECT_EQ((*row)[3].number(), static_cast<double>(std::get<std::int64_t>(g[3])));
  }
  ASSERT_NE(book.sheet("说明"), nullptr);
  EXPECT_EQ(count("SELECT COUNT(*) FROM bot_audit_log WHERE action = 'export' AND platform = "
                  "'cli' AND entity_id = 'department-performance'"),
            before + 1);
}

TEST_F(ExportCli, AnalyzeExportsCsvWithBomAndMaskedPhonesUnlessShown) {
  const fs::path masked = dir_ / "inactive.csv", shown = dir_ / "inactive-full.csv";
  ASSERT_EQ(yimei("analyze inactive-customers --as-of 2026-06-30 --param days=365 --export " +
                  masked.string())
                .status,
            0);
  ASSERT_EQ(yimei("analyze inactive-customers --as-of 2026-06-30 --param days=365 --show-phone "
                  "--export " +
                  shown.string())
                .status,
            0);
  const std::string a = read(masked), b = read(shown);
  ASSERT_EQ(a.substr(0, 3), "\xEF\xBB\xBF");
  ASSERT_EQ(b.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE(a.find("****"), std::string::npos);
  EXPECT_EQ(b.find("****"), std::string::npos);
  // One line per inactive customer (no field holds a line break), plus the header.
  const auto lines = [](const std::string& s) {
    std::size_t n = 0;
    for (std::size_t p = s.find("\r\n"); p != std::string::npos; p = s.find("\r\n", p + 2)) ++n;
    return n;
  };
  const CommandResult json = yimei(
      "analyze inactive-customers --as-of 2026-06-30 --param days=365 --format json 2>/dev/null");
  const auto pos = json.out.find('{');
  ASSERT_NE(pos, std::string::npos) << json.out;
  const auto rows = boost::json::parse(json.out.substr(pos)).at("rows").as_array().size();
  EXPECT_EQ(lines(a), rows + 1);
  EXPECT_EQ(lines(b), rows + 1);
}

TEST_F(ExportCli, AnalyzeRefusesAnUnknownExtensionWithUsageExit) {
  const CommandResult r = yimei("analyze inactive-customers --as-of 2026-06-30 --export x.pdf");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find(".xlsx 或 .csv"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(dir_ / "x.pdf"));
}

TEST_F(ExportCli, AskWritesTheChosenChartAndSteeringIsHonoured) {
  const fs::path line = dir_ / "line.png", none = dir_ / "none.png";
  CommandResult r =
      yimei("ask '今年每个月的业绩，画成折线图' --as-of 2026-06-30 --chart " + line.string());
  ASSERT_EQ(r.status, 0) << r.out;
  ASSERT_TRUE(fs::exists(line));
  const std::string png = read(line);
  const auto px = yimei::render::decode_png(std::vector<std::uint8_t>(png.begin(), png.end()));
  ASSERT_TRUE(px.has_value());
  EXPECT_EQ(px->width, 1080);
  r = yimei("ask '今年每个月的业绩 不要图' --as-of 2026-06-30 --chart " + none.string());
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_FALSE(fs::exists(none));
  // A single value is a sentence with its unit.
  r = yimei("ask '今年微信收款一共多少' --as-of 2026-06-30");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("元"), std::string::npos) << r.out;
}

TEST_F(ExportCli, AskExportsItsTableAsCsvAndIsAudited) {
  const fs::path file = dir_ / "单数.csv";
  const auto before =
      count("SELECT COUNT(*) FROM bot_audit_log WHERE action = 'export' AND entity = 'answer'");
  const CommandResult r =
      yimei("ask '上个月每个科室各开了多少单' --as-of 2026-06-30 --export " + file.string());
  ASSERT_EQ(r.status, 0) << r.out;
  const std::string csv = read(file);
  ASSERT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  yimei::Table gold;
  {
    auto c = db_->pool().acquire();
    gold = c->query(
        "SELECT department, COUNT(*) FROM consumption_records WHERE consume_date BETWEEN "
        "'2026-05-01' AND '2026-05-31' GROUP BY department");
  }
  for (const auto& g : gold.rows) {
    const std::string line = std::get<yimei::Text>(g[0]).str() + "," +
                             std::to_string(std::get<std::int64_t>(g[1])) + "\r\n";
    EXPECT_NE(csv.find(line), std::string::npos) << line << csv;
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM bot_audit_log WHERE action = 'export' AND entity = "
                  "'answer' AND platform = 'cli'"),
            before + 1);
  EXPECT_EQ(yimei("ask '上个月业绩' --as-of 2026-06-30 --export x.txt").status, 2);
}

TEST_F(ExportCli, ChatWritesTheExportAndPrintsItsPath) {
  const CommandResult r = yimei("chat --as boss --as-of 2026-06-30 --out " +
                                (dir_ / "out").string() + " -c '/导出 科室业绩 csv'");
  ASSERT_EQ(r.status, 0) << r.out;
  const fs::path file = dir_ / "out" / "科室业绩-2026-06-30.csv";
  EXPECT_NE(r.out.find("[文件] " + file.string()), std::string::npos) << r.out;
  ASSERT_TRUE(fs::exists(file));
  EXPECT_EQ(read(file).substr(0, 3), "\xEF\xBB\xBF");
}

}  // namespace
