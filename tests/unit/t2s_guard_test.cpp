// The SQL guard without a database: the MariaDB tokenizer, every refusal rule, statements
// hidden in comments and strings, CTE scopes, the row cap and the consultant-scope rewrite.
#include "core/text2sql/sql_guard.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <string>
#include <vector>

#include "tests/support/scratch_db.hpp"

using namespace yimei;
using namespace yimei::text2sql;

namespace {

std::vector<std::string> texts(const std::vector<SqlToken>& tokens) {
  std::vector<std::string> out;
  for (const SqlToken& t : tokens)
    if (t.kind != TokenKind::End) out.push_back(t.text);
  return out;
}

Outcome<GuardedSql> guard(const std::string& sql, GuardOptions o = {}) {
  return guard_sql(sql, o);
}

// The refusal message, or "" when the SQL was accepted.
std::string refusal(const std::string& sql, GuardOptions o = {}) {
  auto g = guard_sql(sql, o);
  return g ? "" : g.error().message;
}

std::string accepted_sql(const std::string& sql, GuardOptions o = {}) {
  auto g = guard_sql(sql, o);
  EXPECT_TRUE(g) << sql << " -> " << (g ? "" : g.error().message);
  return g ? g->sql : "";
}

const std::string kSelectOnly = "只允许查询语句（SELECT）。";
const std::string kOneStatement = "只允许一条查询语句。";

}  // namespace

TEST(T2sGuardTokenizer, KindsOffsetsAndValues) {
  auto t = tokenize_sql(
      "SELECT a, `b c`, 'x''y', \"q\\\"z\", 1.5, .5, 1e3, 1e+5, 0x1F, 1abc, N'名', ? FROM t");
  ASSERT_TRUE(t) << t.error().message;
  const std::vector<std::string> expected = {
      "SELECT", "a",    ",",  "`b c`", ",",   "'x''y'", ",",    "\"q\\\"z\"", ",",
      "1.5",    ",",    ".5", ",",     "1e3", ",",      "1e+5", ",",          "0x1F",
      ",",      "1abc", ",",  "N'名'", ",",   "?",      "FROM", "t"};
  EXPECT_EQ(texts(*t), expected);
  const auto& v = *t;
  EXPECT_EQ(v[0].kind, TokenKind::Word);
  EXPECT_EQ(v[1].upper, "A");
  EXPECT_EQ(v[3].kind, TokenKind::QuotedIdent);
  EXPECT_EQ(v[3].value, "b c");
  EXPECT_EQ(v[5].kind, TokenKind::String);
  EXPECT_EQ(v[5].value, "x'y");
  EXPECT_EQ(v[7].value, "q\"z");
  EXPECT_EQ(v[9].kind, TokenKind::Number);
  EXPECT_EQ(v[11].kind, TokenKind::Number);
  EXPECT_EQ(v[13].kind, TokenKind::Number);
  EXPECT_EQ(v[15].kind, TokenKind::Number);
  EXPECT_EQ(v[17].kind, TokenKind::Number);
  EXPECT_EQ(v[19].kind, TokenKind::Word);
  EXPECT_EQ(v[21].kind, TokenKind::String);
  EXPECT_EQ(v[23].kind, TokenKind::Operator);
  EXPECT_EQ(v[3].offset, 10u);
  EXPECT_EQ(v.back().kind, TokenKind::End);
}

TEST(T2sGuardTokenizer, CommentsProduceNoTokens) {
  auto t = tokenize_sql("SELECT 1 -- a comment; DROP\n, 2 # another; DROP\n /* c; DROP */ , 3");
  ASSERT_TRUE(t);
  EXPECT_EQ(texts(*t), (std::vector<std::string>{"SELECT", "1", ",", "2", ",", "3"}));
  // "--" without a following space is two minus signs, as in MariaDB.
  auto m = tokenize_sql("SELECT 1--1");
  ASSERT_TRUE(m);
  EXPECT_EQ(texts(*m), (std::vector<std::string>{"SELECT", "1", "-", "-", "1"}));
  // An optimizer-hint style comment is an ordinary comment for MariaDB.
  auto h = tokenize_sql("SELECT /*+ MAX_EXECUTION_TIME(1) */ 1");
  ASSERT_TRUE(h);
  EXPECT_EQ(texts(*h), (std::vector<std::string>{"SELECT", "1"}));
  // Comment markers inside strings and names are text.
  auto s = tokenize_sql("SELECT '-- x', `/* y */`, '#z'");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->size(), 7u);
}

