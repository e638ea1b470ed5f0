// MariaDB lexer: quoted strings with backslash and doubled-quote escapes, backtick identifiers,
// -- / # / C-style comments (executable /*! */ and /*M! */ refused), numbers, operators and
// @user / @@system variables. Comments produce no token.
#include "core/text2sql/sql_tokenizer.hpp"

#include <array>

namespace yimei::text2sql {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool is_control(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (u < 0x20 && !is_space(c)) || u == 0x7F;
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
// Unquoted identifier characters: MariaDB allows any byte of a multi-byte character.
bool is_ident_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' || c == '$' ||
         u >= 0x80;
}
bool is_ident_start(char c) {
  return is_ident_char(c) && !is_digit(c);
}

std::string upper_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

UserError lex_error(std::string msg) {
  return UserError{ErrorKind::BadInput, std::move(msg)};
}

class Lexer {
 public:
  Lexer(std::string_view s, const LexOptions& o) : s_(s), opt_(o) {}

  Outcome<std::vector<SqlToken>> run() {
    while (i_ < s_.size()) {
      const char c = s_[i_];
      if (is_space(c)) {
        ++i_;
        continue;
      }
      if (is_control(c)) return lex_error("SQL 语句中有无法识别的控制字符。");
      if (c == '#') {
        skip_line();
        continue;
      }
      if (c == '-' && peek(1) == '-' &&
          (i_ + 2 >= s_.size() || is_space(peek(2)) || is_control(peek(2)))) {
        skip_line();
        continue;
      }
      if (c == '/' && peek(1) == '*') {
        if (peek(2) == '!' || ((peek(2) == 'M' || peek(2) == 'm') && peek(3) == '!')) {
          return UserError{ErrorKind::Forbidden, "不允许使用可执行注释（/*! … */）。"};
        }
        const std::size_t close = s_.find("*/", i_ + 2);
        if (close == std::string_view::npos) return lex_error("SQL 语句中的注释没有结束。");
        i_ = close + 2;
        continue;
      }
      std::optional<UserError> err;
      if (c == '\'' || c == '"') {
        err = quoted(TokenKind::String, i_, i_);
      } else if (c == '`') {
        err = quoted(TokenKind::QuotedIdent, i_, i_);
      } else if (c == '@') {
        err = variable();
      } else if (is_digit(c) || (c == '.' && is_digit(peek(1)) && !after_name())) {
        number();
      } else if (is_ident_start(c)) {
        err = word();
      } else {
        op();
      }
      if (err) return *err;
    }
    tokens_.push_back(SqlToken{TokenKind::End, "", "", s_.size(), ""});
    return std::move(tokens_);
  }

 private:
  std::string_view s_;
  LexOptions opt_;
  std::size_t i_ = 0;
  std::vector<SqlToken> tokens_;

  char peek(std::size_t k) const { return i_ + k < s_.size() ? s_[i_ + k] : '\0'; }

  void skip_line() {
    const std::size_t nl = s_.find('\n', i_);
    i_ = nl == std::string_view::npos ? s_.size() : nl + 1;
  }

  bool after_name() const {
    if (tokens_.empty()) return false;
    const SqlToken& t = tokens_.back();
    return t.kind == TokenKind::Word || t.kind == TokenKind::QuotedIdent || t.text == ")";
  }

  void emit(TokenKind kind, std::size_t begin, std::string value = {}) {
    SqlToken t;
    t.kind = kind;
    t.text = std::string(s_.substr(begin, i_ - begin));
    t.offset = begin;
    if (kind == TokenKind::Word) {
      t.upper = upper_ascii(t.text);
    } else if (kind == TokenKind::QuotedIdent || kind == TokenKind::Variable) {
      t.upper = upper_ascii(value);
    } else {
      t.upper = t.text;
    }
    t.value = std::move(value);
    tokens_.push_back(std::move(t));
  }

  // A string ('...' or "...", optionally after a prefix such as N or X) or a backtick name,
  // starting with the quote at `quote_at`; the token starts at `begin`.
  std::optional<UserError> quoted(TokenKind kind, std::size_t begin, std::size_t quote_at) {
    const char q = s_[quote_at];
    const bool escapes = kind == TokenKind::String && opt_.backslash_escapes;
    std::string value;
    std::size_t j = quote_at + 1;
    while (true) {
      if (j >= s_.size()) {
        return lex_error(kind == TokenKind::String ? "SQL 语句中的字符串没有结束。"
                                                   : "SQL 语句中的反引号名称没有结束。");
      }
      const char c = s_[j];
      if (escapes && c == '\\' && j + 1 < s_.size()) {
        value += unescape(s_[j + 1]);
        j += 2;
        continue;
      }
      if (c == q) {
        if (j + 1 < s_.size() && s_[j + 1] == q) {
          value += q;
          j += 2;
          continue;
        }
        ++j;
        break;
      }
      value += c;
      ++j;
    }
    i_ = j;
    emit(kind, begin, std::move(value));
    return std::nullopt;
  }

