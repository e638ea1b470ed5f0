// multipart/form-data encoding with a boundary re-drawn if it ever appears in a part.
#include "bot/net/multipart.hpp"

#include <random>
#include <stdexcept>

namespace yimei::net {

namespace {

std::string random_boundary() {
  static constexpr char kAlphabet[] =
      "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_int_distribution<std::size_t> pick(0, sizeof kAlphabet - 2);
  std::string b = "----yimei-";
  for (int i = 0; i < 24; ++i) b += kAlphabet[pick(rng)];
  return b;
}

void check_token(const std::string& s, const char* what) {
  if (s.find_first_of("\r\n\"") != std::string::npos)
    throw std::invalid_argument(std::string("multipart ") + what + " holds CR, LF or '\"'");
}

}  // namespace

MultipartForm::MultipartForm() : boundary_(random_boundary()) {}

MultipartForm& MultipartForm::add_field(std::string name, std::string value) {
  parts_.push_back(Part{std::move(name), "", "", std::move(value), {}, false});
  return *this;
}

MultipartForm& MultipartForm::add_file(std::string name, std::string filename,
                                       std::string content_type, std::string data,
                                       std::vector<std::pair<std::string, std::string>> extra) {
  parts_.push_back(Part{std::move(name), std::move(filename), std::move(content_type),
                        std::move(data), std::move(extra), true});
  return *this;
}

void MultipartForm::ensure_boundary_unique() const {
  for (;;) {
    bool clash = false;
    for (const Part& p : parts_)
      if (p.data.find(boundary_) != std::string::npos) clash = true;
    if (!clash) return;
    boundary_ = random_boundary();
  }
}

std::string MultipartForm::content_type() const {
  ensure_boundary_unique();
  return "multipart/form-data; boundary=" + boundary_;
}

std::string MultipartForm::body() const {
  ensure_boundary_unique();
  std::string out;
  for (const Part& p : parts_) {
    check_token(p.name, "name");
    check_token(p.filename, "filename");
    out += "--" + boundary_ + "\r\n";
    out += "Content-Disposition: form-data; name=\"" + p.name + "\"";
    if (p.is_file) {
      out += "; filename=\"" + p.filename + "\"";
      for (const auto& [k, v] : p.extra_params) {
        check_token(k, "parameter");
        check_token(v, "parameter");
        out += "; " + k + "=" + v;
      }
      out += "\r\n";
      out += "Content-Type: " +
             (p.content_type.empty() ? std::string("application/octet-stream") : p.content_type) +
             "\r\n";
    } else {
      out += "\r\n";
    }
    out += "\r\n";
    out += p.data;
    out += "\r\n";
  }
  out += "--" + boundary_ + "--\r\n";
  return out;
}

}  // namespace yimei::net