TEST(T2sGuardTokenizer, VariablesAndOperators) {
  auto t = tokenize_sql("SELECT @x, @@version, @@session.sql_mode, @'a b', a<=>b, a:=1, a!=b");
  ASSERT_TRUE(t);
  const auto& v = *t;
  EXPECT_EQ(v[1].kind, TokenKind::Variable);
  EXPECT_EQ(v[1].value, "x");
  EXPECT_EQ(v[3].text, "@@version");
  EXPECT_EQ(v[5].text, "@@session.sql_mode");
  EXPECT_EQ(v[7].kind, TokenKind::Variable);
  EXPECT_EQ(v[7].value, "a b");
  EXPECT_EQ(v[10].text, "<=>");
  EXPECT_EQ(v[14].text, ":=");
  EXPECT_EQ(v[18].text, "!=");
}

TEST(T2sGuardTokenizer, MalformedInputIsAUserError) {
  auto s = tokenize_sql("SELECT 'abc");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().kind, ErrorKind::BadInput);
  EXPECT_EQ(s.error().message, "SQL 语句中的字符串没有结束。");
  EXPECT_FALSE(tokenize_sql("SELECT 'a\\'"));  // the backslash escapes the closing quote
  EXPECT_EQ(tokenize_sql("SELECT 1 /* open").error().message, "SQL 语句中的注释没有结束。");
  EXPECT_FALSE(tokenize_sql("SELECT `abc"));
  EXPECT_FALSE(tokenize_sql(std::string("SELECT 1\0", 9)));
  for (const char* sql :
       {"SELECT /*!50000 1 */", "SELECT /*M!100000 1 */", "SELECT /*!*/ 1", "SELECT /*m! 1 */"}) {
    auto e = tokenize_sql(sql);
    ASSERT_FALSE(e) << sql;
    EXPECT_EQ(e.error().kind, ErrorKind::Forbidden) << sql;
    EXPECT_EQ(e.error().message, "不允许使用可执行注释（/*! … */）。");
  }
}

TEST(T2sGuard, OnlyOneSelect) {
  EXPECT_EQ(refusal("DROP TABLE consultants"), kSelectOnly);
  EXPECT_EQ(refusal("UPDATE customers SET membership_level = '钻石'"), kSelectOnly);
  EXPECT_EQ(refusal("DELETE FROM customers"), kSelectOnly);
  EXPECT_EQ(refusal("INSERT INTO consultants VALUES ('X','x','x')"), kSelectOnly);
  EXPECT_EQ(refusal("SHOW TABLES"), kSelectOnly);
  EXPECT_EQ(refusal("EXPLAIN SELECT 1"), kSelectOnly);
  EXPECT_EQ(refusal("SET @a = 1"), kSelectOnly);
  EXPECT_EQ(refusal("CALL p()"), kSelectOnly);
  EXPECT_EQ(refusal("WITH x AS (SELECT 1) DELETE FROM customers"), kSelectOnly);
  EXPECT_EQ(refusal("SELECT 1; DROP TABLE consultants"), kOneStatement);
  EXPECT_EQ(refusal("SELECT 1;;"), kOneStatement);
  EXPECT_EQ(refusal("SELECT 1 --; DROP TABLE consultants"), kOneStatement);
  EXPECT_EQ(refusal("SELECT 1 UNION SELECT 1 FROM (DROP TABLE x) t"), kSelectOnly);
  EXPECT_EQ(refusal(""), "SQL 语句是空的。");
  EXPECT_EQ(refusal(" ; "), "SQL 语句是空的。");
  EXPECT_EQ(refusal("-- nothing"), "SQL 语句是空的。");
  EXPECT_EQ(accepted_sql("SELECT 1;"), "SELECT 1 LIMIT 201");
  EXPECT_EQ(accepted_sql("(SELECT 1) UNION (SELECT 2)"), "(SELECT 1) UNION (SELECT 2) LIMIT 201");
  auto refused = guard("DROP TABLE consultants");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, ErrorKind::Forbidden);
}