  static std::string unescape(char c) {
    switch (c) {
      case '0':
        return std::string(1, '\0');
      case 'n':
        return "\n";
      case 't':
        return "\t";
      case 'r':
        return "\r";
      case 'b':
        return "\b";
      case 'Z':
        return "\x1A";
      case '%':
        return "\\%";
      case '_':
        return "\\_";
      default:
        return std::string(1, c);
    }
  }

  // @name, @'name', @`name`, @@name, @@session.name.
  std::optional<UserError> variable() {
    const std::size_t begin = i_;
    ++i_;
    if (peek(0) == '@') ++i_;
    if (peek(0) == '\'' || peek(0) == '"' || peek(0) == '`') {
      const std::size_t q = i_;
      const TokenKind inner = peek(0) == '`' ? TokenKind::QuotedIdent : TokenKind::String;
      if (auto e = quoted(inner, q, q)) return e;
      SqlToken t = std::move(tokens_.back());
      tokens_.pop_back();
      emit(TokenKind::Variable, begin, t.value);
      return std::nullopt;
    }
    const std::size_t name = i_;
    while (i_ < s_.size() && (is_ident_char(s_[i_]) || s_[i_] == '.')) ++i_;
    emit(TokenKind::Variable, begin, std::string(s_.substr(name, i_ - name)));
    return std::nullopt;
  }

  // 12, 1.5, .5, 1e3, 1.5E-3, 0x1F, 0b101; digits followed by letters form an identifier
  // (MariaDB allows names such as 1abc).
  void number() {
    const std::size_t begin = i_;
    std::size_t j = i_;
    while (j < s_.size() && is_digit(s_[j])) ++j;
    if (j > begin && j < s_.size() && is_ident_char(s_[j])) {
      std::size_t k = j;
      while (k < s_.size() && is_ident_char(s_[k])) ++k;
      const std::string_view run = s_.substr(begin, k - begin);
      bool literal = false;
      if (run.size() > 2 && run[0] == '0' && (run[1] == 'x' || run[1] == 'b')) {
        literal = true;
        for (char c : run.substr(2))
          literal = literal && (run[1] == 'x' ? is_hex(c) : (c == '0' || c == '1'));
      } else if (s_[j] == 'e' || s_[j] == 'E') {
        // 1e5, or 1e+5 / 1e-5 where the run stops at the sign.
        bool digits_after = k > j + 1;
        for (std::size_t x = j + 1; x < k; ++x) digits_after = digits_after && is_digit(s_[x]);
        if (digits_after) {
          literal = true;
        } else if (k == j + 1 && k + 1 < s_.size() && (s_[k] == '+' || s_[k] == '-') &&
                   is_digit(s_[k + 1])) {
          k += 1;
          while (k < s_.size() && is_digit(s_[k])) ++k;
          literal = true;
        }
      }
      i_ = k;
      emit(literal ? TokenKind::Number : TokenKind::Word, begin);
      return;
    }
    if (j < s_.size() && s_[j] == '.') {
      ++j;
      while (j < s_.size() && is_digit(s_[j])) ++j;
    }
    if (j < s_.size() && (s_[j] == 'e' || s_[j] == 'E')) {
      std::size_t k = j + 1;
      if (k < s_.size() && (s_[k] == '+' || s_[k] == '-')) ++k;
      if (k < s_.size() && is_digit(s_[k])) {
        while (k < s_.size() && is_digit(s_[k])) ++k;
        j = k;
      }
    }
    i_ = j;
    emit(TokenKind::Number, begin);
  }

  std::optional<UserError> word() {
    const std::size_t begin = i_;
    // N'...', X'...', B'...': prefixed string literals.
    if ((peek(0) == 'N' || peek(0) == 'n' || peek(0) == 'X' || peek(0) == 'x' || peek(0) == 'B' ||
         peek(0) == 'b') &&
        peek(1) == '\'') {
      return quoted(TokenKind::String, begin, i_ + 1);
    }
    while (i_ < s_.size() && is_ident_char(s_[i_])) ++i_;
    emit(TokenKind::Word, begin);
    return std::nullopt;
  }

  void op() {
    static constexpr std::array<std::string_view, 11> kLong{
        "<=>", "->>", "<=", ">=", "<>", "!=", "<<", ">>", "&&", "||", ":="};
    const std::size_t begin = i_;
    for (std::string_view o : kLong) {
      if (s_.substr(i_, o.size()) == o) {
        i_ += o.size();
        emit(TokenKind::Operator, begin);
        return;
      }
    }
    if (s_.substr(i_, 2) == "->") {
      i_ += 2;
      emit(TokenKind::Operator, begin);
      return;
    }
    const char c = s_[i_++];
    const bool punct = c == '(' || c == ')' || c == ',' || c == ';' || c == '.';
    emit(punct ? TokenKind::Punct : TokenKind::Operator, begin);
  }
};

}  // namespace

Outcome<std::vector<SqlToken>> tokenize_sql(std::string_view sql, const LexOptions& options) {
  return Lexer(sql, options).run();
}

Outcome<std::vector<SqlToken>> tokenize_sql(std::string_view sql) {
  return tokenize_sql(sql, LexOptions{});
}

}  // namespace yimei::text2sql
