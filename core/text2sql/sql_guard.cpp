// The SQL guard: one pass over the MariaDB tokens with a stack of parenthesis levels that knows
// query scopes, FROM lists (table factors, aliases, joins, ON/USING), function calls, CTE scopes
// and the outer LIMIT. It checks every rule, then rebuilds the SQL without comments, rewrites
// customer tables for a consultant, caps the rows and checks its own output once more.
#include "core/text2sql/sql_guard.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/text2sql/sql_tokenizer.hpp"

namespace yimei::text2sql {

namespace {

using WordSet = std::set<std::string, std::less<>>;

const WordSet kContractTables = {"CONSULTANTS",         "CUSTOMERS",         "MEDICAL_PRODUCTS",
                                 "CONSUMPTION_RECORDS", "WRITE_OFF_RECORDS", "UNSPENT_BALANCES"};
// Tables holding customer rows: rewritten under consultant scope.
const WordSet kCustomerTables = {"CUSTOMERS", "CONSUMPTION_RECORDS", "WRITE_OFF_RECORDS",
                                 "UNSPENT_BALANCES"};
const WordSet kSystemSchemas = {"INFORMATION_SCHEMA", "MYSQL", "PERFORMANCE_SCHEMA", "SYS"};

// Words that start other statements; refused anywhere unless they call a function of the same
// name (REPLACE(), INSERT(), TRUNCATE()).
const WordSet kStatementWords = {
    "INSERT",   "UPDATE",   "DELETE",    "REPLACE",  "DROP",       "CREATE",   "ALTER",
    "TRUNCATE", "RENAME",   "GRANT",     "REVOKE",   "CALL",       "DO",       "HANDLER",
    "LOAD",     "SET",      "EXECUTE",   "PREPARE",  "DEALLOCATE", "UNLOCK",   "FLUSH",
    "KILL",     "SHUTDOWN", "SHOW",      "DESCRIBE", "EXPLAIN",    "ANALYZE",  "OPTIMIZE",
    "REPAIR",   "INSTALL",  "UNINSTALL", "BEGIN",    "COMMIT",     "ROLLBACK", "SAVEPOINT",
    "XA",       "PURGE",    "BINLOG",    "SIGNAL",   "RESIGNAL",   "DECLARE",  "USE",
    "RESET",    "CHANGE",   "BACKUP",    "HELP",     "CHECKSUM",   "CACHE",    "TABLE"};
const WordSet kIntoWords = {"INTO", "OUTFILE", "DUMPFILE"};
const WordSet kIdentityWords = {"CURRENT_USER", "CURRENT_ROLE", "SESSION_USER", "SYSTEM_USER"};

// Keywords that may stand right before "(" without calling a function.
const WordSet kStructural = {
    "SELECT", "FROM",   "WHERE",  "AND",   "OR",     "NOT",       "XOR",       "IN",
    "EXISTS", "ANY",    "SOME",   "ALL",   "AS",     "ON",        "USING",     "JOIN",
    "BY",     "HAVING", "WHEN",   "THEN",  "ELSE",   "CASE",      "BETWEEN",   "LIKE",
    "RLIKE",  "REGEXP", "IS",     "UNION", "EXCEPT", "INTERSECT", "DISTINCT",  "DISTINCTROW",
    "OVER",   "LIMIT",  "OFFSET", "DIV",   "ESCAPE", "INTERVAL",  "SEPARATOR", "ASC",
    "DESC",   "END",    "NULL",   "TRUE",  "FALSE",  "UNKNOWN",   "COLLATE",   "ROLLUP",
    "SOUNDS", "MEMBER", "OF"};

// Pure built-in functions (and type names inside CAST / CONVERT). Anything else that is
// called, SLEEP, BENCHMARK, GET_LOCK, LOAD_FILE, DATABASE(), user-defined or stored functions,
// is refused.
const WordSet kFunctions = {
    // aggregate and window
    "COUNT", "SUM", "AVG", "MIN", "MAX", "GROUP_CONCAT", "STD", "STDDEV", "STDDEV_POP",
    "STDDEV_SAMP", "VARIANCE", "VAR_POP", "VAR_SAMP", "BIT_AND", "BIT_OR", "BIT_XOR",
    "JSON_ARRAYAGG", "JSON_OBJECTAGG", "ROW_NUMBER", "RANK", "DENSE_RANK", "NTILE", "LAG", "LEAD",
    "FIRST_VALUE", "LAST_VALUE", "NTH_VALUE", "PERCENT_RANK", "CUME_DIST", "PERCENTILE_CONT",
    "PERCENTILE_DISC", "MEDIAN",
    // control flow and comparison
    "IF", "IFNULL", "NULLIF", "COALESCE", "GREATEST", "LEAST", "ISNULL", "NVL", "NVL2", "ROW",
    // casts and type names
    "CAST", "CONVERT", "BINARY", "DECIMAL", "DEC", "NUMERIC", "CHAR", "VARCHAR", "NCHAR", "DATE",
    "DATETIME", "TIME", "TIMESTAMP", "SIGNED", "UNSIGNED", "INT", "INTEGER", "FLOAT", "DOUBLE",
    "REAL",
    // strings
    "CONCAT", "CONCAT_WS", "SUBSTRING", "SUBSTR", "SUBSTRING_INDEX", "MID", "LEFT", "RIGHT",
    "LENGTH", "CHAR_LENGTH", "CHARACTER_LENGTH", "OCTET_LENGTH", "BIT_LENGTH", "UPPER", "LOWER",
    "UCASE", "LCASE", "TRIM", "LTRIM", "RTRIM", "REPLACE", "INSERT", "INSTR", "LOCATE", "POSITION",
    "LPAD", "RPAD", "REPEAT", "REVERSE", "SPACE", "FIND_IN_SET", "FIELD", "ELT", "STRCMP", "FORMAT",
    "HEX", "UNHEX", "ASCII", "ORD", "REGEXP_REPLACE", "REGEXP_SUBSTR", "REGEXP_INSTR", "SOUNDEX",
    "QUOTE", "TO_CHAR", "CHR",
    // numbers
    "ROUND", "TRUNCATE", "FLOOR", "CEIL", "CEILING", "ABS", "SIGN", "MOD", "POW", "POWER", "SQRT",
    "EXP", "LN", "LOG", "LOG2", "LOG10", "PI", "RAND", "DEGREES", "RADIANS", "CONV", "OCT", "BIN",
    "CRC32",
    // dates
    "CURDATE", "CURRENT_DATE", "CURTIME", "CURRENT_TIME", "NOW", "CURRENT_TIMESTAMP", "LOCALTIME",
    "LOCALTIMESTAMP", "SYSDATE", "UTC_DATE", "UNIX_TIMESTAMP", "FROM_UNIXTIME", "YEAR", "MONTH",
    "DAY", "DAYOFMONTH", "DAYOFWEEK", "DAYOFYEAR", "WEEKDAY", "WEEK", "WEEKOFYEAR", "YEARWEEK",
    "QUARTER", "HOUR", "MINUTE", "SECOND", "MICROSECOND", "DAYNAME", "MONTHNAME", "LAST_DAY",
    "MAKEDATE", "MAKETIME", "DATE_FORMAT", "TIME_FORMAT", "STR_TO_DATE", "DATE_ADD", "DATE_SUB",
    "ADDDATE", "SUBDATE", "DATEDIFF", "TIMEDIFF", "TIMESTAMPDIFF", "TIMESTAMPADD", "EXTRACT",
    "TO_DAYS", "FROM_DAYS", "PERIOD_ADD", "PERIOD_DIFF", "ADDTIME", "SUBTIME", "SEC_TO_TIME",
    "TIME_TO_SEC",
    // JSON and hashes
    "JSON_EXTRACT", "JSON_VALUE", "JSON_QUERY", "JSON_UNQUOTE", "JSON_OBJECT", "JSON_ARRAY",
    "JSON_CONTAINS", "JSON_LENGTH", "JSON_KEYS", "JSON_TYPE", "JSON_VALID", "MD5", "SHA1", "SHA2"};

const WordSet kJoinWords = {"JOIN",  "INNER",   "CROSS",         "LEFT", "RIGHT",
                            "OUTER", "NATURAL", "STRAIGHT_JOIN", "FULL"};
// Words that end a FROM list.
const WordSet kClauseEnd = {"WHERE", "GROUP",  "HAVING",    "ORDER",    "LIMIT", "WINDOW",
                            "UNION", "EXCEPT", "INTERSECT", "OFFSET",   "FETCH", "FOR",
                            "LOCK",  "INTO",   "PROCEDURE", "RETURNING"};
const WordSet kOperators = {"+", "-",   "*",  "/",  "%",  "=",  "<",  ">",  "!",  "~",  "^", "&",
                            "|", "<=>", "<=", ">=", "<>", "!=", "<<", ">>", "&&", "||", "?"};

bool is(const SqlToken& t, std::string_view word) {
  return t.kind == TokenKind::Word && t.upper == word;
}
bool is_punct(const SqlToken& t, char c) {
  return t.kind == TokenKind::Punct && t.text.size() == 1 && t.text[0] == c;
}
bool is_name(const SqlToken& t) {
  return t.kind == TokenKind::Word || t.kind == TokenKind::QuotedIdent;
}
// The identifier as MariaDB compares it: backticks removed, case kept.
std::string name_of(const SqlToken& t) {
  return t.kind == TokenKind::QuotedIdent ? t.value : t.text;
}
std::string upper_name(const SqlToken& t) {
  return t.upper;
}
std::string lower_ascii(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

UserError forbidden(std::string msg) {
  return UserError{ErrorKind::Forbidden, std::move(msg)};
}
UserError bad(std::string msg) {
  return UserError{ErrorKind::BadInput, std::move(msg)};
}

const char* kSelectOnly = "只允许查询语句（SELECT）。";
const char* kLocking = "不允许加锁读取（FOR UPDATE / LOCK IN SHARE MODE 等 FOR 子句）。";

std::string allowed_tables_sentence(const std::string& name) {
  return "不允许查询数据表 " + name +
         "：只能查询 consultants、customers、medical_products、consumption_records、"
         "write_off_records、unspent_balances。";
}

// One table reference of a FROM list: tokens [first, last] (name, optional alias).
struct TableRef {
  std::size_t first = 0;
  std::size_t last = 0;
  std::string upper;       // table name, upper-cased
  std::string name_text;   // table name as written
  std::string alias_text;  // alias as written, empty when none
  bool qualified = false;
  bool contract = false;  // a contract table (not a CTE or DUAL)
};

// One WITH clause found by the pre-pass.
struct WithClause {
  bool recursive = false;
  std::vector<std::string> names;      // CTE names as MariaDB compares them
  std::vector<std::size_t> body_open;  // index of each body's "("
};

struct Analysis {
  std::vector<TableRef> refs;
  std::vector<std::size_t> placeholders;
  std::size_t count = 0;                   // significant tokens (without End and a trailing ";")
  std::optional<std::size_t> limit_count;  // the outer LIMIT's row count token
  bool wrap = false;                       // the outer LIMIT cannot be tightened in place
};

enum class From { None, ExpectFactor, AfterName, AfterAlias, JoinWords, InCondition };

struct Level {
  bool query = false;       // a SELECT runs at this level
  bool func = false;        // the arguments of a function call
  bool derived = false;     // a derived table in a FROM list
  bool join_paren = false;  // parenthesized joins in a FROM list
  From from = From::None;
  std::optional<std::size_t> factor_ref;  // the TableRef the next alias belongs to

  static Level query_level() {
    Level l;
    l.query = true;
    return l;
  }
  static Level function_args() {
    Level l;
    l.func = true;
    return l;
  }
  static Level derived_table() {
    Level l;
    l.derived = true;
    return l;
  }
  static Level joined_tables() {
    Level l;
    l.query = true;
    l.join_paren = true;
    l.from = From::ExpectFactor;
    return l;
  }
};

class Analyzer {
 public:
  Analyzer(const std::vector<SqlToken>& t, const GuardOptions& o) : t_(t), opt_(o) {}

  Outcome<Analysis> run() {
    a_.count = t_.size() - 1;  // End
    if (a_.count == 0) return bad("SQL 语句是空的。");
    if (is_punct(t_[a_.count - 1], ';')) --a_.count;
    for (std::size_t i = 0; i < a_.count; ++i)
      if (is_punct(t_[i], ';')) return forbidden("只允许一条查询语句。");
    if (a_.count == 0) return bad("SQL 语句是空的。");
    std::size_t first = 0;
    while (first < a_.count && is_punct(t_[first], '(')) ++first;
    if (first >= a_.count || !(is(t_[first], "SELECT") || is(t_[first], "WITH")))
      return forbidden(kSelectOnly);
    if (auto e = find_ctes()) return *e;
    if (auto e = token_rules()) return *e;
    if (auto e = walk()) return *e;
    if (a_.placeholders.size() != opt_.params.size())
      return bad("SQL 语句中的参数个数（" + std::to_string(a_.placeholders.size()) +
                 "）与给出的值（" + std::to_string(opt_.params.size()) + "）不一致。");
    return std::move(a_);
  }

 private:
  const std::vector<SqlToken>& t_;
  const GuardOptions& opt_;
  Analysis a_;
  std::vector<bool> skip_;  // CTE headers: names, column lists, AS
  std::map<std::size_t, std::pair<std::size_t, std::size_t>> body_of_;   // "(" -> (clause, cte)
  std::map<std::size_t, std::pair<std::size_t, std::size_t>> body_end_;  // ")" -> (clause, cte)
  std::map<std::size_t, std::size_t> with_at_;                           // WITH token -> clause
  std::vector<WithClause> withs_;
  struct Scope {
    std::size_t depth;
    std::vector<std::string> names;
  };
  std::vector<Scope> scopes_;
  std::vector<Level> levels_;
  std::optional<std::size_t> limit_at_;

  const SqlToken& at(std::size_t i) const { return i < a_.count ? t_[i] : t_.back(); }

  // Rules on single tokens, wherever they stand.
  std::optional<UserError> token_rules() {
    for (std::size_t i = 0; i < a_.count; ++i) {
      const SqlToken& t = t_[i];
      const bool call = is_punct(at(i + 1), '(') && !skip_[i];
      switch (t.kind) {
        case TokenKind::Variable:
          return forbidden("不允许使用变量（" + t.text + "）。");
        case TokenKind::Operator:
          if (t.text == ":=") return forbidden("不允许使用变量赋值（:=）。");
          if (!kOperators.count(t.text)) return bad("SQL 语句中有无法识别的符号 " + t.text + "。");
          if (t.text == "?") a_.placeholders.push_back(i);
          break;
        case TokenKind::Word:
        case TokenKind::QuotedIdent:
          if (kSystemSchemas.count(t.upper))
            return forbidden("不允许访问系统表 " + lower_ascii(t.upper) + "。");
          if (t.kind == TokenKind::QuotedIdent) {
            if (call) return forbidden("不允许调用带引号的函数名 " + t.text + "。");
            break;
          }
          if (kIntoWords.count(t.upper)) return forbidden("不允许 INTO（导出文件或写入变量）。");
          if (t.upper == "FOR" && (is(at(i + 1), "UPDATE") || is(at(i + 1), "SHARE")))
            return forbidden(kLocking);
          if (t.upper == "LOCK") return forbidden(kLocking);
          if (t.upper == "PROCEDURE") return forbidden("不允许 PROCEDURE 子句。");
          if (kIdentityWords.count(t.upper)) return forbidden("不允许使用函数 " + t.upper + "。");
          if (kStatementWords.count(t.upper) && !(call && kFunctions.count(t.upper)))
            return forbidden(kSelectOnly);
          break;
        case TokenKind::String:
          if (call) return forbidden("不允许调用带引号的函数名 " + t.text + "。");
          break;
        default:
          break;
      }
    }
    return std::nullopt;
  }

  std::optional<std::size_t> matching_close(std::size_t open) const {
    int depth = 0;
    for (std::size_t i = open; i < a_.count; ++i) {
      if (is_punct(t_[i], '(')) ++depth;
      if (is_punct(t_[i], ')') && --depth == 0) return i;
    }
    return std::nullopt;
  }

  // WITH [RECURSIVE] name [(columns)] AS (body) [, ...]: marks the headers and remembers the
  // names and bodies; the walk opens their scopes.
  std::optional<UserError> find_ctes() {
    skip_.assign(a_.count, false);
    for (std::size_t i = 0; i < a_.count; ++i) {
      if (!is(t_[i], "WITH") || is(at(i + 1), "ROLLUP")) continue;
      WithClause w;
      std::size_t j = i + 1;
      skip_[i] = true;
      if (is(at(j), "RECURSIVE")) {
        w.recursive = true;
        skip_[j++] = true;
      }
      while (true) {
        if (!is_name(at(j))) return bad("无法解析 WITH 子句。");
        const std::string name = name_of(t_[j]);
        if (kContractTables.count(t_[j].upper))
          return forbidden("WITH 子句的名称不能与数据表同名：" + name + "。");
        skip_[j++] = true;
        if (is_punct(at(j), '(')) {
          auto close = matching_close(j);
          if (!close) return bad("SQL 语句的括号不匹配。");
          for (std::size_t k = j; k <= *close; ++k) {
            if (!is_punct(t_[k], '(') && !is_punct(t_[k], ')') && !is_punct(t_[k], ',') &&
                !is_name(t_[k]))
              return bad("无法解析 WITH 子句的列名。");
            skip_[k] = true;
          }
          j = *close + 1;
        }
        if (!is(at(j), "AS")) return bad("无法解析 WITH 子句。");
        skip_[j++] = true;
        if (!is_punct(at(j), '(')) return bad("无法解析 WITH 子句。");
        auto close = matching_close(j);
        if (!close) return bad("SQL 语句的括号不匹配。");
        body_of_[j] = {withs_.size(), w.names.size()};
        body_end_[*close] = {withs_.size(), w.names.size()};
        w.names.push_back(name);
        w.body_open.push_back(j);
        j = *close + 1;
        if (!is_punct(at(j), ',')) break;
        skip_[j++] = true;
      }
      std::size_t k = j;
      while (is_punct(at(k), '(')) ++k;
      if (!is(at(k), "SELECT")) return forbidden(kSelectOnly);
      with_at_[i] = withs_.size();
      withs_.push_back(std::move(w));
    }
    return std::nullopt;
  }

  bool cte_visible(const std::string& name) const {
    for (const Scope& s : scopes_)
      if (std::find(s.names.begin(), s.names.end(), name) != s.names.end()) return true;
    return false;
  }

  void push(Level l) { levels_.push_back(std::move(l)); }

  std::optional<UserError> pop() {
    if (levels_.size() <= 1) return bad("SQL 语句的括号不匹配。");
    const std::size_t depth = levels_.size();
    std::erase_if(scopes_, [&](const Scope& s) { return s.depth >= depth; });
    const Level closed = levels_.back();
    levels_.pop_back();
    Level& parent = levels_.back();
    if (closed.derived) {
      parent.from = From::AfterName;
      parent.factor_ref.reset();
    } else if (closed.join_paren) {
      parent.from = From::AfterAlias;
    }
    return std::nullopt;
  }

  // A table factor's name at i (possibly db.table); returns the index of its last token.
  Outcome<std::size_t> table_name(std::size_t i) {
    TableRef r;
    r.first = i;
    std::size_t name = i;
    if (is_punct(at(i + 1), '.')) {
      if (!is_name(at(i + 2))) return bad("不支持这种表引用写法（" + t_[i].text + "）。");
      if (is_punct(at(i + 3), '.')) return bad("不支持这种表引用写法（" + t_[i].text + "）。");
      r.qualified = true;
      name = i + 2;
      const bool own = !opt_.database.empty() && name_of(t_[i]) == opt_.database;
      if (!own) return forbidden("不允许跨库查询（" + t_[i].text + "." + t_[name].text + "）。");
    }
    r.last = name;
    r.upper = upper_name(t_[name]);
    r.name_text = t_[name].text;
    if (!r.qualified && cte_visible(name_of(t_[name]))) {
      r.contract = false;
    } else if (kContractTables.count(r.upper)) {
      r.contract = true;
    } else if (r.upper == "DUAL" && t_[name].kind == TokenKind::Word && !r.qualified) {
      r.contract = false;
    } else {
      return forbidden(allowed_tables_sentence(name_of(t_[name])));
    }
    if (is_punct(at(name + 1), '(')) return forbidden("不允许使用表函数 " + t_[name].text + "。");
    a_.refs.push_back(r);
    levels_.back().factor_ref = a_.refs.size() - 1;
    return name;
  }

  bool alias_word(const SqlToken& t) const {
    if (t.kind == TokenKind::QuotedIdent) return true;
    return t.kind == TokenKind::Word && !kJoinWords.count(t.upper) && !kClauseEnd.count(t.upper) &&
           !kStructural.count(t.upper);
  }

  void set_alias(std::size_t alias_tok) {
    Level& l = levels_.back();
    if (l.factor_ref) {
      TableRef& r = a_.refs[*l.factor_ref];
      r.alias_text = t_[alias_tok].text;
      r.last = alias_tok;
    }
    l.factor_ref.reset();
  }

  // Handles token i inside a FROM list; true when it was consumed (i may advance).
  Outcome<bool> from_step(std::size_t& i) {
    Level& l = levels_.back();
    const SqlToken& t = t_[i];
    switch (l.from) {
      case From::ExpectFactor: {
        if (is_name(t)) {
          auto last = table_name(i);
          if (!last) return last.error();
          i = *last;
          levels_.back().from = From::AfterName;
          return true;
        }
        if (is_punct(t, '(')) {
          const SqlToken& next = at(i + 1);
          if (is(next, "SELECT") || is(next, "WITH")) {
            l.factor_ref.reset();
            push(Level::derived_table());
            return true;
          }
          if (is_name(next)) {
            push(Level::joined_tables());
            return true;
          }
        }
        return bad("不支持这种表引用写法（" + t.text + "）。");
      }
      case From::AfterName:
        if (is(t, "AS")) {
          if (!alias_word(at(i + 1))) return bad("不支持这种表别名写法。");
          set_alias(i + 1);
          ++i;
          l.from = From::AfterAlias;
          return true;
        }
        if (alias_word(t) && !is_punct(at(i + 1), '(')) {
          set_alias(i);
          l.from = From::AfterAlias;
          return true;
        }
        l.factor_ref.reset();
        l.from = From::AfterAlias;
        [[fallthrough]];
      case From::AfterAlias:
      case From::JoinWords:
      case From::InCondition: {
        // LEFT( and RIGHT( call functions; JOIN ( opens a derived table or nested joins.
        const bool join_word =
            t.kind == TokenKind::Word && kJoinWords.count(t.upper) &&
            !((t.upper == "LEFT" || t.upper == "RIGHT") && is_punct(at(i + 1), '('));
        if (join_word) {
          l.from = (t.upper == "JOIN" || t.upper == "STRAIGHT_JOIN") ? From::ExpectFactor
                                                                     : From::JoinWords;
          return true;
        }
        if (l.from == From::JoinWords) return bad("不支持这种连接写法（" + t.text + "）。");
        if (is_punct(t, ',')) {
          l.from = From::ExpectFactor;
          return true;
        }
        if (is(t, "ON") || is(t, "USING")) {
          l.from = From::InCondition;
          return true;
        }
        if ((t.kind == TokenKind::Word && kClauseEnd.count(t.upper)) || is_punct(t, ')')) {
          l.from = From::None;
          return false;
        }
        if (l.from == From::AfterAlias) return bad("不支持这种表引用写法（" + t.text + "）。");
        return false;  // part of an ON condition
      }
      case From::None:
        return false;
    }
    return false;
  }

  std::optional<UserError> open_paren(std::size_t i) {
    if (auto b = body_of_.find(i); b != body_of_.end()) {
      // A CTE body sees the CTEs before it (and itself when RECURSIVE).
      const WithClause& w = withs_[b->second.first];
      if (w.recursive) scopes_.back().names.push_back(w.names[b->second.second]);
      push(Level{});
      return std::nullopt;
    }
    const SqlToken& prev = i > 0 ? t_[i - 1] : t_.back();
    if (i > 0 && !skip_[i - 1] && prev.kind == TokenKind::Word && !kStructural.count(prev.upper)) {
      if (i > 1 && is_punct(t_[i - 2], '.'))
        return forbidden("不允许调用其他库的函数 " + prev.text + "。");
      if (!kFunctions.count(prev.upper)) return forbidden("不允许使用函数 " + prev.text + "。");
      push(Level::function_args());
      return std::nullopt;
    }
    push(Level{});
    return std::nullopt;
  }

  std::optional<UserError> close_paren(std::size_t i) {
    // The end of a CTE body makes its name visible to what follows.
    if (auto b = body_end_.find(i); b != body_end_.end()) {
      const WithClause& w = withs_[b->second.first];
      if (auto e = pop()) return e;
      auto& names = scopes_.back().names;
      const std::string& n = w.names[b->second.second];
      if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
      return std::nullopt;
    }
    return pop();
  }

  std::optional<UserError> walk() {
    levels_.clear();
    push(Level::query_level());
    for (std::size_t i = 0; i < a_.count; ++i) {
      if (auto w = with_at_.find(i); w != with_at_.end()) {
        scopes_.push_back(Scope{levels_.size(), {}});
        continue;
      }
      if (skip_[i]) continue;
      auto consumed = from_step(i);
      if (!consumed) return consumed.error();
      if (*consumed) continue;
      const SqlToken& t = t_[i];
      Level& l = levels_.back();
      if (is_punct(t, '(')) {
        if (auto e = open_paren(i)) return e;
      } else if (is_punct(t, ')')) {
        if (auto e = close_paren(i)) return e;
      } else if (is(t, "SELECT")) {
        l.query = true;
        l.func = false;
        l.from = From::None;
      } else if (is(t, "FROM")) {
        if (l.query) {
          l.from = From::ExpectFactor;
        } else if (!l.func) {
          return bad("无法解析 FROM 子句。");
        }
      } else if (is(t, "FOR") && l.query) {
        return forbidden(kLocking);
      } else if (levels_.size() == 1 && (is(t, "LIMIT") || is(t, "FETCH") || is(t, "OFFSET"))) {
        if (is(t, "LIMIT") && !limit_at_) {
          limit_at_ = i;
        } else if (!limit_at_) {
          a_.wrap = true;
        }
      }
    }
    if (levels_.size() != 1) return bad("SQL 语句的括号不匹配。");
    if (levels_.back().from == From::ExpectFactor || levels_.back().from == From::JoinWords)
      return bad("SQL 语句的 FROM 子句不完整。");
    if (limit_at_) outer_limit(*limit_at_);
    return std::nullopt;
  }

  // LIMIT n / LIMIT m, n / LIMIT n OFFSET m, as the statement's last clause: the row count can
  // be tightened in place; anything else is wrapped.
  void outer_limit(std::size_t at_limit) {
    auto plain = [&](std::size_t k) {
      if (k >= a_.count || t_[k].kind != TokenKind::Number) return false;
      return std::all_of(t_[k].text.begin(), t_[k].text.end(),
                         [](char c) { return c >= '0' && c <= '9'; });
    };
    const std::size_t k = at_limit + 1;
    if (plain(k) && k + 1 == a_.count) {
      a_.limit_count = k;
    } else if (plain(k) && is_punct(at(k + 1), ',') && plain(k + 2) && k + 3 == a_.count) {
      a_.limit_count = k + 2;
    } else if (plain(k) && is(at(k + 1), "OFFSET") && plain(k + 2) && k + 3 == a_.count) {
      a_.limit_count = k;
    } else {
      a_.wrap = true;
    }
  }
};

Outcome<std::vector<SqlToken>> lex_unambiguously(std::string_view sql) {
  auto tokens = tokenize_sql(sql, LexOptions{});
  if (!tokens) return tokens;
  bool backslash = false;
  for (const SqlToken& t : *tokens)
    backslash =
        backslash || (t.kind == TokenKind::String && t.text.find('\\') != std::string::npos);
  if (!backslash) return tokens;
  // Under NO_BACKSLASH_ESCAPES (or ANSI_QUOTES for "...") the same text must split the same way.
  auto other = tokenize_sql(sql, LexOptions{.backslash_escapes = false});
  bool same = other.ok() && other->size() == tokens->size();
  for (std::size_t i = 0; same && i < tokens->size(); ++i)
    same = (*other)[i].offset == (*tokens)[i].offset && (*other)[i].text == (*tokens)[i].text;
  if (!same) return bad("字符串中的反斜杠在不同的服务器设置下含义不同，请去掉反斜杠后再试。");
  return tokens;
}

std::string scoped_table(const TableRef& r) {
  const std::string alias = r.alias_text.empty() ? r.name_text : r.alias_text;
  if (r.upper == "CUSTOMERS")
    return "(SELECT * FROM " + r.name_text + " WHERE consultant_id = ?) AS " + alias;
  return "(SELECT * FROM " + r.name_text +
         " WHERE customer_id IN (SELECT customer_id FROM customers WHERE consultant_id = ?)) AS " +
         alias;
}

}  // namespace

Outcome<GuardedSql> guard_sql(std::string_view sql, const GuardOptions& options) {
  auto tokens = lex_unambiguously(sql);
  if (!tokens) return tokens.error();
  const std::vector<SqlToken>& t = *tokens;
  auto analysis = Analyzer(t, options).run();
  if (!analysis) return analysis.error();
  const Analysis& a = *analysis;

  GuardedSql out;
  std::vector<const TableRef*> rewrite;
  for (const TableRef& r : a.refs) {
    if (!r.contract) continue;
    const std::string lower = lower_ascii(r.upper);
    if (std::find(out.tables.begin(), out.tables.end(), lower) == out.tables.end())
      out.tables.push_back(lower);
    if (options.consultant_scope && kCustomerTables.count(r.upper)) {
      if (r.qualified)
        return forbidden("按咨询师权限查询时，无法安全改写带库名的表引用 " + r.name_text + "。");
      rewrite.push_back(&r);
    }
  }
  if (!rewrite.empty() &&
      std::find(out.tables.begin(), out.tables.end(), "customers") == out.tables.end())
    out.tables.push_back("customers");

  // Rebuild from the tokens: comments dropped (a gap becomes one space), scoped tables
  // replaced, the outer row count tightened.
  const std::size_t cap = options.row_cap + 1;
  std::string& s = out.sql;
  std::size_t next_rewrite = 0;
  std::size_t next_param = 0;
  for (std::size_t i = 0; i < a.count; ++i) {
    // The replacement of a table reference ends with its alias (or name) as written, so the
    // original spacing around the reference still applies.
    const bool gap = i > 0 && t[i].offset > t[i - 1].offset + t[i - 1].text.size();
    if (!s.empty() && gap) s += ' ';
    if (next_rewrite < rewrite.size() && rewrite[next_rewrite]->first == i) {
      s += scoped_table(*rewrite[next_rewrite]);
      out.params.push_back(*options.consultant_scope);
      out.bound.emplace_back(*options.consultant_scope);
      i = rewrite[next_rewrite]->last;
      ++next_rewrite;
      continue;
    }
    if (a.limit_count && *a.limit_count == i) {
      const std::string& digits = t[i].text;
      const bool small = digits.size() < 10 && std::stoull(digits) <= cap;
      s += small ? digits : std::to_string(cap);
      continue;
    }
    s += t[i].text;
    if (t[i].kind == TokenKind::Operator && t[i].text == "?")
      out.bound.push_back(options.params[next_param++]);
  }
  if (a.wrap) {
    s = "SELECT * FROM (" + s + ") AS capped LIMIT " + std::to_string(cap);
  } else if (!a.limit_count) {
    s += " LIMIT " + std::to_string(cap);
  }

  // The output must pass the same rules on its own (a bug in the rewrite must not open a hole).
  GuardOptions again;
  again.params = out.bound;
  again.database = options.database;
  auto recheck_tokens = lex_unambiguously(s);
  if (!recheck_tokens || !Analyzer(*recheck_tokens, again).run())
    return bad("内部错误：改写后的 SQL 未通过检查。");
  return out;
}

}  // namespace yimei::text2sql