TEST(T2sGuard, SystemSchemasAndOtherTablesAreRefused) {
  EXPECT_EQ(refusal("SELECT * FROM information_schema.tables"),
            "不允许访问系统表 information_schema。");
  EXPECT_EQ(refusal("SELECT table_name FROM INFORMATION_SCHEMA.TABLES"),
            "不允许访问系统表 information_schema。");
  EXPECT_EQ(refusal("SELECT * FROM `information_schema`.`columns`"),
            "不允许访问系统表 information_schema。");
  EXPECT_EQ(refusal("SELECT user, password FROM mysql.user"), "不允许访问系统表 mysql。");
  EXPECT_EQ(refusal("SELECT * FROM performance_schema.threads"),
            "不允许访问系统表 performance_schema。");
  EXPECT_EQ(refusal("SELECT * FROM sys.version"), "不允许访问系统表 sys。");
  EXPECT_EQ(refusal("SELECT name FROM customers UNION SELECT user FROM mysql.user"),
            "不允许访问系统表 mysql。");
  const std::string not_allowed =
      "不允许查询数据表 users：只能查询 consultants、customers、medical_products、"
      "consumption_records、write_off_records、unspent_balances。";
  EXPECT_EQ(refusal("SELECT * FROM users"), not_allowed);
  EXPECT_EQ(refusal("SELECT * FROM customers c JOIN users u ON u.id = c.customer_id"), not_allowed);
  EXPECT_EQ(refusal("SELECT name FROM customers WHERE customer_id IN (SELECT id FROM users)"),
            not_allowed);
  EXPECT_EQ(refusal("SELECT name FROM customers UNION SELECT token FROM users"), not_allowed);
  EXPECT_EQ(refusal("SELECT * FROM other_db.customers"), "不允许跨库查询（other_db.customers）。");
  GuardOptions own;
  own.database = "clinic";
  EXPECT_EQ(accepted_sql("SELECT name FROM clinic.customers", own),
            "SELECT name FROM clinic.customers LIMIT 201");
  EXPECT_EQ(refusal("SELECT name FROM other.customers", own),
            "不允许跨库查询（other.customers）。");
  EXPECT_EQ(refusal("SELECT * FROM JSON_TABLE('[]', '$[*]' COLUMNS (a INT PATH '$')) t"),
            "不允许查询数据表 JSON_TABLE：只能查询 consultants、customers、medical_products、"
            "consumption_records、write_off_records、unspent_balances。");
  EXPECT_EQ(accepted_sql("SELECT 1 FROM DUAL"), "SELECT 1 FROM DUAL LIMIT 201");
}

TEST(T2sGuard, SideEffectFunctionsAreRefused) {
  for (const char* f : {"SLEEP(5)",
                        "sleep (5)",
                        "BENCHMARK(1000000, MD5('a'))",
                        "GET_LOCK('x', 1)",
                        "RELEASE_LOCK('x')",
                        "IS_FREE_LOCK('x')",
                        "IS_USED_LOCK('x')",
                        "RELEASE_ALL_LOCKS()",
                        "MASTER_POS_WAIT('f', 4)",
                        "MASTER_GTID_WAIT('0')",
                        "LOAD_FILE('/etc/passwd')",
                        "DATABASE()",
                        "USER()",
                        "VERSION()",
                        "CONNECTION_ID()",
                        "NEXTVAL(s)",
                        "SETVAL(s, 1)",
                        "LAST_INSERT_ID(5)",
                        "sys_exec('rm')",
                        "VALUES(x)"}) {
    const std::string sql = std::string("SELECT ") + f;
    const std::string name = std::string(f).substr(0, std::string(f).find_first_of(" ("));
    EXPECT_EQ(refusal(sql), "不允许使用函数 " + name + "。") << sql;
  }
  EXPECT_EQ(refusal("SELECT name FROM customers WHERE SLEEP(1) = 0"), "不允许使用函数 SLEEP。");
  EXPECT_EQ(refusal("SELECT CURRENT_USER"), "不允许使用函数 CURRENT_USER。");
  EXPECT_EQ(refusal("SELECT `sleep`(1)"), "不允许调用带引号的函数名 `sleep`。");
  EXPECT_EQ(refusal("SELECT \"sleep\"(1)"), "不允许调用带引号的函数名 \"sleep\"。");
  EXPECT_EQ(refusal("SELECT mydb.f(1)"), "不允许调用其他库的函数 f。");
  // Pure built-ins, including FROM inside EXTRACT / TRIM / SUBSTRING.
  accepted_sql(
      "SELECT EXTRACT(YEAR FROM consume_date), TRIM(BOTH ' ' FROM department), "
      "SUBSTRING(department FROM 1 FOR 2), CAST(amount AS DECIMAL(12,2)), "
      "DATE_FORMAT(consume_date, '%Y-%m'), COALESCE(NULLIF(amount, 0), 1), LEFT(department, 1), "
      "REPLACE(department, '科', ''), ROUND(SUM(amount) / COUNT(*), 2) "
      "FROM consumption_records GROUP BY 1, 2, 3, 4, 5, 6, 7, 8");
}

TEST(T2sGuard, IntoLockingAndVariablesAreRefused) {
  const std::string into = "不允许 INTO（导出文件或写入变量）。";
  EXPECT_EQ(refusal("SELECT * FROM customers INTO OUTFILE '/tmp/x'"), into);
  EXPECT_EQ(refusal("SELECT * FROM customers INTO DUMPFILE '/tmp/x'"), into);
  EXPECT_EQ(refusal("SELECT name INTO @x FROM customers"), into);
  const std::string locking = "不允许加锁读取（FOR UPDATE / LOCK IN SHARE MODE 等 FOR 子句）。";
  EXPECT_EQ(refusal("SELECT * FROM customers FOR UPDATE"), locking);
  EXPECT_EQ(refusal("SELECT * FROM customers WHERE 1 = 1 FOR SHARE"), locking);
  EXPECT_EQ(refusal("SELECT * FROM customers LOCK IN SHARE MODE"), locking);
  EXPECT_EQ(refusal("SELECT * FROM customers FOR SYSTEM_TIME ALL"), locking);
  EXPECT_EQ(refusal("SELECT * FROM customers PROCEDURE ANALYSE()"), "不允许 PROCEDURE 子句。");
  EXPECT_EQ(refusal("SELECT @x"), "不允许使用变量（@x）。");
  EXPECT_EQ(refusal("SELECT @@version"), "不允许使用变量（@@version）。");
  EXPECT_EQ(refusal("SELECT @`x`"), "不允许使用变量（@`x`）。");
  EXPECT_EQ(refusal("SELECT name FROM customers WHERE customer_id = @id"),
            "不允许使用变量（@id）。");
  EXPECT_EQ(refusal("SELECT a := 1"), "不允许使用变量赋值（:=）。");
}

TEST(T2sGuard, HiddenStatementsDoNotFoolTheChecks) {
  // Harmless strings and comments that merely contain SQL are accepted, and comments go.
  EXPECT_EQ(accepted_sql("SELECT 'DROP TABLE consultants; --' AS s"),
            "SELECT 'DROP TABLE consultants; --' AS s LIMIT 201");
  EXPECT_EQ(accepted_sql("SELECT name FROM customers WHERE name = 'x; DELETE FROM customers'"),
            "SELECT name FROM customers WHERE name = 'x; DELETE FROM customers' LIMIT 201");
  EXPECT_EQ(accepted_sql("SELECT 1 /* ; DROP TABLE consultants */"), "SELECT 1 LIMIT 201");
  EXPECT_EQ(accepted_sql("SELECT 1 -- ; DROP TABLE consultants"), "SELECT 1 LIMIT 201");
  EXPECT_EQ(accepted_sql("SELECT 1 # ; DROP TABLE consultants"), "SELECT 1 LIMIT 201");
  EXPECT_EQ(accepted_sql("SELECT name FROM customers -- 备注\nWHERE name = 'a'"),
            "SELECT name FROM customers WHERE name = 'a' LIMIT 201");
  EXPECT_EQ(accepted_sql("SELECT '#', \"--\", '/*'"), "SELECT '#', \"--\", '/*' LIMIT 201");
  // A comment cannot swallow the appended LIMIT.
  EXPECT_EQ(accepted_sql("SELECT name FROM customers -- no newline"),
            "SELECT name FROM customers LIMIT 201");
  // Executable comments are code, so they are refused.
  EXPECT_EQ(refusal("SELECT 1 /*!50000 ; DROP TABLE consultants */"),
            "不允许使用可执行注释（/*! … */）。");
  EXPECT_EQ(refusal("SELECT 1 /*M! , SLEEP(10) */"), "不允许使用可执行注释（/*! … */）。");
  // A backslash that splits the text differently under NO_BACKSLASH_ESCAPES is refused.
  EXPECT_EQ(refusal("SELECT '\\'; DROP TABLE consultants; -- '"),
            "字符串中的反斜杠在不同的服务器设置下含义不同，请去掉反斜杠后再试。");
  EXPECT_EQ(refusal("SELECT \"\\\" , (SELECT 1) , \""),
            "字符串中的反斜杠在不同的服务器设置下含义不同，请去掉反斜杠后再试。");
  EXPECT_EQ(accepted_sql("SELECT 'a\\nb', 'it''s'"), "SELECT 'a\\nb', 'it''s' LIMIT 201");
  EXPECT_EQ(refusal("SELECT 'unterminated"), "SQL 语句中的字符串没有结束。");
}

TEST(T2sGuard, CteScopes) {
  auto g = guard("WITH x AS (SELECT customer_id FROM customers) SELECT * FROM x");
  ASSERT_TRUE(g) << g.error().message;
  EXPECT_EQ(g->tables, std::vector<std::string>{"customers"});
  accepted_sql(
      "WITH RECURSIVE n AS (SELECT 1 AS k UNION ALL SELECT k + 1 FROM n WHERE k < 5) "
      "SELECT k FROM n");
  accepted_sql("WITH a (c) AS (SELECT 1), b AS (SELECT c FROM a) SELECT * FROM b");
  accepted_sql(
      "SELECT department, SUM(amount) FROM consumption_records GROUP BY department WITH ROLLUP");
  EXPECT_EQ(refusal("WITH customers AS (SELECT 1) SELECT * FROM customers"),
            "WITH 子句的名称不能与数据表同名：customers。");
  const std::string users =
      "不允许查询数据表 users：只能查询 consultants、customers、medical_products、"
      "consumption_records、write_off_records、unspent_balances。";
  // A CTE is visible only inside its own statement...
  EXPECT_EQ(refusal("SELECT * FROM (WITH users AS (SELECT 1 AS a) SELECT a FROM users) t, users"),
            users);
  // ... and a non-recursive CTE only after it is defined.
  EXPECT_EQ(refusal("WITH a AS (SELECT * FROM users), users AS (SELECT 1) SELECT * FROM a"), users);
  // CTE names compare as MariaDB compares table names: case counts.
  EXPECT_EQ(refusal("WITH USERS AS (SELECT 1) SELECT * FROM users"), users);
}

TEST(T2sGuard, UnsupportedTableFormsAreRefused) {
  EXPECT_EQ(refusal("SELECT * FROM customers PARTITION (p0)"),
            "不支持这种表引用写法（PARTITION）。");
  EXPECT_EQ(refusal("SELECT * FROM customers FORCE INDEX (PRIMARY)"),
            "不支持这种表引用写法（INDEX）。");
  EXPECT_EQ(refusal("SELECT * FROM customers c1 c2"), "不支持这种表引用写法（c2）。");
  EXPECT_EQ(refusal("SELECT * FROM customers AS 'c'"), "不支持这种表别名写法。");
  EXPECT_EQ(refusal("SELECT * FROM"), "SQL 语句的 FROM 子句不完整。");
  EXPECT_EQ(refusal("SELECT (1"), "SQL 语句的括号不匹配。");
  EXPECT_EQ(refusal("SELECT 1)"), "SQL 语句的括号不匹配。");
  EXPECT_EQ(refusal("SELECT {d '2026-01-01'}"), "SQL 语句中有无法识别的符号 {。");
  accepted_sql(
      "SELECT c.name FROM (customers c JOIN consultants s ON s.consultant_id = c.consultant_id)");
  accepted_sql("SELECT c.name FROM customers c NATURAL LEFT OUTER JOIN consultants s");
  accepted_sql(
      "SELECT c.name FROM customers c JOIN consultants s USING (consultant_id), medical_products "
      "p");
  accepted_sql(
      "SELECT c.name FROM customers c STRAIGHT_JOIN consultants s ON LEFT(s.name, 1) = "
      "LEFT(c.name, 1)");
}

TEST(T2sGuard, RowCap) {
  EXPECT_EQ(accepted_sql("SELECT name FROM customers"), "SELECT name FROM customers LIMIT 201");
  EXPECT_EQ(accepted_sql("SELECT name FROM customers LIMIT 10"),
            "SELECT name FROM customers LIMIT 10");
  EXPECT_EQ(accepted_sql("SELECT name FROM customers LIMIT 100000"),
            "SELECT name FROM customers LIMIT 201");
  EXPECT_EQ(accepted_sql("SELECT name FROM customers LIMIT 99999999999999999999"),
            "SELECT name FROM customers LIMIT 201");
  EXPECT_EQ(accepted_sql("SELECT name FROM customers LIMIT 5, 1000"),
            "SELECT name FROM customers LIMIT 5, 201");
  EXPECT_EQ(accepted_sql("SELECT name FROM customers LIMIT 1000 OFFSET 5"),
            "SELECT name FROM customers LIMIT 201 OFFSET 5");
  EXPECT_EQ(accepted_sql("SELECT name FROM customers ORDER BY name"),
            "SELECT name FROM customers ORDER BY name LIMIT 201");
  EXPECT_EQ(accepted_sql("SELECT name FROM customers WHERE customer_id IN "
                         "(SELECT customer_id FROM consumption_records LIMIT 5000)"),
            "SELECT name FROM customers WHERE customer_id IN "
            "(SELECT customer_id FROM consumption_records LIMIT 5000) LIMIT 201");
  GuardOptions one;
  one.params = {Value{std::int64_t{5}}};
  EXPECT_EQ(accepted_sql("SELECT name FROM customers LIMIT ?", one),
            "SELECT * FROM (SELECT name FROM customers LIMIT ?) AS capped LIMIT 201");
  EXPECT_EQ(accepted_sql("SELECT name FROM customers OFFSET 0 ROWS FETCH FIRST 500 ROWS ONLY"),
            "SELECT * FROM (SELECT name FROM customers OFFSET 0 ROWS FETCH FIRST 500 ROWS ONLY) "
            "AS capped LIMIT 201");
  GuardOptions small;
  small.row_cap = 3;
  EXPECT_EQ(accepted_sql("SELECT name FROM customers LIMIT 10", small),
            "SELECT name FROM customers LIMIT 4");
}

TEST(T2sGuard, ConsultantScopeRewritesCustomerTables) {
  GuardOptions scope;
  scope.consultant_scope = "S001";
  auto g = guard("SELECT name FROM customers WHERE membership_level = '金卡'", scope);
  ASSERT_TRUE(g) << g.error().message;
  EXPECT_EQ(g->sql,
            "SELECT name FROM (SELECT * FROM customers WHERE consultant_id = ?) AS customers "
            "WHERE membership_level = '金卡' LIMIT 201");
  EXPECT_EQ(g->params, std::vector<std::string>{"S001"});
  ASSERT_EQ(g->bound.size(), 1u);
  EXPECT_EQ(std::get<Text>(g->bound[0]), "S001");

  g = guard(
      "SELECT c.name, SUM(r.amount) FROM consumption_records r JOIN customers AS c "
      "ON c.customer_id = r.customer_id JOIN medical_products p ON p.product_id = r.product_id "
      "GROUP BY c.customer_id, c.name",
      scope);
  ASSERT_TRUE(g) << g.error().message;
  EXPECT_EQ(g->sql,
            "SELECT c.name, SUM(r.amount) FROM (SELECT * FROM consumption_records WHERE "
            "customer_id IN (SELECT customer_id FROM customers WHERE consultant_id = ?)) AS r "
            "JOIN (SELECT * FROM customers WHERE consultant_id = ?) AS c ON c.customer_id = "
            "r.customer_id JOIN medical_products p ON p.product_id = r.product_id GROUP BY "
            "c.customer_id, c.name LIMIT 201");
  EXPECT_EQ(g->params, (std::vector<std::string>{"S001", "S001"}));
  EXPECT_EQ(g->tables,
            (std::vector<std::string>{"consumption_records", "customers", "medical_products"}));

  // Subqueries, CTE bodies and backticked names are rewritten too; the CTE reference is not.
  g = guard(
      "WITH w AS (SELECT customer_id FROM `write_off_records`) SELECT COUNT(*) FROM "
      "unspent_balances b WHERE NOT EXISTS (SELECT 1 FROM w WHERE w.customer_id = b.customer_id)",
      scope);
  ASSERT_TRUE(g) << g.error().message;
  EXPECT_EQ(g->sql,
            "WITH w AS (SELECT customer_id FROM (SELECT * FROM `write_off_records` WHERE "
            "customer_id IN (SELECT customer_id FROM customers WHERE consultant_id = ?)) AS "
            "`write_off_records`) SELECT COUNT(*) FROM (SELECT * FROM unspent_balances WHERE "
            "customer_id IN (SELECT customer_id FROM customers WHERE consultant_id = ?)) AS b "
            "WHERE NOT EXISTS (SELECT 1 FROM w WHERE w.customer_id = b.customer_id) LIMIT 201");
  EXPECT_EQ(g->params.size(), 2u);

  // Tables without customer rows are left alone.
  EXPECT_EQ(accepted_sql("SELECT name FROM consultants", scope),
            "SELECT name FROM consultants LIMIT 201");

  // A qualified name cannot be rewritten safely: refused for this role only.
  GuardOptions own = scope;
  own.database = "clinic";
  EXPECT_EQ(refusal("SELECT name FROM clinic.customers", own),
            "按咨询师权限查询时，无法安全改写带库名的表引用 customers。");
  own.consultant_scope.reset();
  EXPECT_EQ(refusal("SELECT name FROM clinic.customers", own), "");
}

TEST(T2sGuard, PlaceholdersKeepTheirOrderWithScopeValues) {
  GuardOptions o;
  o.consultant_scope = "S002";
  o.params = {Value{std::string("金卡")}, Value{*parse_date("2026-01-01")}};
  auto g = guard(
      "SELECT COUNT(*) FROM customers c WHERE c.membership_level = ? AND EXISTS (SELECT 1 FROM "
      "consumption_records r WHERE r.customer_id = c.customer_id AND r.consume_date >= ?)",
      o);
  ASSERT_TRUE(g) << g.error().message;
  ASSERT_EQ(g->bound.size(), 4u);
  EXPECT_EQ(std::get<Text>(g->bound[0]), "S002");
  EXPECT_EQ(std::get<Text>(g->bound[1]), "金卡");
  EXPECT_EQ(std::get<Text>(g->bound[2]), "S002");
  EXPECT_EQ(format_date(std::get<Date>(g->bound[3])), "2026-01-01");
  EXPECT_EQ(g->params, (std::vector<std::string>{"S002", "S002"}));
  o.params.pop_back();
  EXPECT_EQ(refusal("SELECT name FROM customers WHERE membership_level = ? AND name = ?", o),
            "SQL 语句中的参数个数（2）与给出的值（1）不一致。");
  // A "?" inside a string is text, not a placeholder.
  EXPECT_EQ(refusal("SELECT '?' FROM customers"), "");
}

// Every gold query of the example sets passes the guard, with and without consultant scope.
TEST(T2sGuard, EveryExampleGoldQueryPasses) {
  int n = 0;
  for (const char* file : {"text2sql-examples.jsonl", "t2s-heldout-style.jsonl"}) {
    std::ifstream in(yimei::test::fixture_path(file));
    ASSERT_TRUE(in) << file;
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      auto obj = boost::json::parse(line).as_object();
      std::vector<std::string> sqls{std::string(obj.at("gold_sql").as_string())};
      if (auto* alt = obj.if_contains("alt_gold_sql"))
        for (const auto& a : alt->as_array()) sqls.emplace_back(a.as_string());
      for (const std::string& sql : sqls) {
        ++n;
        EXPECT_EQ(refusal(sql), "") << sql;
        GuardOptions scope;
        scope.consultant_scope = "S001";
        EXPECT_EQ(refusal(sql, scope), "") << sql;
      }
    }
  }
  EXPECT_GE(n, 120);
}
